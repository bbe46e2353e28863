/**
 * `Task.Run` and `Task.FromResult`: start an effect as a fiber in the caller's scope (it cannot outlive
 * the scope: no fire-and-forget), and wrap an already-known value.
 */
import { Task } from "@tapestry/core"
import { Console, Effect, Fiber } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.scoped(
  Effect.gen(function* () {
    const fiber = yield* Task.run(Effect.succeed(21).pipe(Effect.delay("10 millis")))
    const cached = yield* Task.fromResult(21)
    const computed = yield* Fiber.join(fiber)
    yield* Console.log(`run + fromResult → ${computed + cached}`)
  })
)

runExample(import.meta.url, program)

// Output:
// run + fromResult → 42
