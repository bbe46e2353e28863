/**
 * `WhenAllOrFirstException`: wait for all, but on the first failure stop waiting AND interrupt the
 * rest at once (the .NET version cannot stop them).
 */
import { Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

const step = (name: string, millis: number, fail = false) =>
  (fail ? Effect.fail(`${name} failed`) : Effect.succeed(name)).pipe(
    Effect.delay(`${millis} millis`),
    Effect.onInterrupt(() => Console.log(`${name} interrupted`))
  )

export const program = Task.whenAllOrFirstFailure([step("resize", 300), step("upload", 10, true)]).pipe(
  Effect.catchTag("TaskFailures", (e) => Console.log(`first failure: ${e.failures[0]?.error}`))
)

runExample(import.meta.url, program)

// Output:
// resize interrupted
// first failure: upload failed
