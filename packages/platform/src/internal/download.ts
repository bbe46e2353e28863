/**
 * The download pipeline: validated options → first hop → transport (fast or via the client) under
 * the rules → redirects → result, inside the `Download.get` span and the time-out. Every public
 * operation runs through `download`.
 */
import type * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import { Task, Validate } from "@tapestry/core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import type * as Download from "../Download.js"
import { type DownloadError, RequestTimeout } from "../DownloadError.js"
import { isFastClient, TypeId } from "./fastHttpClient.js"
import * as Hosts from "./hosts.js"
import { checkDownloadOptions, checkRetryPolicyOptions, checkUrl, type DownloadOptions } from "./options.js"
import { firstHop, type Hop, nextHop, Reception, Redirect, type Rules } from "./rules.js"
import { fast, type Transport, tracing, viaClient } from "./transports.js"

export { redactUrl } from "./url.js"

class DownloadedImpl implements Download.Downloaded {
  constructor(
    readonly reception: Reception,
    readonly body: Uint8Array,
    readonly elapsed: Duration.Duration
  ) {}
  get url(): string {
    return this.reception.hop.given
  }
  get finalUrl(): string {
    return shownUrl(this.reception.hop)
  }
  get status(): number {
    return this.reception.status
  }
  get bytes(): number {
    return this.body.length
  }
  get headers(): Headers.Headers {
    return this.reception.headers()
  }
  toJSON(): unknown {
    return {
      _id: "Downloaded",
      url: this.url,
      finalUrl: this.finalUrl,
      status: this.status,
      bytes: this.bytes,
      elapsed: Duration.format(this.elapsed)
    }
  }
  [Symbol.for("nodejs.util.inspect.custom")](): unknown {
    return this.toJSON()
  }
}

/** The URL a hop requested, with `user:***@` while the given credentials are still sent. */
const shownUrl = (hop: Hop): string =>
  hop.userinfo === undefined ? hop.url.href : hop.url.href.replace("//", `//${hop.userinfo}@`)

const transportFor = (client: HttpClient.HttpClient, rules: Rules, owned: boolean): Transport =>
  isFastClient(client) && rules.progress === undefined ? fast(client[TypeId], owned) : viaClient(client)

const isRedirect = (u: unknown): u is Redirect => u instanceof Redirect

/** Follows `hop` and its redirects; succeeds with the last hop's reception, its body complete. */
const follow = (
  transport: Transport,
  hop: Hop,
  rules: Rules,
  clock: Clock.Clock,
  span: Tracer.Span | undefined,
  seen: { last: Reception | undefined }
): Effect.Effect<Reception, DownloadError> => {
  const reception = new Reception(hop, rules)
  seen.last = reception
  return Effect.catchIf(Effect.as(transport(reception, clock, span), reception), isRedirect, (redirect) => {
    const next = nextHop(hop, redirect, rules)
    return "_tag" in next ? Effect.fail(next) : follow(transport, next, rules, clock, span, seen)
  })
}

/** The rules of every download of one call (and of every hop of each). */
const rulesOf = (options: DownloadOptions, keepBody: boolean): Rules => ({
  maxBytes: options.maxBytes,
  maxRedirects: options.maxRedirects,
  progress: options.progress,
  headers: options.headers,
  keepBody,
  decompress: options.decompress
})

/**
 * One download with checked options: the pipeline. `owned`: it runs in a fiber a Tapestry group forked
 * for it, with nothing of the caller's above it (see `fast` in `transports.ts`).
 */
const download = (
  url: string,
  options: DownloadOptions,
  rules: Rules,
  owned = false
): Effect.Effect<DownloadedImpl, DownloadError, HttpClient.HttpClient> =>
  Effect.withFiberRuntime((fiber) => {
    const client = Context.get(fiber.currentContext as Context.Context<HttpClient.HttpClient>, HttpClient.HttpClient)
    const first = firstHop(url, rules)
    const transport = transportFor(client, rules, owned)
    const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
    const run = (span: Tracer.Span | undefined, seen: { last: Reception | undefined }) => {
      if ("_tag" in first) return Effect.fail(first)
      const start = clock.unsafeCurrentTimeNanos()
      const got = Effect.map(
        follow(transport, first, rules, clock, span, seen),
        (reception) =>
          new DownloadedImpl(reception, reception.body(), Duration.nanos(clock.unsafeCurrentTimeNanos() - start))
      )
      const timeout = options.timeout
      return timeout === undefined
        ? got
        : Effect.timeoutFail(got, {
            duration: timeout,
            onTimeout: () => new RequestTimeout({ url: first.given, timeout })
          })
    }
    if (!tracing(fiber)) return run(undefined, { last: undefined })
    const given = "_tag" in first ? first.url : first.given
    return Effect.useSpan(
      "Download.get",
      { attributes: { "http.request.method": "GET", "url.full": given }, captureStackTrace: false },
      (span) => {
        const seen: { last: Reception | undefined } = { last: undefined }
        return Effect.ensuring(
          run(span, seen),
          Effect.sync(() => {
            const last = seen.last
            if (last === undefined) return
            if (last.status !== 0) span.attribute("http.response.status_code", last.status)
            span.attribute("tapestry.download.bytes", last.received)
            span.attribute("tapestry.download.redirects", last.hop.redirects)
          })
        )
      }
    )
  })

const checked = <A, E, R>(
  name: string,
  options: (Download.InterleavedOptions & Download.FirstOptions) | undefined,
  urls: unknown,
  f: (options: DownloadOptions) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => Validate.suspend(() => f(checkDownloadOptions(name, options, urls)))

/** @internal */
export const get = (
  url: string,
  options?: Download.GetOptions
): Effect.Effect<Download.Downloaded, DownloadError, HttpClient.HttpClient> =>
  checked("Download.get", options, undefined, (valid) =>
    download(checkUrl("Download.get", "url", url), valid, rulesOf(valid, true))
  )

/** @internal */
export const contentLength = (
  url: string,
  options?: Download.GetOptions
): Effect.Effect<number, DownloadError, HttpClient.HttpClient> =>
  checked("Download.contentLength", options, undefined, (valid) =>
    Effect.map(
      download(checkUrl("Download.contentLength", "url", url), valid, rulesOf(valid, false)),
      (d) => d.reception.received
    )
  )

/** @internal */
export const first = (
  urls: Download.Urls,
  options?: Download.FirstOptions
): Effect.Effect<Download.Downloaded, Task.TaskFailures<DownloadError>, HttpClient.HttpClient> =>
  checked("Download.first", options, urls, (valid) => {
    const iterator = urls[Symbol.iterator]()
    const head = iterator.next()
    if (head.done === true) return Validate.die("Download.first: urls must not be empty")
    const rules = rulesOf(valid, true)
    function* downloads(): Generator<Effect.Effect<Download.Downloaded, DownloadError, HttpClient.HttpClient>> {
      // a bad element is a defect when it is reached, naming it
      let index = 0
      yield download(checkUrl("Download.first", Validate.element("urls", index++), head.value), valid, rules, true)
      for (let next = iterator.next(); next.done !== true; next = iterator.next()) {
        yield download(checkUrl("Download.first", Validate.element("urls", index++), next.value), valid, rules, true)
      }
    }
    return Task.needOnlyOne(downloads(), valid.stagger === undefined ? undefined : { stagger: valid.stagger })
  })

/**
 * How many URLs `interleaved` reads ahead of those in flight, for hosts that are held or full: they wait
 * without a slot, and this many keep the other hosts busy meanwhile.
 */
const readAhead = 128

/** @internal */
export const interleaved = (
  urls: Download.Urls,
  options?: Download.InterleavedOptions
): Stream.Stream<Download.Interleaved, never, HttpClient.HttpClient> =>
  Validate.suspendStream(() => {
    const where = "Download.interleaved"
    const valid = checkDownloadOptions(where, options, urls)
    const concurrency = valid.concurrency ?? "unbounded"
    const rules = rulesOf(valid, true)
    return Hosts.interleaved(
      urls,
      {
        concurrency,
        perHost: valid.perHost,
        maxRetryAfter: valid.maxRetryAfter,
        readAhead: concurrency === "unbounded" ? Number.POSITIVE_INFINITY : readAhead
      },
      // a bad element is a defect when it is reached (the stream dies, naming it)
      (element, index) => checkUrl(where, Validate.element("urls", index), element),
      (url) => download(url, valid, rules, true)
    )
  })

const retryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500

/** @internal */
export const isRetryable = (error: DownloadError): boolean => {
  switch (error._tag) {
    case "ConnectionFailed":
    case "BodyError":
    case "RequestTimeout":
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
  const { base, cap, maxRetryAfter, maxTries } = checkRetryPolicyOptions(options)
  const retryAfterOf = (error: DownloadError): number | undefined =>
    error._tag === "HttpStatusError" && error.retryAfter !== undefined ? Duration.toMillis(error.retryAfter) : undefined
  return {
    maxTries,
    // A Retry-After longer than maxRetryAfter ends the retries at once: no wait is ever longer.
    while: (error) => isRetryable(error) && !((retryAfterOf(error) ?? 0) > maxRetryAfter),
    retryWhen: (error, attempt) => {
      const retryAfter = retryAfterOf(error)
      if (retryAfter !== undefined) return Effect.sleep(Duration.millis(Math.min(retryAfter, maxRetryAfter)))
      const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1))
      return Effect.flatMap(Random.next, (r) => Effect.sleep(Duration.millis(ceiling * (0.5 + r / 2))))
    }
  }
}
