/**
 * Where the demo writes: standard output and standard error, and whether standard output is a
 * terminal (live progress bars) or not (plain lines, no escape codes at all).
 */
import { Console, Effect, Layer } from "effect"
import { stripAnsi } from "./Format.js"

/** The shape of {@link Screen}. */
export interface ScreenShape {
  /** Standard output is a terminal: bars are drawn with escape codes. */
  readonly isTTY: boolean
  /** The terminal's width in columns (80 when unknown). */
  readonly columns: () => number
  /** Writes `text` as is (the renderer's frames). */
  readonly write: (text: string) => Effect.Effect<void>
  /** Writes one line to standard output. */
  readonly line: (text: string) => Effect.Effect<void>
  /** Writes one line to standard error. */
  readonly error: (text: string) => Effect.Effect<void>
}

const plain = (isTTY: boolean, text: string) => (isTTY ? text : stripAnsi(text))

/** The process's standard output and error. */
export class Screen extends Effect.Service<Screen>()("@tapestry/demo/Screen", {
  sync: (): ScreenShape => {
    const isTTY = process.stdout.isTTY === true
    const errTTY = process.stderr.isTTY === true
    return {
      isTTY,
      columns: () => process.stdout.columns ?? 80,
      write: (text) => Effect.sync(() => void process.stdout.write(plain(isTTY, text))),
      line: (text) => Effect.sync(() => void process.stdout.write(`${plain(isTTY, text)}\n`)),
      error: (text) => Effect.sync(() => void process.stderr.write(`${plain(errTTY, text)}\n`))
    }
  }
}) {}

/** What a captured screen received: standard output and standard error, as text. */
export interface Captured {
  readonly stdout: () => string
  readonly stderr: () => string
}

/**
 * A screen that records everything (for tests). `isTTY: true` records the escape codes a terminal
 * would receive.
 */
export const capture = (
  options: { readonly isTTY?: boolean; readonly columns?: number } = {}
): {
  readonly layer: Layer.Layer<Screen>
  readonly output: Captured
} => {
  const isTTY = options.isTTY ?? false
  const out: Array<string> = []
  const err: Array<string> = []
  const screen = Screen.make({
    isTTY,
    columns: () => options.columns ?? 100,
    write: (text) => Effect.sync(() => void out.push(plain(isTTY, text))),
    line: (text) => Effect.sync(() => void out.push(`${plain(isTTY, text)}\n`)),
    error: (text) => Effect.sync(() => void err.push(`${plain(isTTY, text)}\n`))
  })
  return {
    layer: Layer.succeed(Screen, screen),
    output: { stdout: () => out.join(""), stderr: () => err.join("") }
  }
}

/**
 * A `Console` that writes through the {@link Screen} (so `@effect/cli`'s help and messages lose
 * their escape codes when the output is not a terminal, and tests capture them).
 */
export const consoleFor = (screen: ScreenShape): Console.Console => {
  const join = (args: ReadonlyArray<unknown>) => args.map(String).join(" ")
  const out = (...args: ReadonlyArray<unknown>) => screen.line(join(args))
  const err = (...args: ReadonlyArray<unknown>) => screen.error(join(args))
  const unsafe = globalThis.console
  return {
    [Console.TypeId]: Console.TypeId,
    assert: (condition, ...args) => (condition ? Effect.void : err("Assertion failed:", ...args)),
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: out,
    dir: (item) => out(item),
    dirxml: out,
    error: err,
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: out,
    log: out,
    table: (data) => out(JSON.stringify(data)),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: err,
    warn: err,
    unsafe
  }
}
