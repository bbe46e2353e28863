/**
 * Every argument check of the package, in one place: one function per options object (downloads,
 * `retryPolicy`, `FastHttpClient.layerWith`), built on the two helpers below. A bad value throws
 * `IllegalArgumentException` naming the function and the option; callers turn it into a defect.
 */
import type { Progress } from "@tapestry/core"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import type * as Download from "../Download.js"
import type * as FastHttpClient from "../FastHttpClient.js"

const illegal = (message: string): never => {
  throw new Cause.IllegalArgumentException(message)
}

const show = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : String(value))

/** A non-negative duration argument (finite unless `infinite` is allowed). */
const checkDuration = (
  name: string,
  arg: string,
  value: Duration.DurationInput,
  infinite = true
): Duration.Duration => {
  const negative =
    (typeof value === "number" && !(value >= 0)) ||
    (typeof value === "bigint" && value < 0n) ||
    (typeof value === "string" && /^\s*-/.test(value))
  const d = negative ? undefined : Duration.decodeUnknown(value)
  if (d === undefined || d._tag === "None" || (!infinite && !Duration.isFinite(d.value))) {
    return illegal(`${name}: ${arg} must be a ${infinite ? "" : "finite, "}non-negative Duration, got ${show(value)}`)
  }
  return d.value
}

const checkInteger = (name: string, arg: string, value: number, min: number, what: string): number =>
  Number.isSafeInteger(value) && value >= min ? value : illegal(`${name}: ${arg} must be ${what}, got ${show(value)}`)

/** The options of a download, checked. @internal */
export interface DownloadOptions {
  readonly maxBytes: number | undefined
  readonly maxRedirects: number
  readonly timeout: Duration.Duration | undefined
  readonly progress: Progress.Progress<Download.DownloadProgress> | undefined
  readonly headers: Readonly<Record<string, string>> | undefined
  readonly concurrency: number | "unbounded" | undefined
  readonly stagger: Duration.Duration | undefined
}

/** The defect of an empty list of URLs where one is needed (`Download.first`). @internal */
export const emptyUrls = (name: string): Cause.IllegalArgumentException =>
  new Cause.IllegalArgumentException(`${name}: urls must not be empty`)

/**
 * Checks the options of `Download.get`, `contentLength`, `first` and `interleaved`, and the list of
 * URLs of the last two (`urls`: not a single string). @internal
 */
export const checkDownloadOptions = (
  name: string,
  options: (Download.InterleavedOptions & Download.FirstOptions) | undefined,
  urls?: unknown
): DownloadOptions => {
  if (typeof urls === "string") illegal(`${name}: urls must be an iterable of URLs, not a single string`)
  const maxBytes = options?.maxBytes
  if (maxBytes !== undefined) checkInteger(name, "maxBytes", maxBytes, 1, "a positive integer")
  const maxRedirects =
    options?.maxRedirects === undefined
      ? 10
      : checkInteger(name, "maxRedirects", options.maxRedirects, 0, "a non-negative integer")
  const timeout = options?.timeout === undefined ? undefined : checkDuration(name, "timeout", options.timeout)
  const headers = options?.headers
  if (headers !== undefined) {
    if (typeof headers !== "object" || headers === null) illegal(`${name}: headers must be an object of strings`)
    for (const key in headers) {
      if (typeof headers[key] !== "string") illegal(`${name}: headers must be an object of strings (see "${key}")`)
    }
  }
  const c = options?.concurrency
  const concurrency =
    c === undefined || c === "unbounded" || c === Number.POSITIVE_INFINITY
      ? c === undefined
        ? undefined
        : "unbounded"
      : Number.isSafeInteger(c) && c >= 1
        ? c
        : illegal(`${name}: concurrency must be a positive integer or "unbounded", got ${String(c)}`)
  const stagger = options?.stagger === undefined ? undefined : checkDuration(name, "stagger", options.stagger, false)
  return {
    maxBytes,
    maxRedirects,
    timeout: timeout === undefined || !Duration.isFinite(timeout) ? undefined : timeout,
    progress: options?.progress,
    headers,
    concurrency,
    stagger
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
  const millis = (arg: string, value: Duration.DurationInput) => Duration.toMillis(checkDuration(name, arg, value))
  return {
    maxTries: checkInteger(name, "maxTries", options.maxTries, 1, "an integer of at least 1"),
    base: millis("base", options.base ?? "100 millis"),
    cap: millis("cap", options.cap ?? "30 seconds"),
    maxRetryAfter: millis("maxRetryAfter", options.maxRetryAfter ?? "5 minutes")
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
  const keepAlive =
    options.keepAliveTimeout === undefined
      ? 4_000
      : Duration.toMillis(checkDuration(name, "keepAliveTimeout", options.keepAliveTimeout, false))
  if (!(keepAlive > 0))
    illegal(`${name}: keepAliveTimeout must be a positive, finite Duration, got ${show(options.keepAliveTimeout)}`)
  const proxy = options.proxy
  if (proxy !== undefined && proxy !== "env") {
    let url: URL | undefined
    try {
      url = new URL(proxy)
    } catch {
      url = undefined
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      illegal(`${name}: proxy must be "env" or an http(s) URL`)
    }
  }
  return {
    connections:
      options.connections === undefined
        ? 64
        : checkInteger(name, "connections", options.connections, 1, "a positive integer"),
    pipelining:
      options.pipelining === undefined
        ? 1
        : checkInteger(name, "pipelining", options.pipelining, 1, "a positive integer"),
    keepAliveTimeout: keepAlive,
    proxy
  }
}
