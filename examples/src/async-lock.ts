/**
 * `SemaphoreSlim.WaitAsync` as a lock: `value = await GetNextValueAsync(value)` run twice concurrently
 * loses an update, because the read and the write straddle a suspension point. `AsyncLock` fixes it.
 */
import { AsyncLock, Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

const getNextValue = (value: number) => Effect.succeed(value + 1).pipe(Effect.delay("5 millis"))

export const program = Effect.gen(function* () {
  let value = 0
  const update = Effect.gen(function* () {
    value = yield* getNextValue(value)
  })
  yield* Task.whenAll([update, update])
  yield* Console.log(`without a lock: ${value}`)

  value = 0
  const lock = yield* AsyncLock.make()
  yield* Task.whenAll([lock.withLock(update), lock.withLock(update)])
  yield* Console.log(`with a lock: ${value}`)
})

runExample(import.meta.url, program)

// Output:
// without a lock: 1
// with a lock: 2
