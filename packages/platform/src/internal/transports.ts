/**
 * The two transports of a download. Each sends one hop's request and feeds what arrives to its
 * `Reception` (the rules in `rules.ts`), failing with whatever the rules say ends the exchange:
 *
 * - `fast`: an untransformed FastHttpClient's undici dispatcher, driven directly through the one
 *   dispatch handler (`Exchange`), one callback-driven effect per request.
 * - `viaClient`: any `HttpClient` (a transformed FastHttpClient, `NodeHttpClient`, …), reading
 *   `HttpClientResponse.stream`; also used when progress is reported.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as TraceContext from "@effect/platform/HttpTraceContext"
import type * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import type { Dispatcher } from "undici"
import { BodyError, ConnectionFailed, type DownloadError, InvalidUrl } from "../DownloadError.js"
import { dispatch, Exchange, type Listener, parseRawHeaders, type RawHeaders, rawHeader } from "./fastHttpClient.js"
import type { Reception, Redirect } from "./rules.js"

/** One hop's exchange: succeeds once the body is complete. @internal */
export type Transport = (
  reception: Reception,
  clock: Clock.Clock,
  parent: Tracer.AnySpan | undefined
) => Effect.Effect<void, DownloadError | Redirect>

type Outcome = Effect.Effect<void, DownloadError | Redirect>

const complete: Outcome = Effect.void

/**
 * The exchange in flight on an owned fiber (see {@link fast}), aborted when that fiber ends: its one
 * observer, added with the first exchange, outlives every exchange the fiber runs.
 */
interface Slot {
  current: Feed | undefined
}

const slots = new WeakMap<Fiber.RuntimeFiber<unknown, unknown>, Slot>()

const slotOf = (fiber: Fiber.RuntimeFiber<unknown, unknown>): Slot => {
  let slot = slots.get(fiber)
  if (slot === undefined) {
    const created: Slot = { current: undefined }
    fiber.addObserver(() => {
      const feed = created.current
      created.current = undefined
      feed?.abort()
    })
    slots.set(fiber, created)
    slot = created
  }
  return slot
}

/** Feeds one undici exchange to a `Reception`. */
class Feed implements Listener {
  exchange: Exchange
  result: Outcome | undefined = undefined
  resume: ((result: Outcome) => void) | undefined = undefined
  /** Owned: the slot that holds this exchange while it is in flight. */
  slot: Slot | undefined = undefined

  constructor(
    readonly reception: Reception,
    readonly clock: Clock.Clock
  ) {
    this.exchange = new Exchange(this)
    reception.onDone = (error) => (error === undefined ? this.settle(complete) : this.stop(error))
  }

  settle(result: Outcome): void {
    if (this.result !== undefined) return
    this.result = result
    const slot = this.slot
    if (slot !== undefined && slot.current === this) slot.current = undefined
    this.reception.close()
    const resume = this.resume
    this.resume = undefined
    resume?.(result)
  }

  stop(error: DownloadError | Redirect): false {
    this.settle(Effect.fail(error))
    this.exchange.abort()
    return false
  }

  onHead(status: number, raw: RawHeaders): boolean {
    const verdict = this.reception.head(
      status,
      (name) => rawHeader(raw, name),
      () => parseRawHeaders(raw),
      this.clock.unsafeCurrentTimeMillis()
    )
    return verdict === undefined ? true : this.stop(verdict)
  }

  onChunk(chunk: Buffer): boolean {
    const reception = this.reception
    if (reception.decoding) {
      // the socket waits while the decoder works: a bomb is decoded no faster than it is read
      reception.write(chunk, this.drained)
      return false
    }
    const error = reception.chunk(chunk)
    return error === undefined ? true : this.stop(error)
  }

  readonly drained = (): void => this.exchange.resume()

  /** Interrupted: the request is dropped or its connection closed; the decoder, if any, stopped. */
  abort(): void {
    this.exchange.abort()
    // after the last byte, the decoder may still be working
    this.reception.close()
  }

  onEnd(): void {
    const reception = this.reception
    if (reception.decoding) {
      reception.finish()
      return
    }
    const error = reception.end()
    this.settle(error === undefined ? complete : Effect.fail(error))
  }

  onFail(cause: Error, afterHead: boolean): void {
    const url = this.reception.hop.given
    this.settle(Effect.fail(afterHead ? new BodyError({ url, cause }) : new ConnectionFailed({ url, cause })))
  }
}

/**
 * One exchange. Interrupted, it is aborted: by its canceler, or, on an `owned` fiber, by the fiber's
 * end, which follows the interruption at once there and costs no `onInterrupt` (a mask and a match,
 * about half of this effect's cost).
 */
const exchange = (
  dispatcher: Dispatcher,
  reception: Reception,
  clock: Clock.Clock,
  headers: Readonly<Record<string, string>>,
  owned: Fiber.RuntimeFiber<unknown, unknown> | undefined
): Outcome =>
  Effect.async<void, DownloadError | Redirect>((resume) => {
    const feed = new Feed(reception, clock)
    feed.resume = resume
    if (owned !== undefined) {
      const slot = slotOf(owned)
      feed.slot = slot
      slot.current = feed
    }
    dispatch(dispatcher, feed.exchange, reception.hop.url, "GET", headers, null)
    return owned === undefined ? Effect.sync(() => feed.abort()) : undefined
  })

/** Effect's built-in tracer: the one in place when no tracer was installed. */
const builtInTracer = Effect.runSync(Effect.tracer)

/**
 * Whether spans are worth making: tracing is on and a tracer was installed. Under Effect's built-in
 * tracer nothing records a span, and making two per download costs a quarter of a fast download's
 * time (BENCHMARKS.md), so downloads skip them (and their trace headers) there. @internal
 */
export const tracing = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.currentTracer !== builtInTracer && fiber.getFiberRef(FiberRef.currentTracerEnabled)

/**
 * The fast transport. When {@link tracing}, each hop runs in a client span `http.client GET` (as
 * `HttpClient.make` makes one) whose trace headers are sent unless propagation is off.
 *
 * `owned`: the download runs in a fiber that a Tapestry group forked for it (a lane of
 * `Download.interleaved`, a child of `Download.first`), with nothing but the pipeline's own frames
 * above it — so when the fiber is interrupted during an exchange it ends right away, and the exchange
 * is aborted by the fiber's end instead of a canceler. Never for a caller's fiber: there the
 * interruption may run the caller's finalizers, or be caught, before the fiber ends. @internal
 */
export const fast =
  (dispatcher: Dispatcher, owned: boolean): Transport =>
  (reception, clock, parent) =>
    Effect.withFiberRuntime((fiber) => {
      const owner = owned ? fiber : undefined
      if (!tracing(fiber)) return exchange(dispatcher, reception, clock, reception.hop.headers, owner)
      const options: Tracer.SpanOptions =
        parent === undefined
          ? { kind: "client", captureStackTrace: false }
          : { kind: "client", parent, captureStackTrace: false }
      return Effect.useSpan("http.client GET", options, (span) => {
        clientAttributes(span, reception)
        const headers = fiber.getFiberRef(HttpClient.currentTracerPropagation)
          ? { ...reception.hop.headers, ...TraceContext.toHeaders(span) }
          : reception.hop.headers
        return Effect.ensuring(
          exchange(dispatcher, reception, clock, headers, owner),
          Effect.sync(() => {
            if (reception.status !== 0) span.attribute("http.response.status_code", reception.status)
          })
        )
      })
    })

/** The attributes `HttpClient.make` gives its client spans, from the credential-free URL; no header values. */
const clientAttributes = (span: Tracer.Span, reception: Reception): void => {
  const url = reception.hop.url
  span.attribute("http.request.method", "GET")
  span.attribute("server.address", url.origin)
  if (url.port !== "") span.attribute("server.port", +url.port)
  span.attribute("url.full", url.href)
  span.attribute("url.path", url.pathname)
  span.attribute("url.scheme", url.protocol.slice(0, -1))
  const query = url.search.slice(1)
  if (query !== "") span.attribute("url.query", query)
}

/**
 * What went wrong under a client's error, without the error itself: it holds the request (and the
 * response), whose headers carry the credentials as `authorization` and the `headers` option's values,
 * and whose message holds the whole URL — `toJSON` and messages would show them.
 */
const causeOf = (error: HttpClientError.HttpClientError): unknown =>
  error.cause instanceof Error
    ? error.cause
    : new Error(`${error.reason} error${error.description === undefined ? "" : `: ${error.description}`}`)

const fromClientError = (url: string, error: HttpClientError.HttpClientError): DownloadError => {
  const cause = causeOf(error)
  return error._tag === "RequestError"
    ? error.reason === "InvalidUrl"
      ? new InvalidUrl({ url, cause })
      : new ConnectionFailed({ url, cause })
    : new BodyError({ url, cause })
}

const isResponseError = (e: { readonly _tag: string }): e is HttpClientError.ResponseError => e._tag === "ResponseError"

/**
 * A body read from `stream` into a decoding `reception`: each chunk is written to the decoder and the
 * next is pulled once it was decoded; the decoder is stopped however this ends.
 */
const decoded = (
  reception: Reception,
  stream: Stream.Stream<Uint8Array, HttpClientError.ResponseError>,
  url: string
): Outcome =>
  Effect.suspend(() => {
    let outcome: Outcome | undefined
    let wake: ((result: Outcome) => void) | undefined
    reception.onDone = (error) => {
      outcome = error === undefined ? complete : Effect.fail(error)
      const resume = wake
      wake = undefined
      resume?.(outcome)
    }
    /** Waits until `start`'s work is drained, or the body ended (an error ends it early). */
    const until = (start: (drained: () => void) => void) =>
      Effect.async<void, DownloadError | Redirect>((resume) => {
        if (outcome !== undefined) return resume(outcome)
        wake = resume
        start(() => {
          if (wake !== resume) return
          wake = undefined
          resume(complete)
        })
        return Effect.sync(() => void (wake = undefined))
      })
    const body = Stream.runForEachChunk(stream, (chunk) =>
      Effect.zipRight(
        until((drained) => {
          let left = chunk.length
          if (left === 0) return drained()
          for (const bytes of chunk) reception.write(bytes, () => --left === 0 && drained())
        }),
        Effect.suspend(() => reception.report())
      )
    ).pipe(Effect.catchIf(isResponseError, (e) => Effect.fail(fromClientError(url, e))))
    return body.pipe(
      Effect.zipRight(until(() => reception.finish())),
      Effect.zipRight(Effect.suspend(() => reception.report())),
      Effect.ensuring(Effect.sync(() => reception.close()))
    )
  })

/** The transport over any `HttpClient`; the request's header values are redacted in its spans. @internal */
export const viaClient =
  (client: HttpClient.HttpClient): Transport =>
  (reception, clock, parent) => {
    const hop = reception.hop
    const url = hop.given
    const names = Object.keys(hop.headers)
    const request = HttpClientRequest.get(hop.url, { headers: hop.headers })
    const send = HttpClient.withScope(client).execute(request)
    const run = Effect.scoped(
      Effect.gen(function* () {
        const response = yield* (
          names.length === 0 ? send : Effect.locallyWith(send, Headers.currentRedactedNames, (n) => [...n, ...names])
        ).pipe(Effect.mapError((e) => fromClientError(url, e)))
        const verdict = reception.head(
          response.status,
          (name) => response.headers[name],
          () => response.headers,
          clock.unsafeCurrentTimeMillis()
        )
        if (verdict !== undefined) return yield* Effect.fail(verdict)
        yield* reception.report()
        if (reception.decoding) return yield* decoded(reception, response.stream, url)
        yield* Stream.runForEachChunk(response.stream, (chunk) => {
          for (const bytes of chunk) {
            const error = reception.chunk(bytes)
            if (error !== undefined) return Effect.fail(error)
          }
          return reception.report()
        }).pipe(Effect.catchIf(isResponseError, (e) => Effect.fail(fromClientError(url, e))))
        const error = reception.end()
        if (error !== undefined) return yield* Effect.fail(error)
      })
    )
    return parent === undefined ? run : Effect.withParentSpan(run, parent)
  }
