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
 * `TooLarge`, `TimeoutError`. Redirects are not followed: a 3xx answer is a success with its status.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Progress } from "@tapestry/core"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type { DownloadError } from "./DownloadError.js"
import * as internal from "./internal/download.js"

/**
 * A finished download.
 *
 * - `url` — the URL as given; `status` — the response status (200…399).
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
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
  readonly bytes: number
  readonly elapsed: Duration.Duration
}

/**
 * What a download reports while it runs: bytes `received` so far, and the `total` announced by
 * `content-length` when there was one. Reports start at `received: 0` once the headers arrived,
 * never go down, and the last one equals the body's size.
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
 * - `timeout` — the longest the whole download may take (default: none). When it elapses the
 *   download is interrupted (aborting the request) and fails with `TimeoutError`.
 *
 * @example
 * ```ts
 * import type { Download } from "@tapestry/platform"
 *
 * const options: Download.GetOptions = { maxBytes: 1024 * 1024, timeout: "10 seconds" }
 * console.log(options.maxBytes) // 1048576
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface GetOptions {
  readonly progress?: Progress.Progress<DownloadProgress> | undefined
  readonly maxBytes?: number | undefined
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * Downloads `url` (GET) into memory.
 *
 * Fails with `InvalidUrl` (unparseable, or not `http:`/`https:`; nothing is sent),
 * `ConnectionFailed` (refused, or reset before the headers), `HttpStatusError` (status outside
 * 200…399, with `Retry-After` parsed into a `Duration`), `BodyError` (reset or truncated mid-body,
 * or fewer bytes than `content-length`), `TooLarge` (see `maxBytes`) or `TimeoutError` (see
 * `timeout`). A `maxBytes` that is not a positive integer is a defect (`IllegalArgumentException`).
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
 * The length of `url`'s body in bytes: {@link get} keeping only `bytes` (the seed's
 * `ProcessURLAsync`). Same options, failures and cancellation as {@link get}.
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
