/**
 * Argument checks: the one convention every `@tapestry/*` entry point follows, public so that
 * `@tapestry/platform` and your own combinators can follow it too (p-limit's
 * `validateConcurrency`, called at every entry).
 *
 * - **One message shape**: `${where}: ${name} must be ${what}, got ${value}`, for instance
 *   `Task.throttled: concurrency must be a positive integer, Infinity or "unbounded", got 0`, or
 *   for an element `Task.whenAll: tasks[3] must be an Effect, got undefined` (see {@link element}).
 * - **One error**: `Cause.IllegalArgumentException`. A bad argument is a bug of the caller, so it
 *   is a defect, never a typed failure, and never a silent default.
 * - **Two forms from the same checks**: every check returns the (normalised) value or **throws**.
 *   A function that returns a plain value (a `Layer`, a policy object) calls the checks directly:
 *   it throws when called. A function that returns an effect wraps them in {@link suspend} (or
 *   {@link suspendStream}): the effect **dies** with the exception when it runs, before it starts
 *   anything.
 *
 * Where `Infinity` means "no limit" it is accepted ({@link concurrency},
 * {@link positiveIntegerOrInfinity}, {@link duration} with `infinite: true`); everything that counts
 * is a finite integer.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import * as internal from "./internal/validate.js"

// ---------------------------------------------------------------------------------------------
// forms
// ---------------------------------------------------------------------------------------------

/**
 * Runs `evaluate` when the effect runs; an `IllegalArgumentException` thrown by a check inside it
 * becomes the effect's defect (`Effect.die`). Any other exception is a defect too, as with
 * `Effect.suspend`.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 * import { Cause, Effect, Exit } from "effect"
 *
 * const repeat = (text: string, times: number) =>
 *   Validate.suspend(() => {
 *     const n = Validate.nonNegativeInteger("repeat", "times", times)
 *     return Effect.succeed(text.repeat(n))
 *   })
 *
 * const exit = Effect.runSyncExit(repeat("ab", -1))
 * if (Exit.isFailure(exit)) console.log(Cause.pretty(exit.cause)) // IllegalArgumentException: repeat: times must be a non-negative integer, got -1
 * ```
 *
 * @since 0.2.0
 * @category forms
 */
export const suspend: <A, E, R>(evaluate: () => Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> = internal.suspend

/**
 * {@link suspend} for a `Stream`: the checks run when the stream runs, and a bad argument ends
 * it with the defect before it emits anything.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 * import { Effect, Exit, Stream } from "effect"
 *
 * const countdown = (from: number) =>
 *   Validate.suspendStream(() => Stream.range(1, Validate.positiveInteger("countdown", "from", from)))
 *
 * console.log(Exit.isFailure(Effect.runSyncExit(Stream.runCollect(countdown(0))))) // true
 * ```
 *
 * @since 0.2.0
 * @category forms
 */
export const suspendStream: <A, E, R>(evaluate: () => Stream.Stream<A, E, R>) => Stream.Stream<A, E, R> =
  internal.suspendStream

/**
 * Throws `IllegalArgumentException(message)`: the end of every check, for checks of your own.
 * Build the message with {@link message} to keep the shape.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * try {
 *   Validate.raise(Validate.message("Pool.make", "size", "even", 3))
 * } catch (e) {
 *   console.log((e as Error).message) // Pool.make: size must be even, got 3
 * }
 * ```
 *
 * @since 0.2.0
 * @category forms
 */
export const raise: (message: string) => never = internal.raise

/**
 * An effect that dies with `IllegalArgumentException(message)`.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 * import { Effect, Exit } from "effect"
 *
 * const exit = Effect.runSyncExit(Validate.die("Pool.make: size must be even, got 3"))
 * console.log(Exit.isFailure(exit)) // true
 * ```
 *
 * @since 0.2.0
 * @category forms
 */
export const die: (message: string) => Effect.Effect<never> = internal.die

// ---------------------------------------------------------------------------------------------
// messages
// ---------------------------------------------------------------------------------------------

/**
 * The message shape: `${where}: ${name} must be ${what}, got ${show(value)}`.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.message("Pool.make", "size", "even", 3)) // Pool.make: size must be even, got 3
 * ```
 *
 * @since 0.2.0
 * @category messages
 */
export const message: (where: string, name: string, what: string, value: unknown) => string = internal.message

/**
 * The name of an element of an argument, for messages: `tasks[3]` for a position, `tasks.user`
 * (or `tasks["a b"]`) for a key.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.element("tasks", 3), Validate.element("tasks", "user")) // tasks[3] tasks.user
 * ```
 *
 * @since 0.2.0
 * @category messages
 */
export const element: (name: string, at: number | string | symbol) => string = internal.element

/**
 * A short rendering of a value for a message: strings quoted (and cut at 80 characters), `-0`,
 * `5n`, `[-1, 0]`, `an Effect`, `function name`.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.show("dettach"), Validate.show([-1, 0]), Validate.show(Number.NaN)) // "dettach" [-1, 0] NaN
 * ```
 *
 * @since 0.2.0
 * @category messages
 */
export const show: (value: unknown) => string = internal.show

// ---------------------------------------------------------------------------------------------
// checks
// ---------------------------------------------------------------------------------------------

/**
 * `value` if `ok(value)`, else throws that `name` must be `what`: the building block for checks
 * this module does not have.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * const status = Validate.satisfies("Site", "status", 204, (s) => s >= 200 && s <= 599, "an HTTP status")
 * console.log(status) // 204
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const satisfies: <A>(where: string, name: string, value: A, ok: (value: A) => boolean, what: string) => A =
  internal.satisfies

/**
 * A finite positive integer (for what counts: `maxTries`, `maxBytes`, permits): a safe integer from
 * 1 to `Number.MAX_SAFE_INTEGER`. `Infinity`, NaN, fractions, 0, negatives, larger numbers and
 * non-numbers throw.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.positiveInteger("Task.retryOnFault", "maxTries", 3)) // 3
 * ```
 *
 * @example
 * ```ts
 * // Title: A bad value throws IllegalArgumentException naming the function, the argument and the value
 * import { Validate } from "@tapestry/core"
 *
 * try {
 *   Validate.positiveInteger("Task.retryOnFault", "maxTries", 0)
 * } catch (error) {
 *   console.log(String(error))
 * }
 * // Output:
 * // IllegalArgumentException: Task.retryOnFault: maxTries must be a positive integer, got 0
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const positiveInteger: (where: string, name: string, value: unknown) => number = internal.positiveInteger

/**
 * A positive integer, or `Infinity` meaning "no limit" (`AsyncQueue`'s `capacity`,
 * `KeyedLimiter`'s `perKey` and `total`).
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.positiveIntegerOrInfinity("AsyncQueue.make", "capacity", Infinity)) // Infinity
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const positiveIntegerOrInfinity: (where: string, name: string, value: unknown) => number =
  internal.positiveIntegerOrInfinity

/**
 * A finite non-negative integer (`maxRedirects`).
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.nonNegativeInteger("Download.get", "maxRedirects", 0)) // 0
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const nonNegativeInteger: (where: string, name: string, value: unknown) => number = internal.nonNegativeInteger

/**
 * A concurrency: a positive integer, `Infinity` or `"unbounded"` — `Infinity` comes back as
 * `"unbounded"`, so both mean the same everywhere. `name` defaults to `"concurrency"`.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.concurrency("Task.throttled", Infinity)) // "unbounded"
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const concurrency: (where: string, value: unknown, name?: string) => number | "unbounded" = internal.concurrency

/**
 * A `Duration.DurationInput`, decoded. NaN, negatives (`-5`, `"-5 millis"`, `-1n`, tuples with a
 * negative or non-finite part such as `[-1, 0]`) and unparseable input throw — Effect itself
 * would read them as zero. An infinite duration throws unless `infinite: true` (where it means
 * "never": a `timeout` that never fires, a `timeToLive` that never expires).
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 * import { Duration } from "effect"
 *
 * const d = Validate.duration("Task.timeout", "duration", "2 seconds", { infinite: true })
 * console.log(Duration.toMillis(d)) // 2000
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const duration: (
  where: string,
  name: string,
  value: unknown,
  options?: { readonly infinite?: boolean | undefined }
) => Duration.Duration = internal.duration

/**
 * A function.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * const f = Validate.fn<(n: number) => number>("Task.throttled", "f", (n: number) => n + 1)
 * console.log(f(1)) // 2
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const fn: <F extends Function = (...args: ReadonlyArray<never>) => unknown>(
  where: string,
  name: string,
  value: unknown
) => F = internal.fn

/**
 * One of `literals`: catches a misspelt option from JavaScript (`losers: "dettach"`) instead of
 * taking the default.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * try {
 *   Validate.oneOf("Task.whenAny", "losers", "dettach", ["interrupt", "detach"])
 * } catch (e) {
 *   console.log((e as Error).message) // Task.whenAny: losers must be one of "interrupt", "detach", got "dettach"
 * }
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const oneOf: <const L extends ReadonlyArray<string | number | boolean>>(
  where: string,
  name: string,
  value: unknown,
  literals: L
) => L[number] = internal.oneOf

/**
 * An optional boolean option: `undefined` (read as `false`), `true` or `false`; anything else
 * (`"yes"`, `1`) throws.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.flag("AsyncCache.make", "cacheFailures", undefined)) // false
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const flag: (where: string, name: string, value: unknown) => boolean = internal.flag

/**
 * A required options object (not `null`, not an array): `KeyedLimiter.make()` without one throws
 * here instead of a `TypeError` further down. `name` defaults to `"options"`.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * const options = Validate.options("KeyedLimiter.make", { perKey: 2 })
 * console.log(options.perKey) // 2
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const options: <O extends object>(where: string, value: O, name?: string) => O = internal.options

/**
 * Optional options: `undefined`, or what {@link options} accepts.
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log(Validate.optionalOptions("Task.whenAll", undefined)) // undefined
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const optionalOptions: <O extends object>(where: string, value: O | undefined, name?: string) => O | undefined =
  internal.optionalOptions

/**
 * An iterable (its elements are checked by whoever reads them, when reached). A string is
 * refused unless `strings: true`: where a list of tasks or URLs is expected, one string is a
 * mistake. An `Effect` is refused too (Effect values are iterable only for `yield*`).
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 *
 * console.log([...Validate.iterable("Download.first", "urls", new Set(["http://a/"]))]) // ["http://a/"]
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const iterable: <A>(
  where: string,
  name: string,
  value: Iterable<A>,
  options?: { readonly strings?: boolean | undefined }
) => Iterable<A> = internal.iterable

/**
 * An `Effect`. Cheap enough for every element of an input (`Effect.isEffect`).
 *
 * @example
 * ```ts
 * import { Validate } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const task = Validate.effect("Task.run", "effect", Effect.succeed(1))
 * console.log(Effect.runSync(task)) // 1
 * ```
 *
 * @since 0.2.0
 * @category checks
 */
export const effect: <A, E, R>(where: string, name: string, value: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> =
  internal.effect
