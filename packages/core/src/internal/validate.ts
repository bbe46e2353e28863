/**
 * Argument checks shared by `@tapestry/core` and `@tapestry/platform`. Public docs live in
 * `src/Validate.ts`.
 *
 * Every check takes `where` (the public function, `"Task.throttled"`), `name` (the argument,
 * `"concurrency"`, `"tasks[3]"`) and the value; it returns the value (normalised) or throws
 * `IllegalArgumentException` with the one message shape `${where}: ${name} must be ${what}, got ${value}`.
 * `suspend` turns such a throw into `Effect.die`, so the same checks serve functions returning a
 * plain value (they throw when called) and effects (they die when run).
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

// ---------------------------------------------------------------------------------------------
// messages
// ---------------------------------------------------------------------------------------------

const MAX_SHOWN = 80

const clip = (s: string): string => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 1)}…` : s)

/** A short, unambiguous rendering of a bad value for a message. @internal */
export const show = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      return clip(JSON.stringify(value))
    case "number":
      return Object.is(value, -0) ? "-0" : String(value)
    case "bigint":
      return `${value}n`
    case "symbol":
    case "undefined":
    case "boolean":
      return String(value)
    case "function":
      return value.name === "" ? "a function" : `function ${value.name}`
  }
  if (value === null) return "null"
  if (Effect.isEffect(value)) return "an Effect"
  if (Array.isArray(value))
    return clip(`[${value.map((v) => (typeof v === "object" && v !== null ? "…" : show(v))).join(", ")}]`)
  if (Duration.isDuration(value)) return String(value)
  try {
    const json = JSON.stringify(value, (_, v: unknown) =>
      typeof v === "function" || typeof v === "bigint" || typeof v === "symbol" ? show(v) : v
    )
    if (json !== undefined && json !== "{}") return clip(json)
  } catch {
    // cyclic or holding a bigint: fall through
  }
  return Object.prototype.toString.call(value)
}

/** One error, shortened for a one-line message: `Tag: message` for errors, else `show(error)`. @internal */
export const summary = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    const tag =
      "_tag" in error && typeof error._tag === "string" ? error._tag : error instanceof Error ? error.name : ""
    return clip(tag === "" ? error.message : error.message === "" ? tag : `${tag}: ${error.message}`)
  }
  return show(error)
}

/** The message of every check: `${where}: ${name} must be ${what}, got ${show(value)}`. @internal */
export const message = (where: string, name: string, what: string, value: unknown): string =>
  `${where}: ${name} must be ${what}, got ${show(value)}`

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** The name of an element: `tasks[3]`, `tasks.user`, `tasks["a b"]`, `tasks[Symbol(id)]`. @internal */
export const element = (name: string, at: number | string | symbol): string =>
  typeof at === "number" || typeof at === "symbol"
    ? `${name}[${String(at)}]`
    : IDENTIFIER.test(at)
      ? `${name}.${at}`
      : `${name}[${JSON.stringify(at)}]`

// ---------------------------------------------------------------------------------------------
// throwing and dying
// ---------------------------------------------------------------------------------------------

/** Throws `IllegalArgumentException(message)`. @internal */
export const raise = (message: string): never => {
  throw new Cause.IllegalArgumentException(message)
}

/** `Effect.die(new IllegalArgumentException(message))`. @internal */
export const die = (message: string): Effect.Effect<never> => Effect.die(new Cause.IllegalArgumentException(message))

/** Runs `evaluate` when the effect runs; an `IllegalArgumentException` it throws becomes the effect's defect. @internal */
export const suspend = <A, E, R>(evaluate: () => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    try {
      return evaluate()
    } catch (error) {
      if (Cause.isIllegalArgumentException(error)) return Effect.die(error)
      throw error
    }
  })

/** `suspend` for a stream: the checks run when the stream runs; a bad argument ends it with the defect. @internal */
export const suspendStream = <A, E, R>(evaluate: () => Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
  Stream.unwrap(suspend(() => Effect.succeed(evaluate())))

/** `value` if `ok(value)`, else throws naming `what` was expected. @internal */
export const satisfies = <A>(where: string, name: string, value: A, ok: (value: A) => boolean, what: string): A =>
  ok(value) ? value : raise(message(where, name, what, value))

// ---------------------------------------------------------------------------------------------
// numbers
// ---------------------------------------------------------------------------------------------

const isPositiveInteger = (u: unknown): u is number => typeof u === "number" && Number.isSafeInteger(u) && u >= 1

/** A finite positive integer. @internal */
export const positiveInteger = (where: string, name: string, value: unknown): number =>
  isPositiveInteger(value) ? value : raise(message(where, name, "a positive integer", value))

/** A positive integer or `Infinity` (no limit). @internal */
export const positiveIntegerOrInfinity = (where: string, name: string, value: unknown): number =>
  isPositiveInteger(value) || value === Number.POSITIVE_INFINITY
    ? value
    : raise(message(where, name, "a positive integer or Infinity", value))

/** A finite non-negative integer. @internal */
export const nonNegativeInteger = (where: string, name: string, value: unknown): number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0
    ? value
    : raise(message(where, name, "a non-negative integer", value))

/** @internal */
export type Concurrency = number | "unbounded"

/** A positive integer, `Infinity` or `"unbounded"`; `Infinity` comes back as `"unbounded"`. @internal */
export const concurrency = (where: string, value: unknown, name = "concurrency"): Concurrency => {
  if (isPositiveInteger(value)) return value
  if (value === "unbounded" || value === Number.POSITIVE_INFINITY) return "unbounded"
  return raise(message(where, name, 'a positive integer, Infinity or "unbounded"', value))
}

// ---------------------------------------------------------------------------------------------
// durations
// ---------------------------------------------------------------------------------------------

const NEGATIVE_STRING = /^\s*-/

const decodeDuration = (value: unknown): Duration.Duration | undefined => {
  if (typeof value === "number") return value >= 0 ? Duration.millis(value) : undefined
  if (typeof value === "bigint") return value >= BigInt(0) ? Duration.nanos(value) : undefined
  if (Array.isArray(value)) {
    // [seconds, nanos]: Effect reads NaN and -Infinity parts as 0; both parts must be finite and ≥ 0
    return value.length === 2 && value.every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0)
      ? Duration.decode(value as [number, number])
      : undefined
  }
  if (typeof value === "string" && NEGATIVE_STRING.test(value)) return undefined
  return Option.getOrUndefined(Duration.decodeUnknown(value))
}

/**
 * A `DurationInput` that is not negative, NaN or unparseable; `Infinity` (or `Duration.infinity`)
 * only with `infinite: true`. @internal
 */
export const duration = (
  where: string,
  name: string,
  value: unknown,
  options?: { readonly infinite?: boolean | undefined }
): Duration.Duration => {
  const infinite = options?.infinite === true
  const decoded = decodeDuration(value)
  return decoded !== undefined && (infinite || Duration.isFinite(decoded))
    ? decoded
    : raise(message(where, name, infinite ? "a non-negative Duration" : "a finite, non-negative Duration", value))
}

// ---------------------------------------------------------------------------------------------
// shapes
// ---------------------------------------------------------------------------------------------

/** A function. @internal */
export const fn = <F extends Function = (...args: ReadonlyArray<never>) => unknown>(
  where: string,
  name: string,
  value: unknown
): F => (typeof value === "function" ? (value as F) : raise(message(where, name, "a function", value)))

type Literal = string | number | boolean

/** One of `literals` (compared with `===`). @internal */
export const oneOf = <const L extends ReadonlyArray<Literal>>(
  where: string,
  name: string,
  value: unknown,
  literals: L
): L[number] =>
  literals.includes(value as Literal)
    ? (value as L[number])
    : raise(
        message(
          where,
          name,
          literals.length === 1 ? show(literals[0]) : `one of ${literals.map(show).join(", ")}`,
          value
        )
      )

/** An optional boolean flag: `undefined` (then `false`), `true` or `false`. @internal */
export const flag = (where: string, name: string, value: unknown): boolean =>
  value === undefined ? false : oneOf(where, name, value, [true, false])

/** An options object (not null, not an array): required ones have no default to fall back on. @internal */
export const options = <O extends object>(where: string, value: O, name = "options"): O =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? value
    : raise(message(where, name, "an options object", value))

/** Optional options: `undefined`, or an options object. @internal */
export const optionalOptions = <O extends object>(
  where: string,
  value: O | undefined,
  name = "options"
): O | undefined => (value === undefined ? undefined : options(where, value, name))

/** An iterable; a string is refused unless `strings: true` (one string is not a list of tasks or URLs). @internal */
export const iterable = <A>(
  where: string,
  name: string,
  value: Iterable<A>,
  options?: { readonly strings?: boolean | undefined }
): Iterable<A> => {
  const ok =
    (typeof value === "object" && value !== null && !Effect.isEffect(value)) ||
    (typeof value === "string" && options?.strings === true)
      ? typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
      : false
  return ok ? value : raise(message(where, name, "an iterable", value))
}

/** An `Effect`. @internal */
export const effect = <A, E, R>(where: string, name: string, value: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.isEffect(value) ? value : raise(message(where, name, "an Effect", value))
