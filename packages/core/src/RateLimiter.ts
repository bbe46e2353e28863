/**
 * Rate limits: at most `limit` starts per `interval`, for one resource ({@link make}) or one
 * independent limit per key, e.g. per API token or per host ({@link keyed}).
 *
 * Three algorithms:
 * - `"token-bucket"` (default): a burst of `limit`, then one start every `interval / limit`, as
 *   Effect's `RateLimiter`;
 * - `"fixed-window"`: at most `limit` starts in each window of `interval`, windows aligned at the
 *   first start (a burst of `limit` at the end of one window and another at the start of the next
 *   is allowed);
 * - `"sliding-window"`: no span of length `interval` ever holds more than `limit` starts — the
 *   guarantee an API's "N requests per minute" rule asks for (p-queue's `intervalCap` users report
 *   it exceeded; Effect 3 has no sliding window).
 *
 * A limiter limits **starts**, not concurrency: combine it with `KeyedLimiter` or a `concurrency`
 * option for that. Waiters are served in arrival order (a waiter with a large `cost` is not
 * overtaken by later small ones). Waiting is interruptible and an interrupted waiter takes nothing.
 * Time is read from Effect's `Clock` (`TestClock` in tests). The limiter lives in the `Scope` of
 * `make`: when it closes, waiters still waiting die, and so do later calls.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import type * as Scope from "effect/Scope"
import * as internal from "./internal/rateLimiter.js"

/**
 * The unique identifier of a {@link RateLimiter} or {@link KeyedRateLimiter}.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@tapestry/core"
 *
 * console.log(typeof RateLimiter.TypeId) // "symbol"
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
 * import type { RateLimiter } from "@tapestry/core"
 *
 * const id: RateLimiter.TypeId | undefined = undefined
 * console.log(id) // undefined
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * How starts are counted: see the module's overview.
 *
 * @example
 * ```ts
 * import type { RateLimiter } from "@tapestry/core"
 *
 * const algorithm: RateLimiter.Algorithm = "sliding-window"
 * console.log(algorithm)
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type Algorithm = "token-bucket" | "fixed-window" | "sliding-window"

/**
 * The options of {@link make} and {@link keyed}.
 *
 * - `limit` — starts allowed per `interval`: a finite positive integer (required; 0, fractions,
 *   NaN and `Infinity` are defects — for no limit, use no limiter). It is also the largest `cost`
 *   one call may take.
 * - `interval` — a positive, finite `Duration` (required): 0, a negative, NaN, `Infinity` and
 *   unparseable input are defects.
 * - `algorithm` — `"token-bucket"` (default), `"fixed-window"` or `"sliding-window"`; any other
 *   value is a defect.
 *
 * A missing or bad option is a defect (`IllegalArgumentException` naming it) when the constructor
 * runs.
 *
 * @example
 * ```ts
 * import type { RateLimiter } from "@tapestry/core"
 *
 * const githubApi: RateLimiter.Options = { limit: 5000, interval: "1 hour", algorithm: "sliding-window" }
 * console.log(githubApi.limit) // 5000
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  readonly limit: number
  readonly interval: Duration.DurationInput
  readonly algorithm?: Algorithm | undefined
}

/**
 * A rate limiter made by {@link make}.
 *
 * - `withPermit(effect)` waits for one start, then runs `effect` (its run is not limited: only
 *   its start is).
 * - `withPermits(cost)(effect)` waits for `cost` starts at once (weighted calls).
 * - `take(cost?)` waits for `cost` (default 1) starts and returns.
 *
 * A `cost` that is not a positive integer, or above `limit`, is a defect (`IllegalArgumentException`)
 * when the effect runs. Interrupting a waiting caller removes it from the queue; it takes nothing.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const limiter: RateLimiter.RateLimiter = yield* RateLimiter.make({ limit: 10, interval: "1 second" })
 *   yield* limiter.take()
 *   return yield* limiter.withPermits(3)(Effect.succeed("a batch of 3 calls"))
 * })
 * Effect.runPromise(Effect.scoped(program)).then(console.log) // "a batch of 3 calls"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface RateLimiter extends Inspectable.Inspectable {
  readonly [TypeId]: TypeId
  /**
   * Waits (in arrival order) until one more start fits the limit, then runs `effect`; only its
   * start is limited, not how long it runs or how many run at once.
   *
   * - Interrupted while waiting: the caller leaves the queue and `effect` never runs; it takes
   *   nothing (a start granted at that very instant is given back), and the waiters behind it move
   *   up.
   * - Interrupted while `effect` runs: `effect` is interrupted; its start stays counted (it happened).
   * - When the limiter's scope has closed: dies, also while waiting.
   */
  withPermit<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
  /**
   * `withPermit` for a call that counts as `cost` starts (a batch): waits until `cost` starts fit at
   * once, and is not overtaken meanwhile by later, cheaper callers. `cost` must be a positive integer
   * of at most `limit`, else a defect (`IllegalArgumentException`) that takes nothing. Interruption
   * as for `withPermit`.
   */
  withPermits(cost: number): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /**
   * Waits until `cost` (default 1) starts fit, takes them and returns: for code that starts its work
   * itself. Same bounds and interruption as `withPermits`: interrupted while waiting, it takes
   * nothing.
   */
  take(cost?: number): Effect.Effect<void>
}

/**
 * One independent rate limit per key (keys compare with `Equal`), made by {@link keyed}. A key's
 * limiter is dropped once nothing waits on it and its window is empty again, so memory follows the
 * keys in use, not every key ever seen.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const perToken: RateLimiter.KeyedRateLimiter<string> = yield* RateLimiter.keyed({ limit: 2, interval: "1 second" })
 *   return yield* perToken.withPermit("token-a")(Effect.succeed("called with token-a"))
 * })
 * Effect.runPromise(Effect.scoped(program)).then(console.log) // "called with token-a"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface KeyedRateLimiter<in K> extends Inspectable.Inspectable {
  readonly [TypeId]: TypeId
  /**
   * `RateLimiter.withPermit` against `key`'s own limit: other keys' starts do not count. Interrupted
   * while waiting it takes nothing from `key`'s limit; interrupted while `effect` runs, `effect` is
   * interrupted and its start stays counted.
   */
  withPermit(key: K): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /**
   * `RateLimiter.withPermits` against `key`'s own limit (`cost`: a positive integer of at most
   * `limit`, else a defect). Interruption as for `withPermit`.
   */
  withPermits(key: K, cost: number): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * Makes a rate limiter in the current `Scope`.
 *
 * @example
 * ```ts
 * // Title: A sliding window never lets more than `limit` starts into any interval
 * import { RateLimiter } from "@tapestry/core"
 * import { Effect, Fiber, TestClock, TestContext } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const limiter = yield* RateLimiter.make({ limit: 2, interval: "1 second", algorithm: "sliding-window" })
 *   const starts: Array<number> = []
 *   const call = (i: number) => limiter.withPermit(Effect.sync(() => starts.push(i)))
 *   const all = yield* Effect.fork(Effect.all([1, 2, 3, 4, 5].map(call), { concurrency: "unbounded" }))
 *   yield* TestClock.adjust("10 millis")
 *   console.log(starts) // [1, 2]: the others wait
 *   yield* TestClock.adjust("1 second")
 *   console.log(starts) // [1, 2, 3, 4]
 *   yield* TestClock.adjust("1 second")
 *   yield* Fiber.join(all)
 *   console.log(starts) // [1, 2, 3, 4, 5]
 * })
 * Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(TestContext.TestContext)))
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupting a waiting caller
 * import { RateLimiter } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const limiter = yield* RateLimiter.make({ limit: 1, interval: "1 hour" })
 *   yield* limiter.take()
 *   // the next start is an hour away: give up after 50 ms; the waiter leaves the queue, taking nothing
 *   const gaveUp = yield* limiter.withPermit(Effect.succeed("ran")).pipe(Effect.timeoutTo({
 *     duration: "50 millis",
 *     onTimeout: () => "gave up",
 *     onSuccess: (a) => a
 *   }))
 *   console.log(gaveUp) // "gave up"
 * })
 * Effect.runPromise(Effect.scoped(program))
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<RateLimiter, never, Scope.Scope> = internal.make

/**
 * Makes a keyed rate limiter in the current `Scope`: the same limit, counted separately per key.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@tapestry/core"
 * import { Effect, Fiber, TestClock, TestContext } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const perHost = yield* RateLimiter.keyed<string>({ limit: 1, interval: "1 second", algorithm: "fixed-window" })
 *   const started: Array<string> = []
 *   const get = (host: string) => perHost.withPermit(host)(Effect.sync(() => started.push(host)))
 *   const all = yield* Effect.fork(Effect.all([get("a"), get("a"), get("b")], { concurrency: "unbounded" }))
 *   yield* TestClock.adjust("10 millis")
 *   console.log(started) // ["a", "b"]: host b is not held up by host a
 *   yield* TestClock.adjust("1 second")
 *   yield* Fiber.join(all)
 *   console.log(started) // ["a", "b", "a"]
 * })
 * Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(TestContext.TestContext)))
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const keyed: <K>(options: Options) => Effect.Effect<KeyedRateLimiter<K>, never, Scope.Scope> = internal.keyed

/**
 * Whether a value is a {@link RateLimiter} or a {@link KeyedRateLimiter}.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@tapestry/core"
 *
 * console.log(RateLimiter.isRateLimiter({})) // false
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isRateLimiter: (u: unknown) => u is RateLimiter | KeyedRateLimiter<never> = internal.isRateLimiter
