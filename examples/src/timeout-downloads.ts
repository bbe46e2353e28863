/**
 * A time-out over several downloads: `Task.timeout` around `Task.whenAll` of `Download.get`s bounds the
 * whole batch (it fails with `TimeoutError` and aborts every download still running), while each
 * download's own `timeout` option bounds that one download (it fails with `RequestTimeout`, collected
 * with the others' failures in `TaskFailures`). The tags tell the two apart.
 */
import { Task } from "@tapestry/core"
import { Download, type DownloadError, FastHttpClient, LocalWeb } from "@tapestry/platform"
import { Console, Effect, Layer } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.gen(function* () {
  const web = yield* LocalWeb.LocalWeb
  const urls = ["/fast", "/medium", "/slow"].map(web.url) // 1 KiB at once, after 100 ms, after 500 ms
  const report = <R>(
    batch: Effect.Effect<
      ReadonlyArray<Download.Downloaded>,
      Task.TaskFailures<DownloadError.DownloadError> | Task.TimeoutError,
      R
    >
  ) =>
    batch.pipe(
      Effect.flatMap((pages) => Console.log(`all ${pages.length} downloaded`)),
      Effect.catchTags({
        TimeoutError: (e) => Console.log(`the batch: ${e.message}`),
        TaskFailures: (e) => Console.log(`failed: ${e.failures.map((f) => `#${f.index} ${f.error._tag}`).join(", ")}`)
      })
    )

  // The batch gets 2 seconds: all three make it.
  yield* report(Task.whenAll(urls.map((url) => Download.get(url))).pipe(Task.timeout("2 seconds")))

  // The batch gets 300 ms: /slow is still running, so the batch times out and /slow is aborted.
  yield* report(Task.whenAll(urls.map((url) => Download.get(url))).pipe(Task.timeout("300 millis")))

  // Each download gets 300 ms and the batch 2 seconds: /slow fails on its own, the others succeed.
  yield* report(
    Task.whenAll(urls.map((url) => Download.get(url, { timeout: "300 millis" }))).pipe(Task.timeout("2 seconds"))
  )
  yield* Effect.sleep("100 millis") // let the server see the aborted sockets
  const stats = yield* web.stats
  yield* Console.log(`aborted on the wire: ${stats.aborted}, in flight: ${stats.inFlight}`)
}).pipe(Effect.provide(Layer.merge(FastHttpClient.layer, LocalWeb.layer())))

runExample(import.meta.url, program)

// Output:
// all 3 downloaded
// the batch: timed out after 300ms
// failed: #2 RequestTimeout
// aborted on the wire: 2, in flight: 0
