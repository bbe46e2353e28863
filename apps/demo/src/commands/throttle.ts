/**
 * `throttle --concurrency N` — throttling (002, Throttling): many downloads, at most N in flight,
 * the next one started as each finishes. LocalWeb's peak in-flight counter shows the cap held.
 */

import { Task } from "@tapestry/core"
import { Effect, Exit, Option, Stream } from "effect"
import * as Failures from "../Failures.js"
import * as Format from "../Format.js"
import * as Scenario from "../Scenario.js"
import { Web } from "../Web.js"
import * as Command from "./Command.js"
import * as Options from "./Options.js"

const KiB = 1024

const sizes = [40, 72, 24, 56, 88, 32, 64, 48, 80, 16, 60, 36]

/** Twelve pages of different sizes, streamed at 320 KiB/s each. */
export const spec: Scenario.Spec = {
  name: "throttle",
  summary: "many downloads, at most N in flight, the next one started as each finishes",
  dotnet: "Task.WhenAny in a loop, starting one as another completes",
  tapestry: "Task.throttled",
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
      yield* Scenario.say(`${Format.plural(targets.length, "download")}, at most ${concurrency} at a time`)
      let finished = 0
      // Without LocalWeb (--url) nobody counts on the server side: the demo counts what it has in flight.
      let inFlight = 0
      let peak = 0
      const counted = (target: (typeof targets)[number]) =>
        Effect.suspend(() => {
          inFlight++
          peak = Math.max(peak, inFlight)
          return Scenario.download(target).pipe(Effect.ensuring(Effect.sync(() => void inFlight--)))
        })
      yield* Task.throttled(targets, counted, { concurrency }).pipe(
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
      } else {
        yield* Scenario.say(`peak in flight: ${peak} (cap ${concurrency}; counted by the demo, not by the servers)`)
      }
    })
  )

/** `demo throttle [--concurrency N] [--url U]…` */
export const command = Command.make(
  "throttle",
  { urls: Options.urls, concurrency: Options.concurrency },
  ({ concurrency, urls }) => scenario(urls, concurrency)
).pipe(Command.withDescription("throttling: at most N downloads in flight, refilled as each finishes"))
