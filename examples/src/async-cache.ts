/**
 * `AsyncCache`: concurrent requests for the same key share one lookup (single flight), and later
 * requests get the cached value. The lookup runs in the cache's own scope, so a caller that gives up
 * does not cancel it for the others.
 */
import { AsyncCache, Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.scoped(
  Effect.gen(function* () {
    let downloads = 0
    const cache = yield* AsyncCache.make({
      lookup: (url: string) =>
        Effect.sync(() => ++downloads).pipe(Effect.as(`<html>${url}</html>`), Effect.delay("10 millis")),
      capacity: 100,
      timeToLive: "1 minute"
    })
    const pages = ["/a", "/b", "/a", "/a", "/b"]
    yield* Task.whenAll(pages.map((p) => cache.get(p)))
    yield* cache.get("/a")
    const stats = yield* cache.stats
    yield* Console.log(`${pages.length + 1} requests, ${downloads} downloads, ${stats.hits} hits`)
  })
)

runExample(import.meta.url, program)

// Output:
// 6 requests, 2 downloads, 1 hits
