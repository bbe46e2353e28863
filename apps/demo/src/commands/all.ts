/**
 * `all` — every scenario in turn (what `pnpm demo` runs with no arguments). Unattended: `bailout`
 * cancels its long download by itself after a few seconds, even on a terminal (a key press still
 * cancels it sooner), so every scenario ends on its own.
 */
import type { Duration } from "effect"
import { Effect } from "effect"
import * as backoff from "./backoff.js"
import * as bailout from "./bailout.js"
import * as Command from "./Command.js"
import * as cache from "./cache.js"
import * as first from "./first.js"
import * as interleave from "./interleave.js"
import * as Options from "./Options.js"
import * as retry from "./retry.js"
import * as throttle from "./throttle.js"

/** Every option of every scenario. */
export const options = {
  urls: Options.urls,
  concurrency: Options.concurrency,
  timeout: Options.timeout,
  tries: Options.tries
}

/** Every scenario in turn, each against its own LocalWeb (or the given `urls`). */
export const scenario = (config: {
  readonly urls: ReadonlyArray<string>
  readonly concurrency: number
  readonly timeout: Duration.Duration
  readonly tries: number
}) =>
  Effect.gen(function* () {
    yield* first.scenario(config.urls)
    yield* interleave.scenario(config.urls)
    yield* throttle.scenario(config.urls, config.concurrency)
    yield* bailout.scenario(config.urls, config.timeout, { unattended: true })
    yield* retry.scenario(config.urls, config.tries)
    yield* cache.scenario(config.urls)
    yield* backoff.scenario(config.urls)
  })

/** `demo all [options]` */
export const command = Command.make("all", options, scenario).pipe(
  Command.withDescription("every scenario in turn, each ending on its own (the default)")
)
