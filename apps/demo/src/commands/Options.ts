/**
 * The command-line options the commands share. Each is a {@link Flag}: the `@effect/cli` option
 * that parses it, what the help says of it, and the check of one value — the same check the
 * command line runs before anything starts, so a bad value is a usage error whose message names
 * the option, never a defect deeper down.
 */
import { HelpDoc, Options, ValidationError } from "@effect/cli"
import { Download } from "@tapestry/platform"
import { Duration, Effect, Either } from "effect"
import * as Format from "../Format.js"

/** One option: how it is parsed, shown and checked. */
export interface Flag<A> {
  /** Its name without the dashes (`concurrency` for `--concurrency`). */
  readonly name: string
  /** What its value is called in the usage (`N`, `URL`). */
  readonly placeholder: string
  /** One sentence for the help. */
  readonly description: string
  /** The default as the help shows it (none for a repeatable option). */
  readonly fallback: string | undefined
  /** It may be given more than once. */
  readonly repeatable: boolean
  /** What is wrong with one given value, naming the option (`undefined` when it is fine). */
  readonly check: (text: string) => string | undefined
  /** The `@effect/cli` option. */
  readonly option: Options.Options<A>
}

/** The value a {@link Flag} gives the command's handler. */
export type Value<F> = F extends Flag<infer A> ? A : never

const invalid = (message: string) => ValidationError.invalidValue(HelpDoc.p(message))

const fromEither = <A>(result: Either.Either<A, string>): Effect.Effect<A, ValidationError.ValidationError> =>
  Either.match(result, { onLeft: (message) => Effect.fail(invalid(message)), onRight: Effect.succeed })

const given = (text: string) => JSON.stringify(text)

const problem = <A>(result: Either.Either<A, string>): string | undefined =>
  Either.isLeft(result) ? result.left : undefined

/** An option given at most once, with a default. */
const single = <A>(spec: {
  readonly name: string
  readonly placeholder: string
  readonly description: string
  readonly fallback: string
  readonly parse: (text: string) => Either.Either<A, string>
}): Flag<A> => ({
  name: spec.name,
  placeholder: spec.placeholder,
  description: spec.description,
  fallback: spec.fallback,
  repeatable: false,
  check: (text) => problem(spec.parse(text)),
  option: Options.text(spec.name).pipe(
    Options.withDescription(spec.description),
    Options.withDefault(spec.fallback),
    Options.mapEffect((text) => fromEither(spec.parse(text)))
  )
})

const positive =
  (name: string) =>
  (text: string): Either.Either<number, string> => {
    const n = Number(text)
    return /^\d+$/.test(text.trim()) && Number.isSafeInteger(n) && n >= 1
      ? Either.right(n)
      : Either.left(`--${name} must be a positive integer, got ${given(text)}`)
  }

const address = (text: string): Either.Either<string, string> => {
  const url = URL.canParse(text) ? new URL(text) : undefined
  return url !== undefined && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== ""
    ? Either.right(text)
    : // The value may carry a password: it is shown redacted, as every URL the demo shows.
      Either.left(`--url must be an http:// or https:// address, got ${given(Download.redactUrl(text))}`)
}

/** `--url URL` (repeatable): download these addresses instead of the embedded LocalWeb's pages. */
export const urls: Flag<Array<string>> = {
  name: "url",
  placeholder: "URL",
  description:
    "download this http(s) address instead of the embedded LocalWeb's pages; repeat it for several (a password in it is shown as ***)",
  fallback: undefined,
  repeatable: true,
  check: (text) => problem(address(text)),
  option: Options.text("url").pipe(
    Options.withDescription("an http(s) address to download instead of the embedded LocalWeb's pages"),
    Options.repeated,
    Options.mapEffect((texts) => fromEither(Either.all(texts.map(address))))
  )
}

/** `--concurrency N`: at most N downloads in flight (default 3). */
export const concurrency: Flag<number> = single({
  name: "concurrency",
  placeholder: "N",
  description: "throttle keeps at most N downloads in flight, starting the next as one finishes",
  fallback: "3",
  parse: positive("concurrency")
})

/** `--tries N`: at most N attempts per download (default 3). */
export const tries: Flag<number> = single({
  name: "tries",
  placeholder: "N",
  description: "retry makes at most N attempts per address before it gives up",
  fallback: "3",
  parse: positive("tries")
})

/** `--timeout D`: how long the time-out waits (default 500ms; `250ms`, `2s`, `1.5s`, `1m`, `500 millis`). */
export const timeout: Flag<Duration.Duration> = single({
  name: "timeout",
  placeholder: "DURATION",
  description: "bailout gives up on its first download after this long: 250ms, 2s, 1.5s, 1m…",
  fallback: "500ms",
  parse: (text) => {
    const duration = Format.parseDuration(text)
    return duration === undefined || !Duration.isFinite(duration)
      ? Either.left(`--timeout must be a duration such as 250ms or 2s, got ${given(text)}`)
      : Either.right(duration)
  }
})
