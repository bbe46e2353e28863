/**
 * The source article's scenario as written: start a `ProcessURLAsync` (the length of one page's content)
 * per site, take the first task to COMPLETE (`Task.WhenAny`), cancel the rest, print its length. With
 * `Download.contentLength` and `Task.whenAny`. A failure completes too: when a mirror answers 404
 * first, that 404 is what `whenAny` returns, which is why `Download.first` (first SUCCESS) is usually
 * what you want.
 */
import { Task } from "@tapestry/core"
import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
import { Console, Effect, Exit, Layer } from "effect"
import { runExample } from "./runExample.js"

const sites = {
  "/docs": { delay: "300 millis", size: 4096 },
  "/blog": { delay: "100 millis", size: 2048 },
  "/shop": { delay: "200 millis", size: 8192 },
  "/gone": { status: 404 }
} as const

export const program = Effect.gen(function* () {
  const web = yield* LocalWeb.LocalWeb
  const processUrl = (path: string) => Download.contentLength(web.url(path)) // ProcessURLAsync

  // Task<int> firstFinishedTask = await Task.WhenAny(downloadTasks); cts.Cancel();
  // (an array must be non-empty for whenAny: a tuple literal says so)
  const first = yield* Task.whenAny([processUrl("/docs"), processUrl("/blog"), processUrl("/shop")])
  if (Exit.isSuccess(first.exit)) yield* Console.log(`Length of the downloaded website: ${first.exit.value}`)

  // The first to complete may be a failure: a fast 404 wins the race.
  const broken = yield* Task.whenAny([processUrl("/docs"), processUrl("/gone"), processUrl("/blog")])
  if (Exit.isFailure(broken.exit)) yield* Console.log(`whenAny: #${broken.index} completed first, with a failure`)

  // Download.first waits for the first SUCCESS: the 404 loses (and is logged), /blog wins.
  const page = yield* Download.first(["/docs", "/gone", "/blog"].map(web.url))
  yield* Console.log(`Download.first: ${page.bytes} bytes from ${page.url.slice(web.baseUrl.length)}`)
}).pipe(Effect.provide(Layer.merge(FastHttpClient.layer, LocalWeb.layer(sites))))

runExample(import.meta.url, program)

// Output:
// Length of the downloaded website: 2048
// whenAny: #1 completed first, with a failure
// [07:03:04.798] WARN (#2): Task.needOnlyOne: a losing task failed (HttpStatusError: HTTP 404 from http://127.0.0.1:34347/gone)
//   index: 1
// Download.first: 2048 bytes from /blog
