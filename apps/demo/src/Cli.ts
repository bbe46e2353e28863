/**
 * The command line: `demo [first|interleave|throttle|bailout|retry|cache|backoff|all] [options]` (no command
 * runs `all`), and the edge where everything that is not part of the show becomes an exit code:
 * 0 when the scenarios ran (their scripted failures included) or the reader of the output went away
 * (`| head -1`), 2 for a bad command line (one `demo:` line naming the argument and the problem,
 * then the command's usage), 130 when interrupted (Ctrl-C), 1 for anything unexpected — printed as
 * one line, never a stack trace.
 *
 * `@effect/cli` parses and dispatches; the demo checks the arguments first ({@link Usage.check}) and
 * prints its own help, so every option has its own description and every mistake its own message.
 */
import { Command, HelpDoc, ValidationError } from "@effect/cli"
import type { HttpClient } from "@effect/platform"
import type { Teardown } from "@effect/platform/Runtime"
import { NodeContext } from "@effect/platform-node"
import { FastHttpClient } from "@tapestry/platform"
import { Cause, Data, Effect, Exit, Layer, Logger, Predicate } from "effect"
import * as all from "./commands/all.js"
import * as backoff from "./commands/backoff.js"
import * as bailout from "./commands/bailout.js"
import * as Demo from "./commands/Command.js"
import * as cache from "./commands/cache.js"
import * as first from "./commands/first.js"
import * as interleave from "./commands/interleave.js"
import * as retry from "./commands/retry.js"
import * as throttle from "./commands/throttle.js"
import type { Keyboard } from "./Keyboard.js"
import { Renderer } from "./Renderer.js"
import { consoleFor, Screen } from "./Screen.js"
import * as Usage from "./Usage.js"

/** What a command may need to run. */
type Env = Screen | Renderer | Keyboard | HttpClient.HttpClient | NodeContext.NodeContext

/** The subcommands, in the order the help lists them. A new command is one more line here. */
export const commands: ReadonlyArray<Demo.DemoCommand<Env>> = [
  first.command,
  interleave.command,
  throttle.command,
  bailout.command,
  retry.command,
  cache.command,
  backoff.command,
  all.command
]

/** The program as the help shows it: with no command it takes `all`'s options and runs `all`. */
export const app: Usage.App = {
  name: "demo",
  title: "Tapestry demo",
  version: "0.1.0",
  description: "the scenarios of .NET's Task-based Asynchronous Pattern on Effect, each against an embedded web server",
  flags: all.command.flags
}

const [head, ...tail] = commands.map((c) => c.command)

/** The root command: `all` unless a command is named. */
export const command = Demo.make("demo", all.options, all.scenario).command.pipe(
  Command.withDescription(app.description),
  Command.withSubcommands([head!, ...tail])
)

const cli = Command.run(command, { name: app.title, version: app.version, executable: "demo" })

/** The command line could not be parsed (the message and the usage were printed). */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/** Something outside the show went wrong (printed as one line). */
export class UnexpectedError extends Data.TaggedError("UnexpectedError")<{ readonly message: string }> {}

const oneLine = (defect: unknown): string => {
  if (defect instanceof Error) return `${defect.name}: ${defect.message}`
  return String(defect)
}

/**
 * Log lines (e.g. `Task.needOnlyOne` logging a loser's failure) as plain lines among the scenario's
 * own, with the typed failure they carry — not a stack trace.
 */
const logger = (renderer: Renderer) =>
  Logger.make(({ cause, logLevel, message }) => {
    const text = (Array.isArray(message) ? message : [message]).map(String).join(" ")
    const failure = Cause.failureOption(cause)
    const error = failure._tag === "Some" ? failure.value : undefined
    const detail = Predicate.hasProperty(error, "_tag") ? ` (${String(error._tag)}${describe(error)})` : ""
    Effect.runSync(renderer.log(`${logLevel.label.toLowerCase()}: ${text}${detail}`))
  })

const describe = (error: unknown): string =>
  Predicate.hasProperty(error, "message") && typeof error.message === "string" && error.message !== ""
    ? `: ${error.message}`
    : ""

const helpWidth = (screen: Screen) => Math.max(60, Math.min(100, screen.columns()))

/** Prints the one `demo:` line and the usage of `spec`, and fails with {@link UsageError}. */
const usageError = (screen: Screen, message: string, spec: Usage.Spec | undefined) =>
  Effect.gen(function* () {
    yield* screen.error(`demo: ${message}`)
    yield* screen.error(`${Usage.usage(spec, app)}  (--help explains each option)`)
    return yield* new UsageError({ message })
  })

/**
 * Runs the command line `args` (without the runtime and script): the help and messages go through the
 * {@link Screen}, a bad command line fails with {@link UsageError}, defects with {@link UnexpectedError}.
 * When the reader of the output goes away the run is interrupted and ends quietly, successfully.
 */
export const run = (
  args: ReadonlyArray<string>
): Effect.Effect<
  void,
  UsageError | UnexpectedError,
  Screen | Renderer | Keyboard | HttpClient.HttpClient | NodeContext.NodeContext
> =>
  Effect.gen(function* () {
    const screen = yield* Screen
    const renderer = yield* Renderer
    const parsed = Usage.check(args, app, commands)
    switch (parsed._tag) {
      case "Help":
        return yield* screen.line(Usage.help(app, commands, parsed.command, helpWidth(screen)))
      case "Version":
        return yield* screen.line(`${app.title} ${app.version}`)
      case "Error":
        return yield* usageError(screen, parsed.message, parsed.command)
      case "Run":
        break
    }
    const program = cli(["demo", "demo", ...args]).pipe(
      // Usage.check lets through only what @effect/cli accepts; should it still refuse, say so the same way.
      Effect.catchIf(ValidationError.isValidationError, (error) =>
        usageError(screen, HelpDoc.toAnsiText(error.error).trim() || "invalid command line", parsed.command)
      ),
      Effect.catchAllDefect((defect) =>
        Effect.gen(function* () {
          const message = oneLine(defect)
          yield* screen.error(`demo: unexpected error: ${message}`)
          return yield* new UnexpectedError({ message })
        })
      ),
      Effect.onInterrupt(() =>
        screen.isClosed() ? Effect.void : screen.error("demo: interrupted — every download was cancelled")
      ),
      Effect.withConsole(consoleFor(screen)),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger(renderer)))
    )
    // `| head -1` took its line: stop everything (structured, so every download is cancelled) and end quietly.
    yield* Effect.raceFirst(program, screen.closed)
  })

/** The exit code for how {@link run} ended: 0, 2 (bad command line), 130 (interrupted) or 1. */
export const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  if (Cause.isInterruptedOnly(exit.cause)) return 130
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "Some" && failure.value instanceof UsageError) return 2
  return 1
}

/** `NodeRuntime.runMain`'s teardown: {@link exitCode} (its default exits 0 on interruption). */
export const teardown: Teardown = (exit, onExit) => onExit(exitCode(exit))

/** Everything {@link run} needs but the screen and the keyboard. */
export const layer = Layer.mergeAll(Renderer.DefaultWithoutDependencies, FastHttpClient.layer, NodeContext.layer)
