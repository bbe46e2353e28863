/**
 * When the input itself fails. A `Stream`'s typed error ends `Task.throttled` (or `Task.interleaved`) with that
 * error, in its error channel; an async iterator that throws is a defect. Either way the tasks still running are
 * interrupted first, so nothing outlives the failed stream.
 */
import { Task } from "@tapestry/core"
import { Console, Data, Effect, Exit, Stream } from "effect"
import { runExample } from "./runExample.js"

class ListingUnavailable extends Data.TaggedError("ListingUnavailable")<{ readonly page: number }> {}

const download = (photo: string, millis: number) =>
  Effect.succeed(photo).pipe(
    Effect.delay(`${millis} millis`),
    Effect.onInterrupt(() => Console.log(`${photo}: interrupted`))
  )

const report = (done: { readonly exit: Exit.Exit<string> }) =>
  Exit.isSuccess(done.exit) ? Console.log(`downloaded ${done.exit.value}`) : Effect.void

// Page 1 of the listing names two photos; page 2 fails 100 ms later, while the second is still downloading.
const listing = Stream.make({ photo: "photo-1.jpg", millis: 50 }, { photo: "photo-2.jpg", millis: 300 }).pipe(
  Stream.concat(Stream.fromEffect(Effect.fail(new ListingUnavailable({ page: 2 })).pipe(Effect.delay("100 millis"))))
)

// An async generator that throws: a broken input, not an error a caller can handle.
async function* fromSocket() {
  yield download("photo-3.jpg", 50)
  yield download("photo-4.jpg", 300)
  await new Promise((resolve) => setTimeout(resolve, 100))
  throw new Error("connection reset")
}

export const program = Effect.gen(function* () {
  yield* Task.throttled(listing, ({ photo, millis }) => download(photo, millis), { concurrency: 4 }).pipe(
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
// downloaded photo-1.jpg
// photo-2.jpg: interrupted
// the listing failed at page 2
// downloaded photo-3.jpg
// photo-4.jpg: interrupted
// the input died: Error: connection reset
