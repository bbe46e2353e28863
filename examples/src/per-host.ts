/**
 * A polite crawler: `Download.interleaved(urls, { concurrency, perHost })` sends at most `perHost` requests to one
 * host at a time, and a host that answers 429 (or 503) with `Retry-After` is held — only that host — until the time
 * has passed, while the other hosts keep every slot busy. The 429 itself is that URL's result; it is not retried.
 */
import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
import { Cause, Console, Context, Effect, Exit, Layer, Option, Stream } from "effect"
import { runExample } from "./runExample.js"

// Two hosts (two local servers): the busy one answers its first request 429 with `Retry-After: 1`.
const busySites: Record<string, LocalWeb.Site> = {
  "/limited": { status: 429, retryAfter: 1 },
  "/feed-1": { delay: "100 millis" },
  "/feed-2": { delay: "100 millis" },
  "/feed-3": { delay: "100 millis" }
}
const calmSites: Record<string, LocalWeb.Site> = {
  "/page-1": { delay: "100 millis" },
  "/page-2": { delay: "100 millis" },
  "/page-3": { delay: "100 millis" },
  "/page-4": { delay: "100 millis" }
}
const host = (sites: Record<string, LocalWeb.Site>) =>
  Effect.map(Layer.build(LocalWeb.layer(sites)), (context) => Context.get(context, LocalWeb.LocalWeb))

export const program = Effect.gen(function* () {
  const busy = yield* host(busySites)
  const calm = yield* host(calmSites)
  const targets = [
    ...Object.keys(busySites).map((path) => ({ name: `busy ${path}`, url: busy.url(path) })),
    ...Object.keys(calmSites).map((path) => ({ name: `calm ${path}`, url: calm.url(path) }))
  ]
  const start = Date.now()
  const done = yield* Download.interleaved(
    targets.map((t) => t.url),
    { concurrency: 4, perHost: 2 }
  ).pipe(
    Stream.map(({ index, exit }) => ({ index, exit, second: Math.floor((Date.now() - start) / 1000) })),
    Stream.runCollect
  )
  // Completion order within a second varies from run to run: print by second, then in input order.
  const lines = [...done].sort((x, y) => x.second - y.second || x.index - y.index)
  for (const { index, exit, second } of lines) {
    const outcome = Exit.isSuccess(exit)
      ? `${exit.value.status}`
      : Option.getOrThrow(Cause.failureOption(exit.cause)).message.replace(busy.baseUrl, "")
    yield* Console.log(`second ${second}: ${targets[index]!.name}: ${outcome}`)
  }
  const [b, c] = [yield* busy.stats, yield* calm.stats]
  yield* Console.log(`at most ${b.peakInFlight} requests at once to the busy host, ${c.peakInFlight} to the calm one`)
  yield* Console.log(`the 429 was not retried: ${b.byPath["/limited"]?.started} request to /limited`)

  // Ending the stream early aborts what is in flight; the URLs waiting for the held host are never sent.
  yield* Effect.zipRight(busy.resetStats, calm.resetStats)
  yield* Download.interleaved(
    targets.map((t) => t.url),
    { concurrency: 4, perHost: 2 }
  ).pipe(Stream.take(3), Stream.runDrain)
  yield* Effect.sleep("100 millis") // let the servers see the aborted requests
  const [b2, c2] = [yield* busy.stats, yield* calm.stats]
  const sent = (path: string) => b2.byPath[path]?.started ?? 0
  yield* Console.log(
    `stopped after 3: ${b2.inFlight + c2.inFlight} in flight, ${sent("/feed-2") + sent("/feed-3")} requests for /feed-2 and /feed-3 (they waited for the held host)`
  )
}).pipe(Effect.scoped, Effect.provide(FastHttpClient.layer))

runExample(import.meta.url, program)

// Output:
// second 0: busy /limited: HTTP 429 from /limited (Retry-After: 1s)
// second 0: busy /feed-1: 200
// second 0: calm /page-1: 200
// second 0: calm /page-2: 200
// second 0: calm /page-3: 200
// second 0: calm /page-4: 200
// second 1: busy /feed-2: 200
// second 1: busy /feed-3: 200
// at most 2 requests at once to the busy host, 2 to the calm one
// the 429 was not retried: 1 request to /limited
// stopped after 3: 0 in flight, 0 requests for /feed-2 and /feed-3 (they waited for the held host)
