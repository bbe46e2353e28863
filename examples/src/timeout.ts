/**
 * `Task.Delay` as a time-out: `WhenAny(task, Delay(d))` becomes `Task.timeout(task, d)`, which fails
 * with a typed `TimeoutError` AND interrupts the task (the .NET version leaves it running).
 */
import { Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

const downloadImage = (millis: number) =>
  Effect.succeed("image").pipe(
    Effect.delay(`${millis} millis`),
    Effect.onInterrupt(() => Console.log("slow download interrupted"))
  )

export const program = Effect.gen(function* () {
  const fast = yield* Task.timeout(downloadImage(10), "200 millis")
  yield* Console.log(`in time: ${fast}`)
  yield* downloadImage(1_000).pipe(
    Task.timeout("30 millis"),
    Effect.catchTag("TimeoutError", (e) => Console.log(e.message))
  )
})

runExample(import.meta.url, program)

// Output:
// in time: image
// slow download interrupted
// timed out after 30ms
