/**
 * Live progress: one bar per download and a total line (bytes, rate), redrawn at a steady frame rate
 * from `Progress.latest` changes when standard output is a terminal; when it is not, no bars and no
 * escape codes — only the lines the scenarios print and a plain total line.
 */
import { Progress } from "@tapestry/core"
import type { Download } from "@tapestry/platform"
import { Duration, Effect, Exit, Fiber, Stream } from "effect"
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
  readonly state: BarState
  readonly startedAt: number
  readonly endedAt: number | undefined
}

/** Every bar of the scenario being shown. */
export interface Board {
  readonly title: string
  readonly startedAt: number
  readonly bars: ReadonlyArray<Bar>
}

/** The time between two frames on a terminal. */
export const frameInterval = Duration.millis(100)

const maxBars = 14

const summary = (board: Board, now: number) => {
  const count = (state: BarState) => board.bars.filter((bar) => bar.state === state).length
  const received = board.bars.reduce((sum, bar) => sum + bar.received, 0)
  const elapsed = now - board.startedAt
  const parts = [
    `${board.bars.length} download${board.bars.length === 1 ? "" : "s"}`,
    `${count("running")} running`,
    `${count("done")} done`,
    `${count("failed")} failed`,
    `${count("cancelled")} cancelled`
  ]
  return { received, elapsed, parts }
}

/** The total line: downloads by state, bytes and rate. */
export const totalLine = (board: Board, now: number): string => {
  const { elapsed, parts, received } = summary(board, now)
  return `total: ${parts.join(", ")} · ${Format.bytes(received)} in ${Format.millis(elapsed)} · ${Format.rate(received, elapsed)}`
}

/** The lines of one frame: a bar per download (the running ones first when there are many) and the total. */
export const frame = (board: Board, now: number, columns: number): Array<string> => {
  const labelWidth = Math.min(28, Math.max(8, ...board.bars.map((bar) => bar.label.length)))
  const barWidth = Math.max(10, Math.min(30, columns - labelWidth - 52))
  const shown =
    board.bars.length <= maxBars
      ? board.bars
      : [
          ...board.bars.filter((bar) => bar.state === "running"),
          ...board.bars.filter((bar) => bar.state !== "running").slice(-maxBars)
        ]
          .slice(0, maxBars)
          .sort((a, b) => a.id - b.id)
  const lines = shown.map((bar) => {
    const end = bar.endedAt ?? now
    const size = `${Format.bytes(bar.received)}${bar.total === undefined ? "" : ` / ${Format.bytes(bar.total)}`}`
    return [
      ` ${Format.fit(bar.label, labelWidth)}`,
      Format.bar(bar.received, bar.state === "done" ? bar.received : bar.total, barWidth, bar.state === "running"),
      size.padStart(22),
      Format.rate(bar.received, end - bar.startedAt).padStart(12),
      bar.state
    ].join(" ")
  })
  if (shown.length < board.bars.length) lines.push(` … ${board.bars.length - shown.length} more`)
  const { elapsed, parts, received } = summary(board, now)
  lines.push(
    ` ${Format.fit("total", labelWidth)} ${Format.bytes(received)} · ${Format.rate(received, elapsed)} · ${parts.join(", ")}`
  )
  return lines.map((line) => (line.length > columns ? line.slice(0, Math.max(1, columns - 1)) : line))
}

const ESC = "\u001b["

/** Shows the downloads of one scenario at a time. */
export class Renderer extends Effect.Service<Renderer>()("@tapestry/demo/Renderer", {
  effect: Effect.gen(function* () {
    const screen = yield* Screen
    let board: Board | undefined
    let drawn = 0
    let nextId = 0
    let publish: (board: Board) => Effect.Effect<void> = () => Effect.void

    const now = () => Date.now()

    /** Moves to the top of the last frame and erases it (a terminal only). */
    const erase = () => (drawn > 0 ? `${ESC}${drawn}F${ESC}0J` : "")

    const draw = (snapshot: Board) =>
      Effect.suspend(() => {
        if (!screen.isTTY) return Effect.void
        const lines = frame(snapshot, now(), screen.columns())
        const text = `${erase()}${lines.map((line) => `${ESC}2K${line}\n`).join("")}`
        drawn = lines.length
        return screen.write(text)
      })

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
      Effect.suspend(() => {
        if (!screen.isTTY || drawn === 0) return screen.line(line)
        const text = `${erase()}${line}\n`
        drawn = 0
        return screen.write(text).pipe(Effect.zipRight(board === undefined ? Effect.void : draw(board)))
      })

    /**
     * Shows a bar for `download` (which receives the bar's `Progress`) while it runs, and marks the bar
     * done, failed or cancelled when it ends.
     */
    const track = <A, E, R>(
      label: string,
      download: (progress: Progress.Progress<Download.DownloadProgress>) => Effect.Effect<A, E, R>
    ): Effect.Effect<A, E, R> =>
      Effect.suspend(() => {
        const id = nextId++
        const bar: Bar = {
          id,
          label,
          received: 0,
          total: undefined,
          state: "running",
          startedAt: now(),
          endedAt: undefined
        }
        const progress = Progress.make((p: Download.DownloadProgress) =>
          setBar(id, (b) => ({ ...b, received: p.received, total: p.total ?? b.total }))
        )
        return update((b) => ({ ...b, bars: [...b.bars, bar] })).pipe(
          Effect.zipRight(download(progress)),
          Effect.onExit((exit) =>
            setBar(id, (b) => ({
              ...b,
              endedAt: now(),
              state: Exit.isSuccess(exit) ? "done" : Exit.isInterrupted(exit) ? "cancelled" : "failed"
            }))
          )
        )
      })

    /**
     * Runs `body` with a fresh board titled `title`. On a terminal a frame loop redraws the board from
     * `Progress.latest` changes every {@link frameInterval}; at the end the last frame stays on screen
     * and a total line follows. When `body` is interrupted, the downloads that were running are named.
     */
    const show = <A, E, R>(title: string, body: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.scoped(
        Effect.gen(function* () {
          board = { title, startedAt: now(), bars: [] }
          drawn = 0
          let frames: Fiber.RuntimeFiber<void> | undefined
          if (screen.isTTY) {
            const latest = yield* Progress.latest<Board>()
            publish = (snapshot) => latest.progress.report(snapshot)
            frames = yield* latest.changes.pipe(
              Stream.runForEach((snapshot) => draw(snapshot).pipe(Effect.zipRight(Effect.sleep(frameInterval)))),
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
                    ? "interrupted: no download was in flight"
                    : `interrupted: cancelled ${running.length} download${running.length === 1 ? "" : "s"} in flight: ${running.join(", ")}`
                )
              })
            ),
            Effect.ensuring(
              Effect.suspend(() => (frames === undefined ? Effect.void : Fiber.interrupt(frames))).pipe(
                Effect.zipRight(
                  Effect.suspend(() => {
                    const last = board
                    publish = () => Effect.void
                    board = undefined
                    if (last === undefined || last.bars.length === 0) return Effect.void
                    return (screen.isTTY ? draw(last) : screen.line(totalLine(last, now()))).pipe(
                      Effect.zipRight(Effect.sync(() => void (drawn = 0)))
                    )
                  })
                )
              )
            )
          )
        })
      )

    return { log, track, show } as const
  }),
  dependencies: [Screen.Default]
}) {}
