/**
 * `throttle --concurrency N` — throttling (002, Throttling): many downloads, at most N in flight,
 * the next one started as each finishes. LocalWeb's peak in-flight counter shows the cap held.
 */
import { Command } from "@effect/cli"
import { Task } from "@tapestry/core"
import { Effect, Exit, Option, Stream } from "effect"
import * as Failures from "../Failures.js"
import * as Format from "../Format.js"
import * as Scenario from "../Scenario.js"
import { Web } from "../Web.js"
import * as Options from "./Options.js"

const KiB = 1024

const sizes = [40, 72, 24, 56, 88, 32, 64, 48, 80, 16, 60, 36]

/** Twelve pages of different sizes, streamed at 320 KiB/s each. */
export const spec: Scenario.Spec = {
  name: "throttle",
  summary: "many downloads, at most N in flight, the next one started as each finishes",
  origin: "002 Throttling → Task.throttled",
  sites: Object.fromEntries(
    sizes.map((size, i) => [
      `/photo-${String(i + 1).padStart(2, "0")}`,
      { delay: "30 millis", size: size * KiB, bytesPerSecond: 320 * KiB }
    ])
  )
}

/** The scenario against LocalWeb, or the given `urls`. */
export const scenario = (urls: ReadonlyArray<string>, concurrency: number) =>
  Scenario.run(
    spec,
    urls,
    Effect.gen(function* () {
      const web = yield* Web
      const targets = yield* Scenario.targets(Object.keys(spec.sites))
      yield* Scenario.say(`${targets.length} downloads, at most ${concurrency} at a time`)
      let finished = 0
      yield* Task.throttled(targets, (target) => Scenario.download(target), { concurrency }).pipe(
        Stream.runForEach(({ exit, item }) =>
          Effect.gen(function* () {
            finished++
            const progress = `[${String(finished).padStart(2)}/${targets.length}]`
            yield* Exit.match(exit, {
              onSuccess: (page) =>
                Scenario.say(
                  `${progress} ${item.label} ${Format.bytes(page.bytes)} in ${Format.duration(page.elapsed)}`
                ),
              onFailure: (cause) =>
                Failures.handle(cause, (error) =>
                  Scenario.say(`${progress} ${item.label} failed (${Failures.summary(error)})`)
                )
            })
          })
        )
      )
      if (Option.isSome(web.local)) {
        const stats = yield* web.local.value.stats
        yield* Scenario.say(`peak in flight: ${stats.peakInFlight} (cap ${concurrency})`)
      }
    })
  )

/** `demo throttle [--concurrency N] [--url U]…` */
export const command = Command.make(
  "throttle",
  { urls: Options.urls, concurrency: Options.concurrency },
  ({ concurrency, urls }) => scenario(urls, concurrency)
).pipe(Command.withDescription("throttling: at most N downloads in flight, refilled as each finishes"))
