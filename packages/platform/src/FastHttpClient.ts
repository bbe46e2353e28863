/**
 * `FastHttpClient`: `@effect/platform`'s `HttpClient` on undici's `dispatch` API with a keep-alive
 * connection pool per origin.
 *
 * It is a drop-in `HttpClient` built with `HttpClient.make`, so it behaves as `NodeHttpClient` does:
 * a client span per request (`http.client GET`, …) with OpenTelemetry's attribute names, trace headers
 * (`traceparent`, `b3`) sent to the server, and `HttpClient.withScope` aborting requests when its
 * scope closes. Underneath there is one undici dispatch handler per request — no promise, no Node
 * stream — so the Effect overhead stays a small fraction of the request. `Download` on an
 * untransformed `FastHttpClient` drives that handler directly (one callback-driven effect per request,
 * with the same spans and trace headers when a tracer is installed; under Effect's built-in tracer,
 * which records nothing, it skips both).
 *
 * Informational answers (100 Continue, 103 Early Hints) are skipped: the response is the final one.
 *
 * Cancellation: interrupting a request while it waits for a connection, for its headers or while
 * its body is read aborts it in undici (the connection is closed; nothing is left running).
 * Response bodies nobody reads are buffered in memory; read them or interrupt the reader.
 *
 * The layer owns its undici `Agent` (or proxy agent): closing the layer destroys it and every open
 * connection.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Duration from "effect/Duration"
import type * as Layer from "effect/Layer"
import * as internal from "./internal/fastHttpClient.js"

/**
 * Options of {@link layerWith}.
 *
 * - `connections` — the most connections kept per origin: a finite positive integer (default `64`;
 *   0, fractions, NaN and `Infinity` are refused). Requests beyond it wait in the pool's queue; a
 *   request interrupted while it waits there is aborted like any other.
 * - `keepAliveTimeout` — how long an idle connection stays open, a `Duration` input (a number is
 *   milliseconds; default `4 seconds`; must be positive and finite: 0, negatives, NaN, `Infinity`
 *   and unparseable input are refused).
 * - `pipelining` — requests sent on one connection before their responses arrive: a finite positive
 *   integer (default `1`: no pipelining).
 * - `proxy` (0.2) — `"env"` honours `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (undici's
 *   `EnvHttpProxyAgent`); an `http:`/`https:` URL sends every request through that proxy (undici's
 *   `ProxyAgent`, tunnelling with `CONNECT`). Default: no proxy. Any other string (a `socks5:` URL,
 *   a misspelt `"ENV"`) is refused.
 *
 * A refused value makes {@link layerWith} throw `IllegalArgumentException` naming the option when it
 * is called (it returns a `Layer`, a plain value), before anything is built:
 * `FastHttpClient.layerWith: connections must be a positive integer, got 0`.
 *
 * @example
 * ```ts
 * import type { FastHttpClient } from "@tapestry/platform"
 *
 * const options: FastHttpClient.Options = { connections: 16, keepAliveTimeout: "10 seconds", proxy: "env" }
 * console.log(options.connections) // 16
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly connections?: number | undefined
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
  readonly pipelining?: number | undefined
  readonly proxy?: "env" | (string & {}) | undefined
}

/**
 * A scoped layer providing `HttpClient` with the given pool options. Invalid options (e.g.
 * `connections: 0`, see {@link Options}) make it throw `IllegalArgumentException` naming the option
 * when called. The layer's finalizer destroys the pool: every open connection is closed.
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const web = yield* LocalWeb.LocalWeb
 *   const response = yield* HttpClient.get(web.url("/fast"))
 *   const body = yield* response.arrayBuffer
 *   return [response.status, body.byteLength] as const
 * })
 *
 * const layer = Layer.merge(FastHttpClient.layerWith({ connections: 8 }), LocalWeb.layer())
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(layer)))) // [ 200, 1024 ]
 * ```
 *
 * @example
 * ```ts
 * // Title: A bad option throws when layerWith is called
 * import { FastHttpClient } from "@tapestry/platform"
 *
 * try {
 *   FastHttpClient.layerWith({ connections: 0 })
 * } catch (error) {
 *   console.log(String(error))
 * }
 * // Output:
 * // IllegalArgumentException: FastHttpClient.layerWith: connections must be a positive integer, got 0
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith: (options: Options) => Layer.Layer<HttpClient.HttpClient> = internal.layerWith

/**
 * {@link layerWith} with the default options (64 connections per origin, 4 s keep-alive).
 *
 * @example
 * ```ts
 * import { Download, FastHttpClient, LocalWeb } from "@tapestry/platform"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const web = yield* LocalWeb.LocalWeb
 *   const page = yield* Download.get(web.url("/fast"))
 *   return page.bytes
 * })
 *
 * const layer = Layer.merge(FastHttpClient.layer, LocalWeb.layer())
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(layer)))) // 1024
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = internal.layer
