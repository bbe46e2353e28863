/**
 * A rate limit: an API allows 2 calls per 300 ms. A sliding window never lets more than 2 calls start in any
 * 300 ms, however they arrive; the others wait in order, and an interrupted waiter takes nothing.
 */
import { RateLimiter, Task } from "@tapestry/core"
import { Clock, Console, Effect } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.scoped(
  Effect.gen(function* () {
    const api = yield* RateLimiter.make({ limit: 2, interval: "300 millis", algorithm: "sliding-window" })
    const start = yield* Clock.currentTimeMillis
    const call = (n: number) =>
      api.withPermit(
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Console.log(`call ${n} started in window ${Math.round((now - start) / 300)}`)
        )
      )
    yield* Task.whenAll([1, 2, 3, 4, 5].map(call))
  })
)

runExample(import.meta.url, program)

// Output:
// call 1 started in window 0
// call 2 started in window 0
// call 3 started in window 1
// call 4 started in window 1
// call 5 started in window 2
