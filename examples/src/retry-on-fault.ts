/**
 * `RetryOnFault`: try an operation up to N times, waiting between attempts. Every attempt's error is
 * kept in `RetriesExhausted`.
 */
import { Task } from "@tapestry/core"
import { Console, Effect, Schedule } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.gen(function* () {
  let calls = 0
  const flaky = Effect.suspend(() => (++calls < 3 ? Effect.fail(`busy (call ${calls})`) : Effect.succeed("page")))
  const page = yield* Task.retryOnFault(flaky, { maxTries: 5, retryWhen: Task.delay("10 millis") })
  yield* Console.log(`${page} after ${calls} calls`)

  // A Schedule gives the delays (exponential here); maxTries still caps the attempts.
  const broken = Effect.fail("down")
  yield* Task.retryOnFault(broken, { maxTries: 3, retryWhen: Schedule.exponential("5 millis") }).pipe(
    Effect.catchTag("RetriesExhausted", (e) =>
      Console.log(`gave up after ${e.attempts} attempts: ${e.errors.join(", ")}`)
    )
  )
})

runExample(import.meta.url, program)

// Output:
// page after 3 calls
// gave up after 3 attempts: down, down, down
