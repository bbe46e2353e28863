/**
 * `TaskCompletionSource` and promise APIs: `Task.fromPromise(signal => promise)` wraps any promise-returning
 * function. A rejection is a typed failure (`UnknownException`, or what `catch` makes of it), and
 * interrupting the effect aborts the `AbortSignal` handed to the function, so an API that takes a signal
 * (`fetch`, Node's timers and streams) really stops.
 */
import { setTimeout as sleep } from "node:timers/promises"
import { Task } from "@tapestry/core"
import { Console, Data, Effect } from "effect"
import { runExample } from "./runExample.js"

class LookupFailed extends Data.TaggedError("LookupFailed")<{ readonly reason: string }> {}

const aborted: Array<string> = []

// A promise API that honours an AbortSignal, as fetch does.
const lookUp = (name: string, millis: number, signal: AbortSignal): Promise<string> => {
  signal.addEventListener("abort", () => aborted.push(name), { once: true })
  return sleep(millis, `${name} = 42`, { signal })
}

export const program = Effect.gen(function* () {
  yield* Console.log(yield* Task.fromPromise((signal) => lookUp("answer", 10, signal)))

  const failed = yield* Task.fromPromise(() => Promise.reject(new Error("DNS says no")), {
    catch: (reason) => new LookupFailed({ reason: String(reason) })
  }).pipe(Effect.flip)
  yield* Console.log(`${failed._tag}: ${failed.reason}`)

  // Interruption (here by a time-out) aborts the signal: the timer behind the promise is cancelled.
  yield* Task.fromPromise((signal) => lookUp("slow", 10_000, signal)).pipe(
    Task.timeout("20 millis"),
    Effect.catchTag("TimeoutError", (e) => Console.log(`slow: ${e.message}`))
  )
  yield* Console.log(`aborted signals: ${aborted.join(", ")}`)
})

runExample(import.meta.url, program)

// Output:
// answer = 42
// LookupFailed: Error: DNS says no
// slow: timed out after 20ms
// aborted signals: slow
