/**
 * Per-key concurrency limits with an optional global cap: a `SemaphoreSlim` per host plus one
 * for the whole process, as a download manager keeps them.
 *
 * In .NET you would keep a `ConcurrentDictionary<string, SemaphoreSlim>` and call
 * `await perHost[host].WaitAsync()` (and `await global.WaitAsync()`) around each request,
 * taking care to release both in `finally` and to never leave a half-taken pair behind when a
 * wait is cancelled. `withPermit(key)(effect)` does all of that:
 *
 * - at most `perKey` effects run per key, and at most `total` (default unbounded) overall;
 * - waiters of one key are served in arrival order (FIFO within a key);
 * - no key starves another: when a global permit comes free it goes to the earliest waiter whose
 *   key has room, so a busy key cannot keep others waiting for the global cap;
 * - an interrupted waiter leaks nothing: it leaves the queues, and a permit handed to it at that
 *   instant is passed on. Keys with nothing running or waiting are forgotten.
 *
 * Keys compare with `Equal`, like `AsyncCache` keys.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import type * as Types from "effect/Types"
import * as internal from "./internal/keyedLimiter.js"

/**
 * The unique identifier of a {@link KeyedLimiter}.
 *
 * @example
 * ```ts
 * import { KeyedLimiter } from "@tapestry/core"
 *
 * console.log(typeof KeyedLimiter.TypeId) // "symbol"
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
 * import type { KeyedLimiter } from "@tapestry/core"
 *
 * const id: KeyedLimiter.TypeId | undefined = undefined
 * console.log(id) // undefined
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * What a limiter is doing now: effects running, effects waiting, keys with either.
 *
 * @example
 * ```ts
 * import { KeyedLimiter } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const limiter = yield* KeyedLimiter.make<string>({ perKey: 2 })
 *   const stats: KeyedLimiter.LimiterStats = yield* limiter.withPermit("a", limiter.stats)
 *   return stats
 * })
 * console.log(Effect.runSync(program)) // { active: 1, waiting: 0, keys: 1 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface LimiterStats {
  /** Permits held by running effects (an effect holds 1, or its `permits`). */
  readonly active: number
  /** Effects waiting for permits. */
  readonly waiting: number
  /** Keys with a running or a waiting effect. */
  readonly keys: number
}

/**
 * One key's part of {@link LimiterStats} (`keyStats(key)`): permits held by its running effects,
 * effects waiting.
 *
 * @example
 * ```ts
 * import type { KeyedLimiter } from "@tapestry/core"
 *
 * const host: KeyedLimiter.KeyStats = { active: 2, waiting: 5 }
 * console.log(host.waiting) // 5
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface KeyStats {
  readonly active: number
  readonly waiting: number
}

/**
 * Per-key and global concurrency limits.
 *
 * @example
 * ```ts
 * import { KeyedLimiter } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const perHost: KeyedLimiter.KeyedLimiter<string> = yield* KeyedLimiter.make({ perKey: 2, total: 8 })
 *   const fetch = (host: string, path: string) =>
 *     perHost.withPermit(host)(Effect.as(Effect.sleep("5 millis"), `${host}${path}`))
 *   return yield* Effect.all([fetch("a.test", "/1"), fetch("a.test", "/2"), fetch("b.test", "/1")], {
 *     concurrency: "unbounded"
 *   })
 * })
 * Effect.runPromise(program).then(console.log) // ["a.test/1", "a.test/2", "b.test/1"]
 * ```
 *
 * @example
 * ```ts
 * // Title: One request at a time per host: a busy host does not hold up the others
 * import { KeyedLimiter } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const perHost = yield* KeyedLimiter.make<string>({ perKey: 1 })
 *   const fetch = (host: string, millis: number) =>
 *     perHost.withPermit(host)(
 *       Effect.acquireUseRelease(
 *         Console.log(`${host}: start`),
 *         () => Effect.sleep(`${millis} millis`),
 *         () => Console.log(`${host}: done`)
 *       )
 *     )
 *   yield* Effect.all([fetch("a.test", 30), fetch("a.test", 30), fetch("b.test", 10)], { concurrency: "unbounded" })
 * })
 * Effect.runPromise(program)
 * // Output:
 * // a.test: start
 * // b.test: start
 * // b.test: done
 * // a.test: done
 * // a.test: start
 * // a.test: done
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupting a waiter takes nothing; interrupting a holder gives its permit back
 * import { KeyedLimiter } from "@tapestry/core"
 * import { Console, Effect, Fiber } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const limiter = yield* KeyedLimiter.make<string>({ perKey: 1 })
 *   const holder = yield* Effect.fork(limiter.withPermit("host", Effect.never))
 *   yield* Effect.yieldNow()
 *   const waiter = yield* Effect.fork(limiter.withPermit("host", Console.log("waiter: ran")))
 *   yield* Effect.yieldNow()
 *   yield* Console.log(yield* limiter.keyStats("host"))
 *   yield* Fiber.interrupt(waiter)
 *   yield* Console.log(yield* limiter.keyStats("host"))
 *   yield* Fiber.interrupt(holder)
 *   yield* Console.log(yield* limiter.stats)
 * })
 * Effect.runPromise(program)
 * // Output:
 * // { active: 1, waiting: 1 }
 * // { active: 1, waiting: 0 }
 * // { active: 0, waiting: 0, keys: 0 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyedLimiter<K> extends Inspectable.Inspectable {
  readonly [TypeId]: { readonly _K: Types.Contravariant<K> }
  /**
   * Runs `effect` holding a permit of `key` (and a global one): waits, in arrival order, until both
   * are free; releases them however `effect` ends (success, failure, defect or interruption). Usable
   * data-first (`withPermit(key, effect)`) or in a pipe (`effect.pipe(limiter.withPermit(key))`).
   *
   * - Interrupted while waiting: the caller leaves both queues and `effect` never runs; it takes
   *   nothing (permits handed to it at that very instant go on to the next waiters), and a first
   *   waiter that leaves lets the ones behind it start if they now fit.
   * - Interrupted while holding: `effect` is interrupted (its finalizers run), then both permits are
   *   released.
   * - A value that is not an `Effect` (from JavaScript) dies with `IllegalArgumentException`.
   */
  readonly withPermit: {
    (key: K): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    <A, E, R>(key: K, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
  }
  /**
   * Runs `effect` holding `permits` permits of `key` and as many global ones (weighted work: a big
   * download counts for more). Waits like `withPermit`; a waiter is not overtaken by later, lighter
   * waiters of its key, nor, while `total` holds it back, by later waiters of other keys. `permits`
   * must be a positive integer of at most `perKey` and `total`, else the effect dies with an
   * `IllegalArgumentException` (taking nothing). Interruption works as for `withPermit`: a waiter
   * leaves taking nothing, a holder gives all its permits back once `effect` has ended.
   *
   * @since 0.2.0
   */
  withPermits(key: K, permits: number): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /**
   * Changes the caps at once (either may be left out; `Infinity` for no limit). Running effects keep
   * their permits; new grants wait until what is in use fits the new caps; waiters are admitted at
   * once when caps grow; a waiter whose `permits` exceed a new cap dies with an
   * `IllegalArgumentException`. A bad cap (not a positive integer or `Infinity`) is a defect when the
   * effect runs. It never waits, so there is nothing to interrupt.
   *
   * @since 0.2.0
   */
  resize(caps: { readonly perKey?: number | undefined; readonly total?: number | undefined }): Effect.Effect<void>
  /** What is running and waiting now, overall: a snapshot that never waits. */
  readonly stats: Effect.Effect<LimiterStats>
  /**
   * What is running and waiting now for one key (zeros for a key with neither).
   *
   * @since 0.2.0
   */
  keyStats(key: K): Effect.Effect<KeyStats>
}

/**
 * Makes a limiter allowing `perKey` concurrent effects per key and `total` overall.
 *
 * `perKey` (required) and `total` (default `Infinity`) are positive integers, or `Infinity` for
 * no limit. Anything else — 0, a fraction, NaN, a string, a missing options object or `perKey` — is
 * a defect (`IllegalArgumentException` naming the option) when the effect runs. `withPermit` of a
 * value that is not an `Effect` dies the same way.
 *
 * @example
 * ```ts
 * import { KeyedLimiter } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const limiter = yield* KeyedLimiter.make<string>({ perKey: 1 })
 *   return yield* Effect.succeed(42).pipe(limiter.withPermit("only-one-at-a-time"))
 * })
 * console.log(Effect.runSync(program)) // 42
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: <K>(options: {
  readonly perKey: number
  readonly total?: number | undefined
}) => Effect.Effect<KeyedLimiter<K>> = internal.make

/**
 * Tells whether a value is a {@link KeyedLimiter}.
 *
 * Every KeyedLimiter also has a readable `toString()` / `toJSON()` (and shows the same in Node's
 * `util.inspect` and `console.log`): its caps (`perKey`, `total`; `"Infinity"` when unbounded) and
 * what is `active` and `waiting` across how many `keys`; never the keys themselves.
 *
 * @example
 * ```ts
 * import { KeyedLimiter } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const value = yield* KeyedLimiter.make<string>({ perKey: 2 })
 *   return [KeyedLimiter.isKeyedLimiter(value), KeyedLimiter.isKeyedLimiter({}), value.toJSON()] as const
 * })
 * console.log(Effect.runSync(program))
 * // [true, false, { _id: "KeyedLimiter", perKey: 2, total: "Infinity", active: 0, waiting: 0, keys: 0 }]
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isKeyedLimiter: (u: unknown) => u is KeyedLimiter<never> = internal.isKeyedLimiter
