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
  active = 0
  readonly waiters = new LinkedList<Waiter<K>>()
  constructor(readonly key: K) {}
}

interface Waiter<K> {
  readonly state: KeyState<K>
  granted: boolean
  keyNode: ListNode<Waiter<K>> | undefined
  globalNode: ListNode<Waiter<K>> | undefined
  readonly resume: (effect: Effect.Effect<void>) => void
}

class Limiter<K> extends Inspectable.Class implements KeyedLimiter.KeyedLimiter<K> {
  readonly [TypeId] = variance
  readonly keys = new KeyIndex<K, KeyState<K>>()
  /** Every waiter, in arrival order (only used when `total` is bounded). */
  readonly arrivals = new LinkedList<Waiter<K>>()
  active = 0

  constructor(
    readonly perKey: number,
    readonly total: number
  ) {
    super()
  }

  toJSON(): unknown {
    return {
      _id: "KeyedLimiter",
      perKey: this.perKey,
      total: limitJSON(this.total),
      active: this.active,
      waiting: this.waitingCount(),
      keys: this.keys.size
    }
  }

  grant(waiter: Waiter<K>): void {
    waiter.state.waiters.remove(waiter.keyNode!)
    if (waiter.globalNode !== undefined) this.arrivals.remove(waiter.globalNode)
    waiter.granted = true
    waiter.state.active++
    this.active++
    waiter.resume(Effect.void)
  }

  release(state: KeyState<K>): void {
    const globalWasFull = this.active >= this.total
    state.active--
    this.active--
    if (globalWasFull) {
      // a global permit came free: the earliest waiter whose key has room gets it (no key starves)
      for (let node = this.arrivals.head; node !== undefined && this.active < this.total; ) {
        const next = node.next
        if (node.value.state.active < this.perKey) this.grant(node.value)
        node = next
      }
    } else {
      // only this key's waiters were blocked, by their key's cap
      while (state.waiters.head !== undefined && state.active < this.perKey && this.active < this.total) {
        this.grant(state.waiters.head.value)
      }
    }
    this.forget(state)
  }

  forget(state: KeyState<K>): void {
    if (state.active === 0 && state.waiters.size === 0) this.keys.delete(state.key)
  }

  wait(state: KeyState<K>): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      const waiter: Waiter<K> = { state, granted: false, keyNode: undefined, globalNode: undefined, resume }
      waiter.keyNode = state.waiters.push(waiter)
      if (this.total !== Number.POSITIVE_INFINITY) waiter.globalNode = this.arrivals.push(waiter)
      return Effect.sync(() => {
        if (waiter.granted) {
          // granted but interrupted before running: give the permit back
          this.release(state)
          return
        }
        state.waiters.remove(waiter.keyNode!)
        if (waiter.globalNode !== undefined) this.arrivals.remove(waiter.globalNode)
        this.forget(state)
      })
    })
  }

  readonly withPermit: KeyedLimiter.KeyedLimiter<K>["withPermit"] = (<A, E, R>(
    key: K,
    effect?: Effect.Effect<A, E, R>
  ) =>
    effect === undefined
      ? (self: Effect.Effect<A, E, R>) => this.run(key, self)
      : this.run(key, effect)) as KeyedLimiter.KeyedLimiter<K>["withPermit"]

  run<A, E, R>(key: K, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    if (!Effect.isEffect(effect))
      return Validate.die(Validate.message("KeyedLimiter.withPermit", "effect", "an Effect", effect))
    return Effect.uninterruptibleMask((restore) =>
      Effect.suspend(() => {
        let state = this.keys.get(key)
        if (state === undefined) {
          state = new KeyState(key)
          this.keys.set(key, state)
        }
        const s = state
        const release = Effect.sync(() => this.release(s))
        if (s.waiters.size === 0 && s.active < this.perKey && this.active < this.total) {
          s.active++
          this.active++
          return Effect.ensuring(restore(effect), release)
        }
        return Effect.zipRight(restore(this.wait(s)), Effect.ensuring(restore(effect), release))
      })
    )
  }

  readonly stats = Effect.sync(
    (): KeyedLimiter.LimiterStats => ({ active: this.active, waiting: this.waitingCount(), keys: this.keys.size })
  )

  waitingCount(): number {
    let n = 0
    for (const state of this.keys.values()) n += state.waiters.size
    return n
  }
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
