/**
 * `Parallel.ForEachAsync` over an `IAsyncEnumerable`: `Task.throttled` reads an async generator (or a
 * `Stream`) as it reads an array, one item per free slot, so a paginated listing is fetched no faster than
 * its photos are downloaded. Ending the stream early interrupts the downloads still running and closes the
 * generator: its `finally` runs.
 */
import { Task } from "@tapestry/core"
import { Console, Effect, Exit, Stream } from "effect"
import { runExample } from "./runExample.js"

// A paginated listing of photos, three per page, ten pages; it keeps count of what it was asked for.
let pagesRead = 0
let closed = false
async function* photos() {
  try {
    for (let page = 1; page <= 10; page++) {
      pagesRead++
      await new Promise((resolve) => setTimeout(resolve, 10)) // fetching the listing page
      for (let n = 1; n <= 3; n++) yield `photo-${page}-${n}.jpg`
    }
  } finally {
    closed = true
  }
}

const download = (photo: string, index: number) =>
  Effect.succeed(photo).pipe(
    Effect.delay(`${30 + 30 * index} millis`),
    Effect.onInterrupt(() => Console.log(`${photo}: interrupted`))
  )

export const program = Effect.gen(function* () {
  // The first four photos: at most 2 downloads at once.
  const firstFour = yield* Task.throttled(photos(), download, { concurrency: 2 }).pipe(
    Stream.filter((done) => Exit.isSuccess(done.exit)),
    Stream.take(4),
    Stream.map((done) => done.item),
    Stream.runCollect
  )
  yield* Console.log(`got ${[...firstFour].join(", ")}`)
  yield* Console.log(`listing pages read: ${pagesRead} of 10; the listing was closed: ${closed}`)
})

runExample(import.meta.url, program)

// Output:
// photo-2-2.jpg: interrupted
// photo-2-3.jpg: interrupted
// got photo-1-1.jpg, photo-1-2.jpg, photo-1-3.jpg, photo-2-1.jpg
// listing pages read: 2 of 10; the listing was closed: true
