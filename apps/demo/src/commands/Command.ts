/**
 * A demo command: a name, a description, its {@link Flag}s and a handler — the `@effect/cli`
 * command that parses and runs it, plus what the demo's own help and usage lines say of it. The
 * shape mirrors `@effect/cli`'s `Command.make(name, options, handler).pipe(Command.withDescription(…))`,
 * with the options taken from `./Options.js`.
 */
import { Command as CliCommand } from "@effect/cli"
import type { Effect } from "effect"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import type { Flag, Value } from "./Options.js"

/** The flags of a command, by the name its handler sees them under. */
export type Flags = Readonly<Record<string, Flag<unknown>>>

/** What the handler of a command with `F` receives. */
export type Config<F extends Flags> = { readonly [K in keyof F]: Value<F[K]> }

/** A command of the demo. */
export interface DemoCommand<R> extends Pipeable {
  readonly name: string
  readonly description: string
  readonly flags: ReadonlyArray<Flag<unknown>>
  readonly command: CliCommand.Command<string, R, never, unknown>
}

const build = <R>(
  name: string,
  description: string,
  flags: ReadonlyArray<Flag<unknown>>,
  command: CliCommand.Command<string, R, never, unknown>
): DemoCommand<R> => ({
  name,
  description,
  flags,
  command,
  pipe() {
    // biome-ignore lint/complexity/noArguments: Pipeable's protocol
    return pipeArguments(this, arguments)
  }
})

/** `make("throttle", { urls: Options.urls, concurrency: Options.concurrency }, ({ concurrency, urls }) => …)` */
export const make = <const F extends Flags, R>(
  name: string,
  flags: F,
  handler: (config: Config<F>) => Effect.Effect<void, never, R>
): DemoCommand<R> => {
  const options = Object.fromEntries(Object.entries(flags).map(([key, flag]) => [key, flag.option]))
  const command = CliCommand.make(name, options, (config) => handler(config as Config<F>))
  return build(name, "", Object.values(flags), command as unknown as CliCommand.Command<string, R, never, unknown>)
}

/** Sets the one-line description the help and the command list show. */
export const withDescription =
  (description: string) =>
  <R>(self: DemoCommand<R>): DemoCommand<R> =>
    build(self.name, description, self.flags, CliCommand.withDescription(self.command, description))
