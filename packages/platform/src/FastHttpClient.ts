/**
 * `FastHttpClient`: `@effect/platform`'s `HttpClient` on undici's `dispatch` API with a keep-alive
 * connection pool per origin.
 *
 * It is a drop-in `HttpClient` (every `HttpClient` combinator works on it) built for throughput:
 * one undici dispatch handler per request — no promise, no `AbortController`, no Node stream, no
 * per-request context merge and no per-request span — so the Effect overhead stays a small
 * fraction of the request. `Download.get` on an untransformed `FastHttpClient` takes a shorter
 * path still: one callback-driven effect per download.
 *
 * Cancellation: interrupting a request while it waits for a connection, for its headers or while
 * its body is read aborts it in undici (the connection is closed; nothing is left running).
 * Response bodies nobody reads are buffered in memory; read them or interrupt the reader.
 *
 * Differences from `NodeHttpClient.layerUndici`: no tracing spans per request (wrap calls in
 * `Effect.withSpan` if you want them) and `HttpClient.withScope` does not abort requests (interrupt
 * instead). The layer owns its undici `Agent`: closing the layer destroys it and every open
 * connection.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import * as internal from "./internal/fastHttpClient.js"

/**
 * Options of {@link layerWith}.
 *
 * - `connections` — the most connections kept per origin: a finite positive integer (default
 *   `64`; `Infinity` is refused). Requests beyond it wait in the pool's queue.
 * - `keepAliveTimeout` — milliseconds an idle connection stays open: a positive, finite number
 *   (default `4000`).
 * - `pipelining` — requests sent on one connection before their responses arrive: a finite
 *   positive integer (default `1`: no pipelining).
 *
 * Anything else — `0`, a fraction, NaN, a string from JavaScript, no options object at all — makes
 * {@link layerWith} throw `IllegalArgumentException` naming the option.
 *
 * @example
 * ```ts
 * import type { FastHttpClient } from "@tapestry/platform"
 *
 * const options: FastHttpClient.Options = { connections: 16, keepAliveTimeout: 10_000 }
 * console.log(options.connections) // 16
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly connections?: number | undefined
  readonly keepAliveTimeout?: number | undefined
  readonly pipelining?: number | undefined
}

/**
 * A scoped layer providing `HttpClient` with the given pool options. A `Layer` is a plain value,
 * so invalid options (e.g. `connections: 0`) make `layerWith` **throw** `IllegalArgumentException`
 * naming the option when it is called, not when the layer is built. The layer's finalizer destroys
 * the pool: every open connection is closed.
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
