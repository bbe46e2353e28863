/**
 * Asynchronous lazy initialisation: .NET's `Lazy<T>` for asynchronous work, AsyncEx's
 * `AsyncLazy<T>`.
 *
 * The blocking `Lazy<T>` runs its factory on first access of `.Value` and hands every later
 * caller the same value. `AsyncLazy<T>` does the same for a `Task<T>`: the first `await` starts
 * the work, concurrent awaiters share it. Here:
 *
 * - `get` starts the effect on first use and every caller shares that one run; once it
 *   succeeded, `get` answers from memory.
 * - The run belongs to the lazy value's own `Scope`, not to the fiber that happened to ask
 *   first: interrupting that caller does not cancel the run for the others. When **every**
 *   caller has left, the run is interrupted and nothing is remembered (the next `get` starts
 *   again). Closing the scope interrupts a run in progress.
 * - A failure is remembered like a value (every later `get` fails the same way), unless
 *   `retryOnFailure` is set (AsyncEx's `AsyncLazyFlags.RetryOnFailure`): then a failure is
 *   forgotten and the next `get` runs the effect again.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import type * as Scope from "effect/Scope"
import type * as Types from "effect/Types"
import * as internal from "./internal/asyncLazy.js"

/**
 * The unique identifier of an {@link AsyncLazy}.
 *
 * @example
 * ```ts
 * import { AsyncLazy } from "@tapestry/core"
 *
 * console.log(typeof AsyncLazy.TypeId) // "symbol"
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
 * import type { AsyncLazy } from "@tapestry/core"
 *
 * const id: AsyncLazy.TypeId | undefined = undefined
 * console.log(id) // undefined
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * A lazily computed, shared value.
 *
 * @example
 * ```ts
 * import { AsyncLazy } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const config: AsyncLazy.AsyncLazy<string> = yield* AsyncLazy.make(Effect.succeed("loaded"))
 *     return yield* config.get
 *   })
 * )
 * console.log(Effect.runSync(program)) // "loaded"
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupting callers: the run goes on while someone waits for it
 * import { AsyncLazy } from "@tapestry/core"
 * import { Console, Effect, Fiber } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     let connects = 0
 *     const connection = yield* AsyncLazy.make(
 *       Effect.sync(() => ++connects).pipe(
 *         Effect.zipLeft(Effect.sleep("50 millis")),
 *         Effect.onInterrupt(() => Console.log("connect: interrupted"))
 *       )
 *     )
 *     const impatient = yield* Effect.fork(connection.get)
 *     const patient = yield* Effect.fork(connection.get)
 *     yield* Effect.sleep("10 millis")
 *     yield* Fiber.interrupt(impatient) // the connect goes on for the patient caller
 *     yield* Console.log(`connection #${yield* Fiber.join(patient)}`)
 *     yield* Console.log(`later: connection #${yield* connection.get}, ${connects} connect`)
 *   })
 * )
 * Effect.runPromise(program)
 * // Output:
 * // connection #1
 * // later: connection #1, 1 connect
 * ```
 *
 * @example
 * ```ts
 * // Title: The last caller leaving interrupts the run; the next get starts again
 * import { AsyncLazy } from "@tapestry/core"
 * import { Console, Effect, Fiber } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     let runs = 0
 *     const lazy = yield* AsyncLazy.make(
 *       Effect.sync(() => ++runs).pipe(
 *         Effect.zipLeft(Effect.sleep("50 millis")),
 *         Effect.onInterrupt(() => Console.log(`run ${runs}: interrupted`))
 *       )
 *     )
 *     const only = yield* Effect.fork(lazy.get)
 *     yield* Effect.sleep("10 millis")
 *     yield* Fiber.interrupt(only)
 *     yield* Console.log(`value from run ${yield* lazy.get}`)
 *   })
 * )
 * Effect.runPromise(program)
 * // Output:
 * // run 1: interrupted
 * // value from run 2
 * ```
 *
 * @example
 * ```ts
 * // Title: Failures: remembered, or forgotten with retryOnFailure
 * import { AsyncLazy } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     let tries = 0
 *     const flaky = Effect.suspend(() => (++tries === 1 ? Effect.fail("offline") : Effect.succeed("online")))
 *     const remembered = yield* AsyncLazy.make(flaky)
 *     yield* Console.log(yield* Effect.flip(remembered.get), yield* Effect.flip(remembered.get))
 *     tries = 0
 *     const retried = yield* AsyncLazy.make(flaky, { retryOnFailure: true })
 *     yield* Console.log(yield* Effect.flip(retried.get), yield* retried.get)
 *   })
 * )
 * Effect.runPromise(program)
 * // Output:
 * // offline offline
 * // offline online
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AsyncLazy<A, E = never> extends Inspectable.Inspectable {
  readonly [TypeId]: { readonly _A: Types.Covariant<A>; readonly _E: Types.Covariant<E> }
  /**
   * The value: starts the shared run (in the lazy value's scope) on first use, joins it while it
   * runs, then answers from memory. Fails as the run failed (remembered, unless `retryOnFailure`).
   *
   * Interrupted while waiting for the run: the caller leaves, and the run goes on for the other
   * callers. When the last one leaves, the run is interrupted and nothing is remembered (the next
   * `get` starts again). After the lazy value's scope has closed, a `get` that would have to run
   * the effect is interrupted.
   */
  readonly get: Effect.Effect<A, E>
}

/**
 * Makes a lazy value of `effect`, run at most once at a time in the caller's `Scope`.
 *
 * `retryOnFailure` (`true` or `false`, default `false`): forget a failure, so the next `get` runs
 * `effect` again. An `effect` that is not an `Effect`, or a `retryOnFailure` that is not a boolean,
 * is a defect (`IllegalArgumentException` naming it) when the returned effect runs.
 *
 * @example
 * ```ts
 * import { AsyncLazy } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * let runs = 0
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const lazy = yield* AsyncLazy.make(Effect.sync(() => ++runs))
 *     const all = yield* Effect.all([lazy.get, lazy.get, lazy.get], { concurrency: "unbounded" })
 *     return { all, runs }
 *   })
 * )
 * console.log(Effect.runSync(program)) // { all: [1, 1, 1], runs: 1 }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options?: { readonly retryOnFailure?: boolean | undefined }
) => Effect.Effect<AsyncLazy<A, E>, never, R | Scope.Scope> = internal.make

/**
 * Tells whether a value is an {@link AsyncLazy}.
 *
 * Every AsyncLazy also has a readable `toString()` / `toJSON()` (and shows the same in Node's
 * `util.inspect` and `console.log`): its `state` (`"idle"`: not started or forgotten, `"running"`,
 * `"done"` with the remembered `exit`) and `retryOnFailure`.
 *
 * @example
 * ```ts
 * import { AsyncLazy } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const value = yield* AsyncLazy.make(Effect.succeed("loaded"))
 *   return [AsyncLazy.isAsyncLazy(value), AsyncLazy.isAsyncLazy({}), value.toJSON()] as const
 * })
 * console.log(Effect.runSync(Effect.scoped(program)))
 * // [true, false, { _id: "AsyncLazy", state: "idle", retryOnFailure: false }]
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isAsyncLazy: (u: unknown) => u is AsyncLazy<unknown, unknown> = internal.isAsyncLazy
