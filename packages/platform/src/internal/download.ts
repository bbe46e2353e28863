import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Progress, Task, Validate } from "@tapestry/core"
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Stream from "effect/Stream"
import type { Dispatcher } from "undici"
import type * as Download from "../Download.js"
import {
  BodyError,
  ConnectionFailed,
  type DownloadError,
  HttpStatusError,
  InvalidUrl,
  TimeoutError,
  TooLarge
} from "../DownloadError.js"
import {
  AbortedByInterruption,
  abortResponse,
  dispatcherOf,
  parseRawHeaders,
  type RawHeaders,
  rawHeader
} from "./fastHttpClient.js"

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** Parses `Retry-After`: delay-seconds, or an HTTP date relative to `nowMillis`. @internal */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Duration.seconds(Number(v))
  const at = Date.parse(v)
  if (Number.isNaN(at)) return undefined
  return Duration.millis(Math.max(0, at - nowMillis))
}

const parseContentLength = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const v = value.trim()
  return /^\d+$/.test(v) ? Number(v) : undefined
}

const okStatus = (status: number): boolean => status >= 200 && status < 400

const redirectStatus = (status: number): boolean =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308

/** A redirect for `getChecked` to follow: internal, it never reaches a public error channel. */
class Redirect {
  readonly _tag = "Redirect"
  constructor(
    readonly status: number,
    readonly location: string
  ) {}
}

const isRedirect = (e: unknown): e is Redirect => e instanceof Redirect

/** One exchange's outcome: a download, a typed failure, or a redirect to follow. */
type Once = Effect.Effect<Download.Downloaded, DownloadError | Redirect>

class DownloadedImpl implements Download.Downloaded {
  private parsed: Headers.Headers | undefined
  constructor(
    readonly url: string,
    readonly status: number,
    private readonly raw: RawHeaders | Headers.Headers,
    readonly body: Uint8Array,
    readonly elapsed: Duration.Duration
  ) {
    this.parsed = Headers.isHeaders(raw) ? raw : undefined
  }
  get bytes(): number {
    return this.body.length
  }
  get headers(): Headers.Headers {
    return (this.parsed ??= parseRawHeaders(this.raw as RawHeaders))
  }
  toJSON(): unknown {
    return {
      _id: "Downloaded",
      url: this.url,
      status: this.status,
      bytes: this.bytes,
      elapsed: Duration.format(this.elapsed)
    }
  }
  [Symbol.for("nodejs.util.inspect.custom")](): unknown {
    return this.toJSON()
  }
}

interface Target {
  readonly url: string
  readonly parsed: URL
}

const parseTarget = (url: string): Target | InvalidUrl => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    return new InvalidUrl({ url, cause })
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return new InvalidUrl({ url })
  return { url, parsed }
}

const elapsedSince = (clock: Clock.Clock, start: bigint): Duration.Duration =>
  Duration.nanos(clock.unsafeCurrentTimeNanos() - start)

// ---------------------------------------------------------------------------------------------
// The fast path: one undici dispatch handler per download (an untransformed FastHttpClient)
// ---------------------------------------------------------------------------------------------

class DownloadExchange implements Dispatcher.DispatchHandler {
  abortFn: ((err?: Error) => void) | undefined = undefined
  result: Once | undefined = undefined
  status = 0
  raw: RawHeaders = []
  total: number | undefined = undefined
  received = 0
  chunks: Array<Buffer> = []
  headersSeen = false
  succeeded = false
  /** Called on every event while a reader waits (progress mode) or once when settled. */
  notify: (() => void) | undefined = undefined

  constructor(
    readonly target: Target,
    readonly maxBytes: number | undefined,
    readonly clock: Clock.Clock,
    readonly start: bigint,
    readonly everyEvent: boolean
  ) {}

  private settle(result: Once, abort: boolean): void {
    if (this.result !== undefined) return
    this.result = result
    if (abort) this.abortFn?.(new AbortedByInterruption())
    this.wake()
  }

  private wake(): void {
    const n = this.notify
    if (n !== undefined) {
      this.notify = undefined
      n()
    }
  }

  /** Interruption: abort on the wire (or as soon as undici hands us the request). */
  abort(): void {
    if (this.result !== undefined) return
    this.result = Effect.interrupt
    this.notify = undefined
    this.abortFn?.(new AbortedByInterruption())
  }

  onConnect(abort: (err?: Error) => void): void {
    // Cancelled while queued: throwing makes undici drop the request without sending it and
    // without destroying the connection it was about to use (calling `abort` would destroy it).
    if (this.result !== undefined) throw new AbortedByInterruption()
    this.abortFn = abort
  }

  onHeaders(statusCode: number, rawHeaders: Array<Buffer>): boolean {
    if (this.result !== undefined) return false
    this.status = statusCode
    this.raw = rawHeaders
    this.headersSeen = true
    const url = this.target.url
    if (redirectStatus(statusCode)) {
      const location = rawHeader(rawHeaders, "location")
      if (location !== undefined) {
        this.settle(Effect.fail(new Redirect(statusCode, location)), true)
        return false
      }
    }
    if (!okStatus(statusCode)) {
      const retryAfter = parseRetryAfter(rawHeader(rawHeaders, "retry-after"), this.clock.unsafeCurrentTimeMillis())
      this.settle(
        Effect.fail(
          new HttpStatusError(
            retryAfter === undefined ? { url, status: statusCode } : { url, status: statusCode, retryAfter }
          )
        ),
        true
      )
      return false
    }
    const total = parseContentLength(rawHeader(rawHeaders, "content-length"))
    this.total = total
    if (total !== undefined && this.maxBytes !== undefined && total > this.maxBytes) {
      this.settle(Effect.fail(new TooLarge({ url, maxBytes: this.maxBytes })), true)
      return false
    }
    if (this.everyEvent) this.wake()
    return true
  }

  onData(chunk: Buffer): boolean {
    if (this.result !== undefined) return false
    this.received += chunk.length
    if (this.maxBytes !== undefined && this.received > this.maxBytes) {
      this.settle(Effect.fail(new TooLarge({ url: this.target.url, maxBytes: this.maxBytes })), true)
      return false
    }
    this.chunks.push(chunk)
    if (this.everyEvent) this.wake()
    return true
  }

  onComplete(): void {
    if (this.result !== undefined) return
    const url = this.target.url
    if (this.total !== undefined && this.received !== this.total) {
      this.settle(
        Effect.fail(
          new BodyError({ url, cause: new Error(`received ${this.received} of ${this.total} bytes (content-length)`) })
        ),
        false
      )
      return
    }
    this.succeeded = true
    const chunks = this.chunks
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.received)
    this.chunks = []
    this.settle(
      Effect.succeed(new DownloadedImpl(url, this.status, this.raw, body, elapsedSince(this.clock, this.start))),
      false
    )
  }

  onError(err: Error): void {
    if (this.result !== undefined) return
    const url = this.target.url
    this.settle(
      Effect.fail(this.headersSeen ? new BodyError({ url, cause: err }) : new ConnectionFailed({ url, cause: err })),
      false
    )
  }
}

const startExchange = (
  dispatcher: Dispatcher,
  target: Target,
  maxBytes: number | undefined,
  clock: Clock.Clock,
  everyEvent: boolean
): DownloadExchange => {
  const ex = new DownloadExchange(target, maxBytes, clock, clock.unsafeCurrentTimeNanos(), everyEvent)
  const u = target.parsed
  try {
    dispatcher.dispatch(
      {
        origin: u.origin,
        path: u.pathname + u.search,
        method: "GET",
        headers: null,
        headersTimeout: 0,
        bodyTimeout: 0
      },
      ex
    )
  } catch (cause) {
    ex.onError(cause as Error)
  }
  return ex
}

const fastGet = (dispatcher: Dispatcher, target: Target, maxBytes: number | undefined): Once =>
  Effect.clockWith((clock) =>
    Effect.async<Download.Downloaded, DownloadError | Redirect>((resume) => {
      const ex = startExchange(dispatcher, target, maxBytes, clock, false)
      if (ex.result !== undefined) return resume(ex.result)
      ex.notify = () => resume(ex.result!)
      return Effect.sync(() => ex.abort())
    })
  )

const fastGetWithProgress = (
  dispatcher: Dispatcher,
  target: Target,
  maxBytes: number | undefined,
  progress: Progress.Progress<Download.DownloadProgress>
): Once =>
  Effect.clockWith((clock) =>
    Effect.suspend(() => {
      const ex = startExchange(dispatcher, target, maxBytes, clock, true)
      let reported = -1
      const event = Effect.async<void>((resume) => {
        if (ex.result !== undefined || (ex.headersSeen && (reported === -1 || ex.received !== reported))) {
          return resume(Effect.void)
        }
        ex.notify = () => resume(Effect.void)
        return Effect.sync(() => {
          ex.notify = undefined
        })
      })
      const report = (): Effect.Effect<void> => {
        // The first report is always `received: 0` (headers in), even if bytes came with them.
        const received = reported === -1 ? 0 : ex.received
        reported = received
        return progress.report(
          ex.total === undefined ? { url: target.url, received } : { url: target.url, received, total: ex.total }
        )
      }
      const loop: Once = Effect.flatMap(event, () => {
        const result = ex.result
        if (result !== undefined) {
          if (!ex.succeeded || reported === ex.received) return result
          // Make sure the first report is 0 and the last equals the size. `report()` builds its effect
          // and moves `reported` at once, so the order of these two calls is the order of the reports.
          const first = reported === -1 && ex.received !== 0 ? report() : Effect.void
          const last = report()
          return Effect.zipRight(Effect.zipRight(first, last), result)
        }
        if (ex.headersSeen && (reported === -1 || ex.received !== reported)) return Effect.zipRight(report(), loop)
        return loop
      })
      return Effect.ensuring(
        loop,
        Effect.sync(() => ex.abort())
      )
    })
  )

// ---------------------------------------------------------------------------------------------
// The generic path: any `HttpClient` (e.g. NodeHttpClient.layerUndici)
// ---------------------------------------------------------------------------------------------

const fromClientError = (url: string, error: HttpClientError.HttpClientError): Effect.Effect<never, DownloadError> => {
  if (error._tag === "RequestError") {
    return Effect.fail(
      error.reason === "InvalidUrl"
        ? new InvalidUrl({ url, cause: error })
        : new ConnectionFailed({ url, cause: error })
    )
  }
  if (error.reason === "StatusCode") return statusError(url, error.response)
  return Effect.fail(new BodyError({ url, cause: error }))
}

const statusError = (url: string, response: HttpClientResponse.HttpClientResponse) =>
  Effect.flatMap(
    Effect.clockWith((clock) => clock.currentTimeMillis),
    (now) => {
      const retryAfter = parseRetryAfter(response.headers["retry-after"], now)
      return Effect.fail(
        new HttpStatusError(
          retryAfter === undefined ? { url, status: response.status } : { url, status: response.status, retryAfter }
        )
      )
    }
  )

const genericGet = (
  client: HttpClient.HttpClient,
  target: Target,
  maxBytes: number | undefined,
  progress: Progress.Progress<Download.DownloadProgress> | undefined
): Once =>
  Effect.clockWith((clock) =>
    Effect.scoped(
      Effect.gen(function* () {
        const url = target.url
        const start = clock.unsafeCurrentTimeNanos()
        // `withScope` aborts a stock client's request when the scope closes; a (transformed)
        // FastHttpClient's response is aborted by the finalizer registered right after it arrives.
        const response = yield* Effect.uninterruptibleMask((restore) =>
          Effect.tap(
            restore(HttpClient.withScope(client).get(target.parsed)).pipe(
              Effect.catchAll((e) => fromClientError(url, e))
            ),
            (response) => Effect.addFinalizer(() => Effect.sync(() => abortResponse(response)))
          )
        )
        const location = response.headers.location
        if (redirectStatus(response.status) && location !== undefined) {
          return yield* Effect.fail(new Redirect(response.status, location))
        }
        if (!okStatus(response.status)) return yield* statusError(url, response)
        const total = parseContentLength(response.headers["content-length"])
        if (total !== undefined && maxBytes !== undefined && total > maxBytes) {
          return yield* Effect.fail(new TooLarge({ url, maxBytes }))
        }
        const report = (received: number) =>
          progress === undefined
            ? Effect.void
            : progress.report(total === undefined ? { url, received } : { url, received, total })
        yield* report(0)
        const chunks: Array<Uint8Array> = []
        let received = 0
        yield* Stream.runForEachChunk(response.stream, (chunk) => {
          for (const bytes of chunk) {
            received += bytes.length
            if (maxBytes !== undefined && received > maxBytes) return Effect.fail(new TooLarge({ url, maxBytes }))
            chunks.push(bytes)
          }
          return report(received)
        }).pipe(
          Effect.catchIf(
            (e): e is HttpClientError.ResponseError => e._tag === "ResponseError",
            (e) => fromClientError(url, e)
          )
        )
        if (total !== undefined && received !== total) {
          return yield* Effect.fail(
            new BodyError({ url, cause: new Error(`received ${received} of ${total} bytes (content-length)`) })
          )
        }
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)
        return new DownloadedImpl(url, response.status, response.headers, body, elapsedSince(clock, start))
      })
    )
  )

// ---------------------------------------------------------------------------------------------
// Public operations
// ---------------------------------------------------------------------------------------------

/** The options of a download, validated. */
interface Checked {
  readonly maxBytes: number | undefined
  readonly progress: Progress.Progress<Download.DownloadProgress> | undefined
  readonly timeout: Duration.Duration | undefined
  readonly maxRedirects: number
}

/**
 * Validates the options once, before any download starts: a bad one throws the
 * `IllegalArgumentException` naming it (called inside `Validate.suspend`, so the effect dies).
 */
const checkOptions = (where: string, options: Download.GetOptions | undefined): Checked => {
  if (Validate.optionalOptions(where, options) === undefined)
    return { maxBytes: undefined, progress: undefined, timeout: undefined, maxRedirects: 10 }
  const { maxBytes, maxRedirects, progress, timeout } = options!
  if (progress !== undefined && !Progress.isProgress(progress)) {
    Validate.raise(Validate.message(where, "progress", "a Progress", progress))
  }
  return {
    maxBytes: maxBytes === undefined ? undefined : Validate.positiveInteger(where, "maxBytes", maxBytes),
    progress,
    // an infinite timeout never fires: the same as none
    timeout:
      timeout === undefined
        ? undefined
        : finiteOrNone(Validate.duration(where, "timeout", timeout, { infinite: true })),
    maxRedirects: maxRedirects === undefined ? 10 : Validate.nonNegativeInteger(where, "maxRedirects", maxRedirects)
  }
}

const finiteOrNone = (d: Duration.Duration): Duration.Duration | undefined => (Duration.isFinite(d) ? d : undefined)

/** A URL argument or element: a string (what it says is checked by the download: `InvalidUrl`). */
const checkUrl = (where: string, name: string, url: unknown): string =>
  typeof url === "string" ? url : Validate.raise(Validate.message(where, name, "a string", url))

/** One download with options already checked. */
const getChecked = (
  url: string,
  { maxBytes, maxRedirects, progress, timeout }: Checked
): Effect.Effect<Download.Downloaded, DownloadError, HttpClient.HttpClient> => {
  const target = parseTarget(url)
  if (target instanceof InvalidUrl) return Effect.fail(target)
  const once = (target: Target): Effect.Effect<Download.Downloaded, DownloadError | Redirect, HttpClient.HttpClient> =>
    Effect.flatMap(HttpClient.HttpClient, (client) => {
      const dispatcher = dispatcherOf(client)
      if (dispatcher === undefined) return genericGet(client, target, maxBytes, progress)
      return progress === undefined
        ? fastGet(dispatcher, target, maxBytes)
        : fastGetWithProgress(dispatcher, target, maxBytes, progress)
    })
  // Redirects are followed here, for both paths; errors keep naming the URL as given.
  const follow = (
    target: Target,
    hops: number
  ): Effect.Effect<Download.Downloaded, DownloadError, HttpClient.HttpClient> =>
    Effect.catchIf(once(target), isRedirect, (redirect) => {
      if (hops >= maxRedirects) return Effect.fail(new HttpStatusError({ url, status: redirect.status }))
      let next: URL
      try {
        next = new URL(redirect.location, target.parsed)
      } catch (cause) {
        return Effect.fail(new InvalidUrl({ url, cause }))
      }
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        return Effect.fail(new InvalidUrl({ url, cause: new Error(`redirected to ${next.href}`) }))
      }
      return follow({ url, parsed: next }, hops + 1)
    })
  const run = follow(target, 0)
  if (timeout === undefined) return run
  const duration = timeout
  return Effect.timeoutFail(run, { duration, onTimeout: () => new TimeoutError({ url, duration }) })
}

const getWith = (
  where: string,
  url: string,
  options: Download.GetOptions | undefined
): Effect.Effect<Download.Downloaded, DownloadError, HttpClient.HttpClient> =>
  Validate.suspend(() => getChecked(checkUrl(where, "url", url), checkOptions(where, options)))

/** @internal */
export const get = (
  url: string,
  options?: Download.GetOptions
): Effect.Effect<Download.Downloaded, DownloadError, HttpClient.HttpClient> => getWith("Download.get", url, options)

/** @internal */
export const contentLength = (
  url: string,
  options?: Download.GetOptions
): Effect.Effect<number, DownloadError, HttpClient.HttpClient> =>
  Effect.map(getWith("Download.contentLength", url, options), (d) => d.bytes)

/** @internal */
export const first = (
  urls: Iterable<string>,
  options?: Download.FirstOptions
): Effect.Effect<Download.Downloaded, Task.TaskFailures<DownloadError>, HttpClient.HttpClient> =>
  Validate.suspend(() => {
    const where = "Download.first"
    const checked = checkOptions(where, options)
    const stagger = options?.stagger === undefined ? undefined : Validate.duration(where, "stagger", options.stagger)
    const all = Array.from(Validate.iterable(where, "urls", urls))
    if (all.length === 0) return Validate.die("Download.first: urls must not be empty")
    const downloads = all.map((url, i) => getChecked(checkUrl(where, Validate.element("urls", i), url), checked))
    return Task.needOnlyOne(downloads, stagger === undefined ? undefined : { stagger }) as Effect.Effect<
      Download.Downloaded,
      Task.TaskFailures<DownloadError>,
      HttpClient.HttpClient
    >
  })

/** @internal */
export const interleaved = (
  urls: Iterable<string>,
  options?: Download.InterleavedOptions
): Stream.Stream<Download.Interleaved, never, HttpClient.HttpClient> =>
  Validate.suspendStream(() => {
    const where = "Download.interleaved"
    const checked = checkOptions(where, options)
    const concurrency =
      options?.concurrency === undefined ? "unbounded" : Validate.concurrency(where, options.concurrency)
    const input = Validate.iterable(where, "urls", urls)
    const pending = new Map<number, string>()
    function* downloads(): Generator<Effect.Effect<Download.Downloaded, DownloadError, HttpClient.HttpClient>> {
      let index = 0
      for (const url of input) {
        // a bad element is a defect when it is reached (the stream dies, naming it)
        const checkedUrl = checkUrl(where, Validate.element("urls", index), url)
        pending.set(index++, checkedUrl)
        yield getChecked(checkedUrl, checked)
      }
    }
    return Task.interleaved(downloads(), { concurrency }).pipe(
      Stream.map((done): Download.Interleaved => {
        const url = pending.get(done.index)!
        pending.delete(done.index)
        return { index: done.index, url, exit: done.exit }
      })
    )
  })

const retryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500

/** @internal */
export const isRetryable = (error: DownloadError): boolean => {
  switch (error._tag) {
    case "ConnectionFailed":
    case "BodyError":
    case "TimeoutError":
      return true
    case "HttpStatusError":
      return retryableStatus(error.status) || error.retryAfter !== undefined
    case "InvalidUrl":
    case "TooLarge":
      return false
  }
}

/** @internal */
export const retryPolicy = (options: Download.RetryPolicyOptions): Download.RetryPolicy => {
  const where = "Download.retryPolicy"
  Validate.options(where, options)
  const maxTries = Validate.positiveInteger(where, "maxTries", options.maxTries)
  const base = Duration.toMillis(Validate.duration(where, "base", options.base ?? "100 millis"))
  const cap = Duration.toMillis(Validate.duration(where, "cap", options.cap ?? "30 seconds"))
  return {
    maxTries,
    while: isRetryable,
    retryWhen: (error, attempt) => {
      if (error._tag === "HttpStatusError" && error.retryAfter !== undefined) return Effect.sleep(error.retryAfter)
      const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1))
      return Effect.flatMap(Random.next, (r) => Effect.sleep(Duration.millis(ceiling * (0.5 + r / 2))))
    }
  }
}
