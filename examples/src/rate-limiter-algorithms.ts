/**
 * The three algorithms of `RateLimiter.make`, on the same calls: 2 starts allowed per second, one call at 0 ms
 * and three more at 750 ms. A token bucket refills steadily and allows a burst; a fixed window resets at each
 * window's start, so two windows' starts can fall close together; a sliding window never lets more than 2
 * starts into any second.
 */
import { RateLimiter, Task } from "@tapestry/core"
import { Clock, Console, Effect } from "effect"
import { runExample } from "./runExample.js"

const startsWith = (algorithm: RateLimiter.Algorithm) =>
  Effect.scoped(
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 2, interval: "1 second", algorithm })
      const start = yield* Clock.currentTimeMillis
      const call = Effect.map(Clock.currentTimeMillis, (now) => Math.round((now - start) / 250) * 250) // ms, to a quarter second
      const first = yield* limiter.withPermit(call)
      yield* Effect.sleep("750 millis")
      const later = yield* Task.whenAll([1, 2, 3].map(() => limiter.withPermit(call)))
      return `${algorithm.padEnd(14)} starts at ${[first, ...later].join(", ")} ms`
    })
  )

export const program = Effect.gen(function* () {
  const lines = yield* Task.whenAll([
    startsWith("token-bucket"),
    startsWith("fixed-window"),
    startsWith("sliding-window")
  ])
  for (const line of lines) yield* Console.log(line)
})

runExample(import.meta.url, program)

// Output:
// token-bucket   starts at 0, 750, 750, 1250 ms
// fixed-window   starts at 0, 750, 1000, 1000 ms
// sliding-window starts at 0, 750, 1000, 1750 ms
