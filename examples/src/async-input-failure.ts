/**
 * When the input itself fails. A `Stream`'s typed error ends `Task.throttled` (or `Task.interleaved`) with that
 * error, in its error channel; an async iterator that throws is a defect. Either way the tasks still running are
 * interrupted first, so nothing outlives the failed stream.
 */
import { Task } from "@tapestry/core"
import { Console, Data, Effect, Exit, Stream } from "effect"
import { runExample } from "./runExample.js"

class ListingUnavailable extends Data.TaggedError("ListingUnavailable")<{ readonly page: number }> {}

const download = (photo: string) =>
  Effect.succeed(photo).pipe(
    Effect.delay("100 millis"),
    Effect.onInterrupt(() => Console.log(`${photo}: interrupted`))
  )

const report = (done: { readonly exit: Exit.Exit<string> }) =>
  Exit.isSuccess(done.exit) ? Console.log(`downloaded ${done.exit.value}`) : Effect.void

// Page 1 of the listing arrives, page 2 fails 30 ms later, while both photos are still downloading.
const listing = Stream.make("photo-1.jpg", "photo-2.jpg").pipe(
  Stream.concat(Stream.fromEffect(Effect.fail(new ListingUnavailable({ page: 2 })).pipe(Effect.delay("30 millis"))))
)

// An async generator that throws: a broken input, not an error a caller can handle.
async function* fromSocket() {
  yield download("photo-3.jpg")
  await new Promise((resolve) => setTimeout(resolve, 30))
  throw new Error("connection reset")
}

export const program = Effect.gen(function* () {
  yield* Task.throttled(listing, download, { concurrency: 4 }).pipe(
    Stream.runForEach(report),
    Effect.catchTag("ListingUnavailable", (e) => Console.log(`the listing failed at page ${e.page}`))
  )
  yield* Task.interleaved(fromSocket(), { concurrency: 4 }).pipe(
    Stream.runForEach(report),
    Effect.catchAllDefect((defect) => Console.log(`the input died: ${defect}`))
  )
})

runExample(import.meta.url, program)

// Output:
// photo-1.jpg: interrupted
// photo-2.jpg: interrupted
// the listing failed at page 2
// photo-3.jpg: interrupted
// the input died: Error: connection reset
