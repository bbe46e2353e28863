/**
 * The command-line options the commands share, validated where they are parsed: a bad value is a
 * usage error with a message that names the option, never a defect deeper down.
 */
import { HelpDoc, Options, ValidationError } from "@effect/cli"
import { type Duration, Effect } from "effect"
import * as Format from "../Format.js"

const invalid = (message: string) => ValidationError.invalidValue(HelpDoc.p(message))

/** `--url` (repeatable): download these addresses instead of the embedded LocalWeb. */
export const urls = Options.text("url").pipe(
  Options.withDescription("an address to download instead of the embedded LocalWeb (repeatable)"),
  Options.repeated
)

const positive = (name: string, fallback: number, description: string) =>
  Options.integer(name).pipe(
    Options.withDescription(description),
    Options.withDefault(fallback),
    Options.mapEffect((n) =>
      n >= 1 ? Effect.succeed(n) : Effect.fail(invalid(`--${name} must be a positive integer, got ${n}`))
    )
  )

/** `--concurrency N`: at most N downloads in flight (default 3). */
export const concurrency = positive("concurrency", 3, "at most this many downloads in flight")

/** `--tries N`: at most N attempts per download (default 3). */
export const tries = positive("tries", 3, "at most this many attempts per download")

/** `--timeout D`: how long the time-out waits (default 500ms; `250ms`, `2s`, `1.5s`, `500 millis`). */
export const timeout = Options.text("timeout").pipe(
  Options.withDescription("how long to wait before giving up (e.g. 250ms, 2s)"),
  Options.withDefault("500ms"),
  Options.mapEffect((text): Effect.Effect<Duration.Duration, ValidationError.ValidationError> => {
    const duration = Format.parseDuration(text)
    return duration === undefined
      ? Effect.fail(invalid(`--timeout must be a duration such as 250ms or 2s, got "${text}"`))
      : Effect.succeed(duration)
  })
)
