/**
 * `SemaphoreSlim` per host: `KeyedLimiter.make({ perKey, total })` caps the requests in flight to each
 * host and overall. Waiters of one host are served in order, a busy host does not starve the others of
 * the global cap, and an interrupted waiter takes nothing.
 */
import { KeyedLimiter, Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.gen(function* () {
  const limiter = yield* KeyedLimiter.make<string>({ perKey: 2, total: 3 })
  const inFlight = new Map<string, number>()
  const peak = new Map<string, number>()
  const count = (key: string, delta: number) =>
    Effect.sync(() => {
      const now = (inFlight.get(key) ?? 0) + delta
      inFlight.set(key, now)
      peak.set(key, Math.max(peak.get(key) ?? 0, now))
    })
  const get = (url: URL) =>
    limiter.withPermit(url.host)(
      Effect.acquireUseRelease(
        Effect.zipRight(count(url.host, 1), count("all", 1)),
        () => Effect.sleep("20 millis"),
        () => Effect.zipRight(count(url.host, -1), count("all", -1))
      )
    )

  const urls = ["a", "b", "a", "b", "a", "b", "a", "a"].map((host, i) => `https://${host}.example/${i}.png`)
  yield* Task.whenAll(urls.map((url) => get(new URL(url))))
  yield* Console.log(
    `at most ${peak.get("a.example")} at once on a.example, ${peak.get("b.example")} on b.example, ${peak.get("all")} overall`
  )
  yield* Console.log(`afterwards: ${JSON.stringify(yield* limiter.stats)}`)
})

runExample(import.meta.url, program)

// Output:
// at most 2 at once on a.example, 2 on b.example, 3 overall
// afterwards: {"active":0,"waiting":0,"keys":0}
