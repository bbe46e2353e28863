/**
 * Where the demo writes: standard output and standard error, whether standard output is a terminal
 * (live progress bars) or not (plain lines, no escape codes at all), and whether the reader went
 * away (`pnpm demo | head -1`): then every write is dropped and the demo ends quietly.
 */
import { Console, Deferred, Effect, Exit, FiberId, Layer } from "effect"
import { stripAnsi } from "./Format.js"

/** The shape of {@link Screen}. */
export interface ScreenShape {
  /** Standard output is a terminal: bars are drawn with escape codes. */
  readonly isTTY: boolean
  /** The terminal's width in columns (80 when unknown). */
  readonly columns: () => number
  /** The terminal's height in rows (24 when unknown). */
  readonly rows: () => number
  /** Writes `text` as is (the renderer's frames). */
  readonly write: (text: string) => Effect.Effect<void>
  /** Writes one line to standard output. */
  readonly line: (text: string) => Effect.Effect<void>
  /** Writes one line to standard error. */
  readonly error: (text: string) => Effect.Effect<void>
  /**
   * Hides (`false`) or shows (`true`) the cursor, on a terminal only. A hidden cursor is shown again
   * when the process exits, however it exits.
   */
  readonly cursor: (visible: boolean) => Effect.Effect<void>
  /**
   * Completes once the reader of standard output or error went away (`EPIPE`: `| head -1` had
   * its line); from then on every write is dropped.
   */
  readonly closed: Effect.Effect<void>
  /** Whether {@link closed} has completed. */
  readonly isClosed: () => boolean
}

const plain = (isTTY: boolean, text: string) => (isTTY ? text : stripAnsi(text))

const showCursor = "\u001b[?25h"
const hideCursor = "\u001b[?25l"

/** The process's standard output and error. */
export class Screen extends Effect.Service<Screen>()("@tapestry/demo/Screen", {
  effect: Effect.gen(function* () {
    const isTTY = process.stdout.isTTY === true
    const errTTY = process.stderr.isTTY === true
    const gone = yield* Deferred.make<void>()
    let closed = false
    let hidden = false
    // A write to a pipe whose reader has gone fails asynchronously with an `error` event: without a
    // listener Node crashes with "Unhandled 'error' event". Any write error means nobody reads us.
    const onError = () => {
      closed = true
      Deferred.unsafeDone(gone, Exit.void)
    }
    process.stdout.on("error", onError)
    process.stderr.on("error", onError)
    // However the process ends (Ctrl-C, a crash, `process.exit`), the cursor comes back.
    process.on("exit", () => {
      if (hidden && !closed) process.stdout.write(showCursor)
    })
    const out = (text: string) =>
      Effect.sync(() => {
        if (!closed) process.stdout.write(plain(isTTY, text))
      })
    return {
      isTTY,
      columns: () => process.stdout.columns ?? 80,
      rows: () => process.stdout.rows ?? 24,
      write: out,
      line: (text) => out(`${text}\n`),
      error: (text) =>
        Effect.sync(() => {
          if (!closed) process.stderr.write(`${plain(errTTY, text)}\n`)
        }),
      cursor: (visible) =>
        Effect.suspend(() => {
          if (!isTTY || hidden === !visible) return Effect.void
          hidden = !visible
          return out(visible ? showCursor : hideCursor)
        }),
      closed: Deferred.await(gone),
      isClosed: () => closed
    } satisfies ScreenShape
  })
}) {}

/** What a captured screen received: standard output and standard error, as text. */
export interface Captured {
  readonly stdout: () => string
  readonly stderr: () => string
  /** The reader goes away, as `| head -1` does after its line: later writes are dropped. */
  readonly close: () => void
}

/**
 * A screen that records everything (for tests). `isTTY: true` records the escape codes a terminal
 * of `columns` × `rows` would receive.
 */
export const capture = (
  options: { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number } = {}
): {
  readonly layer: Layer.Layer<Screen>
  readonly output: Captured
} => {
  const isTTY = options.isTTY ?? false
  const out: Array<string> = []
  const err: Array<string> = []
  const gone = Deferred.unsafeMake<void>(FiberId.none)
  let closed = false
  let hidden = false
  const push = (to: Array<string>, text: string) =>
    Effect.sync(() => {
      if (!closed) to.push(plain(isTTY, text))
    })
  const screen = Screen.make({
    isTTY,
    columns: () => options.columns ?? 100,
    rows: () => options.rows ?? 40,
    write: (text) => push(out, text),
    line: (text) => push(out, `${text}\n`),
    error: (text) => push(err, `${text}\n`),
    cursor: (visible) =>
      Effect.suspend(() => {
        if (!isTTY || hidden === !visible) return Effect.void
        hidden = !visible
        return push(out, visible ? showCursor : hideCursor)
      }),
    closed: Deferred.await(gone),
    isClosed: () => closed
  })
  return {
    layer: Layer.succeed(Screen, screen),
    output: {
      stdout: () => out.join(""),
      stderr: () => err.join(""),
      close: () => {
        closed = true
        Deferred.unsafeDone(gone, Exit.void)
      }
    }
  }
}

/**
 * A `Console` for `@effect/cli`: what it logs goes to standard output through the {@link Screen};
 * what it reports as an error is dropped, because the demo words every command-line problem itself
 * (one `demo:` line and the command's usage).
 */
export const consoleFor = (screen: ScreenShape): Console.Console => {
  const join = (args: ReadonlyArray<unknown>) => args.map(String).join(" ")
  const out = (...args: ReadonlyArray<unknown>) => screen.line(join(args))
  const drop = () => Effect.void
  const unsafe = globalThis.console
  return {
    [Console.TypeId]: Console.TypeId,
    assert: drop,
    clear: Effect.void,
    count: drop,
    countReset: drop,
    debug: out,
    dir: (item) => out(item),
    dirxml: out,
    error: drop,
    group: drop,
    groupEnd: Effect.void,
    info: out,
    log: out,
    table: (data) => out(JSON.stringify(data)),
    time: drop,
    timeEnd: drop,
    timeLog: drop,
    trace: drop,
    warn: drop,
    unsafe
  }
}
