/**
 * The command line: `demo [first|interleave|throttle|bailout|retry|cache|backoff|all] [options]` (no command
 * runs `all`), and the edge where everything that is not part of the show becomes an exit code:
 * 0 when the scenarios ran (their scripted failures included), 2 for bad flags (after the help and a
 * message naming the flag), 130 when interrupted (Ctrl-C), 1 for anything unexpected — printed as one
 * line, never a stack trace.
 */
import { CliConfig, Command, HelpDoc, ValidationError } from "@effect/cli"
import type { HttpClient } from "@effect/platform"
import type { Teardown } from "@effect/platform/Runtime"
import { NodeContext } from "@effect/platform-node"
import { FastHttpClient } from "@tapestry/platform"
import { Cause, Data, Effect, Exit, Layer, Logger, Predicate } from "effect"
import * as all from "./commands/all.js"
import * as backoff from "./commands/backoff.js"
import * as bailout from "./commands/bailout.js"
import * as cache from "./commands/cache.js"
import * as first from "./commands/first.js"
import * as interleave from "./commands/interleave.js"
import * as retry from "./commands/retry.js"
import * as throttle from "./commands/throttle.js"
import type { Keyboard } from "./Keyboard.js"
import { Renderer } from "./Renderer.js"
import { consoleFor, Screen } from "./Screen.js"

/** The root command: `all` unless a command is named. */
export const command = Command.make("demo", all.options, all.scenario).pipe(
  Command.withDescription("the Task-based Asynchronous Pattern's scenarios on Effect, against an embedded web server"),
  Command.withSubcommands([
    first.command,
    interleave.command,
    throttle.command,
    bailout.command,
    retry.command,
    cache.command,
    backoff.command,
    all.command
  ])
)

const cli = Command.run(command, { name: "Tapestry demo", version: "0.1.0", executable: "demo" })

/** The command line could not be parsed (the message and the help were printed). */
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

/**
 * Runs the command line `args` (without the runtime and script): the help and messages go through the
 * {@link Screen}, bad flags fail with {@link UsageError}, defects with {@link UnexpectedError}.
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
    yield* cli(["demo", "demo", ...args]).pipe(
      Effect.catchIf(ValidationError.isValidationError, (error) =>
        Effect.gen(function* () {
          const message = HelpDoc.toAnsiText(error.error).trim()
          yield* screen.error(HelpDoc.toAnsiText(Command.getHelp(command, CliConfig.defaultConfig)).trimEnd())
          yield* screen.error("")
          yield* screen.error(`demo: ${message === "" ? "invalid command line" : message}`)
          yield* screen.error("demo: run `demo --help` (or `pnpm demo --help`) for the commands and options")
          return yield* new UsageError({ message })
        })
      ),
      Effect.catchAllDefect((defect) =>
        Effect.gen(function* () {
          const message = oneLine(defect)
          yield* screen.error(`demo: unexpected error: ${message}`)
          return yield* new UnexpectedError({ message })
        })
      ),
      Effect.onInterrupt(() => screen.error("demo: interrupted — every download was cancelled")),
      Effect.withConsole(consoleFor(screen)),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger(renderer)))
    )
  })

/** The exit code for how {@link run} ended: 0, 2 (bad flags), 130 (interrupted) or 1. */
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
