import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import { hasProperty } from "effect/Predicate"
import type * as KeyedLimiter from "../KeyedLimiter.js"
import { limitJSON } from "./inspect.js"
import { KeyIndex } from "./keyIndex.js"
import { LinkedList, type ListNode } from "./linkedList.js"
import * as Validate from "./validate.js"

/** @internal */
export const TypeId: KeyedLimiter.TypeId = Symbol.for("@tapestry/core/KeyedLimiter") as KeyedLimiter.TypeId

const variance = { _K: (_: unknown) => _ }

/** @internal */
export const isKeyedLimiter = (u: unknown): u is KeyedLimiter.KeyedLimiter<never> => hasProperty(u, TypeId)

class KeyState<K> {
  /** Permits held by this key's running effects. */
  active = 0
  readonly waiters = new LinkedList<Waiter<K>>()
  constructor(readonly key: K) {}
}

interface Waiter<K> {
  readonly state: KeyState<K>
  readonly permits: number
  granted: boolean
  keyNode: ListNode<Waiter<K>> | undefined
  arrivalNode: ListNode<Waiter<K>> | undefined
  readonly resume: (effect: Effect.Effect<void>) => void
}

const WHERE = "KeyedLimiter"

class Limiter<K> extends Inspectable.Class implements KeyedLimiter.KeyedLimiter<K> {
  readonly [TypeId] = variance
  readonly keys = new KeyIndex<K, KeyState<K>>()
  /** Every waiter, in arrival order: the global queue. */
  readonly arrivals = new LinkedList<Waiter<K>>()
  /** Permits held overall. */
  active = 0
  /**
   * Whether some key's first waiter is held back by `total` (not by its key's cap). While it is,
   * permits are handed out in global arrival order, so a heavy waiter is never overtaken for ever.
   */
  totalBlocked = false

  constructor(
    public perKey: number,
    public total: number
  ) {
    super()
  }

  toJSON(): unknown {
    return {
      _id: "KeyedLimiter",
      perKey: limitJSON(this.perKey),
      total: limitJSON(this.total),
      active: this.active,
      waiting: this.arrivals.size,
      keys: this.keys.size
    }
  }

  private fitsKey(state: KeyState<K>, permits: number): boolean {
    return state.active + permits <= this.perKey
  }

  private fitsTotal(permits: number): boolean {
    return this.active + permits <= this.total
  }

  private grant(waiter: Waiter<K>): void {
    waiter.state.waiters.remove(waiter.keyNode!)
    this.arrivals.remove(waiter.arrivalNode!)
    waiter.granted = true
    waiter.state.active += waiter.permits
    this.active += waiter.permits
    waiter.resume(Effect.void)
  }

  /** Admits what fits now: in global arrival order while `total` holds someone back, else per key. */
  private admit(state: KeyState<K> | undefined): void {
    if (this.totalBlocked || state === undefined) {
      this.totalBlocked = false
      for (let node = this.arrivals.head; node !== undefined; ) {
        const next = node.next
        const waiter = node.value
        // FIFO within a key: only a key's first waiter may start; a full key lets the others pass
        if (waiter.state.waiters.head === waiter.keyNode && this.fitsKey(waiter.state, waiter.permits)) {
          if (!this.fitsTotal(waiter.permits)) {
            this.totalBlocked = true
            return
          }
          this.grant(waiter)
        }
        node = next
      }
      return
    }
    for (let head = state.waiters.head; head !== undefined; head = state.waiters.head) {
      if (!this.fitsKey(state, head.value.permits)) return
      if (!this.fitsTotal(head.value.permits)) {
        this.totalBlocked = true
        return
      }
      this.grant(head.value)
    }
  }

  release(state: KeyState<K>, permits: number): void {
    state.active -= permits
    this.active -= permits
    this.admit(state)
    this.forget(state)
  }

  forget(state: KeyState<K>): void {
    if (state.active === 0 && state.waiters.size === 0) this.keys.delete(state.key)
  }

  wait(state: KeyState<K>, permits: number): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      const waiter: Waiter<K> = { state, permits, granted: false, keyNode: undefined, arrivalNode: undefined, resume }
      waiter.keyNode = state.waiters.push(waiter)
      waiter.arrivalNode = this.arrivals.push(waiter)
      return Effect.sync(() => {
        if (waiter.granted) {
          // granted but interrupted before running: give the permits back
          this.release(state, permits)
          return
        }
        const first = state.waiters.head === waiter.keyNode
        state.waiters.remove(waiter.keyNode!)
        this.arrivals.remove(waiter.arrivalNode!)
        // a first waiter that leaves may unblock the ones behind it
        if (first) this.admit(this.totalBlocked ? undefined : state)
        this.forget(state)
      })
    })
  }

  readonly withPermit: KeyedLimiter.KeyedLimiter<K>["withPermit"] = (<A, E, R>(
    key: K,
    effect?: Effect.Effect<A, E, R>
  ) =>
    effect === undefined
      ? (self: Effect.Effect<A, E, R>) => this.run(`${WHERE}.withPermit`, key, 1, self)
      : this.run(`${WHERE}.withPermit`, key, 1, effect)) as KeyedLimiter.KeyedLimiter<K>["withPermit"]

  readonly withPermits =
    (key: K, permits: number) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      this.run(`${WHERE}.withPermits`, key, permits, effect)

  run<A, E, R>(where: string, key: K, permits: number, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    if (!Effect.isEffect(effect)) return Validate.die(Validate.message(where, "effect", "an Effect", effect))
    return Effect.uninterruptibleMask((restore) =>
      Effect.suspend(() => {
        if (permits !== 1) {
          // thrown inside `suspend`: the effect dies with it
          Validate.positiveInteger(where, "permits", permits)
          const bad = this.tooHeavy(permits)
          if (bad !== undefined) return Validate.die(Validate.message(where, "permits", bad, permits))
        }
        let state = this.keys.get(key)
        if (state === undefined) {
          state = new KeyState(key)
          this.keys.set(key, state)
        }
        const s = state
        const release = Effect.sync(() => this.release(s, permits))
        if (s.waiters.size === 0 && !this.totalBlocked && this.fitsKey(s, permits)) {
          if (this.fitsTotal(permits)) {
            s.active += permits
            this.active += permits
            return Effect.ensuring(restore(effect), release)
          }
          this.totalBlocked = true
        }
        return Effect.zipRight(restore(this.wait(s, permits)), Effect.ensuring(restore(effect), release))
      })
    )
  }

  /** Why `permits` can never be granted under the current caps, if it can't. */
  private tooHeavy(permits: number): string | undefined {
    if (permits > this.perKey) return `at most perKey (${this.perKey})`
    if (permits > this.total) return `at most total (${this.total})`
    return undefined
  }

  readonly resize = (caps: { readonly perKey?: number | undefined; readonly total?: number | undefined }) =>
    Validate.suspend(() => {
      const where = `${WHERE}.resize`
      Validate.options(where, caps, "caps")
      const perKey =
        caps.perKey === undefined ? this.perKey : Validate.positiveIntegerOrInfinity(where, "perKey", caps.perKey)
      const total =
        caps.total === undefined ? this.total : Validate.positiveIntegerOrInfinity(where, "total", caps.total)
      return Effect.sync(() => {
        this.perKey = perKey
        this.total = total
        // a waiter that can never fit the new caps dies instead of waiting for ever
        for (let node = this.arrivals.head; node !== undefined; ) {
          const next = node.next
          const waiter = node.value
          const bad = this.tooHeavy(waiter.permits)
          if (bad !== undefined) {
            waiter.state.waiters.remove(waiter.keyNode!)
            this.arrivals.remove(waiter.arrivalNode!)
            waiter.resume(
              Validate.die(Validate.message(where, "a waiter's permits", `${bad} after the resize`, waiter.permits))
            )
            this.forget(waiter.state)
          }
          node = next
        }
        // holders keep what they hold; new grants wait until what is in use fits the new caps
        this.admit(undefined)
      })
    })

  readonly stats = Effect.sync(
    (): KeyedLimiter.LimiterStats => ({ active: this.active, waiting: this.arrivals.size, keys: this.keys.size })
  )

  readonly keyStats = (key: K): Effect.Effect<KeyedLimiter.KeyStats> =>
    Effect.sync(() => {
      const state = this.keys.get(key)
      return state === undefined ? { active: 0, waiting: 0 } : { active: state.active, waiting: state.waiters.size }
    })
}

/** @internal */
export const make = <K>(options: {
  readonly perKey: number
  readonly total?: number | undefined
}): Effect.Effect<KeyedLimiter.KeyedLimiter<K>> =>
  Validate.suspend(() => {
    const where = "KeyedLimiter.make"
    Validate.options(where, options)
    const perKey = Validate.positiveIntegerOrInfinity(where, "perKey", options.perKey)
    const total =
      options.total === undefined
        ? Number.POSITIVE_INFINITY
        : Validate.positiveIntegerOrInfinity(where, "total", options.total)
    return Effect.succeed(new Limiter<K>(perKey, total))
  })
