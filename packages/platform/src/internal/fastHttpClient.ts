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
import * as Chunk from "effect/Chunk"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Agent, type Dispatcher, EnvHttpProxyAgent, ProxyAgent } from "undici"
import { type Checked, checkLayerOptions } from "./options.js"

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
// The dispatcher's options
// ---------------------------------------------------------------------------------------------

/** @internal */
export interface Options {
  readonly connections?: number | undefined
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
  readonly pipelining?: number | undefined
  readonly proxy?: "env" | string | undefined
}

// ---------------------------------------------------------------------------------------------
// The one undici dispatch handler
// ---------------------------------------------------------------------------------------------

/** The reason undici reports for requests we abort. @internal */
export class AbortedByInterruption extends Error {
  constructor() {
    super("aborted: the fiber was interrupted")
    this.name = "AbortError"
  }
}

const abortReason = new AbortedByInterruption()

/**
 * What one exchange hands its owner: the final head (1xx informational heads are skipped), each body
 * chunk, the end, or the failure (`afterHead` tells a broken body from a failed connection; an abort
 * after the head is one too). Returning `false` from `onHead` or `onChunk` pauses the socket until
 * `Exchange.resume()` (a listener that has just aborted the exchange returns `false` as well). @internal
 */
export interface Listener {
  onHead(status: number, raw: RawHeaders): boolean
  onChunk(chunk: Buffer): boolean
  onEnd(): void
  onFail(cause: Error, afterHead: boolean): void
}

/**
 * One request/response exchange as an undici dispatch handler (the callback API: no promise, no
 * AbortController, no stream per request), shared by the `HttpClient` and `Download`'s fast transport.
 * It owns cancellation: `abort()` drops a request still queued for a connection without sending it,
 * and aborts one on the wire (closing its connection). @internal
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private abortFn: ((err?: Error) => void) | undefined = undefined
  private resumeFn: (() => void) | undefined = undefined
  /** `open` → `head` (final head in) → `done` (ended, failed or aborted). */
  private state: "open" | "head" | "done" = "open"

  constructor(readonly listener: Listener) {}

  get done(): boolean {
    return this.state === "done"
  }

  /**
   * Aborts the exchange (no-op once it ended). A listener whose body was under way hears it as a
   * failure (`onFail(…, true)`), so nobody waits for the rest of a body that will not come.
   */
  abort(): void {
    if (this.state === "done") return
    const afterHead = this.state === "head"
    this.state = "done"
    this.abortFn?.(abortReason)
    if (afterHead) this.listener.onFail(abortReason, true)
  }

  /** Resumes a socket paused by `onChunk` returning `false`. */
  resume(): void {
    this.resumeFn?.()
  }

  onConnect(abort: (err?: Error) => void): void {
    // Cancelled while queued: throwing makes undici drop the request without sending it and
    // without destroying the connection it was about to use (calling `abort` would destroy it).
    if (this.state === "done") throw abortReason
    this.abortFn = abort
  }

  onHeaders(statusCode: number, rawHeaders: Array<Buffer>, resume: () => void): boolean {
    if (this.state === "done") return false
    // 100 Continue, 103 Early Hints, …: informational; the final response follows on the same request.
    if (statusCode < 200) return true
    this.state = "head"
    this.resumeFn = resume
    return this.listener.onHead(statusCode, rawHeaders)
  }

  onData(chunk: Buffer): boolean {
    if (this.state === "done") return false
    return this.listener.onChunk(chunk)
  }

  onComplete(): void {
    if (this.state === "done") return
    this.state = "done"
    this.listener.onEnd()
  }

  onError(err: Error): void {
    if (this.state === "done") return
    const afterHead = this.state === "head"
    this.state = "done"
    this.listener.onFail(err, afterHead)
  }
}

/** Starts `exchange` on `dispatcher`; a synchronous refusal is reported to its listener. @internal */
export const dispatch = (
  dispatcher: Dispatcher,
  exchange: Exchange,
  url: URL,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: DispatchBody | null
): void => {
  try {
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: url.pathname + url.search,
        method: method as Dispatcher.HttpMethod,
        headers: headers as Record<string, string>,
        body,
        headersTimeout: 0,
        bodyTimeout: 0
      },
      exchange
    )
  } catch (cause) {
    exchange.onError(cause as Error)
  }
}

// ---------------------------------------------------------------------------------------------
// The `HttpClient` implementation
// ---------------------------------------------------------------------------------------------

type Waiter = (done: boolean) => void

/**
 * The `HttpClient`'s listener: resolves the request with a `FastResponse` when the head arrives, then
 * buffers body chunks until a reader takes them.
 */
class ResponseBuffer implements Listener {
  exchange!: Exchange
  response: FastResponse | undefined = undefined
  chunks: Array<Buffer> = []
  buffered = 0
  finished = false
  failure: unknown = undefined
  waiter: Waiter | undefined = undefined
  paused = false
  streaming = false

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly onResponse: (
      result: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>
    ) => void
  ) {}

  abort(): void {
    this.exchange.abort()
  }

  onHead(status: number, raw: RawHeaders): boolean {
    const response = new FastResponse(this.request, status, raw, this)
    this.response = response
    this.onResponse(Effect.succeed(response))
    return true
  }

  onChunk(chunk: Buffer): boolean {
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

  onEnd(): void {
    this.finished = true
    this.wake(true)
  }

  onFail(cause: Error, afterHead: boolean): void {
    this.finished = true
    if (!afterHead) {
      this.onResponse(
        Effect.fail(new HttpClientError.RequestError({ request: this.request, reason: "Transport", cause }))
      )
      return
    }
    this.failure = cause
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
      this.exchange.resume()
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
    readonly exchange: ResponseBuffer
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

const dispatchRequest = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal,
  body: DispatchBody | null
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const buffer = new ResponseBuffer(request, resume)
    const exchange = new Exchange(buffer)
    buffer.exchange = exchange
    // `HttpClient.make` aborts the signal on interruption and when a `withScope` scope closes, also
    // while the body is read; the exchange ignores it once it ended.
    signal.addEventListener("abort", () => exchange.abort(), { once: true })
    dispatch(dispatcher, exchange, url, request.method, request.headers, body)
    return Effect.sync(() => exchange.abort())
  })

/** The mark of a FastHttpClient built here (absent from clients transformed by `HttpClient.map…`). @internal */
export const TypeId: unique symbol = Symbol.for("@tapestry/platform/FastHttpClient")

/** An untransformed FastHttpClient: `Download` drives its dispatcher directly. @internal */
export interface FastClient extends HttpClient.HttpClient {
  readonly [TypeId]: Dispatcher
}

/** Whether `client` is an untransformed FastHttpClient. @internal */
export const isFastClient = (client: HttpClient.HttpClient): client is FastClient =>
  Predicate.hasProperty(client, TypeId)

/** @internal */
export const make = (dispatcher: Dispatcher): FastClient => {
  const client = HttpClient.make((request, url, signal) =>
    request.body._tag === "Empty"
      ? dispatchRequest(dispatcher, request, url, signal, null)
      : Effect.flatMap(convertBody(request.body), (body) => dispatchRequest(dispatcher, request, url, signal, body))
  )
  return Object.assign(client, { [TypeId]: dispatcher })
}

/** @internal */
export const makeDispatcher = (options: Checked): Effect.Effect<Dispatcher, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync((): Dispatcher => {
      const pool = {
        connections: options.connections,
        pipelining: options.pipelining,
        keepAliveTimeout: options.keepAliveTimeout,
        headersTimeout: 0,
        bodyTimeout: 0
      }
      const proxy = options.proxy
      if (proxy === undefined) return new Agent(pool)
      if (proxy === "env") return new EnvHttpProxyAgent(pool)
      return new ProxyAgent({ ...pool, uri: proxy })
    }),
    (agent) => Effect.promise(() => agent.destroy())
  )

/** @internal */
export const layerWith = (options: Options): Layer.Layer<HttpClient.HttpClient> => {
  // checked when called: a bad option throws here, not when the layer is built
  const checked = checkLayerOptions(options)
  return Layer.scoped(HttpClient.HttpClient, Effect.map(makeDispatcher(checked), make))
}

/** @internal */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith({})
