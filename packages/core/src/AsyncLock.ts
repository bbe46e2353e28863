/**
 * An asynchronous mutual-exclusion lock: .NET's `SemaphoreSlim(1, 1)` used with `WaitAsync`,
 * or AsyncEx's `AsyncLock`.
 *
 * In blocking .NET code a `lock (mutex) { … }` block keeps other threads out of a critical
 * section. It cannot span an `await`, so asynchronous code uses `await semaphore.WaitAsync()` /
 * `Release()` in a `try`/`finally`. Asynchronous code still needs it: in the best-practices
 * article's example, `value = await GetNextValueAsync(value)` run twice concurrently loses an
 * update, because the read and the write are separated by a suspension point.
 *
 * {@link AsyncLock.withLock} runs an effect holding the lock, across any number of suspension
 * points, and always releases it (on success, failure or interruption). Waiters are served in
 * arrival order; a waiter interrupted while it waits leaves the queue and takes nothing.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import * as internal from "./internal/asyncLock.js"

/**
 * The unique identifier of an {@link AsyncLock}.
 *
 * @example
 * ```ts
 * import { AsyncLock } from "@tapestry/core"
 *
 * console.log(typeof AsyncLock.TypeId) // "symbol"
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
 * import type { AsyncLock } from "@tapestry/core"
 *
 * const id: AsyncLock.TypeId | undefined = undefined
 * console.log(id) // undefined
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * An asynchronous lock: at most one `withLock` effect runs at a time, the others wait in FIFO
 * order.
 *
 * @example
 * ```ts
 * import { AsyncLock } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const lock: AsyncLock.AsyncLock = yield* AsyncLock.make()
 *   return yield* lock.withLock(Effect.succeed("inside"))
 * })
 * console.log(Effect.runSync(program)) // "inside"
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupting a waiter, then the holder
 * import { AsyncLock } from "@tapestry/core"
 * import { Console, Effect, Fiber } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const lock = yield* AsyncLock.make()
 *   const holder = yield* Effect.fork(
 *     lock.withLock(Effect.never.pipe(Effect.onInterrupt(() => Console.log("holder: interrupted"))))
 *   )
 *   yield* Effect.yieldNow()
 *   const waiter = yield* Effect.fork(lock.withLock(Console.log("waiter: ran")))
 *   yield* Effect.yieldNow()
 *   yield* Fiber.interrupt(waiter) // leaves the queue: its effect never runs
 *   yield* Console.log(`after the waiter: locked ${yield* lock.isLocked}`)
 *   yield* Fiber.interrupt(holder) // its effect is interrupted, then the lock is released
 *   yield* Console.log(`after the holder: locked ${yield* lock.isLocked}`)
 *   yield* lock.withLock(Console.log("next caller: ran"))
 * })
 * Effect.runPromise(program)
 * // Output:
 * // after the waiter: locked true
 * // holder: interrupted
 * // after the holder: locked false
 * // next caller: ran
 * ```
 *
 * @example
 * ```ts
 * // Title: A failing holder releases the lock too
 * import { AsyncLock } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const lock = yield* AsyncLock.make()
 *   const failed = yield* Effect.flip(lock.withLock(Effect.fail("disk full")))
 *   yield* Console.log(`failed with ${failed}; locked ${yield* lock.isLocked}`)
 * })
 * Effect.runPromise(program)
 * // Output:
 * // failed with disk full; locked false
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AsyncLock extends Inspectable.Inspectable {
  readonly [TypeId]: TypeId
  /**
   * Runs `effect` holding the lock: waits until the lock is free (waiters are served in arrival
   * order), runs `effect`, and releases the lock however `effect` ends — success, failure, defect or
   * interruption.
   *
   * - Interrupted while waiting: the caller leaves the queue and `effect` never runs; it takes
   *   nothing (a lock handed to it at that very instant goes on to the next waiter).
   * - Interrupted while holding: `effect` is interrupted (its finalizers run), then the lock is
   *   released and handed to the next waiter.
   * - Not reentrant: a `withLock` inside a `withLock` of the same lock waits for itself for ever,
   *   as `SemaphoreSlim(1)` does.
   * - A value that is not an `Effect` (from JavaScript) dies with `IllegalArgumentException`, taking
   *   nothing.
   */
  withLock<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
  /** Whether some effect holds the lock right now: a snapshot that never waits (so never interrupted). */
  readonly isLocked: Effect.Effect<boolean>
}

/**
 * Makes a free lock.
 *
 * Without the lock, two concurrent read-suspend-write updates lose one of them; with it, both
 * count:
 *
 * @example
 * ```ts
 * import { AsyncLock } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * let value = 0
 * const getNextValue = (n: number) => Effect.as(Effect.sleep("10 millis"), n + 1)
 * // value = await GetNextValueAsync(value)
 * const update = Effect.gen(function* () {
 *   value = yield* getNextValue(value)
 * })
 *
 * const program = Effect.gen(function* () {
 *   const lock = yield* AsyncLock.make()
 *   yield* Effect.all([lock.withLock(update), lock.withLock(update)], { concurrency: "unbounded" })
 *   return value
 * })
 * Effect.runPromise(program).then(console.log) // 2 (without the lock: 1)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: () => Effect.Effect<AsyncLock> = internal.make

/**
 * Tells whether a value is an {@link AsyncLock}.
 *
 * Every AsyncLock also has a readable `toString()` / `toJSON()` (and shows the same in Node's
 * `util.inspect` and `console.log`): whether it is `locked` and how many fibers are `waiting` for
 * it.
 *
 * @example
 * ```ts
 * import { AsyncLock } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const value = yield* AsyncLock.make()
 *   return [AsyncLock.isAsyncLock(value), AsyncLock.isAsyncLock({}), value.toJSON()] as const
 * })
 * console.log(Effect.runSync(program))
 * // [true, false, { _id: "AsyncLock", locked: false, waiting: 0 }]
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isAsyncLock: (u: unknown) => u is AsyncLock = internal.isAsyncLock
