/**
 * A circuit breaker: Polly's and cockatiel's breaker, for effects. After `failureThreshold`
 * consecutive failures of the effects it protects, it **opens** and fails every call at once with
 * {@link CircuitOpen}, without running it, so a struggling dependency gets time to recover and
 * callers do not pile up behind time-outs. After `resetAfter` it is **half-open**: it lets
 * `halfOpenCalls` trial calls through (others still get `CircuitOpen`); a trial's success
 * **closes** it, a trial's failure opens it again for another `resetAfter`.
 *
 * What counts as a failure: a typed failure for which `isFailure(error)` holds (default: every
 * typed failure). Defects and interruptions never count, and neither change the state: an
 * interrupted trial call just frees its place. A success in the closed state resets the count.
 * Time is read from Effect's `Clock`, so `TestClock` drives it in tests.
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import * as internal from "./internal/circuitBreaker.js"

/**
 * `protect`'s failure while the breaker is open (or half-open with every trial place taken):
 * the effect did not run. `retryAfter` is how long until the breaker lets a trial call through
 * (zero while half-open: the trial calls are running).
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "@tapestry/core"
 * import { Duration } from "effect"
 *
 * const e = new CircuitBreaker.CircuitOpen({ retryAfter: Duration.seconds(5) })
 * console.log(e._tag, e.message) // "CircuitOpen" "circuit open: retry after 5s"
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class CircuitOpen extends Data.TaggedError("CircuitOpen")<{ readonly retryAfter: Duration.Duration }> {
  /**
   * A one-line summary for logs.
   *
   * @since 0.2.0
   */
  override get message(): string {
    return `circuit open: retry after ${Duration.format(this.retryAfter)}`
  }
}

/**
 * The unique identifier of a {@link CircuitBreaker}.
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "@tapestry/core"
 *
 * console.log(typeof CircuitBreaker.TypeId) // "symbol"
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * The type of {@link TypeId}.
 *
 * @example
 * ```ts
 * import type { CircuitBreaker } from "@tapestry/core"
 *
 * const id: CircuitBreaker.TypeId | undefined = undefined
 * console.log(id) // undefined
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * The breaker's state: `"closed"` (calls run, failures are counted), `"open"` (calls fail fast
 * with `CircuitOpen`), `"half-open"` (up to `halfOpenCalls` trial calls run).
 *
 * @example
 * ```ts
 * import type { CircuitBreaker } from "@tapestry/core"
 *
 * const state: CircuitBreaker.State = "half-open"
 * console.log(state)
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type State = "closed" | "open" | "half-open"

/**
 * A circuit breaker made by {@link make}.
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const breaker: CircuitBreaker.CircuitBreaker = yield* CircuitBreaker.make({
 *     failureThreshold: 3,
 *     resetAfter: "10 seconds"
 *   })
 *   const answer = yield* breaker.protect(Effect.succeed(42))
 *   console.log(answer, yield* breaker.state, CircuitBreaker.isCircuitBreaker(breaker))
 * })
 * Effect.runPromise(program) // 42 "closed" true
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface CircuitBreaker extends Inspectable.Inspectable {
  readonly [TypeId]: TypeId
  /**
   * Runs `effect` through the breaker: fails at once with `CircuitOpen` (without running it)
   * while the breaker is open, or half-open with every trial place taken; otherwise runs it and
   * counts its outcome. It never waits for the breaker: a call is admitted or refused on the spot.
   *
   * Interrupting the caller while `effect` runs interrupts `effect`; the interruption does not
   * count and changes no state, and an interrupted trial call frees its place for the next caller.
   * A value that is not an `Effect` (from JavaScript) dies with `IllegalArgumentException`.
   */
  protect<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | CircuitOpen, R>
  /** The state now (an open breaker whose `resetAfter` has passed reads `"half-open"`); never waits. */
  readonly state: Effect.Effect<State>
}

/**
 * {@link make}'s options.
 *
 * - `failureThreshold` — consecutive counted failures that open the breaker: a finite positive
 *   integer (required; 0, fractions, NaN and `Infinity` are defects).
 * - `resetAfter` — how long the breaker stays open before it lets trial calls through: a finite,
 *   non-negative `Duration` (required; 0 lets the next call through as a trial; a negative, NaN,
 *   `Infinity` or unparseable one is a defect).
 * - `halfOpenCalls` — how many trial calls may run at once while half-open: a finite positive
 *   integer (default 1).
 * - `isFailure` — a function choosing which typed failures count (default: all). Defects and
 *   interruptions never count. If it throws, the outcome counts as neither success nor failure and
 *   the throw becomes that caller's defect.
 *
 * A missing required option or a bad value is a defect (`IllegalArgumentException` naming it)
 * when `make` runs.
 *
 * @example
 * ```ts
 * import type { CircuitBreaker } from "@tapestry/core"
 *
 * type HttpError = { readonly status: number }
 * const options: CircuitBreaker.Options<HttpError> = {
 *   failureThreshold: 5,
 *   resetAfter: "30 seconds",
 *   halfOpenCalls: 2,
 *   isFailure: (error) => error.status >= 500 // a 404 is the caller's problem, not the server's
 * }
 * console.log(options.failureThreshold) // 5
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Options<E = unknown> {
  readonly failureThreshold: number
  readonly resetAfter: Duration.DurationInput
  readonly halfOpenCalls?: number | undefined
  readonly isFailure?: ((error: E) => boolean) | undefined
}

/**
 * Makes a closed circuit breaker.
 *
 * @example
 * ```ts
 * // Title: Opening after consecutive failures, failing fast, closing after a good trial
 * import { CircuitBreaker } from "@tapestry/core"
 * import { Effect, Either, TestClock, TestContext } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const breaker = yield* CircuitBreaker.make({ failureThreshold: 2, resetAfter: "1 minute" })
 *   let calls = 0
 *   const flaky = Effect.suspend(() => (++calls <= 2 ? Effect.fail("503") : Effect.succeed("ok")))
 *   const call = Effect.either(breaker.protect(flaky))
 *
 *   console.log((yield* call)._tag, (yield* call)._tag, yield* breaker.state) // "Left" "Left" "open"
 *   const fast = yield* call // not run: calls is still 2
 *   console.log(Either.isLeft(fast) && fast.left instanceof CircuitBreaker.CircuitOpen, calls) // true 2
 *
 *   yield* TestClock.adjust("1 minute")
 *   console.log(yield* breaker.state) // "half-open": the next call is a trial
 *   const trial = yield* call
 *   console.log(yield* breaker.state, Either.getOrNull(trial)) // "closed" "ok"
 * })
 * Effect.runPromise(Effect.provide(program, TestContext.TestContext))
 * ```
 *
 * @example
 * ```ts
 * // Title: Only some errors count
 * import { CircuitBreaker } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const breaker = yield* CircuitBreaker.make<number>({
 *     failureThreshold: 1,
 *     resetAfter: "5 seconds",
 *     isFailure: (status) => status >= 500
 *   })
 *   yield* Effect.either(breaker.protect(Effect.fail(404)))
 *   console.log(yield* breaker.state) // "closed": a 404 does not count
 *   yield* Effect.either(breaker.protect(Effect.fail(503)))
 *   console.log(yield* breaker.state) // "open"
 * })
 * Effect.runPromise(program)
 * ```
 *
 * @example
 * ```ts
 * // Title: An interrupted call does not count; an interrupted trial frees its place
 * import { CircuitBreaker } from "@tapestry/core"
 * import { Console, Effect, Fiber, TestClock, TestContext } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const breaker = yield* CircuitBreaker.make({ failureThreshold: 1, resetAfter: "1 minute" })
 *   yield* Effect.either(breaker.protect(Effect.fail("503")))
 *   yield* TestClock.adjust("1 minute")
 *   const trial = yield* Effect.fork(breaker.protect(Effect.never)) // the one trial place
 *   yield* Effect.yieldNow()
 *   const refused = yield* Effect.flip(breaker.protect(Effect.succeed("ok")))
 *   yield* Console.log(`while the trial runs: ${refused._tag}`)
 *   yield* Fiber.interrupt(trial)
 *   yield* Console.log(`after interrupting it: ${yield* breaker.state}`)
 *   yield* Console.log(`the next trial: ${yield* breaker.protect(Effect.succeed("ok"))}, ${yield* breaker.state}`)
 * })
 * Effect.runPromise(Effect.provide(program, TestContext.TestContext))
 * // Output:
 * // while the trial runs: CircuitOpen
 * // after interrupting it: half-open
 * // the next trial: ok, closed
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make: <E = unknown>(options: Options<E>) => Effect.Effect<CircuitBreaker> = internal.make

/**
 * Whether a value is a {@link CircuitBreaker}.
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "@tapestry/core"
 *
 * console.log(CircuitBreaker.isCircuitBreaker({})) // false
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isCircuitBreaker: (u: unknown) => u is CircuitBreaker = internal.isCircuitBreaker
