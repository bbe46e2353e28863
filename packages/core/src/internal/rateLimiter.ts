import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import * as MutableHashMap from "effect/MutableHashMap"
import * as Option from "effect/Option"
import { hasProperty } from "effect/Predicate"
import * as Scope from "effect/Scope"
import type * as RateLimiter from "../RateLimiter.js"
import { LinkedList, type ListNode } from "./linkedList.js"
import * as V from "./validate.js"

/** @internal */
export const TypeId: RateLimiter.TypeId = Symbol.for("@tapestry/core/RateLimiter") as RateLimiter.TypeId

/** @internal */
export const isRateLimiter = (u: unknown): u is RateLimiter.RateLimiter | RateLimiter.KeyedRateLimiter<never> =>
  hasProperty(u, TypeId)

// ---------------------------------------------------------------------------------------------
// the algorithms: pure bookkeeping over the clock's milliseconds
// ---------------------------------------------------------------------------------------------

/** What a grant took, so that a waiter interrupted at the instant it was granted can give it back. */
interface Grant {
  readonly at: number
  readonly cost: number
}

const noop = (): void => {}

/** One algorithm's state: how long until `cost` starts fit, taking them, giving them back. */
interface Meter {
  /** 0 when `cost` starts may begin at `now`, else the milliseconds until they may. */
  wait(now: number, cost: number): number
  take(now: number, cost: number): Grant
  refund(grant: Grant): void
  /** The granted waiter's effect starts at `now` (the sliding window counts the start from then). */
  started(grant: Grant, now: number): void
  /** Whether the meter is back to its initial state at `now` (a keyed limiter then drops it). */
  idle(now: number): boolean
}

/** A burst of `limit`, then `limit` tokens per `interval`, one every `interval / limit`. */
const tokenBucket = (limit: number, interval: number): Meter => {
  let tokens = limit
  let refilled = Number.NEGATIVE_INFINITY
  const refill = (now: number) => {
    tokens =
      refilled === Number.NEGATIVE_INFINITY ? limit : Math.min(limit, tokens + ((now - refilled) * limit) / interval)
    refilled = now
  }
  return {
    wait: (now, cost) => {
      refill(now)
      // a hair of tolerance: float refills must not make a due start wait one more millisecond
      return tokens + 1e-9 >= cost ? 0 : Math.ceil(((cost - tokens) * interval) / limit - 1e-6)
    },
    take: (now, cost) => {
      refill(now)
      tokens -= cost
      return { at: now, cost }
    },
    started: noop,
    refund: (grant) => {
      tokens = Math.min(limit, tokens + grant.cost)
    },
    idle: (now) => {
      refill(now)
      return tokens + 1e-9 >= limit
    }
  }
}

/** At most `limit` starts per window of `interval`, windows aligned at the first start. */
const fixedWindow = (limit: number, interval: number): Meter => {
  let origin: number | undefined
  let window = 0
  let used = 0
  const at = (now: number) => {
    if (origin === undefined) return
    const current = Math.floor((now - origin) / interval)
    if (current !== window) {
      window = current
      used = 0
    }
  }
  return {
    wait: (now, cost) => {
      at(now)
      return used + cost <= limit || origin === undefined ? 0 : origin + (window + 1) * interval - now
    },
    take: (now, cost) => {
      if (origin === undefined) origin = now
      at(now)
      used += cost
      return { at: now, cost }
    },
    started: noop,
    refund: (grant) => {
      if (origin !== undefined && Math.floor((grant.at - origin) / interval) === window) used -= grant.cost
    },
    idle: (now) => {
      at(now)
      return used === 0
    }
  }
}

/** No span of `interval` ever holds more than `limit` starts: a log of the starts of the last `interval`. */
const slidingWindow = (limit: number, interval: number): Meter => {
  // starts in time order from `head` on (an index, not `shift`: O(1) expiry for large limits); their costs add
  // up to at most `limit`
  let log: Array<Grant> = []
  let head = 0
  let used = 0
  const expire = (now: number) => {
    while (head < log.length && log[head]!.at <= now - interval) used -= log[head++]!.cost
    if (head > 1024 && head * 2 > log.length) {
      log = log.slice(head)
      head = 0
    }
  }
  return {
    wait: (now, cost) => {
      expire(now)
      if (used + cost <= limit) return 0
      // the oldest starts must leave the window until `cost` more fit
      // (in log order: a start leaves only after those before it, so the wait is the latest of them)
      let freed = limit - used
      let leaves = now
      for (let i = head; i < log.length; i++) {
        freed += log[i]!.cost
        leaves = Math.max(leaves, log[i]!.at + interval)
        if (freed >= cost) return Math.max(1, leaves - now)
      }
      return interval
    },
    take: (now, cost) => {
      const grant = { at: now, cost }
      log.push(grant)
      used += cost
      return grant
    },
    started: (grant, now) => {
      // a start counts from when the effect really starts (a busy event loop can delay it after the grant)
      if (now > grant.at) (grant as { at: number }).at = now
    },
    refund: (grant) => {
      const i = log.indexOf(grant, head)
      if (i >= 0) {
        log.splice(i, 1)
        used -= grant.cost
      }
    },
    idle: (now) => {
      expire(now)
      return head === log.length
    }
  }
}

const meters = {
  "token-bucket": tokenBucket,
  "fixed-window": fixedWindow,
  "sliding-window": slidingWindow
} as const

// ---------------------------------------------------------------------------------------------
// one limiter: a FIFO of waiters over a meter, woken by one timer in the limiter's scope
// ---------------------------------------------------------------------------------------------

interface Waiter {
  readonly cost: number
  grant: Grant | undefined
  readonly granted: Deferred.Deferred<void>
}

interface Settings {
  readonly where: string
  readonly limit: number
  readonly interval: number
  readonly algorithm: RateLimiter.Algorithm
  readonly scope: Scope.Scope
}

const MAX_TIMER = 2_147_483_647

const closedDefect = (where: string) => new Error(`${where}: the limiter's scope has closed`)
const CLOSED = (where: string) => Effect.die(closedDefect(where))

class Limiter {
  readonly meter: Meter
  readonly waiters = new LinkedList<Waiter>()
  private timer: { readonly due: number; readonly fiber: Fiber.RuntimeFiber<void> } | undefined
  closed = false
  /** Keyed callers between looking this limiter up and finishing their take: it is not dropped meanwhile. */
  pending = 0

  constructor(
    readonly settings: Settings,
    /** Called when the limiter has nothing waiting and its meter is idle (a keyed limiter drops it). */
    private readonly onIdle: (() => void) | undefined
  ) {
    this.meter = meters[settings.algorithm](settings.limit, settings.interval)
  }

  /** Grants waiters in order while they fit; then arms the timer for the head, if any. */
  private readonly pump: Effect.Effect<void> = Effect.suspend(() => {
    if (this.closed) return Effect.void
    return Effect.flatMap(Clock.currentTimeMillis, (now) => {
      for (let head = this.waiters.head; head !== undefined; head = this.waiters.head) {
        const wait = this.meter.wait(now, head.value.cost)
        if (wait > 0) return this.arm(now + wait)
        const waiter = this.waiters.shift()!
        waiter.grant = this.meter.take(now, waiter.cost)
        Deferred.unsafeDone(waiter.granted, Exit.void)
      }
      if (this.onIdle !== undefined)
        return this.meter.idle(now) ? Effect.sync(this.onIdle) : this.arm(now + this.settings.interval)
      return Effect.void
    })
  })

  /** One timer fiber, due at the earliest time something can change. */
  private arm(due: number): Effect.Effect<void> {
    const timer = this.timer
    if (timer !== undefined && timer.due <= due) return Effect.void
    return Effect.flatMap(
      Effect.forkIn(
        // interruptible even when armed from a caller's uninterruptible region, so the scope can close
        Effect.interruptible(
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.zipRight(
              // timers above 2^31 - 1 ms never fire: a long wait sleeps in steps (the pump re-arms)
              Effect.sleep(Duration.millis(Math.min(MAX_TIMER, Math.max(0, due - now)))),
              Effect.suspend(() => {
                this.timer = undefined
                return this.pump
              })
            )
          )
        ),
        this.settings.scope
      ),
      (fiber) => {
        this.timer = { due, fiber }
        return timer === undefined ? Effect.void : Fiber.interruptFork(timer.fiber)
      }
    )
  }

  readonly take = (cost: number): Effect.Effect<void> =>
    Effect.suspend(() => {
      if (this.closed) return CLOSED(this.settings.where)
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        if (this.waiters.size === 0 && this.meter.wait(now, cost) === 0) {
          this.meter.take(now, cost)
          return this.onIdle === undefined ? Effect.void : this.arm(now + this.settings.interval)
        }
        return Effect.uninterruptibleMask((restore) =>
          Effect.flatMap(Deferred.make<void>(), (granted) => {
            const waiter: Waiter = { cost, grant: undefined, granted }
            const node: ListNode<Waiter> = this.waiters.push(waiter)
            const started = Effect.flatMap(Clock.currentTimeMillis, (at) =>
              Effect.sync(() => this.meter.started(waiter.grant!, at))
            )
            return Effect.zipRight(
              this.pump,
              restore(Deferred.await(granted)).pipe(
                Effect.zipRight(started),
                Effect.onInterrupt(() =>
                  Effect.suspend(() => {
                    // interrupted: leave the queue, or give back what a grant at that very instant took
                    if (waiter.grant !== undefined) this.meter.refund(waiter.grant)
                    else this.waiters.remove(node)
                    return this.pump
                  })
                )
              )
            )
          })
        )
      })
    })

  /** The scope closed: pending waiters die, later calls too. */
  readonly close = Effect.sync(() => {
    this.closed = true
    const closed = Exit.die(closedDefect(this.settings.where))
    for (const waiter of this.waiters.drain()) Deferred.unsafeDone(waiter.granted, closed)
  })

  stats(): { readonly waiting: number } {
    return { waiting: this.waiters.size }
  }
}

// ---------------------------------------------------------------------------------------------
// the public shapes
// ---------------------------------------------------------------------------------------------

const checkCost = (where: string, limit: number, cost: unknown): number => {
  const n = V.positiveInteger(where, "cost", cost)
  return n <= limit ? n : V.raise(V.message(where, "cost", `at most the limit (${limit})`, n))
}

const settings = (where: string, options: RateLimiter.Options): Effect.Effect<Omit<Settings, "scope">> =>
  V.suspend(() => {
    const o = V.options(where, options)
    const limit = V.positiveInteger(where, "limit", o.limit)
    const decoded = Option.liftThrowable(() => V.duration(where, "interval", o.interval))()
    const interval = Option.isSome(decoded) ? Duration.toMillis(decoded.value) : Number.NaN
    if (!(interval > 0)) V.raise(V.message(where, "interval", "a positive, finite Duration", o.interval))
    const algorithm =
      o.algorithm === undefined
        ? "token-bucket"
        : V.oneOf(where, "algorithm", o.algorithm, ["token-bucket", "fixed-window", "sliding-window"] as const)
    return Effect.succeed({ where, limit, interval, algorithm })
  })

class Single extends Inspectable.Class implements RateLimiter.RateLimiter {
  readonly [TypeId]: RateLimiter.TypeId = TypeId
  constructor(private readonly limiter: Limiter) {
    super()
  }
  readonly take = (cost: number = 1): Effect.Effect<void> =>
    V.suspend(() => this.limiter.take(checkCost("RateLimiter.take", this.limiter.settings.limit, cost)))
  readonly withPermits =
    (cost: number) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      V.suspend(() => {
        const n = checkCost("RateLimiter.withPermits", this.limiter.settings.limit, cost)
        return Effect.zipRight(this.limiter.take(n), V.effect("RateLimiter.withPermits", "effect", effect))
      })
  readonly withPermit = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    V.suspend(() => Effect.zipRight(this.limiter.take(1), V.effect("RateLimiter.withPermit", "effect", effect)))
  toJSON(): unknown {
    const { limit, interval, algorithm } = this.limiter.settings
    return {
      _id: "RateLimiter",
      algorithm,
      limit,
      interval: Duration.format(Duration.millis(interval)),
      ...this.limiter.stats()
    }
  }
}

/** @internal */
export const make = (options: RateLimiter.Options): Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope> =>
  Effect.flatMap(settings("RateLimiter.make", options), (s) =>
    Effect.flatMap(Scope.Scope, (scope) => {
      const limiter = new Limiter({ ...s, scope }, undefined)
      return Effect.as(Scope.addFinalizer(scope, limiter.close), new Single(limiter))
    })
  )

class Keyed<K> extends Inspectable.Class implements RateLimiter.KeyedRateLimiter<K> {
  readonly [TypeId]: RateLimiter.TypeId = TypeId
  readonly limiters = MutableHashMap.empty<K, Limiter>()
  closed = false
  constructor(private readonly settings: Settings) {
    super()
  }
  private limiter(key: K): Limiter {
    const found = MutableHashMap.get(this.limiters, key)
    if (Option.isSome(found)) return found.value
    const limiter: Limiter = new Limiter(this.settings, () => {
      if (Option.getOrUndefined(MutableHashMap.get(this.limiters, key)) === limiter)
        MutableHashMap.remove(this.limiters, key)
    })
    MutableHashMap.set(this.limiters, key, limiter)
    return limiter
  }
  readonly withPermits =
    (key: K, cost: number) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      V.suspend(() => {
        const n = checkCost("RateLimiter.keyed withPermits", this.settings.limit, cost)
        V.effect("RateLimiter.keyed withPermits", "effect", effect)
        if (this.closed) return CLOSED(this.settings.where)
        // counted from the look-up until the take is done: an idle drop in between would orphan it
        const limiter = this.limiter(key)
        limiter.pending++
        return Effect.zipRight(
          Effect.ensuring(
            limiter.take(n),
            Effect.sync(() => limiter.pending--)
          ),
          effect
        )
      })
  readonly withPermit =
    (key: K) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      this.withPermits(key, 1)(effect)
  readonly close = Effect.suspend(() => {
    this.closed = true
    return Effect.forEach(MutableHashMap.values(this.limiters), (l) => l.close, { discard: true })
  })
  get size(): number {
    return MutableHashMap.size(this.limiters)
  }
  toJSON(): unknown {
    const { limit, interval, algorithm } = this.settings
    return {
      _id: "KeyedRateLimiter",
      algorithm,
      limit,
      interval: Duration.format(Duration.millis(interval)),
      keys: this.size
    }
  }
}

/** @internal */
export const keyed = <K>(
  options: RateLimiter.Options
): Effect.Effect<RateLimiter.KeyedRateLimiter<K>, never, Scope.Scope> =>
  Effect.flatMap(settings("RateLimiter.keyed", options), (s) =>
    Effect.flatMap(Scope.Scope, (scope) => {
      const limiter = new Keyed<K>({ ...s, scope })
      return Effect.as(Scope.addFinalizer(scope, limiter.close), limiter)
    })
  )
