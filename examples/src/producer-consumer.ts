/**
 * `AsyncProducerConsumerCollection` / Dataflow `BufferBlock`: a bounded queue whose `add` waits while it
 * is full and `take` while it is empty; `complete` lets the consumer drain and stop.
 */
import { AsyncQueue } from "@tapestry/core"
import { Console, Effect, Stream } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.gen(function* () {
  const queue = yield* AsyncQueue.make<number>({ capacity: 2 })
  const producer = Effect.gen(function* () {
    for (let i = 1; i <= 5; i++) yield* queue.add(i)
    yield* queue.complete
  })
  yield* Effect.fork(producer)
  const sum = yield* queue.stream.pipe(Stream.runFold(0, (acc, n) => acc + n))
  yield* Console.log(`consumed everything: sum ${sum}`)
  yield* queue.add(6).pipe(Effect.catchTag("QueueCompleted", () => Console.log("adding after complete fails")))
})

runExample(import.meta.url, program)

// Output:
// consumed everything: sum 15
// adding after complete fails
