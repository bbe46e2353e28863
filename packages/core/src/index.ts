/**
 * `@tapestry/core`: the .NET Task-based Asynchronous Pattern on Effect fibers.
 *
 * @since 0.1.0
 */

/**
 * Progress reporting (`IProgress<T>`): reporters, latest-value streams, aggregates.
 *
 * @since 0.1.0
 */
export * as Progress from "./Progress.js"
/**
 * The .NET Task-based Asynchronous Pattern's combinators, on Effect fibers.
 *
 * @since 0.1.0
 */
export * as Task from "./Task.js"

/**
 * The `Task` combinators' shapes and errors, also at top level: `Completed`, `TaskFailures`,
 * `TimeoutError`, `RetriesExhausted`.
 *
 * @since 0.1.0
 */
export { type Completed, RetriesExhausted, TaskFailures, TimeoutError } from "./Task.js"
