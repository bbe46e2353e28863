import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import type * as Body from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Validate } from "@tapestry/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Agent, type Dispatcher } from "undici"

// ---------------------------------------------------------------------------------------------
// Raw headers (undici's `[name, value, name, value, …]` buffers)
// ---------------------------------------------------------------------------------------------

/** @internal */
export type RawHeaders = ReadonlyArray<Buffer | ReadonlyArray<Buffer> | string>

const text = (b: Buffer | ReadonlyArray<Buffer> | string): string =>
  typeof b === "string"
    ? b
    : Array.isArray(b)
      ? b.map((x) => x.toString("latin1")).join(", ")
      : (b as Buffer).toString("latin1")

/** @internal */
export const parseRawHeaders = (raw: RawHeaders): Headers.Headers => {
  const out: Record<string, string> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = text(raw[i]!).toLowerCase()
    const value = text(raw[i + 1]!)
    const prev = out[name]
    out[name] = prev === undefined ? value : `${prev}, ${value}`
  }
  return Headers.unsafeFromRecord(out)
}

/** The value of one header (lower-case `name`), without parsing the others. @internal */
export const rawHeader = (raw: RawHeaders, name: string): string | undefined => {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!
    if (k.length === name.length && text(k).toLowerCase() === name) return text(raw[i + 1]!)
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// The dispatcher
// ---------------------------------------------------------------------------------------------

/** @internal */
export interface Options {
  readonly connections?: number | undefined
  readonly keepAliveTimeout?: number | undefined
  readonly pipelining?: number | undefined
}

/** @internal */
export const defaultConnections = 64

/** Throws `IllegalArgumentException` naming a bad option (`layerWith` throws when called). */
const validate = (options: Options): void => {
  const where = "FastHttpClient.layerWith"
  Validate.options(where, options)
  if (options.connections !== undefined) Validate.positiveInteger(where, "connections", options.connections)
  if (options.pipelining !== undefined) Validate.positiveInteger(where, "pipelining", options.pipelining)
  if (options.keepAliveTimeout !== undefined) {
    Validate.satisfies(
      where,
      "keepAliveTimeout",
      options.keepAliveTimeout,
      (k) => Number.isFinite(k) && k > 0,
      "a positive, finite number of milliseconds"
    )
  }
}

/** Where `Download` finds the dispatcher of an untransformed FastHttpClient. @internal */
export const DispatcherKey: unique symbol = Symbol.for("@tapestry/platform/FastHttpClient/dispatcher")

/** The undici dispatcher behind `client`, if it is an untransformed FastHttpClient. @internal */
export const dispatcherOf = (client: HttpClient.HttpClient): Dispatcher | undefined =>
  (client as unknown as { readonly [DispatcherKey]?: Dispatcher })[DispatcherKey]

/** The reason undici reports for requests we abort. @internal */
export class AbortedByInterruption extends Error {
  constructor() {
    super("aborted: the fiber was interrupted")
    this.name = "AbortError"
  }
}

const abortReason = new AbortedByInterruption()

// ---------------------------------------------------------------------------------------------
// The `HttpClient` implementation
// ---------------------------------------------------------------------------------------------

type Waiter = (done: boolean) => void

/**
 * One request/response exchange, as an undici dispatch handler (the callback API: no promise, no
 * AbortController, no stream per request). Before the headers it resolves `onResponse`; afterwards
 * it buffers body chunks for `FastResponse` until a reader takes them.
 */
class Exchange implements Dispatcher.DispatchHandler {
  abortFn: ((err?: Error) => void) | undefined = undefined
  cancelled = false
  response: FastResponse | undefined = undefined
  chunks: Array<Buffer> = []
  buffered = 0
  finished = false
  failure: unknown = undefined
  waiter: Waiter | undefined = undefined
  resumeFn: (() => void) | undefined = undefined
  paused = false
  streaming = false

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly onResponse: (
      result: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>
    ) => void
  ) {}

  abort(): void {
    if (this.finished || this.cancelled) return
    this.cancelled = true
    this.abortFn?.(abortReason)
  }

  onConnect(abort: (err?: Error) => void): void {
    // Cancelled while queued: throwing makes undici drop the request without sending it and
    // without destroying the connection it was about to use (calling `abort` would destroy it).
    if (this.cancelled) throw abortReason
    this.abortFn = abort
  }

  onHeaders(statusCode: number, rawHeaders: Array<Buffer>, resume: () => void): boolean {
    this.resumeFn = resume
    const response = new FastResponse(this.request, statusCode, rawHeaders, this)
    this.response = response
    this.onResponse(Effect.succeed(response))
    return true
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk)
    this.buffered += chunk.length
    this.wake(false)
    // Only a slow `stream` reader pauses the socket; unread bodies of other kinds are buffered.
    if (this.streaming && this.buffered > 256 * 1024) {
      this.paused = true
      return false
    }
    return true
  }

  onComplete(): void {
    this.finished = true
    this.wake(true)
  }

  onError(err: Error): void {
    if (this.response === undefined) {
      if (this.cancelled) return
      this.finished = true
      this.onResponse(
        Effect.fail(new HttpClientError.RequestError({ request: this.request, reason: "Transport", cause: err }))
      )
      return
    }
    this.finished = true
    this.failure = err
    this.wake(true)
  }

  wake(done: boolean): void {
    const w = this.waiter
    if (w !== undefined) {
      this.waiter = undefined
      w(done)
    }
  }

  take(): Array<Buffer> {
    const out = this.chunks
    this.chunks = []
    this.buffered = 0
    if (this.paused) {
      this.paused = false
      this.resumeFn?.()
    }
    return out
  }
}

const bodyError = (response: FastResponse, cause: unknown) =>
  new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode", cause })

class FastResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private parsedHeaders: Headers.Headers | undefined = undefined
  private whole: Effect.Effect<Buffer, HttpClientError.ResponseError> | undefined = undefined
  private consumed = false

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    readonly rawHeaders: RawHeaders,
    readonly exchange: Exchange
  ) {
    super()
  }

  get headers(): Headers.Headers {
    return (this.parsedHeaders ??= parseRawHeaders(this.rawHeaders))
  }

  get cookies(): Cookies.Cookies {
    const header = this.headers["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(header.split(/,(?=\s*[^;,\s]+=)/))
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  /** The whole body, read once and shared by `arrayBuffer`, `text`, `json`, … */
  private get body(): Effect.Effect<Buffer, HttpClientError.ResponseError> {
    return Effect.async<Buffer, HttpClientError.ResponseError>((resume) => {
      if (this.whole !== undefined) return resume(this.whole)
      if (this.consumed) {
        return resume(Effect.fail(bodyError(this, new Error("the body was already read as a stream"))))
      }
      const ex = this.exchange
      const readers = (this.readers ??= [])
      readers.push(resume)
      if (ex.finished) this.settle()
      else if (readers.length === 1) {
        const self = this
        ex.waiter = function onWake(done) {
          if (done) self.settle()
          else ex.waiter = onWake
        }
      }
      return Effect.sync(() => {
        const i = readers.indexOf(resume)
        if (i >= 0) readers.splice(i, 1)
        if (readers.length === 0 && this.whole === undefined) {
          ex.waiter = undefined
          ex.abort()
        }
      })
    })
  }

  private readers: Array<(result: Effect.Effect<Buffer, HttpClientError.ResponseError>) => void> | undefined = undefined

  private settle(): void {
    const ex = this.exchange
    if (ex.failure !== undefined) this.whole = Effect.fail(bodyError(this, ex.failure))
    else {
      const chunks = ex.take()
      this.whole = Effect.succeed(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
    }
    const readers = this.readers ?? []
    this.readers = undefined
    for (const r of readers) r(this.whole)
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.body, (b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.body, (b) => b.toString("utf8"))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (s) =>
      Effect.try({
        try: () => (s === "" ? null : (JSON.parse(s) as unknown)),
        catch: (cause) => bodyError(this, cause)
      })
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (s) => UrlParams.fromInput(new URLSearchParams(s)))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.body, (b) =>
      Effect.tryPromise({
        try: () =>
          new Response(new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as unknown as ArrayBuffer, {
            headers: { "content-type": this.headers["content-type"] ?? "" }
          }).formData(),
        catch: (cause) => bodyError(this, cause)
      })
    )
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    const ex = this.exchange
    const pull = Effect.async<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>>((resume) => {
      const deliver = (): void => {
        if (ex.chunks.length > 0) resume(Effect.succeed(Chunk.unsafeFromArray(ex.take())))
        else if (ex.failure !== undefined) resume(Effect.fail(Option.some(bodyError(this, ex.failure))))
        else resume(Effect.fail(Option.none()))
      }
      if (ex.chunks.length > 0 || ex.finished) return deliver()
      ex.waiter = () => deliver()
      return Effect.sync(() => {
        ex.waiter = undefined
      })
    })
    return Stream.suspend(() => {
      if (this.consumed || this.whole !== undefined) {
        return Stream.fail(bodyError(this, new Error("the body was already read")))
      }
      this.consumed = true
      ex.streaming = true
      return Stream.repeatEffectChunkOption(pull)
    }).pipe(Stream.ensuring(Effect.sync(() => ex.abort())))
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/** Aborts `response`'s request if it is still running and came from a FastHttpClient. @internal */
export const abortResponse = (response: HttpClientResponse.HttpClientResponse): void => {
  if (response instanceof FastResponse) response.exchange.abort()
}

type DispatchBody = Exclude<Dispatcher.DispatchOptions["body"], undefined>

const convertBody = (body: Body.HttpBody): Effect.Effect<DispatchBody | null> => {
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
    case "Raw":
      return Effect.succeed(body.body as DispatchBody)
    case "FormData": {
      const encoded = new Response(body.formData)
      return Effect.promise(async () => Buffer.from(await encoded.arrayBuffer()))
    }
    case "Stream":
      return NodeStream.toReadable(body.stream) as Effect.Effect<DispatchBody>
  }
}

const toUrl = (request: HttpClientRequest.HttpClientRequest): URL | Error => {
  if (request.urlParams.length === 0 && request.hash._tag === "None") {
    try {
      return new URL(request.url)
    } catch (e) {
      return e as Error
    }
  }
  const r = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  return r._tag === "Right" ? r.right : r.left
}

const dispatchRequest = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  body: DispatchBody | null
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const ex = new Exchange(request, resume)
    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method,
          headers: request.headers as unknown as Record<string, string>,
          body,
          headersTimeout: 0,
          bodyTimeout: 0
        },
        ex
      )
    } catch (cause) {
      resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
      return
    }
    return Effect.sync(() => ex.abort())
  })

/** @internal */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient => {
  const client = HttpClient.makeWith(
    (effect) =>
      Effect.flatMap(effect, (request) => {
        const url = toUrl(request)
        if (url instanceof Error) {
          return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url }))
        }
        if (request.body._tag === "Empty") return dispatchRequest(dispatcher, request, url, null)
        return Effect.flatMap(convertBody(request.body), (body) => dispatchRequest(dispatcher, request, url, body))
      }),
    Effect.succeed as HttpClient.HttpClient.Preprocess<never, never>
  )
  Object.defineProperty(client, DispatcherKey, { value: dispatcher, enumerable: false })
  return client
}

/** @internal */
export const makeDispatcher = (options: Options) =>
  Effect.acquireRelease(
    Effect.sync(
      () =>
        new Agent({
          connections: options.connections ?? defaultConnections,
          pipelining: options.pipelining ?? 1,
          keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
          headersTimeout: 0,
          bodyTimeout: 0
        })
    ),
    (agent) => Effect.promise(() => agent.destroy())
  )

/** @internal */
export const layerWith = (options: Options): Layer.Layer<HttpClient.HttpClient> => {
  validate(options)
  return Layer.scoped(HttpClient.HttpClient, Effect.map(makeDispatcher(options), make))
}

/** @internal */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith({})
