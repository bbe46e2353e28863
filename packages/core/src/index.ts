/**
 * `@tapestry/core`: the .NET Task-based Asynchronous Pattern on Effect fibers.
 *
 * @since 0.1.0
 */

/**
 * The .NET Task-based Asynchronous Pattern's combinators, on Effect fibers.
 *
 * @since 0.1.0
 */
export * as Task from "./Task.js"
