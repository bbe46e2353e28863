/**
 * Typed failures as a table, one row per address: the error's tag and what it carries — never a
 * stack trace. Each error is taken apart by its `_tag`.
 */
import type { DownloadError } from "@tapestry/platform"
import { Cause, Effect, Option } from "effect"
import * as Format from "./Format.js"

/** One failed address. */
export interface Row {
  readonly label: string
  readonly error: DownloadError.DownloadError
}

/** Plain words for the socket errors a reader is likely to meet; the code stays in brackets. */
const socketWords: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  UND_ERR_SOCKET: "connection closed by the server",
  ENOTFOUND: "host not found",
  ETIMEDOUT: "connect timed out",
  EHOSTUNREACH: "host unreachable"
}

/** The socket error's code under `cause`: a client's wrapper (a `ResponseError` "Decode error") names none. */
const codeOf = (cause: unknown, depth = 0): string | undefined => {
  if (typeof cause !== "object" || cause === null || depth > 4) return undefined
  const code = (cause as { readonly code?: unknown }).code
  return typeof code === "string" ? code : codeOf((cause as { readonly cause?: unknown }).cause, depth + 1)
}

const reason = (cause: unknown): string => {
  if (cause === undefined || cause === null) return ""
  const code = codeOf(cause)
  if (code !== undefined) return socketWords[code] === undefined ? code : `${socketWords[code]} (${code})`
  const message = typeof cause === "object" ? (cause as { readonly message?: unknown }).message : undefined
  return typeof message === "string" ? message : String(cause)
}

/** What a download error says, without its tag. */
export const detail = (error: DownloadError.DownloadError): string => {
  switch (error._tag) {
    case "HttpStatusError":
      return `status ${error.status}${error.retryAfter === undefined ? "" : `, Retry-After ${Format.duration(error.retryAfter)}`}`
    case "RequestTimeout":
      return `no answer within ${Format.duration(error.timeout)}`
    case "TooLarge":
      return `body over ${Format.bytes(error.maxBytes)}`
    case "InvalidUrl":
      return "not an http(s) address"
    case "ConnectionFailed":
      return reason(error.cause)
    case "BodyError": {
      const why = reason(error.cause)
      return why === "" ? "body cut short" : `body cut short: ${why}`
    }
  }
}

/** The table's lines (nothing when there is no failure). */
export const table = (rows: ReadonlyArray<Row>): Array<string> =>
  rows.length === 0
    ? []
    : Format.table(
        ["url", "error", "detail"],
        rows.map((row) => [row.label, row.error._tag, detail(row.error)])
      )

/** `HttpStatusError: status 404` — a typed failure in one phrase. */
export const summary = (error: DownloadError.DownloadError): string => `${error._tag}: ${detail(error)}`

/**
 * Hands a typed failure in `cause` to `onFailure`; anything else (a defect, an interruption) is not
 * part of the show and goes on up as it is.
 */
export const handle = <E extends DownloadError.DownloadError, A, R>(
  cause: Cause.Cause<E>,
  onFailure: (error: E) => Effect.Effect<A, never, R>
): Effect.Effect<A, never, R> =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => Effect.failCause(Cause.stripFailures(cause)),
    onSome: onFailure
  })
