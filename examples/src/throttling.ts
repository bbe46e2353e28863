/**
 * `Task.WhenAny` for throttling: many downloads, at most N at once, a new one started as each finishes.
 * `Task.throttled` is that loop: a fixed pool of workers pulling lazily from the input.
 */
import { Task } from "@tapestry/core"
import { Console, Effect, Exit, Stream } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.gen(function* () {
  let inFlight = 0
  let peak = 0
  const download = (url: string) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        inFlight++
        peak = Math.max(peak, inFlight)
      }),
      () => Effect.succeed(url.length).pipe(Effect.delay("5 millis")),
      () => Effect.sync(() => inFlight--)
    )
  const urls = Array.from({ length: 40 }, (_, i) => `https://example.com/image/${i}.png`)
  const done = yield* Task.throttled(urls, download, { concurrency: 15 }).pipe(
    Stream.runFold(0, (n, c) => (Exit.isSuccess(c.exit) ? n + 1 : n))
  )
  yield* Console.log(`${done} downloads, at most ${peak} at once`)
})

runExample(import.meta.url, program)

// Output:
// 40 downloads, at most 15 at once
