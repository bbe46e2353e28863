/**
 * The .NET Task-based Asynchronous Pattern's combinators, on Effect fibers.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"

/**
 * Wraps a value in an effect that succeeds with it at once: TAP's `Task.FromResult`.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const answer = Effect.runSync(Task.fromResult(42))
 * console.log(answer) // 42
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromResult: <A>(value: A) => Effect.Effect<A> = Effect.succeed
