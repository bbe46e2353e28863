/**
 * The scheduler of one `Download.interleaved` call: which URL runs next under `concurrency` (in all)
 * and `perHost` (to one host), and which hosts are held — a `429` or `503` with `Retry-After` holds
 * its host's next downloads until that time has passed (at most `maxRetryAfter`).
 *
 * `Task.interleaved` runs **lanes** over the input, at most `concurrency` at once; a lane downloads
 * one URL. A URL whose host is held or full waits in a buffer (at most `readAhead` of them), not in a
 * fiber and not in a slot: the next lane takes the oldest URL that may run, or reads on. Only when
 * nothing may run does a lane wait, and then for whichever URL becomes runnable first (a download
 * ended, a hold passed). While no host is held or full the buffer stays empty and each lane simply
 * downloads the next URL — no waiting, no extra fiber.
 */
import { Task } from "@tapestry/core"
import * as Chunk from "effect/Chunk"
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Download from "../Download.js"
import type { DownloadError } from "../DownloadError.js"
import { redactUrl } from "./url.js"

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

/** The limits of one call. @internal */
export interface Limits {
  readonly concurrency: number | "unbounded"
  /** `Infinity`: no cap. */
  readonly perHost: number
  /** Milliseconds. */
  readonly maxRetryAfter: number
  /** How many URLs may wait for their host (`Infinity` when `concurrency` is unbounded). */
  readonly readAhead: number
}

/** A URL read from the input, waiting to run. */
class Pending {
  private _host: string | undefined | null = null
  constructor(
    readonly index: number,
    readonly url: string
  ) {}
  /** Its host (parsed when first needed: while no host is held or capped, never). */
  get host(): string | undefined {
    if (this._host === null) this._host = hostOf(this.url)
    return this._host
  }
}

/** What a lane that found nothing to do returns (filtered out of the results). */
const idle: unique symbol = Symbol("idle")

/** What a lane returns when it read a bad element (or the input threw): the stream dies with it. */
class Defect {
  constructor(readonly error: unknown) {}
}

type Lane = Download.Interleaved | typeof idle | Defect

class Scheduler<R> {
  /** URLs waiting for a held or full host, oldest first. */
  private readonly buffer: Array<Pending> = []
  private readonly inFlight = new Map<string, number>()
  /** Until when (by the `Clock`, in milliseconds) each held host is held. */
  private readonly holds = new Map<string, number>()
  /** The wake-ups of lanes waiting for something to run. */
  private readonly waiting = new Set<() => void>()
  /** Waiting lanes made and not yet done: once the input is read, no more than there are URLs waiting. */
  private waitLanes = 0
  private inputDone = false
  private read = 0

  constructor(
    private readonly input: Iterator<unknown>,
    private readonly limits: Limits,
    private readonly check: (element: unknown, index: number) => string,
    private readonly download: (url: string) => Effect.Effect<Download.Downloaded, DownloadError, R>,
    private readonly clock: Clock.Clock,
    private readonly scope: Scope.Scope
  ) {}

  private runnable(pending: Pending): boolean {
    const capped = this.limits.perHost !== Number.POSITIVE_INFINITY
    if (!capped && this.holds.size === 0) return true
    const host = pending.host
    if (host === undefined) return true
    if (this.holds.has(host)) return false
    return !capped || (this.inFlight.get(host) ?? 0) < this.limits.perHost
  }

  private get exhausted(): boolean {
    return this.inputDone && this.buffer.length === 0
  }

  /** The URL to run now: the oldest waiting one that may, else the next one read that may; throws on a bad element. */
  private next(): Pending | undefined {
    const buffer = this.buffer
    for (let i = 0; i < buffer.length; i++) {
      const pending = buffer[i]!
      if (this.runnable(pending)) {
        buffer.splice(i, 1)
        if (this.exhausted) this.wake()
        return pending
      }
    }
    while (!this.inputDone && buffer.length < this.limits.readAhead) {
      let element: IteratorResult<unknown>
      try {
        element = this.input.next()
      } catch (error) {
        this.inputDone = true
        throw error
      }
      if (element.done === true) {
        this.inputDone = true
        if (this.exhausted) this.wake()
        break
      }
      const index = this.read++
      let url: string
      try {
        url = this.check(element.value, index)
      } catch (error) {
        this.inputDone = true
        throw error
      }
      const pending = new Pending(index, url)
      if (this.runnable(pending)) return pending
      buffer.push(pending)
    }
    return undefined
  }

  private wake(): void {
    if (this.waiting.size === 0) return
    const all = [...this.waiting]
    this.waiting.clear()
    for (const wake of all) wake()
  }

  private readonly sleep = Effect.async<void>((resume) => {
    const wake = () => resume(Effect.void)
    this.waiting.add(wake)
    return Effect.sync(() => void this.waiting.delete(wake))
  })

  /** Downloads `pending`, counting it in flight to its host; its end may hold the host, and frees its slot. */
  private run(pending: Pending): Effect.Effect<Lane, never, R> {
    const capped = this.limits.perHost !== Number.POSITIVE_INFINITY
    const host = capped ? pending.host : undefined
    const counted = host !== undefined
    if (counted) this.inFlight.set(host, (this.inFlight.get(host) ?? 0) + 1)
    return Effect.flatMap(Effect.exit(this.download(pending.url)), (exit) => {
      const done: Lane = { index: pending.index, url: redactUrl(pending.url), exit }
      const held = Exit.isFailure(exit) ? this.hold(pending, exit) : undefined
      if (counted) {
        const n = this.inFlight.get(host)! - 1
        if (n === 0) this.inFlight.delete(host)
        else this.inFlight.set(host, n)
      }
      this.wake()
      return held === undefined ? Effect.succeed(done) : Effect.as(held, done)
    })
  }

  /** Holds the host of `pending` if `exit` says so: a timer (in the call's scope) lifts the hold when the time has passed. */
  private hold(
    pending: Pending,
    exit: Exit.Failure<Download.Downloaded, DownloadError>
  ): Effect.Effect<void> | undefined {
    const cause = exit.cause
    if (cause._tag !== "Fail") return undefined
    const ms = holdOf(cause.error, this.limits.maxRetryAfter)
    const host = pending.host
    if (ms === undefined || ms <= 0 || host === undefined) return undefined
    const until = this.clock.unsafeCurrentTimeMillis() + ms
    const current = this.holds.get(host)
    if (current !== undefined) {
      // held already: its timer waits for the later time
      if (until > current) this.holds.set(host, until)
      return undefined
    }
    this.holds.set(host, until)
    const lift: Effect.Effect<void> = Effect.suspend(() => {
      const left = this.holds.get(host)! - this.clock.unsafeCurrentTimeMillis()
      if (left > 0) return Effect.zipRight(this.clock.sleep(Duration.millis(left)), lift)
      this.holds.delete(host)
      this.wake()
      return Effect.void
    })
    return Effect.asVoid(Effect.forkIn(lift, this.scope))
  }

  /** The lanes `Task.interleaved` runs: one per URL while they may run, a waiting one when none may. */
  *lanes(): Generator<Effect.Effect<Lane, never, R>> {
    for (;;) {
      const pending = this.next()
      if (pending !== undefined) {
        yield this.run(pending)
        continue
      }
      if (this.exhausted) return
      // everything read: one waiting lane per waiting URL is enough (with the input not read, `concurrency` bounds them)
      if (this.inputDone && this.waitLanes >= this.buffer.length) return
      this.waitLanes++
      yield this.waitLane
    }
  }

  /** A lane with nothing to run yet: waits until some URL may run (or nothing is left), then runs it. */
  private readonly waitLane: Effect.Effect<Lane, never, R> = Effect.suspend(() => {
    let pending: Pending | undefined
    try {
      pending = this.next()
    } catch (error) {
      this.waitLanes--
      return Effect.succeed(new Defect(error))
    }
    if (pending !== undefined) {
      this.waitLanes--
      return this.run(pending)
    }
    if (this.exhausted) {
      this.waitLanes--
      return Effect.succeed(idle)
    }
    return Effect.zipRight(this.sleep, this.waitLane)
  })
}

/** The results of the lanes: downloads, in completion order; a bad element read by a lane ends the stream. */
const results = (chunk: Chunk.Chunk<Task.Completed<Lane, never>>): Effect.Effect<Chunk.Chunk<Download.Interleaved>> => {
  const out: Array<Download.Interleaved> = []
  for (const done of chunk) {
    if (!Exit.isSuccess(done.exit)) continue
    const lane = done.exit.value
    if (lane === idle) continue
    if (lane instanceof Defect) return Effect.die(lane.error)
    out.push(lane)
  }
  return Effect.succeed(Chunk.unsafeFromArray(out))
}

/**
 * Downloads every URL of `urls` under `limits`, as `Download.interleaved` emits them. `check` turns an
 * element into a URL (or throws the defect naming it). @internal
 */
export const interleaved = <R>(
  urls: Iterable<unknown>,
  limits: Limits,
  check: (element: unknown, index: number) => string,
  download: (url: string) => Effect.Effect<Download.Downloaded, DownloadError, R>
): Stream.Stream<Download.Interleaved, never, R> =>
  Stream.unwrapScoped(
    Effect.zipWith(Effect.clock, Effect.scope, (clock, scope) => {
      const scheduler = new Scheduler(urls[Symbol.iterator](), limits, check, download, clock, scope)
      return Stream.mapChunksEffect(Task.interleaved(scheduler.lanes(), { concurrency: limits.concurrency }), results)
    })
  )
