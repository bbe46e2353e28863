/**
 * One rate limit per key: `RateLimiter.keyed` gives each API token its own "1 call per 300 ms", so one busy token
 * does not slow the others down. A caller that gives up waiting (here a time-out) leaves the queue and takes
 * nothing: the caller behind it starts in the next window, not one later.
 */
import { RateLimiter, Task } from "@tapestry/core"
import { Clock, Console, Effect } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.scoped(
  Effect.gen(function* () {
    const perToken = yield* RateLimiter.keyed<string>({ limit: 1, interval: "300 millis", algorithm: "sliding-window" })
    const start = yield* Clock.currentTimeMillis
    const call = (token: string, n: number) =>
      perToken.withPermit(token)(
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Console.log(`${token} call ${n} started in window ${Math.round((now - start) / 300)}`)
        )
      )
    yield* Task.whenAll([
      call("token-a", 1),
      call("token-b", 1),
      call("token-a", 2).pipe(
        Task.timeout("100 millis"),
        Effect.catchTag("TimeoutError", () => Console.log("token-a call 2 gave up waiting"))
      ),
      call("token-a", 3)
    ])
  })
)

runExample(import.meta.url, program)

// Output:
// token-a call 1 started in window 0
// token-b call 1 started in window 0
// token-a call 2 gave up waiting
// token-a call 3 started in window 1
