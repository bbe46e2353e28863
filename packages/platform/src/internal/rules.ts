/**
 * The HTTP rules of a download, the same for every transport: how a URL is shown, what a request
 * carries, what a response head means (an error, a redirect to follow, a size over the limit, or a body
 * to read), what each body chunk means (progress, the size limit) and how the body ends; under
 * `decompress`, what is asked for and how the body is decoded (`encoding.ts`). Bookkeeping only: the
 * transports (`transports.ts`) feed it what arrives on the wire.
 */
import type * as Headers from "@effect/platform/Headers"
import type { Progress } from "@tapestry/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Download from "../Download.js"
import { BodyError, type DownloadError, HttpStatusError, InvalidUrl, TooLarge } from "../DownloadError.js"
import { acceptEncoding, contentEncoding, Decoder, type DecoderSink, Unsupported } from "./encoding.js"
import { redactParsed, urlForMessage } from "./url.js"

// ---------------------------------------------------------------------------------------------
// Header values
// ---------------------------------------------------------------------------------------------

const imfFixdate = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/
const rfc850 = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/
const asctime = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/

/**
 * `Retry-After`: a non-negative whole number of seconds, or an HTTP-date (IMF-fixdate, RFC 850 or
 * asctime) measured against `nowMillis`. Anything else (`-5`, `1.5`, `soon`) is ignored. @internal
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Duration.seconds(Number(v))
  if (!(imfFixdate.test(v) || rfc850.test(v) || asctime.test(v))) return undefined
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - nowMillis))
}

const parseContentLength = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const v = value.trim()
  return /^\d+$/.test(v) ? Number(v) : undefined
}

const redirectStatus = (status: number): boolean =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** The validated options that shape every hop of a download. @internal */
export interface Rules {
  readonly maxBytes: number | undefined
  readonly maxRedirects: number
  readonly progress: Progress.Progress<Download.DownloadProgress> | undefined
  readonly headers: Readonly<Record<string, string>> | undefined
  /** `false` for `contentLength`: count the body's bytes, keep none. */
  readonly keepBody: boolean
  /** Ask for gzip, deflate and br, and decode: then the body's bytes are the decoded ones. */
  readonly decompress: boolean
}

/** One request of a download (the first, or one after a redirect). @internal */
export interface Hop {
  /** The URL as given, redacted: what results and errors name. */
  readonly given: string
  /** The URL requested now, without credentials. */
  readonly url: URL
  /** The request headers (lower-case names), credentials as `authorization`. */
  readonly headers: Readonly<Record<string, string>>
  /** Redirects followed before this hop. */
  readonly redirects: number
  /** `user:***` while the URL's credentials are still sent (same origin), for showing the URL. */
  readonly userinfo: string | undefined
}

/**
 * The bytes a URL component stands for: each `%XX` is a byte, the rest is UTF-8; a `%` not followed by
 * two hex digits is itself (as curl reads it; `decodeURIComponent` would throw).
 */
const percentDecoded = (component: string): Buffer => {
  const parts: Array<Buffer> = []
  let from = 0
  for (const escapes of component.matchAll(/(?:%[0-9a-fA-F]{2})+/g)) {
    parts.push(Buffer.from(component.slice(from, escapes.index), "utf8"))
    parts.push(Buffer.from(escapes[0].replaceAll("%", ""), "hex"))
    from = escapes.index + escapes[0].length
  }
  parts.push(Buffer.from(component.slice(from), "utf8"))
  return Buffer.concat(parts)
}

const colon = Buffer.from(":")

const basic = (url: URL): string | undefined =>
  url.username === "" && url.password === ""
    ? undefined
    : `Basic ${Buffer.concat([percentDecoded(url.username), colon, percentDecoded(url.password)]).toString("base64")}`

const lowerCase = (headers: Readonly<Record<string, string>> | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  if (headers !== undefined) for (const name in headers) out[name.toLowerCase()] = headers[name]!
  return out
}

const webUrl = (url: URL): boolean => url.protocol === "http:" || url.protocol === "https:"

/** The first hop of a download of `url`, or why nothing can be sent. @internal */
export const firstHop = (url: string, rules: Rules): Hop | InvalidUrl => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    // Not the parser's error: it carries the whole input, credentials included.
    return new InvalidUrl({ url: redactParsed(url, undefined), cause: new TypeError("unparseable URL") })
  }
  const given = redactParsed(url, parsed)
  if (!webUrl(parsed)) return new InvalidUrl({ url: given })
  const headers = lowerCase(rules.headers)
  if (rules.decompress) headers["accept-encoding"] ??= acceptEncoding
  const authorization = basic(parsed)
  let userinfo: string | undefined
  if (authorization !== undefined) {
    headers.authorization ??= authorization
    userinfo = parsed.password === "" ? "***" : `${parsed.username}:***`
    parsed.username = ""
    parsed.password = ""
  }
  return { given, url: parsed, headers, redirects: 0, userinfo }
}

/** Headers that are never sent to another origin than the one they were given for. */
const originBound = ["authorization", "cookie", "proxy-authorization"]

/** A redirect the pipeline follows: internal, it never reaches a public error channel. @internal */
export class Redirect {
  readonly _tag = "Redirect"
  constructor(
    readonly status: number,
    readonly location: string
  ) {}
}

/**
 * The hop after `redirect`: the `Location` resolved against the URL without credentials; credentials
 * and other origin-bound headers are dropped when the origin changes. @internal
 */
export const nextHop = (hop: Hop, redirect: Redirect, rules: Rules): Hop | DownloadError => {
  if (hop.redirects >= rules.maxRedirects) return new HttpStatusError({ url: hop.given, status: redirect.status })
  let next: URL
  try {
    next = new URL(redirect.location, hop.url)
  } catch {
    return new InvalidUrl({ url: hop.given, cause: new TypeError("unparseable Location") })
  }
  if (!webUrl(next)) {
    return new InvalidUrl({ url: hop.given, cause: new Error(`redirected to ${urlForMessage(next.href)}`) })
  }
  let headers = hop.headers
  let userinfo = hop.userinfo
  if (next.origin !== hop.url.origin) {
    userinfo = undefined
    const kept: Record<string, string> = {}
    for (const name in headers) if (!originBound.includes(name)) kept[name] = headers[name]!
    headers = kept
  }
  // Credentials in a Location are never used: they would be shown, and sent to whoever redirected us.
  next.username = ""
  next.password = ""
  return { given: hop.given, url: next, headers, redirects: hop.redirects + 1, userinfo }
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/**
 * How a decoded body ends, told to the transport that feeds it: `undefined` when it is complete,
 * or the error that ends the exchange (`TooLarge`, `BodyError`). Called once. @internal
 */
export type BodyDone = (error: DownloadError | undefined) => void

/**
 * One response received under the rules. A transport calls `head` when the (final, non-1xx) head
 * arrives, then, for the body:
 *
 * - as sent (`decoding` false): `chunk` for each chunk and `end` when it is complete; each returns the
 *   error (or redirect) that ends the exchange, if any;
 * - decoded (`decoding`: `decompress` and a `content-encoding`): `write` for each chunk from the wire
 *   (it calls `drained` once the chunk was decoded: pause the wire until then), `finish` when the wire
 *   is done, and `close` when the exchange ends otherwise (interruption, a broken connection). How the
 *   body ends arrives through `onDone`, which the transport sets before the first `write`.
 *
 * `report` is the progress report due now. @internal
 */
export class Reception implements DecoderSink {
  status = 0
  /** Body bytes so far: decoded ones when `decoding`. */
  received = 0
  /** The `content-length` for progress: unknown when `decoding` (it counts the encoded bytes). */
  total: number | undefined = undefined
  onDone: BodyDone | undefined = undefined
  private reported = -1
  private chunks: Array<Uint8Array> = []
  private headersOf: (() => Headers.Headers) | undefined = undefined
  private decoder: Decoder | undefined = undefined
  /** When `decoding`: the encoded bytes so far, and the `content-length` they must reach. */
  private wire = 0
  private wireTotal: number | undefined = undefined
  private done = false

  constructor(
    readonly hop: Hop,
    readonly rules: Rules
  ) {}

  /** The head: an error status, a redirect, a `content-length` over `maxBytes`, or `undefined` (read the body). */
  head(
    status: number,
    header: (name: string) => string | undefined,
    headers: () => Headers.Headers,
    nowMillis: number
  ): DownloadError | Redirect | undefined {
    this.status = status
    this.headersOf = headers
    if (redirectStatus(status)) {
      const location = header("location")
      if (location !== undefined) return new Redirect(status, location)
    }
    const url = this.hop.given
    if (status < 200 || status >= 400) {
      const retryAfter = parseRetryAfter(header("retry-after"), nowMillis)
      return new HttpStatusError(retryAfter === undefined ? { url, status } : { url, status, retryAfter })
    }
    const total = parseContentLength(header("content-length"))
    if (this.rules.decompress) {
      const encoding = contentEncoding(header("content-encoding"))
      if (encoding instanceof Unsupported) return new BodyError({ url, cause: new Error(encoding.reason) })
      if (encoding !== undefined) {
        // `maxBytes` bounds the decoded body: the encoded length says nothing about it
        this.decoder = new Decoder(encoding, this)
        this.wireTotal = total
        return undefined
      }
    }
    this.total = total
    const maxBytes = this.rules.maxBytes
    if (total !== undefined && maxBytes !== undefined && total > maxBytes) return new TooLarge({ url, maxBytes })
    return undefined
  }

  /** Whether the body is decoded (`write` / `finish`) rather than taken as sent (`chunk` / `end`). */
  get decoding(): boolean {
    return this.decoder !== undefined
  }

  /** One body chunk: `TooLarge` once the body passes `maxBytes`. */
  chunk(bytes: Uint8Array): TooLarge | undefined {
    this.received += bytes.length
    const maxBytes = this.rules.maxBytes
    if (maxBytes !== undefined && this.received > maxBytes) return new TooLarge({ url: this.hop.given, maxBytes })
    if (this.rules.keepBody) this.chunks.push(bytes)
    return undefined
  }

  /** The body is complete: `BodyError` if fewer (or more) bytes came than `content-length` announced. */
  end(): BodyError | undefined {
    const [received, total] = this.decoder === undefined ? [this.received, this.total] : [this.wire, this.wireTotal]
    if (total !== undefined && received !== total) {
      return new BodyError({
        url: this.hop.given,
        cause: new Error(`received ${received} of ${total} bytes (content-length)`)
      })
    }
    return undefined
  }

  /** Decoding: one chunk from the wire; `drained()` once it was decoded (never if the body ended meanwhile). */
  write(bytes: Uint8Array, drained: () => void): void {
    if (this.done) return
    this.wire += bytes.length
    this.decoder!.write(bytes, drained)
  }

  /** Decoding: the wire is done; `onDone` follows once the decoder is. */
  finish(): void {
    if (!this.done) this.decoder!.end()
  }

  /** Stops the decoder, if any (the exchange ended without `finish`); `onDone` is not called. */
  close(): void {
    this.done = true
    this.decoder?.destroy()
  }

  /** The decoder's output: counted and kept as `chunk` does; `TooLarge` stops the decoder (a small bomb stays small). */
  data(bytes: Uint8Array): boolean {
    const error = this.chunk(bytes)
    if (error === undefined) return true
    this.settle(error)
    return false
  }

  /** The encoded bytes are corrupt or truncated: `BodyError`. */
  failed(cause: Error): void {
    const reason = `the ${this.decoder!.encoding} body could not be decoded: ${cause.message}`
    this.settle(new BodyError({ url: this.hop.given, cause: new Error(reason, { cause }) }))
  }

  /** The decoded body is complete (`end` checks the encoded bytes against `content-length`). */
  ended(): void {
    this.settle(this.end())
  }

  private settle(error: DownloadError | undefined): void {
    if (this.done) return
    this.done = true
    if (error !== undefined) this.decoder!.destroy()
    this.onDone?.(error)
  }

  /** The progress report due now (headers in: `received: 0`; then each time `received` grew), or nothing. */
  report(): Effect.Effect<void> {
    const progress = this.rules.progress
    if (progress === undefined || this.received === this.reported) return Effect.void
    // The first report is always `received: 0`, even if bytes came with the headers.
    const received = this.reported === -1 ? 0 : this.received
    this.reported = received
    const url = this.hop.given
    const report = progress.report(this.total === undefined ? { url, received } : { url, received, total: this.total })
    return received === this.received ? report : Effect.zipRight(report, this.report())
  }

  /** The body's bytes, joined (empty when `keepBody` is off). */
  body(): Uint8Array {
    const chunks = this.chunks
    this.chunks = []
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.rules.keepBody ? this.received : 0)
  }

  /** The response headers (parsed on first use). */
  headers(): Headers.Headers {
    return this.headersOf!()
  }
}
