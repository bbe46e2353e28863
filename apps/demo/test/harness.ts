/**
 * Runs the demo's command line in-process, with a captured screen and a keyboard nobody types on.
 */
import { Effect, Fiber, Layer } from "effect"
import * as Cli from "../src/Cli.js"
import { Keyboard, scripted } from "../src/Keyboard.js"
import { capture } from "../src/Screen.js"

/** What a run printed and how it ended. */
export interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** How the captured screen looks: a terminal (`isTTY`) of `columns` × `rows`, or a pipe. */
export interface ScreenOptions {
  readonly isTTY?: boolean
  readonly columns?: number
  readonly rows?: number
}

/** The app's layer around a captured screen. */
export const appLayer = (options: ScreenOptions = {}) => {
  const screen = capture(options)
  const layer = Cli.layer.pipe(Layer.provideMerge(Layer.merge(screen.layer, Layer.succeed(Keyboard, scripted))))
  return { layer, output: screen.output }
}

/** Runs `demo ...args` to the end. */
export const runDemo = (args: ReadonlyArray<string>, options: ScreenOptions = {}) =>
  Effect.gen(function* () {
    const { layer, output } = appLayer(options)
    const exit = yield* Cli.run(args).pipe(Effect.provide(layer), Effect.exit)
    return { code: Cli.exitCode(exit), stdout: output.stdout(), stderr: output.stderr() } satisfies Result
  })

/** Starts `demo ...args`, interrupts it once `ready(stdout)` holds, and reports how it ended. */
export const interruptDemo = (args: ReadonlyArray<string>, ready: (stdout: string) => boolean) =>
  Effect.gen(function* () {
    const { layer, output } = appLayer()
    const fiber = yield* Cli.run(args).pipe(Effect.provide(layer), Effect.fork)
    yield* Effect.sleep("20 millis").pipe(Effect.repeat({ until: () => ready(output.stdout()) }))
    const exit = yield* Fiber.interrupt(fiber)
    return { code: Cli.exitCode(exit), stdout: output.stdout(), stderr: output.stderr() } satisfies Result
  })

/**
 * Starts `demo ...args`, and once `ready(stdout)` holds its reader goes away (as `| head -1` does);
 * reports how the run ended and how long it took to end after that.
 */
export const closeReaderOf = (args: ReadonlyArray<string>, ready: (stdout: string) => boolean) =>
  Effect.gen(function* () {
    const { layer, output } = appLayer()
    const fiber = yield* Cli.run(args).pipe(Effect.provide(layer), Effect.fork)
    yield* Effect.sleep("20 millis").pipe(Effect.repeat({ until: () => ready(output.stdout()) }))
    const stdout = output.stdout()
    const closedAt = Date.now()
    output.close()
    const exit = yield* Fiber.await(fiber)
    return {
      code: Cli.exitCode(exit),
      stdout,
      stderr: output.stderr(),
      millisToEnd: Date.now() - closedAt,
      written: output.stdout()
    }
  })

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes is the point
export const escapeCode = /\u001b/

/** The `LocalWeb: …` counter lines of a run. */
export const counterLines = (stdout: string): Array<string> =>
  stdout.split("\n").filter((line) => line.startsWith("LocalWeb: "))
