import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** @internal */
export const illegal = (message: string): Effect.Effect<never> =>
  Effect.die(new Cause.IllegalArgumentException(message))

/** A positive integer (or +Infinity when `allowInfinity`), else a message naming the argument. @internal */
export const positiveInteger = (where: string, name: string, value: unknown, allowInfinity: boolean) =>
  (typeof value === "number" && Number.isInteger(value) && value >= 1) ||
  (allowInfinity && value === Number.POSITIVE_INFINITY)
    ? undefined
    : `${where}: ${name} must be a positive integer${allowInfinity ? " (or Infinity)" : ""}, got ${String(value)}`

/** A finite, non-negative duration in milliseconds, or a message naming the argument. @internal */
export const finiteDuration = (
  where: string,
  name: string,
  value: Duration.DurationInput
): { readonly millis: number } | { readonly error: string } => {
  const error = { error: `${where}: ${name} must be a finite, non-negative duration, got ${String(value)}` }
  if (typeof value === "number" && !(Number.isFinite(value) && value >= 0)) return error
  if (typeof value === "bigint" && value < BigInt(0)) return error
  const decoded = Duration.decodeUnknown(value)
  if (Option.isNone(decoded) || !Duration.isFinite(decoded.value)) return error
  return { millis: Duration.toMillis(decoded.value) }
}
