/**
 * The hosts of one `Download.interleaved` call: how many of its requests may be in flight (in all,
 * and to one host), and which hosts are held — a `429` or `503` with `Retry-After` holds its host's
 * next requests until that time has passed (at most `maxRetryAfter`). A download waiting for a held or
 * full host takes no slot: the caps are core's `KeyedLimiter` (per host, and `concurrency` in all),
 * and a held host's downloads wait at its gate before asking for a permit.
 */
import { KeyedLimiter } from "@tapestry/core"
import type * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import type * as Scope from "effect/Scope"
import type * as Download from "../Download.js"
import type { DownloadError } from "../DownloadError.js"

const defaultPorts: Readonly<Record<string, string>> = { "http:": "80", "https:": "443" }

/** The host of `url` with its port (`127.0.0.1:8080`, `example.org:443`), or `undefined` if it is not a web URL. @internal */
export const hostOf = (url: string): string | undefined => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const port = parsed.port === "" ? defaultPorts[parsed.protocol] : parsed.port
  return port === undefined ? undefined : `${parsed.hostname}:${port}`
}

/** The hold a failure puts on its host, in milliseconds: a 429 or 503 with `Retry-After`, at most `max`. */
const holdOf = (error: DownloadError, max: number): number | undefined =>
  error._tag === "HttpStatusError" && (error.status === 429 || error.status === 503) && error.retryAfter !== undefined
    ? Math.min(Duration.toMillis(error.retryAfter), max)
    : undefined

/** Marks a download that found its host held once it had its permit: it gives the permit back and waits. */
const held: unique symbol = Symbol("held")

/** A held host: until when (by the `Clock`, in milliseconds), and the gate its downloads wait at. */
interface Hold {
  until: number
  readonly open: Deferred.Deferred<void>
}

/** The caps and holds of one call. @internal */
export class Hosts {
  private readonly holds = new Map<string, Hold>()

  constructor(
    /** `undefined` when neither `concurrency` nor `perHost` caps anything. */
    private readonly limiter: KeyedLimiter.KeyedLimiter<string> | undefined,
    private readonly maxRetryAfter: number,
    private readonly clock: Clock.Clock,
    /** The call's scope: a hold's timer runs in it, and ends with it. */
    private readonly scope: Scope.Scope
  ) {}

  /** The hosts of one call under `perHost` and `concurrency` (`"unbounded"`: no total cap). */
  static make(
    perHost: number,
    concurrency: number | "unbounded",
    maxRetryAfter: number
  ): Effect.Effect<Hosts, never, Scope.Scope> {
    const total = concurrency === "unbounded" ? Number.POSITIVE_INFINITY : concurrency
    const limiter =
      perHost === Number.POSITIVE_INFINITY && total === Number.POSITIVE_INFINITY
        ? Effect.succeed(undefined)
        : KeyedLimiter.make<string>({ perKey: perHost, total })
    return Effect.all([limiter, Effect.clock, Effect.scope]).pipe(
      Effect.map(([l, clock, scope]) => new Hosts(l, maxRetryAfter, clock, scope))
    )
  }

  /**
   * Holds `host` after `error` if it says so. One timer per held host opens its gate when the time has
   * passed (a later `Retry-After` meanwhile makes it wait longer); its downloads wait at the gate, in
   * the order they came, taking nothing.
   */
  private hold(host: string, error: DownloadError): Effect.Effect<void> {
    const ms = holdOf(error, this.maxRetryAfter)
    if (ms === undefined || ms <= 0) return Effect.void
    const until = this.clock.unsafeCurrentTimeMillis() + ms
    const current = this.holds.get(host)
    if (current !== undefined) {
      current.until = Math.max(current.until, until)
      return Effect.void
    }
    const hold: Hold = { until, open: Deferred.unsafeMake(FiberId.none) }
    this.holds.set(host, hold)
    const wait: Effect.Effect<void> = Effect.suspend(() => {
      const left = hold.until - this.clock.unsafeCurrentTimeMillis()
      return left > 0 ? Effect.zipRight(this.clock.sleep(Duration.millis(left)), wait) : Effect.void
    })
    const timer = Effect.ensuring(
      wait,
      Effect.suspend(() => {
        this.holds.delete(host)
        return Deferred.done(hold.open, Exit.void)
      })
    )
    return Effect.asVoid(Effect.forkIn(timer, this.scope))
  }

  /**
   * `download` of a URL of `host` (`undefined`: not a web URL, it fails without a request) once the host
   * is not held, has a free `perHost` slot and a `concurrency` slot is free; its 429/503 with
   * `Retry-After` holds the host (before its slot is given back, so the next download sees the hold).
   */
  run<R>(
    host: string | undefined,
    download: Effect.Effect<Download.Downloaded, DownloadError, R>
  ): Effect.Effect<Download.Downloaded, DownloadError, R> {
    if (host === undefined) return download
    const limiter = this.limiter
    const noted = Effect.tapError(download, (error) => this.hold(host, error))
    const attempt: Effect.Effect<Download.Downloaded, DownloadError, R> = Effect.suspend(() => {
      const hold = this.holds.get(host)
      if (hold !== undefined) return Effect.zipRight(Deferred.await(hold.open), attempt)
      if (limiter === undefined) return noted
      // the host may have been held while this one waited for its permit: give it back, wait, ask again
      const permitted = limiter.withPermit(host)(
        Effect.suspend(
          (): Effect.Effect<Download.Downloaded | typeof held, DownloadError, R> =>
            this.holds.has(host) ? Effect.succeed(held) : noted
        )
      )
      return Effect.flatMap(permitted, (got) => (got === held ? attempt : Effect.succeed(got)))
    })
    return attempt
  }
}
