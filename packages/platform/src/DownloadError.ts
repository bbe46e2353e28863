/**
 * The typed failures of a download: every way `Download.get` can fail, as tagged errors carrying
 * the URL and what a caller needs to react (the status, how long the server asked to wait, the
 * size limit, the time limit).
 *
 * Match them with `Effect.catchTag` / `Effect.catchTags`, or by `_tag` on a `DownloadError`.
 *
 * Two outcomes are not `DownloadError`s: an interrupted download ends with an interruption in its
 * `Cause` (its request aborted on the wire; `Effect.catchAll` cannot swallow it), and a bad option
 * is a defect (`IllegalArgumentException`), a bug to fix rather than a failure to handle.
 *
 * The `url` of an error made by `Download` is the URL as given with its credentials redacted
 * (`http://user:***@host/`); messages show at most 200 characters of it (and redact it again, so an
 * error you build yourself does not leak a password either).
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import { urlForMessage } from "./internal/url.js"

/**
 * The URL could not be parsed, or its scheme is not `http:` / `https:`. Nothing was sent.
 *
 * @example
 * ```ts
 * import { DownloadError } from "@tapestry/platform"
 *
 * const error = new DownloadError.InvalidUrl({ url: "ftp://example" })
 * console.log(error._tag, error.message) // InvalidUrl Invalid URL (expected http: or https:): ftp://example
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidUrl extends Data.TaggedError("InvalidUrl")<{
  readonly url: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `Invalid URL (expected http: or https:): ${urlForMessage(this.url)}`
  }
}

/**
 * No response arrived: the connection was refused, could not be established, or was reset or
 * closed before the response headers.
 *
 * @example
 * ```ts
 * import { DownloadError } from "@tapestry/platform"
 *
 * const error = new DownloadError.ConnectionFailed({ url: "http://127.0.0.1:1/" })
 * console.log(error.message) // Connection failed: http://127.0.0.1:1/
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionFailed extends Data.TaggedError("ConnectionFailed")<{
  readonly url: string
  readonly cause?: unknown
}> {
  override get message(): string {
    const reason = describe(this.cause)
    return `Connection failed: ${urlForMessage(this.url)}${reason === "" ? "" : ` (${reason})`}`
  }
}

/**
 * The server answered with a status outside 200…399, or kept redirecting past `maxRedirects` (then
 * `status` is the last redirect's). `retryAfter` holds its `Retry-After` header (seconds, or an HTTP
 * date measured against the `Clock`), when it sent a valid one.
 *
 * @example
 * ```ts
 * import { DownloadError } from "@tapestry/platform"
 * import { Duration } from "effect"
 *
 * const error = new DownloadError.HttpStatusError({ url: "http://127.0.0.1/busy", status: 503, retryAfter: Duration.seconds(2) })
 * console.log(error.message) // HTTP 503 from http://127.0.0.1/busy (Retry-After: 2s)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpStatusError extends Data.TaggedError("HttpStatusError")<{
  readonly url: string
  readonly status: number
  readonly retryAfter?: Duration.Duration
}> {
  override get message(): string {
    const after = this.retryAfter === undefined ? "" : ` (Retry-After: ${Duration.format(this.retryAfter)})`
    return `HTTP ${this.status} from ${urlForMessage(this.url)}${after}`
  }
}

/**
 * The response started but its body did not arrive whole: the connection was reset or closed
 * mid-body, or fewer bytes arrived than `content-length` announced. Under `decompress: true` (0.2),
 * also a body that cannot be decoded: corrupt or truncated compressed data, an unknown
 * `content-encoding`, or stacked codings (the message says which).
 *
 * @example
 * ```ts
 * import { DownloadError } from "@tapestry/platform"
 *
 * const error = new DownloadError.BodyError({ url: "http://127.0.0.1/reset" })
 * console.log(error.message) // Response body failed: http://127.0.0.1/reset
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class BodyError extends Data.TaggedError("BodyError")<{
  readonly url: string
  readonly cause?: unknown
}> {
  override get message(): string {
    const reason = describe(this.cause)
    return `Response body failed: ${urlForMessage(this.url)}${reason === "" ? "" : ` (${reason})`}`
  }
}

/**
 * The body is larger than `maxBytes`: announced by `content-length` (rejected before reading) or
 * found while streaming. The request is aborted and its connection closed.
 *
 * @example
 * ```ts
 * import { DownloadError } from "@tapestry/platform"
 *
 * const error = new DownloadError.TooLarge({ url: "http://127.0.0.1/big", maxBytes: 1024 })
 * console.log(error.message) // Response body of http://127.0.0.1/big exceeds maxBytes (1024)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class TooLarge extends Data.TaggedError("TooLarge")<{
  readonly url: string
  readonly maxBytes: number
}> {
  override get message(): string {
    return `Response body of ${urlForMessage(this.url)} exceeds maxBytes (${this.maxBytes})`
  }
}

/**
 * The download did not finish within its `timeout`; it was interrupted, which aborted the request.
 *
 * Its tag is `RequestTimeout` (0.2; it was `TimeoutError` in 0.1), so that `Effect.catchTag` tells it
 * from `Task.timeout`'s `TimeoutError` when a download runs inside a `Task.timeout`.
 *
 * @example
 * ```ts
 * import { DownloadError } from "@tapestry/platform"
 * import { Duration } from "effect"
 *
 * const error = new DownloadError.RequestTimeout({ url: "http://127.0.0.1/hang", timeout: Duration.seconds(5) })
 * console.log(error._tag, error.message) // RequestTimeout Download of http://127.0.0.1/hang timed out after 5s
 * ```
 *
 * @example
 * ```ts
 * // Title: A download's own time-out versus Task.timeout around it
 * import { Task } from "@tapestry/core"
 * import { Download, type DownloadError, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Console, Duration, Effect, Layer } from "effect"
 *
 * const report = <R>(download: Effect.Effect<unknown, DownloadError.DownloadError | Task.TimeoutError, R>) =>
 *   download.pipe(
 *     Effect.catchTags({
 *       RequestTimeout: (e) => Console.log(`RequestTimeout after ${Duration.format(e.timeout)}`),
 *       TimeoutError: (e) => Console.log(`TimeoutError after ${Duration.format(e.duration)}`)
 *     })
 *   )
 *
 * const program = Effect.gen(function* () {
 *   const slow = (yield* LocalWeb.LocalWeb).url("/slow") // answers after 500 ms
 *   yield* report(Download.get(slow, { timeout: "50 millis" }).pipe(Task.timeout("1 second")))
 *   yield* report(Download.get(slow, { timeout: "1 second" }).pipe(Task.timeout("50 millis")))
 * })
 * Effect.runPromise(program.pipe(Effect.provide(Layer.merge(FastHttpClient.layer, LocalWeb.layer()))))
 * // Output:
 * // RequestTimeout after 50ms
 * // TimeoutError after 50ms
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class RequestTimeout extends Data.TaggedError("RequestTimeout")<{
  readonly url: string
  readonly timeout: Duration.Duration
}> {
  override get message(): string {
    return `Download of ${urlForMessage(this.url)} timed out after ${Duration.format(this.timeout)}`
  }
}

/**
 * Every way a download can fail (`RequestTimeout` replaced 0.1's `TimeoutError` in 0.2).
 *
 * @example
 * ```ts
 * import { DownloadError } from "@tapestry/platform"
 *
 * const retryable = (error: DownloadError.DownloadError): boolean => {
 *   switch (error._tag) {
 *     case "HttpStatusError":
 *       return error.status === 429 || error.status >= 500
 *     case "ConnectionFailed":
 *     case "BodyError":
 *     case "RequestTimeout":
 *       return true
 *     case "InvalidUrl":
 *     case "TooLarge":
 *       return false
 *   }
 * }
 * console.log(retryable(new DownloadError.TooLarge({ url: "http://127.0.0.1/", maxBytes: 1 }))) // false
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type DownloadError = InvalidUrl | ConnectionFailed | HttpStatusError | BodyError | TooLarge | RequestTimeout

const describe = (cause: unknown): string => {
  if (cause === undefined || cause === null) return ""
  if (typeof cause === "object") {
    const code = (cause as { code?: unknown }).code
    const message = (cause as { message?: unknown }).message
    if (typeof code === "string" && typeof message === "string") return `${code}: ${message}`
    if (typeof message === "string") return message
  }
  return String(cause)
}
