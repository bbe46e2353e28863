/**
 * A single-flight asynchronous cache: the TAP article's `AsyncCache<TKey, TValue>`.
 *
 * The blocking equivalent is a `ConcurrentDictionary<TKey, Lazy<TValue>>`: the first thread to
 * ask for a key runs the factory, the others block until it is done. The TAP article stores
 * `Task<TValue>`s instead, so concurrent callers `await` one shared lookup. Here:
 *
 * - **Single flight:** concurrent `get`s of one key share one lookup.
 * - **Lookups belong to the cache:** each runs as a fiber in the cache's own `Scope`, with the
 *   services the cache was made with, never in a caller's fiber. (Effect's `Cache` and
 *   `cachedFunction` run it in the first caller's fiber, so that caller's interruption kills
 *   everyone's load.) A caller that leaves (is interrupted) does not cancel a lookup others
 *   still wait for; when **every** caller has left, the lookup is interrupted and nothing is
 *   cached. Closing the cache's scope interrupts running lookups (their callers are
 *   interrupted) and later `get`s are interrupted too.
 * - **Failures** are not cached (the next `get` looks up again) unless `cacheFailures` is set;
 *   then they are kept and expire like values.
 * - **`capacity`:** at most that many stored results; the least recently used is evicted.
 *   Lookups in flight are not counted.
 * - **`timeToLive`:** a stored result expires that long after its lookup ended, by the `Clock`
 *   the cache was made with (`TestClock` in tests).
 * - **Keys** compare with `Equal`: primitives by value, `Data` classes and other `Equal`
 *   implementers structurally, other objects by reference.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import type * as Scope from "effect/Scope"
import type * as Types from "effect/Types"
import * as internal from "./internal/asyncCache.js"

/**
 * The unique identifier of an {@link AsyncCache}.
 *
 * @example
 * ```ts
 * import { AsyncCache } from "@tapestry/core"
 *
 * console.log(typeof AsyncCache.TypeId) // "symbol"
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
 * import type { AsyncCache } from "@tapestry/core"
 *
 * const id: AsyncCache.TypeId | undefined = undefined
 * console.log(id) // undefined
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * The counters of a cache.
 *
 * - `hits`: `get`s answered from a stored result.
 * - `misses`: `get`s that had to wait for a lookup (started or joined).
 * - `loads`: lookups started.
 * - `evictions`: stored results removed for `capacity` or expired by `timeToLive` (not
 *   invalidations).
 * - `size`: keys held now, stored or in flight (expired ones are dropped before counting).
 *
 * @example
 * ```ts
 * import { AsyncCache } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const cache = yield* AsyncCache.make({ lookup: (n: number) => Effect.succeed(n * 2) })
 *     yield* cache.get(1)
 *     yield* cache.get(1)
 *     const stats: AsyncCache.CacheStats = yield* cache.stats
 *     return stats
 *   })
 * )
 * console.log(Effect.runSync(program)) // { hits: 1, misses: 1, loads: 1, evictions: 0, size: 1 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CacheStats {
  readonly hits: number
  readonly misses: number
  readonly loads: number
  readonly evictions: number
  readonly size: number
}

/**
 * The options of {@link make}.
 *
 * - `lookup`: computes the value of a key (required, a function).
 * - `capacity`: a positive integer, the most stored results, or `Infinity`; default unbounded.
 * - `timeToLive`: a non-negative `Duration`; `Infinity` (the default) means results never expire.
 * - `cacheFailures`: keep failures like values; `true` or `false`, default `false`.
 *
 * Anything else is a defect when `make` runs (see {@link make}).
 *
 * @example
 * ```ts
 * import { AsyncCache } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const options: AsyncCache.Options<string, number, never, never> = {
 *   lookup: (word) => Effect.succeed(word.length),
 *   capacity: 1000,
 *   timeToLive: "5 minutes"
 * }
 * console.log(options.capacity) // 1000
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<K, V, E, R> {
  readonly lookup: (key: K) => Effect.Effect<V, E, R>
  readonly capacity?: number | undefined
  readonly timeToLive?: Duration.DurationInput | undefined
  readonly cacheFailures?: boolean | undefined
}

/**
 * A single-flight cache from `K` to the results of a lookup that succeeds with `V` or fails
 * with `E`.
 *
 * @example
 * ```ts
 * import { AsyncCache } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * let lookups = 0
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const lengths: AsyncCache.AsyncCache<string, number> = yield* AsyncCache.make({
 *       lookup: (url: string) => Effect.as(Effect.sleep("10 millis"), (++lookups, url.length))
 *     })
 *     // three concurrent gets of one key: one lookup
 *     return yield* Effect.all([lengths.get("/a"), lengths.get("/a"), lengths.get("/a")], {
 *       concurrency: "unbounded"
 *     })
 *   })
 * )
 * Effect.runPromise(program).then((r) => console.log(r, lookups)) // [2, 2, 2] 1
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupting callers: the first one leaving does not cancel the lookup; the last one does
 * import { AsyncCache } from "@tapestry/core"
 * import { Console, Effect, Fiber } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const pages = yield* AsyncCache.make({
 *       lookup: (url: string) =>
 *         Effect.as(Effect.sleep("50 millis"), `<html>${url}</html>`).pipe(
 *           Effect.onInterrupt(() => Console.log(`lookup of ${url}: interrupted`))
 *         )
 *     })
 *     const first = yield* Effect.fork(pages.get("/a"))
 *     const second = yield* Effect.fork(pages.get("/a"))
 *     yield* Effect.sleep("10 millis")
 *     yield* Fiber.interrupt(first) // the lookup goes on for the second caller
 *     yield* Console.log(`second caller got ${yield* Fiber.join(second)}`)
 *
 *     const only = yield* Effect.fork(pages.get("/b"))
 *     yield* Effect.sleep("10 millis")
 *     yield* Fiber.interrupt(only) // nobody waits any more: the lookup is interrupted, nothing stored
 *     yield* Console.log(`stored: ${(yield* pages.stats).size} key`)
 *   })
 * )
 * Effect.runPromise(program)
 * // Output:
 * // second caller got <html>/a</html>
 * // lookup of /b: interrupted
 * // stored: 1 key
 * ```
 *
 * @example
 * ```ts
 * // Title: A failure is not cached (unless cacheFailures): the next get looks up again
 * import { AsyncCache } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     let calls = 0
 *     const cache = yield* AsyncCache.make({
 *       lookup: (key: string) => (++calls === 1 ? Effect.fail(`${key}: busy`) : Effect.succeed(`${key}: ok`))
 *     })
 *     yield* Console.log(yield* Effect.flip(cache.get("k")))
 *     yield* Console.log(yield* cache.get("k"), `after ${calls} lookups`)
 *   })
 * )
 * Effect.runPromise(program)
 * // Output:
 * // k: busy
 * // k: ok after 2 lookups
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AsyncCache<K, V, E = never> extends Inspectable.Inspectable {
  readonly [TypeId]: {
    readonly _K: Types.Contravariant<K>
    readonly _V: Types.Covariant<V>
    readonly _E: Types.Covariant<E>
  }
  /**
   * The value of `key`: a stored result (at once), the lookup in flight (joined), or a new lookup
   * (started in the cache's scope). Fails with the lookup's error; a failure is not stored unless
   * `cacheFailures` is set.
   *
   * Interrupted while waiting for a lookup: the caller leaves, and the lookup goes on for the other
   * callers waiting for it. When the last one leaves, the lookup is interrupted and nothing is stored
   * (the next `get` starts again). After the cache's scope has closed, `get` is interrupted.
   */
  get(key: K): Effect.Effect<V, E>
  /**
   * Forgets `key`. A lookup in flight still answers its callers, but its result is not stored. Never
   * waits, so there is nothing to interrupt.
   */
  invalidate(key: K): Effect.Effect<void>
  /** Forgets every key, as `invalidate` does. */
  readonly invalidateAll: Effect.Effect<void>
  /** The counters: a snapshot that never waits. */
  readonly stats: Effect.Effect<CacheStats>
}

/**
 * Makes a cache whose lookups run in the caller's `Scope` with the caller's services `R`.
 *
 * Bad options are defects (`IllegalArgumentException` naming the option) when the effect runs:
 * no options object, a `lookup` that is not a function, a `capacity` below 1, fractional or NaN,
 * a `timeToLive` that is NaN, negative (`-1`, `"-5 millis"`, `[-1, 0]`) or not a duration, a
 * `cacheFailures` that is not a boolean.
 *
 * @example
 * ```ts
 * import { AsyncCache } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const squares = yield* AsyncCache.make({
 *       lookup: (n: number) => Effect.succeed(n * n),
 *       capacity: 100,
 *       timeToLive: "1 minute"
 *     })
 *     return yield* squares.get(12)
 *   })
 * )
 * console.log(Effect.runSync(program)) // 144
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: <K, V, E = never, R = never>(
  options: Options<K, V, E, R>
) => Effect.Effect<AsyncCache<K, V, E>, never, R | Scope.Scope> = internal.make

/**
 * Tells whether a value is an {@link AsyncCache}.
 *
 * Every AsyncCache also has a readable `toString()` / `toJSON()` (and shows the same in Node's
 * `util.inspect` and `console.log`): its counts (`size`: entries stored or in flight, then the
 * `stats` counters) and settings (`capacity`, `timeToLive` in milliseconds; `"Infinity"` when
 * unbounded); never keys or values.
 *
 * @example
 * ```ts
 * import { AsyncCache } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const value = yield* AsyncCache.make({ lookup: (n: number) => Effect.succeed(n * 2), capacity: 100 })
 *   yield* value.get(21)
 *   return [AsyncCache.isAsyncCache(value), AsyncCache.isAsyncCache({}), value.toJSON()] as const
 * })
 * console.log(Effect.runSync(Effect.scoped(program)))
 * // [true, false, { _id: "AsyncCache", size: 1, capacity: 100, timeToLive: "Infinity", hits: 0, misses: 1, loads: 1, evictions: 0 }]
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isAsyncCache: (u: unknown) => u is AsyncCache<never, unknown, unknown> = internal.isAsyncCache
