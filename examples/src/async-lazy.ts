/**
 * `AsyncLazy<T>`: asynchronous lazy initialisation — the first `get` starts the work, every caller
 * shares that one run.
 */
import { AsyncLazy, Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.scoped(
  Effect.gen(function* () {
    let connects = 0
    const connection = yield* AsyncLazy.make(
      Effect.sync(() => ++connects).pipe(Effect.as("db connection"), Effect.delay("10 millis"))
    )
    yield* Task.whenAll([connection.get, connection.get, connection.get])
    yield* Console.log(`3 callers, ${connects} connect`)
  })
)

runExample(import.meta.url, program)

// Output:
// 3 callers, 1 connect
