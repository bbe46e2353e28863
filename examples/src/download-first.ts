/**
 * The source article, *Cancel Remaining Async Tasks after One Is Complete*: start several downloads,
 * take the first successful one, cancel the rest, print the winner's length. Interruption reaches the
 * losers' sockets: LocalWeb's server-side counters show them aborted by the client.
 */
import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
import { Console, Effect, Layer } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.gen(function* () {
  const web = yield* LocalWeb.LocalWeb
  const urls = ["/slow", "/not-found", "/fast", "/medium"].map(web.url)
  const winner = yield* Download.first(urls)
  yield* Console.log(`first successful download: ${winner.url.slice(web.baseUrl.length)}, ${winner.bytes} bytes`)
  yield* Effect.sleep("100 millis") // let the server notice the closed sockets
  const stats = yield* web.stats
  yield* Console.log(`losers aborted on the wire: ${stats.aborted}, in flight: ${stats.inFlight}`)
}).pipe(Effect.provide(Layer.merge(FastHttpClient.layer, LocalWeb.layer())))

runExample(import.meta.url, program)

// Output:
// [07:02:48.166] WARN (#2): Task.needOnlyOne: a losing task failed (HttpStatusError: HTTP 404 from http://127.0.0.1:42017/not-found)
//   index: 1
// first successful download: /fast, 1024 bytes
// losers aborted on the wire: 2, in flight: 0
