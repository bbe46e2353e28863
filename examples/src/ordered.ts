/**
 * Results in input order: `Task.throttled(items, f, { concurrency, ordered: true })` (p-map's `pMapIterable`).
 * A result that finishes before an earlier one is held back until that one is emitted. The look-ahead is
 * bounded: once `concurrency` finished results are held, no new item starts until the slow one is done, so one
 * slow item pauses the work instead of filling memory. A failure is an element in its place.
 */
import { Task } from "@tapestry/core"
import { Clock, Console, Effect, Exit, Stream } from "effect"
import { runExample } from "./runExample.js"

// Photo #0 takes 1 second to resize, the others 200 ms; #3 is corrupt.
const millis = [1000, 200, 200, 200, 200, 200]

export const program = Effect.gen(function* () {
  const start = yield* Clock.currentTimeMillis
  const at = Effect.map(
    Clock.currentTimeMillis,
    (now) => `${String(Math.round((now - start) / 200) * 200).padStart(4)} ms`
  )
  const resize = (ms: number, index: number) =>
    Effect.gen(function* () {
      yield* Console.log(`${yield* at}: start #${index}`)
      yield* Effect.sleep(`${ms} millis`)
      if (index === 3) return yield* Effect.fail("corrupt")
      return `${ms} ms`
    })
  yield* Task.throttled(millis, resize, { concurrency: 2, ordered: true }).pipe(
    Stream.runForEach(({ exit, index }) =>
      Effect.flatMap(at, (t) => Console.log(`${t}:   got #${index}${Exit.isSuccess(exit) ? "" : " (failed)"}`))
    )
  )
})

runExample(import.meta.url, program)

// Output:
//    0 ms: start #0
//    0 ms: start #1
//  200 ms: start #2
// 1000 ms: start #3
// 1000 ms:   got #0
// 1000 ms:   got #1
// 1000 ms:   got #2
// 1000 ms: start #4
// 1200 ms: start #5
// 1200 ms:   got #3 (failed)
// 1200 ms:   got #4
// 1400 ms:   got #5
