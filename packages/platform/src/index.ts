/**
 * `@tapestry/platform`: HTTP downloads with typed errors, progress and real cancellation.
 *
 * @since 0.1.0
 */

/**
 * Downloads with typed errors, progress, size and time limits, and cancellation on the wire.
 *
 * @since 0.1.0
 */
export * as Download from "./Download.js"

/**
 * The typed failures of a download.
 *
 * @since 0.1.0
 */
export * as DownloadError from "./DownloadError.js"

/**
 * `@effect/platform`'s `HttpClient` on undici's dispatch API with a keep-alive pool.
 *
 * @since 0.1.0
 */
export * as FastHttpClient from "./FastHttpClient.js"

/**
 * An embedded, scripted HTTP server on 127.0.0.1 with server-side counters.
 *
 * @since 0.1.0
 */
export * as LocalWeb from "./LocalWeb.js"
