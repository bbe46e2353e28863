/**
 * Early bail-out: wait for an operation while listening for the user's cancel. Cancelling interrupts
 * the operation (it does not keep running in the background, unlike `UntilCompletionOrCancellation`
 * over a `CancellationToken` the operation never saw).
 */
import { Task } from "@tapestry/core"
import { Console, Deferred, Effect, Option } from "effect"
import { runExample } from "./runExample.js"

const getBitmap = (millis: number) =>
  Effect.succeed("bitmap").pipe(
    Effect.delay(`${millis} millis`),
    Effect.onInterrupt(() => Console.log("download interrupted"))
  )

export const program = Effect.gen(function* () {
  // The "cancel button": any effect that completes to cancel — here a Deferred another fiber completes.
  const cancel = yield* Deferred.make<void>()
  yield* Effect.fork(Deferred.succeed(cancel, undefined).pipe(Effect.delay("20 millis")))
  const slow = yield* Task.untilCompletionOrCancellation(getBitmap(500), Deferred.await(cancel))
  yield* Console.log(Option.isNone(slow) ? "cancelled" : "added image")

  // An AbortSignal works too, for code that already speaks the web platform's cancellation.
  const controller = new AbortController()
  const fast = yield* Task.untilCompletionOrCancellation(getBitmap(10), controller.signal)
  yield* Console.log(Option.isSome(fast) ? `added ${fast.value}` : "cancelled")
})

runExample(import.meta.url, program)

// Output:
// download interrupted
// cancelled
// added bitmap
