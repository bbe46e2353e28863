/**
 * `LocalWeb`: an embedded, scripted HTTP server on `127.0.0.1` for examples, tests, demos and benches.
 *
 * Each site (a path) is scripted: how long it waits before answering, how big its body is, which
 * status it answers, whether it sends `Retry-After`, fails its first requests, hangs, trickles its
 * body, or resets the connection part-way. Server-side counters (requests started, finished,
 * aborted by the client, in flight, peak in flight, open connections) prove what a client really
 * did on the wire — for example that an interrupted download closed its connection.
 *
 * `pnpm --filter @tapestry/platform local-web` serves the default sites until Ctrl-C; its first
 * line on stdout is `LOCAL_WEB_URL=http://127.0.0.1:PORT`.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as internal from "./internal/localWeb.js"

/**
 * The script of one site (one path). Every field is optional; `{}` answers `200` with an empty body.
 *
 * - `delay` — wait this long before sending the headers: a finite, non-negative `Duration`
 *   (default: none).
 * - `size` — body size in bytes, a non-negative integer (default `0`). Bodies are the bytes
 *   `i % 251`.
 * - `status` — the status code, an integer in 200…599 (default `200`).
 * - `retryAfter` — sent as `Retry-After` on answers with status ≥ 400: seconds, or an HTTP date
 *   string (sent as given, so a malformed one can be scripted).
 * - `failFirst` — the first `failFirst` requests (a non-negative integer) answer `503` (with
 *   `retryAfter` if set), later ones answer normally.
 * - `hang` — never answer: the request stays in flight until the client gives up.
 * - `bytesPerSecond` — send the body at about this rate, a positive number (20 ms slices).
 * - `chunked` — omit `content-length` (chunked transfer encoding).
 * - `resetAfterBytes` — send the headers (with the full `content-length`) and this many body bytes
 *   (a non-negative integer, as for the two below), then reset the connection (TCP RST).
 * - `truncateAfterBytes` — the same, but close the connection gracefully (FIN): a body shorter than
 *   its `content-length`.
 * - `hangAfterBytes` — send the headers and this many body bytes, then stall.
 * - `resetBeforeHeaders` — reset the connection as soon as the request arrives.
 * - `redirectTo` — answer with a redirect (`status`, default 302) whose `Location` is this path or URL.
 *
 * A value outside these bounds makes {@link layer} throw `IllegalArgumentException` naming the site
 * and the field.
 *
 * @example
 * ```ts
 * import { LocalWeb } from "@tapestry/platform"
 *
 * const sites: Record<string, LocalWeb.Site> = {
 *   "/quick": { size: 2048 },
 *   "/busy": { status: 503, retryAfter: 2 },
 *   "/dripping": { size: 4096, bytesPerSecond: 8192 }
 * }
 * console.log(Object.keys(sites).length) // 3
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Site {
  readonly delay?: Duration.DurationInput
  readonly size?: number
  readonly status?: number
  readonly retryAfter?: number | string
  readonly failFirst?: number
  readonly hang?: boolean
  readonly bytesPerSecond?: number
  readonly chunked?: boolean
  readonly resetAfterBytes?: number
  readonly truncateAfterBytes?: number
  readonly hangAfterBytes?: number
  readonly resetBeforeHeaders?: boolean
  readonly redirectTo?: string
}

/**
 * Request counters of one path, or of the whole server.
 *
 * `started` requests end exactly once, as `finished` (the whole response was handed to the
 * socket), `aborted` (the client closed the connection first) or `reset` (the site's script
 * reset or truncated the connection).
 *
 * @example
 * ```ts
 * import type { LocalWeb } from "@tapestry/platform"
 *
 * const counters: LocalWeb.Counters = { started: 3, finished: 1, aborted: 2, reset: 0 }
 * console.log(counters.started - counters.finished - counters.aborted - counters.reset) // 0 in flight
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Counters {
  readonly started: number
  readonly finished: number
  readonly aborted: number
  readonly reset: number
}

/**
 * A snapshot of the server's counters (since the layer was built or `resetStats` last ran).
 *
 * - `inFlight` — requests started and not yet ended; `peakInFlight` — its maximum.
 * - `openConnections` — sockets open right now; `connections` — sockets accepted in total.
 * - `byPath` — the {@link Counters} of each path that was requested.
 *
 * @example
 * ```ts
 * import { LocalWeb } from "@tapestry/platform"
 * import { Effect } from "effect"
 *
 * const stats: LocalWeb.Stats = await Effect.runPromise(
 *   Effect.flatMap(LocalWeb.LocalWeb, (web) => web.stats).pipe(Effect.provide(LocalWeb.layer()))
 * )
 * console.log(stats.inFlight, stats.openConnections) // 0 0
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats extends Counters {
  readonly inFlight: number
  readonly peakInFlight: number
  readonly openConnections: number
  readonly connections: number
  readonly byPath: Readonly<Record<string, Counters>>
}

/**
 * The running server: where it listens and what it has seen.
 *
 * - `baseUrl` — `http://127.0.0.1:PORT`, no trailing slash.
 * - `url(path)` — `baseUrl` + `path` (a leading `/` is added if missing).
 * - `sites` — the scripts it serves.
 * - `stats` — a snapshot of its counters; `resetStats` zeroes them (and `failFirst` progress);
 *   `peakInFlight` restarts from the current `inFlight`.
 *
 * @example
 * ```ts
 * import { LocalWeb } from "@tapestry/platform"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const web = yield* LocalWeb.LocalWeb
 *   return web.url("/fast").startsWith(web.baseUrl)
 * })
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(LocalWeb.layer())))) // true
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface LocalWeb {
  readonly baseUrl: string
  readonly url: (path: string) => string
  readonly sites: Readonly<Record<string, Site>>
  readonly stats: Effect.Effect<Stats>
  readonly resetStats: Effect.Effect<void>
}

/**
 * The `LocalWeb` service tag.
 *
 * @example
 * ```ts
 * import { LocalWeb } from "@tapestry/platform"
 * import { Effect } from "effect"
 *
 * const baseUrl = await Effect.runPromise(
 *   Effect.map(LocalWeb.LocalWeb, (web) => web.baseUrl).pipe(Effect.provide(LocalWeb.layer()))
 * )
 * console.log(baseUrl.startsWith("http://127.0.0.1:")) // true
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export const LocalWeb: Context.Tag<LocalWeb, LocalWeb> = internal.LocalWebTag

/**
 * The sites every `LocalWeb` serves unless overridden:
 *
 * | path | script |
 * | --- | --- |
 * | `/fast` | 1 KiB at once |
 * | `/medium` | 1 KiB after 100 ms |
 * | `/slow` | 1 KiB after 500 ms |
 * | `/big` | 4 MiB at once |
 * | `/chunked` | 64 KiB without `content-length` |
 * | `/trickle` | 64 KiB at 64 KiB/s (about 1 s) |
 * | `/not-found` | `404` |
 * | `/unavailable` | `503` with `Retry-After: 1` |
 * | `/flaky` | `503` with `Retry-After: 0` for the first 2 requests, then 1 KiB |
 * | `/hang` | never answers |
 * | `/hang-body` | headers for 64 KiB, 1 KiB of body, then stalls |
 * | `/reset` | headers for 64 KiB, 1 KiB of body, then a TCP reset |
 * | `/reset-before-headers` | a TCP reset instead of an answer |
 * | `/truncated` | headers for 64 KiB, 1 KiB of body, then a graceful close |
 * | `/redirect` | `302` to `/fast` |
 * | `/redirect-loop` | `302` to itself, for ever |
 *
 * `/_stats` is reserved: it answers the server's {@link Stats} as JSON.
 *
 * @example
 * ```ts
 * import { LocalWeb } from "@tapestry/platform"
 *
 * console.log(LocalWeb.defaultSites["/slow"]) // { delay: '500 millis', size: 1024 }
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSites: Readonly<Record<string, Site>> = internal.defaultSites

/**
 * A scoped layer that starts the server on `127.0.0.1` on an ephemeral port and provides
 * {@link LocalWeb}. It serves {@link defaultSites} plus `sites` (a site in `sites` replaces the
 * default with the same path); unknown paths answer `404`. Closing the layer closes the server and
 * destroys every open connection. `GET /_stats` answers the current {@link Stats} as JSON (for other
 * processes; it is not counted, though its connection is). An invalid script (a path not starting
 * with `/`, a negative or fractional size, a status outside 200…599, a negative `delay`, …) makes
 * `layer` throw `IllegalArgumentException` naming the site and the field when it is called
 * (`LocalWeb.layer: sites["/bad"].size must be a non-negative integer, got -1`).
 *
 * @example
 * ```ts
 * import { LocalWeb } from "@tapestry/platform"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const web = yield* LocalWeb.LocalWeb
 *   const response = yield* Effect.promise(() => fetch(web.url("/hello")))
 *   const body = yield* Effect.promise(() => response.arrayBuffer())
 *   const stats = yield* web.stats
 *   return [response.status, body.byteLength, stats.byPath["/hello"]?.finished] as const
 * })
 *
 * const result = await Effect.runPromise(program.pipe(Effect.provide(LocalWeb.layer({ "/hello": { size: 5 } }))))
 * console.log(result) // [ 200, 5, 1 ]
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (sites?: Readonly<Record<string, Site>>) => Layer.Layer<LocalWeb> = internal.layer
