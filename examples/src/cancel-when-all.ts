/**
 * Cancelling a running `WhenAll` from outside. .NET passes one `CancellationToken` to every download and
 * calls `cts.Cancel()` later, from anywhere; here the whole `whenAll` is one fiber: interrupting it
 * interrupts every download it started and returns once they have all ended. A `Deferred` plays the
 * `CancellationTokenSource` for code that should not hold the fiber.
 */
import { Task } from "@tapestry/core"
import { Console, Deferred, Effect, Fiber, Option } from "effect"
import { runExample } from "./runExample.js"

const download = (url: string, millis: number) =>
  Effect.succeed(`<html>${url}</html>`).pipe(
    Effect.delay(`${millis} millis`),
    Effect.onInterrupt(() => Console.log(`${url}: interrupted`))
  )
const urls = ["/a", "/b", "/c"]

export const program = Effect.gen(function* () {
  // cts.Cancel() is Fiber.interrupt: it returns when every download has stopped.
  const pages = yield* Effect.fork(Task.whenAll(urls.map((url) => download(url, 1_000))))
  yield* Effect.sleep("20 millis")
  yield* Fiber.interrupt(pages)
  yield* Console.log("all three stopped")

  // A cancel signal someone else completes: a Deferred (or an AbortSignal) stops the whole batch.
  const cancel = yield* Deferred.make<void>()
  yield* Effect.fork(Deferred.succeed(cancel, undefined).pipe(Effect.delay("20 millis")))
  const result = yield* Task.untilCompletionOrCancellation(
    Task.whenAll(urls.map((url) => download(url, 1_000))),
    Deferred.await(cancel)
  )
  yield* Console.log(Option.isNone(result) ? "cancelled by the signal" : `${result.value.length} pages`)
})

runExample(import.meta.url, program)

// Output:
// /a: interrupted
// /b: interrupted
// /c: interrupted
// all three stopped
// /a: interrupted
// /b: interrupted
// /c: interrupted
// cancelled by the signal
