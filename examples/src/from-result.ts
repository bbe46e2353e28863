/**
 * `Task.FromResult`: an already-completed task is `Task.fromResult(value)`, i.e. `Effect.succeed`.
 */
import { Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.gen(function* () {
  const cached = yield* Task.fromResult(42)
  yield* Console.log(`fromResult → ${cached}`)
})

runExample(import.meta.url, program)
