/**
 * `@tapestry/core`: the .NET Task-based Asynchronous Pattern on Effect fibers.
 *
 * @since 0.1.0
 */

/**
 * A single-flight asynchronous cache (TAP's `AsyncCache`).
 *
 * @since 0.1.0
 */
export * as AsyncCache from "./AsyncCache.js"
/**
 * Asynchronous lazy initialisation (`AsyncLazy<T>`).
 *
 * @since 0.1.0
 */
export * as AsyncLazy from "./AsyncLazy.js"
/**
 * An asynchronous mutual-exclusion lock (`SemaphoreSlim(1).WaitAsync`).
 *
 * @since 0.1.0
 */
export * as AsyncLock from "./AsyncLock.js"
/**
 * An asynchronous producer/consumer queue (`BufferBlock<T>`).
 *
 * @since 0.1.0
 */
export * as AsyncQueue from "./AsyncQueue.js"
/**
 * A circuit breaker (Polly's): opens after consecutive failures, fails fast with `CircuitOpen`,
 * lets trial calls through after a while.
 *
 * @since 0.2.0
 */
export * as CircuitBreaker from "./CircuitBreaker.js"
/**
 * `CircuitBreaker.protect`'s fast failure while the breaker is open, also at top level.
 *
 * @since 0.2.0
 */
export { CircuitOpen } from "./CircuitBreaker.js"
/**
 * Per-key and global concurrency limits (`SemaphoreSlim` per host).
 *
 * @since 0.1.0
 */
export * as KeyedLimiter from "./KeyedLimiter.js"
/**
 * Progress reporting (`IProgress<T>`): reporters, latest-value streams, aggregates.
 *
 * @since 0.1.0
 */
export * as Progress from "./Progress.js"
/**
 * Rate limits (token bucket, fixed window, sliding window), for one resource or per key.
 *
 * @since 0.2.0
 */
export * as RateLimiter from "./RateLimiter.js"
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
/**
 * Argument checks: one message shape, `IllegalArgumentException` thrown by plain-value functions
 * and died with by effects (also at `@tapestry/core/Validate`).
 *
 * @since 0.2.0
 */
export * as Validate from "./Validate.js"
