/**
 * Live progress: one bar per download and a total line (bytes, rate), redrawn at a steady frame rate
 * from `Progress.latest` changes when standard output is a terminal, sized to fit the terminal (never
 * taller than the screen, never wider than a row), with the cursor hidden while it draws. When the
 * scenario ends the live block is replaced by the plain total line, so each download is told once —
 * by the scenario's own lines. When standard output is not a terminal: no bars and no escape codes,
 * only the lines the scenarios print and the plain total line.
 */
import { Progress } from "@tapestry/core"
import type { Download } from "@tapestry/platform"
import { Duration, Effect, Exit, Fiber, Schedule, Stream } from "effect"
import * as Format from "./Format.js"
import { Screen } from "./Screen.js"

/** How a download's bar ended (or that it has not). */
export type BarState = "running" | "done" | "failed" | "cancelled"

/** One download's bar. */
export interface Bar {
  readonly id: number
  readonly label: string
  readonly received: number
  readonly total: number | undefined
  /** The headers arrived (the first progress report): before that the download is waiting. */
  readonly answered: boolean
  readonly state: BarState
  readonly startedAt: number
  readonly endedAt: number | undefined
}

/** A bar opened with `Renderer.open`: its reporter, and how to end it (once; later ends change nothing). */
export interface BarHandle {
  readonly progress: Progress.Progress<Download.DownloadProgress>
  readonly end: (exit: Exit.Exit<unknown, unknown>) => Effect.Effect<void>
}

/** Every bar of the scenario being shown. */
export interface Board {
  readonly title: string
  readonly startedAt: number
  readonly bars: ReadonlyArray<Bar>
}

/** The time between two frames on a terminal. */
export const frameInterval = Duration.millis(100)

/** How often the frame is redrawn when nothing was reported (the clock and the sweeping bars move on). */
const heartbeat = Duration.millis(250)

const count = (board: Board, state: BarState) => board.bars.filter((bar) => bar.state === state).length

const received = (board: Board) => board.bars.reduce((sum, bar) => sum + bar.received, 0)

/** The plain total line (printed once a scenario ends): downloads by state, bytes and rate. */
export const totalLine = (board: Board, now: number): string => {
  const bytes = received(board)
  const elapsed = now - board.startedAt
  const parts = [
    Format.plural(board.bars.length, "download"),
    `${count(board, "running")} running`,
    `${count(board, "done")} done`,
    `${count(board, "failed")} failed`,
    `${count(board, "cancelled")} cancelled`
  ]
  return `total: ${parts.join(", ")} · ${Format.bytes(bytes)} in ${Format.millis(elapsed)} · ${Format.rate(bytes, elapsed)}`
}

const waiting = (bar: Bar) => bar.state === "running" && !bar.answered && bar.received === 0

/** `12.0 KiB / 48.0 KiB`, `12.0 KiB / ?` when the server announced no size; nothing before the headers. */
const sizeText = (bar: Bar) =>
  waiting(bar) ? "" : `${Format.bytes(bar.received)} / ${bar.total === undefined ? "?" : Format.bytes(bar.total)}`

/** The bar's cells: dots while waiting for the headers, else {@link Format.bar}. */
const cells = (bar: Bar, width: number, now: number) =>
  waiting(bar)
    ? "·".repeat(width)
    : Format.bar(bar.received, bar.state === "done" ? bar.received : bar.total, width, bar.state, now)

const rateText = (bar: Bar, now: number) =>
  bar.received === 0 ? "" : Format.rate(bar.received, (bar.endedAt ?? now) - bar.startedAt)

/** The bars a frame of `room` bar lines shows: the running ones first, then those that ended last. */
const pick = (bars: ReadonlyArray<Bar>, room: number): ReadonlyArray<Bar> => {
  if (bars.length <= room) return bars
  const running = bars.filter((bar) => bar.state === "running")
  const ended = bars.filter((bar) => bar.state !== "running")
  return [...running, ...ended.reverse()].slice(0, Math.max(0, room)).sort((a, b) => a.id - b.id)
}

/**
 * The lines of one frame for a terminal of `columns` × `rows`: a bar per download and the total,
 * at most `rows - 1` lines (the cursor keeps the last row, so a redraw never scrolls) and each
 * shorter than `columns`. When the downloads do not fit, the running ones are shown and a line
 * counts the others. Long labels are cut in the middle, keeping their distinct ends.
 */
export const frame = (board: Board, now: number, columns: number, rows = 24): Array<string> => {
  const width = Math.max(1, columns - 1)
  const height = Math.max(1, rows - 1)
  const room = board.bars.length + 1 <= height ? board.bars.length : height - 2
  const shown = pick(board.bars, room)
  const sizes = shown.map(sizeText)
  const rates = shown.map((bar) => rateText(bar, now))
  const sizeWidth = Math.max(0, ...sizes.map((s) => s.length))
  const rateWidth = Math.max(0, ...rates.map((r) => r.length))
  const labelLongest = Math.max(5, ...shown.map((bar) => bar.label.length))
  // " label bar size rate state": the label and the bar share what the other columns leave.
  const roomFor = (withRate: boolean) => width - (1 + 1 + sizeWidth + 1 + 9 + 1 + (withRate ? rateWidth + 1 : 0))
  const withRate = rateWidth > 0 && roomFor(true) >= Math.min(labelLongest, 20) + 10
  const left = roomFor(withRate)
  const labelWidth = Math.max(1, Math.min(labelLongest, 32, Math.max(8, left - 10)))
  const barWidth = Math.max(0, Math.min(30, left - labelWidth))
  const cut = (line: string) => (line.length > width ? line.slice(0, width) : line)
  const lines = shown.map((bar, i) =>
    cut(
      [
        ` ${Format.fitMiddle(bar.label, labelWidth)}`,
        cells(bar, barWidth, now),
        (sizes[i] ?? "").padStart(sizeWidth),
        ...(withRate ? [(rates[i] ?? "").padStart(rateWidth)] : []),
        waiting(bar) ? "waiting" : bar.state
      ]
        .filter((cell) => cell !== "")
        .join(" ")
    )
  )
  const hidden = board.bars.length - shown.length
  if (hidden > 0 && height >= 2) {
    const running = count(board, "running") - shown.filter((bar) => bar.state === "running").length
    lines.push(cut(` … ${Format.plural(hidden, "more download")}${running > 0 ? ` (${running} running)` : ""}`))
  }
  const bytes = received(board)
  const elapsed = now - board.startedAt
  const states = (["running", "done", "failed", "cancelled"] as const)
    .filter((state) => state === "running" || count(board, state) > 0)
    .map((state) => `${count(board, state)} ${state}`)
  const counts = `${Format.plural(board.bars.length, "download")}: ${states.join(", ")}`
  const head = ` ${"total".padEnd(Math.min(labelWidth, 8))} ${Format.bytes(bytes)}`
  // Narrow: the counts matter more than the rate, and each state's count more than the sum of them.
  const candidates = [
    `${head} · ${Format.rate(bytes, elapsed)} · ${counts}`,
    `${head} · ${counts}`,
    `${head} · ${states.join(", ")}`,
    ` total ${Format.bytes(bytes)} · ${states.join(", ")}`
  ]
  lines.push(cut(candidates.find((line) => line.length <= width) ?? candidates[candidates.length - 1]!))
  return lines
}

const ESC = "\u001b["

/** Shows the downloads of one scenario at a time. */
export class Renderer extends Effect.Service<Renderer>()("@tapestry/demo/Renderer", {
  effect: Effect.gen(function* () {
    const screen = yield* Screen
    let board: Board | undefined
    let last: Board | undefined
    let drawn = 0
    let nextId = 0
    let publish: (board: Board) => Effect.Effect<void> = () => Effect.void

    const now = () => Date.now()

    // Redraws overwrite in place: back to the top of the last frame, each line ended by "erase to the
    // end of the line", then "erase below". Never an erase of the whole screen from its top-left
    // corner: tmux (scroll-on-clear) and some terminals would push the old frame into the scrollback.
    const up = () => (drawn > 0 ? `${ESC}${drawn}F` : "")
    const lines = (texts: ReadonlyArray<string>) => `${texts.map((text) => `${text}${ESC}K\n`).join("")}${ESC}J`

    /** The frame of `snapshot` in place of the last one, on a terminal; nothing for a board with no bar yet. */
    const redraw = (snapshot: Board | undefined, above: ReadonlyArray<string> = []) =>
      Effect.suspend(() => {
        const next =
          snapshot === undefined || snapshot.bars.length === 0
            ? []
            : frame(snapshot, now(), screen.columns(), screen.rows())
        if (above.length === 0 && next.length === 0 && drawn === 0) return Effect.void
        const text = `${up()}${lines([...above, ...next])}`
        drawn = next.length
        return screen.write(text)
      })

    const draw = (snapshot: Board) => (screen.isTTY ? redraw(snapshot) : Effect.void)

    const update = (f: (board: Board) => Board) =>
      Effect.suspend(() => {
        if (board === undefined) return Effect.void
        board = f(board)
        return publish(board)
      })

    const setBar = (id: number, f: (bar: Bar) => Bar) =>
      update((b) => ({ ...b, bars: b.bars.map((bar) => (bar.id === id ? f(bar) : bar)) }))

    /** Prints a line above the bars (on a terminal the bars are redrawn under it). */
    const log = (line: string): Effect.Effect<void> =>
      !screen.isTTY
        ? screen.line(line)
        : Effect.suspend(() => (drawn === 0 ? screen.line(line) : redraw(board, [line])))

    /**
     * Opens a bar labelled `label`: `progress` fills it and `end` marks it done, failed or cancelled
     * by how the download ended (for downloads a stream starts by itself; {@link track} otherwise).
     */
    const open = (label: string): Effect.Effect<BarHandle> =>
      Effect.suspend(() => {
        const id = nextId++
        const bar: Bar = {
          id,
          label,
          received: 0,
          total: undefined,
          answered: false,
          state: "running",
          startedAt: now(),
          endedAt: undefined
        }
        const progress = Progress.make((p: Download.DownloadProgress) =>
          setBar(id, (b) =>
            b.state === "running" ? { ...b, answered: true, received: p.received, total: p.total ?? b.total } : b
          )
        )
        const end = (exit: Exit.Exit<unknown, unknown>) =>
          setBar(id, (b) =>
            b.state !== "running"
              ? b
              : {
                  ...b,
                  endedAt: now(),
                  state: Exit.isSuccess(exit) ? "done" : Exit.isInterrupted(exit) ? "cancelled" : "failed"
                }
          )
        return Effect.as(
          update((b) => ({ ...b, bars: [...b.bars, bar] })),
          { progress, end }
        )
      })

    /**
     * Shows a bar for `download` (which receives the bar's `Progress`) while it runs, and marks the bar
     * done, failed or cancelled when it ends.
     */
    const track = <A, E, R>(
      label: string,
      download: (progress: Progress.Progress<Download.DownloadProgress>) => Effect.Effect<A, E, R>
    ): Effect.Effect<A, E, R> => Effect.flatMap(open(label), (bar) => Effect.onExit(download(bar.progress), bar.end))

    /**
     * Runs `body` with a fresh board titled `title`. On a terminal the cursor is hidden and a frame
     * loop redraws the board from `Progress.latest` changes (and a slow heartbeat) at most every
     * {@link frameInterval}; at the end, however it ends, the live block gives way to the plain total
     * line and the cursor comes back. When `body` is interrupted, the downloads still running are named.
     */
    const show = <A, E, R>(title: string, body: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.scoped(
        Effect.gen(function* () {
          board = { title, startedAt: now(), bars: [] }
          last = undefined
          drawn = 0
          let frames: Fiber.RuntimeFiber<void> | undefined
          if (screen.isTTY) {
            yield* screen.cursor(false)
            const latest = yield* Progress.latest<Board>()
            publish = (snapshot) => latest.progress.report(snapshot)
            // A change or a beat only says "draw": the frame is of the board as it is then. (A merged
            // stream holds each side's next element while the frame waits out its interval, so a value
            // it carried could be a beat sampled long before — a frame from the past.)
            const beats = Stream.repeatEffectWithSchedule(Effect.void, Schedule.spaced(heartbeat))
            frames = yield* latest.changes.pipe(
              Stream.as(undefined),
              Stream.merge(beats, { haltStrategy: "left" }),
              Stream.runForEach(() =>
                Effect.suspend(() => (board === undefined ? Effect.void : draw(board))).pipe(
                  Effect.zipRight(Effect.sleep(frameInterval))
                )
              ),
              Effect.forkScoped
            )
          }
          const fiber = yield* Effect.fork(body)
          return yield* Fiber.join(fiber).pipe(
            Effect.onInterrupt(() =>
              Effect.gen(function* () {
                const running = (board?.bars ?? []).filter((bar) => bar.state === "running").map((bar) => bar.label)
                yield* Fiber.interrupt(fiber)
                yield* log(
                  running.length === 0
                    ? "interrupted: no download was running"
                    : `interrupted: cancelled ${Format.plural(running.length, "unfinished download")}: ${running.join(", ")}`
                )
              })
            ),
            Effect.ensuring(
              Effect.suspend(() => (frames === undefined ? Effect.void : Fiber.interrupt(frames))).pipe(
                Effect.zipRight(
                  Effect.suspend(() => {
                    const ended = board
                    publish = () => Effect.void
                    board = undefined
                    last = ended
                    const total = ended === undefined || ended.bars.length === 0 ? [] : [totalLine(ended, now())]
                    // The live block gives way to the plain total line (each download was told by the scenario).
                    const text = drawn > 0 ? `${up()}${lines(total)}` : total.map((line) => `${line}\n`).join("")
                    drawn = 0
                    return screen.write(text).pipe(Effect.zipRight(screen.cursor(true)))
                  })
                )
              )
            )
          )
        })
      )

    /** The board of the scenario shown last, once it has ended (its bars' final states). */
    const lastBoard = Effect.sync(() => last)

    return { log, open, track, show, lastBoard } as const
  }),
  dependencies: [Screen.Default]
}) {}
