/**
 * Every argument check of the package, in one place: one function per options object (downloads,
 * `retryPolicy`, `FastHttpClient.layerWith`), built on the two helpers below. A bad value throws
 * `IllegalArgumentException` naming the function and the option; callers turn it into a defect.
 */
import { Progress, Validate } from "@tapestry/core"
import * as Duration from "effect/Duration"
import type * as Download from "../Download.js"
import type * as FastHttpClient from "../FastHttpClient.js"
import { redactUrl } from "./url.js"

/** A duration option (finite unless `infinite`): core's one check, so the message is the same everywhere. */
const checkDuration = (
  where: string,
  name: string,
  value: Duration.DurationInput,
  infinite = true
): Duration.Duration => Validate.duration(where, name, value, { infinite })

/** The longest `Retry-After` waited (`retryPolicy`) or held (`interleaved`) unless told otherwise: 5 minutes. */
const defaultMaxRetryAfter = 5 * 60 * 1000

/** A positive, finite duration in milliseconds; anything else names the option. */
const positiveMillis = (where: string, name: string, value: Duration.DurationInput): number => {
  let millis = Number.NaN
  try {
    millis = Duration.toMillis(checkDuration(where, name, value, false))
  } catch {
    // reported below, with the one message for every bad value
  }
  return millis > 0 ? millis : Validate.raise(Validate.message(where, name, "a positive, finite Duration", value))
}

/** A URL argument or element: a string (what it says is the download's to check: `InvalidUrl`). @internal */
export const checkUrl = (where: string, name: string, url: unknown): string =>
  typeof url === "string" ? url : Validate.raise(Validate.message(where, name, "a string", url))

/** The options of a download, checked. @internal */
export interface DownloadOptions {
  readonly maxBytes: number | undefined
  readonly maxRedirects: number
  readonly timeout: Duration.Duration | undefined
  readonly progress: Progress.Progress<Download.DownloadProgress> | undefined
  readonly headers: Readonly<Record<string, string>> | undefined
  readonly concurrency: number | "unbounded" | undefined
  readonly stagger: Duration.Duration | undefined
  readonly decompress: boolean
  /** `Infinity`: no cap. */
  readonly perHost: number
  /** The longest hold a `Retry-After` puts on a host, in milliseconds (`Infinity`: no cap). */
  readonly maxRetryAfter: number
}

/**
 * Checks the options of `Download.get`, `contentLength`, `first` and `interleaved`, and the list of
 * URLs of the last two (`urls`: not a single string). @internal
 */
export const checkDownloadOptions = (
  name: string,
  options: (Download.InterleavedOptions & Download.FirstOptions) | undefined,
  urls?: unknown
): DownloadOptions => {
  if (typeof urls === "string") {
    // a single URL: shown redacted, as every URL is (Validate would show its password)
    Validate.raise(Validate.message(name, "urls", "an iterable", redactUrl(urls)))
  }
  if (urls !== undefined) Validate.iterable(name, "urls", urls as Iterable<unknown>)
  Validate.optionalOptions(name, options)
  const maxBytes =
    options?.maxBytes === undefined ? undefined : Validate.positiveInteger(name, "maxBytes", options.maxBytes)
  const maxRedirects =
    options?.maxRedirects === undefined ? 10 : Validate.nonNegativeInteger(name, "maxRedirects", options.maxRedirects)
  const progress = options?.progress
  if (progress !== undefined && !Progress.isProgress(progress)) {
    Validate.raise(Validate.message(name, "progress", "a Progress", progress))
  }
  const timeout = options?.timeout === undefined ? undefined : checkDuration(name, "timeout", options.timeout)
  const headers = options?.headers
  if (headers !== undefined) {
    Validate.options(name, headers, "headers")
    for (const key in headers) {
      // the value itself is never shown: it may be a secret
      if (typeof headers[key] !== "string") {
        Validate.raise(Validate.message(name, Validate.element("headers", key), "a string", typeof headers[key]))
      }
    }
  }
  const concurrency = options?.concurrency === undefined ? undefined : Validate.concurrency(name, options.concurrency)
  const stagger = options?.stagger === undefined ? undefined : checkDuration(name, "stagger", options.stagger, false)
  const decompress = Validate.flag(name, "decompress", options?.decompress)
  const perHost =
    options?.perHost === undefined
      ? Number.POSITIVE_INFINITY
      : Validate.positiveIntegerOrInfinity(name, "perHost", options.perHost)
  const maxRetryAfter =
    options?.maxRetryAfter === undefined
      ? defaultMaxRetryAfter
      : Duration.toMillis(checkDuration(name, "maxRetryAfter", options.maxRetryAfter))
  return {
    maxBytes,
    maxRedirects,
    timeout: timeout === undefined || !Duration.isFinite(timeout) ? undefined : timeout,
    progress,
    headers,
    concurrency,
    stagger,
    decompress,
    perHost,
    maxRetryAfter
  }
}

/** The options of `retryPolicy`, checked, in milliseconds. @internal */
export interface RetryPolicyOptions {
  readonly maxTries: number
  readonly base: number
  readonly cap: number
  readonly maxRetryAfter: number
}

/** Checks the options of `Download.retryPolicy`. @internal */
export const checkRetryPolicyOptions = (options: Download.RetryPolicyOptions): RetryPolicyOptions => {
  const name = "Download.retryPolicy"
  const millis = (arg: string, value: Duration.DurationInput, infinite = false) =>
    Duration.toMillis(checkDuration(name, arg, value, infinite))
  return {
    maxTries: Validate.positiveInteger(name, "maxTries", Validate.options(name, options).maxTries),
    base: millis("base", options.base ?? "100 millis"),
    cap: millis("cap", options.cap ?? "30 seconds"),
    maxRetryAfter:
      options.maxRetryAfter === undefined ? defaultMaxRetryAfter : millis("maxRetryAfter", options.maxRetryAfter, true)
  }
}

/** The options of `FastHttpClient.layerWith`, checked. @internal */
export interface Checked {
  readonly connections: number
  readonly pipelining: number
  readonly keepAliveTimeout: number
  readonly proxy: "env" | string | undefined
}

/** Checks the options of `FastHttpClient.layerWith`. @internal */
export const checkLayerOptions = (options: FastHttpClient.Options): Checked => {
  const name = "FastHttpClient.layerWith"
  Validate.options(name, options)
  const keepAlive =
    options.keepAliveTimeout === undefined ? 4_000 : positiveMillis(name, "keepAliveTimeout", options.keepAliveTimeout)
  const proxy = options.proxy
  if (proxy !== undefined && proxy !== "env") {
    let url: URL | undefined
    try {
      url = new URL(proxy)
    } catch {
      url = undefined
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      Validate.raise(Validate.message(name, "proxy", '"env" or an http(s) URL', "a URL that is not http(s)"))
    }
  }
  return {
    connections:
      options.connections === undefined ? 64 : Validate.positiveInteger(name, "connections", options.connections),
    pipelining: options.pipelining === undefined ? 1 : Validate.positiveInteger(name, "pipelining", options.pipelining),
    keepAliveTimeout: keepAlive,
    proxy
  }
}
