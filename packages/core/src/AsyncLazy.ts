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
import type * as Scope from "effect/Scope"
import * as internal from "./internal/asyncLazy.js"

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
 * @since 0.1.0
 * @category models
 */
export interface AsyncLazy<A, E = never> {
  /** The value: starts the shared run on first use, joins it while it runs, then answers from memory. */
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
