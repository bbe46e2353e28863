/**
 * Choosing what counts and how many trial calls run: `isFailure` keeps a 404 (the caller's mistake) from opening
 * the breaker; `halfOpenCalls: 2` lets two trial calls through once `resetAfter` has passed, and refuses the rest
 * with `CircuitOpen` while they run. A trial call that is interrupted counts for nothing and frees its place.
 */
import { CircuitBreaker, Task } from "@tapestry/core"
import { Console, Data, Effect } from "effect"
import { runExample } from "./runExample.js"

class HttpError extends Data.TaggedError("HttpError")<{ readonly status: number }> {}

export const program = Effect.gen(function* () {
  const breaker = yield* CircuitBreaker.make<HttpError>({
    failureThreshold: 2,
    resetAfter: "200 millis",
    halfOpenCalls: 2,
    isFailure: (e) => e.status >= 500
  })
  const request = (status: number, millis = 0) =>
    (status >= 400 ? Effect.fail(new HttpError({ status })) : Effect.succeed(status)).pipe(
      Effect.delay(`${millis} millis`)
    )
  const call = (name: string, status: number, millis = 0) =>
    breaker.protect(request(status, millis)).pipe(
      Effect.flatMap((status) => Console.log(`${name}: ${status}`)),
      Effect.catchTags({
        HttpError: (e) =>
          Effect.flatMap(breaker.state, (state) => Console.log(`${name}: ${e.status}, the breaker is ${state}`)),
        CircuitOpen: (e) => Console.log(`${name}: refused (${e.message})`)
      })
    )

  yield* call("call 1", 404) // does not count
  yield* call("call 2", 503)
  yield* call("call 3", 503) // the second failure in a row that counts: open
  yield* Effect.sleep("250 millis")
  yield* Console.log(`after 250 ms the breaker is ${yield* breaker.state}`)
  const after = (millis: number, effect: Effect.Effect<void>) => Effect.delay(effect, `${millis} millis`)
  yield* Task.whenAll([
    call("trial 1", 200, 300), // takes a trial place for 300 ms
    after(
      30,
      call("trial 2", 200, 300).pipe(
        Task.timeout("50 millis"),
        Effect.catchTag("TimeoutError", () => Console.log("trial 2: gave up after 50 ms (it does not count)"))
      )
    ),
    after(60, call("call 4", 200)), // both trial places are taken
    after(150, call("trial 3", 200, 300)) // takes the place trial 2 freed
  ])
  yield* Console.log(`the breaker is ${yield* breaker.state}`)
})

runExample(import.meta.url, program)

// Output:
// call 1: 404, the breaker is closed
// call 2: 503, the breaker is closed
// call 3: 503, the breaker is open
// after 250 ms the breaker is half-open
// call 4: refused (circuit open: retry after 0)
// trial 2: gave up after 50 ms (it does not count)
// trial 1: 200
// trial 3: 200
// the breaker is closed
