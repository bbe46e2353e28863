/**
 * Downloads on `@effect/platform`'s `HttpClient`: typed errors, progress, size and time limits,
 * and cancellation on the wire.
 *
 * Every operation needs an `HttpClient` — `FastHttpClient.layer` (fastest), or any other, e.g.
 * `NodeHttpClient.layerUndici`. Interrupting a download aborts its request at every stage: while
 * it waits for a connection, while it waits for the response headers and while it reads the body;
 * the connection is closed and nothing keeps running.
 *
 * Failures are {@link DownloadError.DownloadError}s: `InvalidUrl`, `ConnectionFailed`,
 * `HttpStatusError` (status outside 200…399, with the parsed `Retry-After`), `BodyError`,
 * `TooLarge`, `RequestTimeout`.
 *
 * The HTTP rules are the same whichever client runs the request:
 *
 * - Redirects (301, 302, 303, 307, 308 with a `Location`) are followed, up to `maxRedirects`;
 *   `finalUrl` says where the body came from.
 * - Informational answers (100, 103 Early Hints) are skipped: the final response counts.
 * - Credentials in a URL (`http://user:pass@host/`) are sent as HTTP Basic authorization, never to
 *   another origin after a redirect, and never shown: results, errors, messages, logs and spans show
 *   `user:***@` (see {@link redactUrl}); messages show at most 200 characters of a URL.
 * - By default the body is the bytes as sent: no `Accept-Encoding` is sent and nothing is decoded, so
 *   `bytes`, `maxBytes` and progress count the bytes on the wire (a server that compresses anyway gets
 *   its compressed body returned as it is, with its `content-encoding` header). With `decompress: true`
 *   (0.2) gzip, deflate and br are asked for and decoded, and everything counts decoded bytes.
 * - Each download runs in a span `Download.get` (child of the caller's span) with `http.request.method`,
 *   `url.full` (redacted), `http.response.status_code`, `tapestry.download.bytes` and
 *   `tapestry.download.redirects`; each request in it gets a client span `http.client GET` whose trace
 *   headers (`traceparent`, `b3`) are sent. Header values are never put in spans. This is when a tracer
 *   is installed (OpenTelemetry's, or any `Effect.withTracer`): under Effect's built-in tracer, which
 *   records nothing, or with tracing disabled, a download makes no `Download.get` span, and on an
 *   untransformed `FastHttpClient` no client span and no trace headers either (other clients make
 *   their own client span and headers as usual).
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Progress, Task } from "@tapestry/core"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Stream from "effect/Stream"
import type { DownloadError } from "./DownloadError.js"
import * as internal from "./internal/download.js"

/**
 * A finished download.
 *
 * - `url` — the URL as given (credentials redacted: `user:***@`); `finalUrl` (0.2) — the URL the body
 *   came from, after redirects (the same as `url` when there was none; `user:***@` while the
 *   credentials were still sent).
 * - `status` — the final response's status (200…399).
 * - `headers` — the response headers (lower-case names).
 * - `body` — every byte of the body; `bytes` — its length.
 * - `elapsed` — from the start of the request to the last byte, by the `Clock`.
 *
 * @example
 * ```ts
 * import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Effect, Layer } from "effect"
 *
 * const describe = (page: Download.Downloaded) => `${page.status} ${page.headers["content-type"]} ${page.bytes}`
 *
 * const program = Effect.flatMap(LocalWeb.LocalWeb, (web) => Download.get(web.url("/fast")))
 * const page = await Effect.runPromise(program.pipe(Effect.provide(Layer.merge(FastHttpClient.layer, LocalWeb.layer()))))
 * console.log(describe(page)) // 200 application/octet-stream 1024
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Downloaded {
  readonly url: string
  readonly finalUrl: string
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
  readonly bytes: number
  readonly elapsed: Duration.Duration
}

/**
 * What a download reports while it runs: bytes `received` so far, and the `total` announced by
 * `content-length` when there was one. Reports start at `received: 0` once the headers arrived,
 * never go down, and the last one equals the body's size. Under `decompress: true`, a compressed
 * body's `received` counts decoded bytes and its `total` is unknown (`content-length` counts the
 * compressed ones).
 *
 * @example
 * ```ts
 * import type { Download } from "@tapestry/platform"
 *
 * const percent = (p: Download.DownloadProgress) =>
 *   p.total === undefined ? `${p.received} bytes` : `${Math.round((100 * p.received) / p.total)}%`
 * console.log(percent({ url: "http://127.0.0.1/", received: 512, total: 1024 })) // 50%
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface DownloadProgress {
  readonly url: string
  readonly received: number
  readonly total?: number
}

/**
 * Options of {@link get} (and of the operations built on it).
 *
 * - `progress` — receives a {@link DownloadProgress} as chunks arrive (default: none).
 * - `maxBytes` — the largest body accepted, a positive integer (default: unlimited). Checked
 *   against `content-length` before reading and again while streaming; exceeding it aborts the
 *   request and fails with `TooLarge`.
 * - `timeout` — the longest the whole download may take, a `Duration` input (default: none;
 *   `Infinity` never fires; NaN, negative or unparseable is a defect). When it elapses the download
 *   is interrupted (aborting the request) and fails with `RequestTimeout`.
 * - `maxRedirects` — how many redirects (301, 302, 303, 307, 308 with a `Location`) are followed,
 *   a non-negative integer (default 10). One more fails with `HttpStatusError` carrying the
 *   redirect's status; a `Location` that is not an `http:`/`https:` URL fails with `InvalidUrl`.
 *   A redirect's own body is not read. A cross-origin redirect drops `authorization`, `cookie` and
 *   `proxy-authorization` (and the URL's credentials).
 * - `headers` (0.2) — request headers, e.g. `{ "user-agent": "mirror-check/1.0" }` (default: none;
 *   values must be strings, anything else is a defect). Their values are never printed or put in
 *   spans. An `authorization` header here wins over credentials in the URL.
 * - `decompress` (0.2) — `true` sends `Accept-Encoding: gzip, deflate, br` (unless `headers` has an
 *   `accept-encoding` of its own) and decodes a body whose `content-encoding` is `gzip`, `deflate`
 *   (zlib-wrapped or raw) or `br`, as it streams. Then `body`, `bytes`, `maxBytes`, `contentLength` and
 *   progress `received` count **decoded** bytes and progress `total` is unknown; `headers` stay as
 *   received (`content-encoding` says what was decoded). `maxBytes` stops the decoder as soon as the
 *   decoded body passes it, so a small compressed body that inflates to gigabytes (a zip bomb) fails
 *   with `TooLarge` having decoded about `maxBytes` — set one when the server is not yours. A corrupt
 *   or truncated body, an unknown coding (`zstd`, `compress`) or stacked codings (`gzip, br`) fail with
 *   `BodyError` saying why; an unknown coding's body is not read. Default `false`: the body is the bytes
 *   as sent. Anything but a boolean is a defect.
 *
 * @example
 * ```ts
 * import type { Download } from "@tapestry/platform"
 *
 * const options: Download.GetOptions = {
 *   maxBytes: 1024 * 1024,
 *   timeout: "10 seconds",
 *   headers: { "user-agent": "mirror-check/1.0" }
 * }
 * console.log(options.maxBytes) // 1048576
 * ```
 *
 * @example
 * ```ts
 * // Decoded: a gzip body counts (and is limited by) its decoded size
 * import { createServer } from "node:http"
 * import { gzipSync } from "node:zlib"
 * import { Download, FastHttpClient } from "@tapestry/platform"
 * import { Effect } from "effect"
 *
 * const text = "hello, world\n".repeat(1000)
 * const server = createServer((_, res) => {
 *   res.writeHead(200, { "content-encoding": "gzip" })
 *   res.end(gzipSync(text))
 * })
 * await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
 * const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
 *
 * const program = Effect.gen(function* () {
 *   const raw = yield* Download.get(url)
 *   const page = yield* Download.get(url, { decompress: true, maxBytes: 1024 * 1024 })
 *   const bomb = yield* Effect.flip(Download.get(url, { decompress: true, maxBytes: 1000 }))
 *   return [raw.bytes < 200, page.bytes, bomb._tag] as const
 * })
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(FastHttpClient.layer)))) // [ true, 13000, 'TooLarge' ]
 * server.close()
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface GetOptions {
  readonly progress?: Progress.Progress<DownloadProgress> | undefined
  readonly maxBytes?: number | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly maxRedirects?: number | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly decompress?: boolean | undefined
}

/**
 * Downloads `url` (GET) into memory.
 *
 * Fails with `InvalidUrl` (unparseable, or not `http:`/`https:`; nothing is sent),
 * `ConnectionFailed` (refused, or reset before the headers), `HttpStatusError` (status outside
 * 200…399 once redirects are followed — see `maxRedirects` — with `Retry-After` parsed into a
 * `Duration`: a non-negative whole number of seconds or an HTTP-date, anything else ignored),
 * `BodyError` (reset or truncated mid-body, or fewer bytes than `content-length`), `TooLarge` (see
 * `maxBytes`) or `RequestTimeout` (see `timeout`). A bad option (see {@link GetOptions}) is a defect
 * (`IllegalArgumentException`) naming it.
 *
 * Interruption aborts the request on the wire at every stage. Error responses are not read: their
 * connection is closed.
 *
 * @example
 * ```ts
 * import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const web = yield* LocalWeb.LocalWeb
 *   const page = yield* Download.get(web.url("/fast"), { maxBytes: 64 * 1024, timeout: "5 seconds" })
 *   const missing = yield* Download.get(web.url("/not-found")).pipe(
 *     Effect.catchTag("HttpStatusError", (error) => Effect.succeed(`failed with ${error.status}`))
 *   )
 *   return [page.bytes, missing] as const
 * })
 *
 * const layer = Layer.merge(FastHttpClient.layer, LocalWeb.layer())
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(layer)))) // [ 1024, 'failed with 404' ]
 * ```
 *
 * @since 0.1.0
 * @category downloads
 */
export const get: (
  url: string,
  options?: GetOptions
) => Effect.Effect<Downloaded, DownloadError, HttpClient.HttpClient> = internal.get

/**
 * The length of `url`'s body in bytes, counted as it streams (the `ProcessURLAsync` of Microsoft's WhenAny article): the
 * body itself is not kept, so a large one costs no memory. Same options, failures and cancellation
 * as {@link get}.
 *
 * @example
 * ```ts
 * import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.flatMap(LocalWeb.LocalWeb, (web) => Download.contentLength(web.url("/chunked")))
 * const layer = Layer.merge(FastHttpClient.layer, LocalWeb.layer())
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(layer)))) // 65536
 * ```
 *
 * @since 0.1.0
 * @category downloads
 */
export const contentLength: (
  url: string,
  options?: GetOptions
) => Effect.Effect<number, DownloadError, HttpClient.HttpClient> = internal.contentLength

/**
 * One element of {@link interleaved}: the position of `url` in the input (credentials redacted) and
 * how its download ended.
 *
 * @example
 * ```ts
 * import type { Download } from "@tapestry/platform"
 * import { Exit } from "effect"
 *
 * const line = (done: Download.Interleaved) =>
 *   `#${done.index} ${done.url}: ${Exit.isSuccess(done.exit) ? `${done.exit.value.bytes} bytes` : "failed"}`
 * console.log(line({ index: 0, url: "http://127.0.0.1/", exit: Exit.fail(undefined as never) })) // #0 http://127.0.0.1/: failed
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Interleaved {
  readonly index: number
  readonly url: string
  readonly exit: Exit.Exit<Downloaded, DownloadError>
}

/**
 * Options of {@link interleaved}: those of {@link get}, plus:
 *
 * - `concurrency` — the most downloads in flight at once, a positive integer, `"unbounded"` or
 *   `Infinity` (the same; default `"unbounded"`; the `FastHttpClient` pool still caps connections per
 *   origin).
 * - `perHost` (0.2) — the most downloads in flight to one host, a positive integer or `Infinity` (no
 *   cap, the default). The host is the URL's host and port as given (`127.0.0.1:8080`; `localhost` and
 *   `127.0.0.1` are two hosts; a redirect to another host still counts for the first). A URL waiting
 *   for a full host takes no `concurrency` slot: URLs of other hosts go ahead.
 * - `maxRetryAfter` (0.2) — the longest hold a `Retry-After` puts on a host, a `Duration` input
 *   (default `5 minutes`; `Infinity`: as long as the server says; `0` turns holds off). A `429` or `503`
 *   with `Retry-After` from a host holds that host's next downloads until the time has passed (at most
 *   this long), with or without `perHost`; downloads already in flight go on, and other hosts are not
 *   held. The 429/503 is its URL's result (`HttpStatusError` with `retryAfter`), not retried.
 *
 * A `perHost` below 1, fractional or NaN, a negative, NaN or unparseable `maxRetryAfter`, or a bad
 * `concurrency` is a defect (`IllegalArgumentException` naming `Download.interleaved`, the option and
 * the value) when the stream runs, before any request.
 *
 * @example
 * ```ts
 * import type { Download } from "@tapestry/platform"
 *
 * const options: Download.InterleavedOptions = { concurrency: 8, maxBytes: 1_000_000 }
 * console.log(options.concurrency) // 8
 * ```
 *
 * @example
 * ```ts
 * // Polite crawling: at most 2 requests per host, 16 in all, and a 429's Retry-After held at most 1 minute
 * import type { Download } from "@tapestry/platform"
 *
 * const polite: Download.InterleavedOptions = { concurrency: 16, perHost: 2, maxRetryAfter: "1 minute" }
 * console.log(polite.perHost) // 2
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface InterleavedOptions extends GetOptions {
  readonly concurrency?: number | "unbounded" | undefined
  readonly perHost?: number | undefined
  readonly maxRetryAfter?: Duration.DurationInput | undefined
}

/**
 * A list of URLs for {@link first} and {@link interleaved}: any `Iterable` of strings (an array, a
 * `Set`, a generator — read lazily) except a single string, which would be read character by
 * character. Passing a string is a type error and, from JavaScript, a defect
 * (`IllegalArgumentException`).
 *
 * @example
 * ```ts
 * import type { Download } from "@tapestry/platform"
 *
 * function* mirrors(): Generator<string> {
 *   for (let i = 1; ; i++) yield `http://127.0.0.1:8080/mirror-${i}`
 * }
 * const urls: Download.Urls = mirrors()
 * // @ts-expect-error a single string is not a list of URLs
 * const wrong: Download.Urls = "http://127.0.0.1/"
 * console.log(typeof urls[Symbol.iterator], typeof wrong) // function string
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type Urls = Iterable<string> & { readonly charAt?: never }

/**
 * Downloads every URL, at most `concurrency` at once and at most `perHost` to one host, and emits each
 * as it completes (completion order, not input order): TAP's `Interleaved`. Failures are values
 * (`exit`), so one failed download does not stop the others. A host that answers `429` or `503` with
 * `Retry-After` is held — only that host — until the time has passed (see {@link InterleavedOptions}).
 *
 * `urls` is consumed lazily (an endless generator works): while no host is held or full, a URL is read
 * when a slot frees, as without `perHost`. A URL whose host is held or full waits without a slot while
 * the next ones are read for the other hosts: at most `concurrency` + 128 URLs read and not yet
 * finished (everything at once when `concurrency` is unbounded); within a host, URLs still start in
 * input order. Ending the stream early (e.g. `Stream.take`) or interrupting it aborts every download
 * in flight; URLs waiting for their host are dropped (nothing was sent for them).
 *
 * @example
 * ```ts
 * import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Effect, Exit, Layer, Stream } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const web = yield* LocalWeb.LocalWeb
 *   const urls = ["/slow", "/medium", "/not-found", "/fast"].map(web.url)
 *   return yield* Download.interleaved(urls, { concurrency: 4 }).pipe(
 *     Stream.map((done) => `${done.index}:${Exit.isSuccess(done.exit) ? "ok" : "failed"}`),
 *     Stream.runCollect
 *   )
 * })
 *
 * const layer = Layer.merge(FastHttpClient.layer, LocalWeb.layer())
 * const order = await Effect.runPromise(program.pipe(Effect.provide(layer)))
 * console.log([...order].slice(2)) // [ '1:ok', '0:ok' ]
 * ```
 *
 * @example
 * ```ts
 * // Per-host back-off: a host's 429 holds only that host; the other keeps going
 * import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Context, Effect, Exit, Layer, Stream } from "effect"
 *
 * const host = (sites: Record<string, LocalWeb.Site>) =>
 *   Effect.map(Layer.build(LocalWeb.layer(sites)), (context) => Context.get(context, LocalWeb.LocalWeb))
 *
 * const program = Effect.gen(function* () {
 *   const busy = yield* host({ "/a": { status: 429, retryAfter: 1 }, "/b": { size: 10 } })
 *   const calm = yield* host({ "/c": { size: 10 } })
 *   const urls = [busy.url("/a"), busy.url("/b"), calm.url("/c"), calm.url("/c")]
 *   return yield* Download.interleaved(urls, { concurrency: 1, perHost: 1 }).pipe(
 *     Stream.map((done) => `${done.index}:${Exit.isSuccess(done.exit) ? "ok" : done.exit.cause._tag}`),
 *     Stream.runCollect
 *   )
 * })
 *
 * const order = await Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(FastHttpClient.layer)))
 * console.log([...order]) // [ '0:Fail', '2:ok', '3:ok', '1:ok' ] (/b waited a second for the 429's Retry-After)
 * ```
 *
 * @since 0.1.0
 * @category downloads
 */
export const interleaved: (
  urls: Urls,
  options?: InterleavedOptions
) => Stream.Stream<Interleaved, never, HttpClient.HttpClient> = internal.interleaved

/**
 * Options of {@link first}: those of {@link get}, plus `stagger` — start the next mirror this long
 * after the previous one started, or at once when every started one has failed (hedged requests;
 * default: all start at once; a finite, non-negative `Duration` input, anything else is a defect).
 *
 * @example
 * ```ts
 * import type { Download } from "@tapestry/platform"
 *
 * const options: Download.FirstOptions = { stagger: "100 millis", timeout: "5 seconds" }
 * console.log(options.stagger) // 100 millis
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface FirstOptions extends GetOptions {
  readonly stagger?: Duration.DurationInput | undefined
}

/**
 * Downloads the same resource from several URLs (mirrors) and keeps the first **successful**
 * download: `Task.needOnlyOne` over {@link get}. A fast failure (say a `404`) does not win: the
 * others keep going. As soon as one succeeds, every other request is aborted on the wire (and
 * awaited); failures of losers are logged at warning level by `Task.needOnlyOne`. If all fail, fails
 * with `TaskFailures` holding each URL's error in input order.
 *
 * `urls` is read lazily, as `Task.needOnlyOne` reads its tasks: with a `stagger`, an endless
 * generator of mirrors works (the next URL is read only when the next download starts). An empty
 * list, or a single string instead of a list, is a defect (`IllegalArgumentException`).
 *
 * @example
 * ```ts
 * import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const web = yield* LocalWeb.LocalWeb
 *   const page = yield* Download.first([web.url("/not-found"), web.url("/slow"), web.url("/medium")])
 *   return page.url.endsWith("/medium")
 * })
 *
 * const layer = Layer.merge(FastHttpClient.layer, LocalWeb.layer())
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(layer)))) // true (the losing 404 is logged as a warning)
 * ```
 *
 * @since 0.1.0
 * @category downloads
 */
export const first: (
  urls: Urls,
  options?: FirstOptions
) => Effect.Effect<Downloaded, Task.TaskFailures<DownloadError>, HttpClient.HttpClient> = internal.first

/**
 * Options of {@link retryPolicy}.
 *
 * - `maxTries` — the most attempts, the first included (an integer, minimum 1).
 * - `base` — the first back-off (default `100 millis`, minimum 0); attempt k waits a uniformly random
 *   duration between half and all of `base · 2^(k−1)`.
 * - `cap` — the longest computed back-off (default `30 seconds`, minimum 0). It does not bound a
 *   server's `Retry-After`.
 * - `maxRetryAfter` (0.2) — the longest `Retry-After` that is waited (default `5 minutes`, minimum
 *   0). A longer one ends the retries at once: `Task.retryOnFault` fails with `RetriesExhausted`
 *   holding every attempt's error, that one included — never a longer wait.
 *
 * `retryPolicy` throws `IllegalArgumentException`, naming the option, for a `maxTries` below 1 or
 * fractional and for a NaN, negative or unparseable `base`, `cap` or `maxRetryAfter`.
 *
 * @example
 * ```ts
 * import type { Download } from "@tapestry/platform"
 *
 * const options: Download.RetryPolicyOptions = { maxTries: 5, base: "200 millis", cap: "5 seconds" }
 * console.log(options.maxTries) // 5
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicyOptions {
  readonly maxTries: number
  readonly base?: Duration.DurationInput | undefined
  readonly cap?: Duration.DurationInput | undefined
  readonly maxRetryAfter?: Duration.DurationInput | undefined
}

/**
 * The options {@link retryPolicy} builds for `Task.retryOnFault`: `maxTries`, `retryWhen` (the
 * wait before the next attempt) and `while` (which errors are worth another attempt).
 *
 * @example
 * ```ts
 * import { Download } from "@tapestry/platform"
 *
 * const policy: Download.RetryPolicy = Download.retryPolicy({ maxTries: 3 })
 * console.log(policy.maxTries) // 3
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  readonly maxTries: number
  readonly retryWhen: (error: DownloadError, attempt: number) => Effect.Effect<void>
  readonly while: (error: DownloadError) => boolean
}

/**
 * A retry policy for downloads, to pass as the options of `Task.retryOnFault`:
 * `Task.retryOnFault(Download.get(url), Download.retryPolicy({ maxTries: 4 }))`.
 *
 * - Retries what may pass: `ConnectionFailed`, `BodyError`, `RequestTimeout`, and
 *   `HttpStatusError` with status 408, 429 or ≥ 500 (or any status that came with `Retry-After`).
 *   `InvalidUrl`, `TooLarge` and other statuses fail at once.
 * - Waits what the server said in `Retry-After` when it said something; otherwise an exponential
 *   back-off with jitter: after attempt k, a random duration between half and all of
 *   `base · 2^(k−1)`, at most `cap`. A `Retry-After` over `maxRetryAfter` stops at once.
 *   Waits use the `Clock` (so `TestClock` drives them in tests)
 *   and the jitter uses `Random`.
 *
 * When it gives up, `Task.retryOnFault` fails with `RetriesExhausted` holding every attempt's error.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const web = yield* LocalWeb.LocalWeb
 *   // "/flaky" answers 503 with Retry-After: 0 twice, then succeeds.
 *   const page = yield* Task.retryOnFault(Download.get(web.url("/flaky")), Download.retryPolicy({ maxTries: 4 }))
 *   return page.status
 * })
 *
 * const layer = Layer.merge(FastHttpClient.layer, LocalWeb.layer())
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(layer)))) // 200
 * ```
 *
 * @since 0.1.0
 * @category retries
 */
export const retryPolicy: (options: RetryPolicyOptions) => RetryPolicy = internal.retryPolicy

/**
 * `url` as Tapestry shows it: the password of its credentials replaced by `***`
 * (`http://user:***@host/`; a user name without a password, often a token, becomes `***@`).
 * Results, errors, logs and spans already show URLs this way; use it for your own output. Credentials
 * are found where the URL parser finds them (`http:alice:pw@host` too); a string the parser refuses is
 * masked up to its last `@` (a password with a raw `/` or `#` stays hidden).
 *
 * @example
 * ```ts
 * import { Download } from "@tapestry/platform"
 *
 * console.log(Download.redactUrl("http://alice:s3cr3t@127.0.0.1/report")) // http://alice:***@127.0.0.1/report
 * console.log(Download.redactUrl("https://ghp_token@127.0.0.1/x")) // https://***@127.0.0.1/x
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const redactUrl: (url: string) => string = internal.redactUrl
