import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { identity } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { hasProperty } from "effect/Predicate"
import * as Stream from "effect/Stream"
import * as AsyncQueue from "../AsyncQueue.js"
import { LinkedList } from "./linkedList.js"

/** @internal */
export const TypeId: AsyncQueue.TypeId = Symbol.for("@tapestry/core/AsyncQueue") as AsyncQueue.TypeId

const variance = { _A: identity }

/** @internal */
export const isAsyncQueue = (u: unknown): u is AsyncQueue.AsyncQueue<unknown> => hasProperty(u, TypeId)

import { limitJSON } from "./inspect.js"
import { illegal, positiveInteger } from "./validate.js"

interface Taker<A> {
  delivered: boolean
  item: A | undefined
  readonly resume: (effect: Effect.Effect<A, AsyncQueue.QueueCompleted>) => void
}

interface Adder<A> {
  accepted: boolean
  readonly item: A
  readonly resume: (effect: Effect.Effect<void, AsyncQueue.QueueCompleted>) => void
}

class Queue<A> extends Inspectable.Class implements AsyncQueue.AsyncQueue<A> {
  readonly [TypeId] = variance
  /** The buffer: a growable ring (power-of-two size) of `length` items from `head`. */
  ring: Array<A | undefined> = new Array(16)
  mask = 15
  head = 0
  length = 0
  /** Items handed to a waiting taker whose fiber has not resumed yet: they hold a slot. */
  inTransit = 0
  completed = false
  readonly takers = new LinkedList<Taker<A>>()
  readonly adders = new LinkedList<Adder<A>>()
  readonly failCompleted: Exit.Exit<never, AsyncQueue.QueueCompleted>

  constructor(readonly capacity: number) {
    super()
    this.failCompleted = Exit.fail(new AsyncQueue.QueueCompleted())
  }

  grow(): void {
    const ring = new Array<A | undefined>(this.ring.length * 2)
    for (let i = 0; i < this.length; i++) ring[i] = this.ring[(this.head + i) & this.mask]
    this.ring = ring
    this.mask = ring.length - 1
    this.head = 0
  }

  pushItem(item: A): void {
    if (this.length === this.ring.length) this.grow()
    this.ring[(this.head + this.length) & this.mask] = item
    this.length++
  }

  shiftItem(): A {
    const item = this.ring[this.head] as A
    this.ring[this.head] = undefined
    this.head = (this.head + 1) & this.mask
    this.length--
    return item
  }

  unshiftItem(item: A): void {
    if (this.length === this.ring.length) this.grow()
    this.head = (this.head - 1) & this.mask
    this.ring[this.head] = item
    this.length++
  }

  /** Removes every buffered item, oldest first. */
  drainItems(): Array<A> {
    const out = new Array<A>(this.length)
    for (let i = 0; i < out.length; i++) out[i] = this.shiftItem()
    return out
  }

  /** Gives `item` to a waiting taker. The taker's fiber finishes the take when it resumes. */
  deliver(taker: Taker<A>, item: A): void {
    taker.delivered = true
    taker.item = item
    this.inTransit++
    taker.resume(
      Effect.sync(() => {
        this.inTransit--
        taker.item = undefined
        this.admitAdders()
        if (this.completed) this.settleTakers()
        return item
      })
    )
  }

  /** Moves waiting adders' items into the buffer while there is room, in arrival order. */
  admitAdders(): void {
    while (this.adders.size > 0 && this.length + this.inTransit < this.capacity) {
      const adder = this.adders.shift()!
      adder.accepted = true
      this.pushItem(adder.item)
      adder.resume(Effect.void)
    }
  }

  /** After `complete`: once nothing is left (or on its way back), waiting takers fail. */
  settleTakers(): void {
    if (this.length === 0 && this.inTransit === 0) {
      for (const taker of this.takers.drain()) taker.resume(this.failCompleted)
    }
  }

  readonly waitToTake = Effect.async<A, AsyncQueue.QueueCompleted>((resume) => {
    const taker: Taker<A> = { delivered: false, item: undefined, resume }
    const node = this.takers.push(taker)
    return Effect.sync(() => {
      if (!taker.delivered) {
        this.takers.remove(node)
        return
      }
      // handed an item but interrupted before taking it: give it back, first in line
      const item = taker.item as A
      taker.item = undefined
      this.inTransit--
      const next = this.takers.shift()
      if (next !== undefined) this.deliver(next, item)
      else this.unshiftItem(item)
    })
  })

  readonly take: Effect.Effect<A, AsyncQueue.QueueCompleted> = Effect.suspend(() => {
    if (this.length > 0) {
      const item = this.shiftItem()
      if (this.adders.size > 0) this.admitAdders()
      return Exit.succeed(item)
    }
    if (this.completed && this.inTransit === 0) return this.failCompleted
    return this.waitToTake
  })

  readonly add = (item: A): Effect.Effect<void, AsyncQueue.QueueCompleted> =>
    Effect.suspend(() => {
      if (this.completed) return this.failCompleted
      if (this.takers.size > 0) {
        this.deliver(this.takers.shift()!, item)
        return Exit.void
      }
      if (this.adders.size === 0 && this.length + this.inTransit < this.capacity) {
        this.pushItem(item)
        return Exit.void
      }
      return Effect.async<void, AsyncQueue.QueueCompleted>((resume) => {
        const adder: Adder<A> = { accepted: false, item, resume }
        const node = this.adders.push(adder)
        return Effect.sync(() => {
          // an adder accepted at the instant it was interrupted has inserted its item: the add happened
          if (!adder.accepted) this.adders.remove(node)
        })
      })
    })

  /** Everything buffered (at least one item, waiting if needed), for the stream. */
  readonly takeChunk: Effect.Effect<Chunk.Chunk<A>, Option.Option<never>> = Effect.suspend(() => {
    if (this.length > 0) {
      const out = this.drainItems()
      if (this.adders.size > 0) this.admitAdders()
      return Exit.succeed(Chunk.unsafeFromArray(out))
    }
    if (this.completed && this.inTransit === 0) return Exit.fail(Option.none())
    return Effect.matchEffect(this.waitToTake, {
      onFailure: () => Exit.fail(Option.none()),
      onSuccess: (a) => Exit.succeed(Chunk.of(a))
    })
  })

  readonly complete = Effect.sync(() => {
    if (this.completed) return
    this.completed = true
    for (const adder of this.adders.drain()) adder.resume(this.failCompleted)
    this.settleTakers()
  })

  toJSON(): unknown {
    return {
      _id: "AsyncQueue",
      size: this.length,
      capacity: limitJSON(this.capacity),
      completed: this.completed,
      waitingTakers: this.takers.size,
      waitingAdders: this.adders.size
    }
  }

  readonly size = Effect.sync(() => this.length)
  readonly isCompleted = Effect.sync(() => this.completed)
  readonly stream: Stream.Stream<A> = Stream.repeatEffectChunkOption(this.takeChunk)
}

/** @internal */
export const make = <A>(options?: {
  readonly capacity?: number | undefined
}): Effect.Effect<AsyncQueue.AsyncQueue<A>> => {
  const capacity = options?.capacity ?? Number.POSITIVE_INFINITY
  const error = positiveInteger("AsyncQueue.make", "capacity", capacity, true)
  return error !== undefined ? illegal(error) : Effect.sync(() => new Queue<A>(capacity))
}
