/**
 * A circuit breaker in front of a failing service: after 3 failures in a row it opens, and callers fail at once with
 * `CircuitOpen` instead of waiting on a dead service; after `resetAfter` one trial call goes through and, when it
 * succeeds, closes the breaker again.
 */
import { CircuitBreaker } from "@tapestry/core"
import { Console, Data, Effect } from "effect"
import { runExample } from "./runExample.js"

class ServiceDown extends Data.TaggedError("ServiceDown")<{ readonly attempt: number }> {}

export const program = Effect.gen(function* () {
  const breaker = yield* CircuitBreaker.make({ failureThreshold: 3, resetAfter: "200 millis" })
  let attempt = 0
  const service = Effect.suspend(() => {
    attempt++
    return attempt <= 4 ? Effect.fail(new ServiceDown({ attempt })) : Effect.succeed(`answer on attempt ${attempt}`)
  })
  const call = breaker.protect(service).pipe(
    Effect.catchTags({
      ServiceDown: (e) => Effect.succeed(`service down (attempt ${e.attempt})`),
      CircuitOpen: () => Effect.succeed("fail fast: the circuit is open, the service was not called")
    }),
    Effect.flatMap(Console.log)
  )
  for (let i = 0; i < 5; i++) yield* call
  yield* Console.log(`the service was called ${attempt} times, the breaker is ${yield* breaker.state}`)
  yield* Effect.sleep("250 millis")
  yield* call // a trial: fails, so the breaker opens again
  yield* Effect.sleep("250 millis")
  yield* call // a trial that succeeds closes it
  yield* Console.log(`the breaker is ${yield* breaker.state}`)
})

runExample(import.meta.url, program)

// Output:
// service down (attempt 1)
// service down (attempt 2)
// service down (attempt 3)
// fail fast: the circuit is open, the service was not called
// fail fast: the circuit is open, the service was not called
// the service was called 3 times, the breaker is open
// service down (attempt 4)
// answer on attempt 5
// the breaker is closed
