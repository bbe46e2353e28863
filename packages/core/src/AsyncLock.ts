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
import * as internal from "./internal/asyncLock.js"

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
 * @since 0.1.0
 * @category models
 */
export interface AsyncLock {
  /**
   * Runs `effect` holding the lock: waits (interruptibly, in arrival order) until the lock is
   * free, runs `effect`, and releases the lock however `effect` ends.
   */
  /** A value that is not an `Effect` (from JavaScript) dies with `IllegalArgumentException`, taking nothing. */
  withLock<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
  /** Whether some effect holds the lock right now. */
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
