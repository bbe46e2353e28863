import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { identity } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { hasProperty } from "effect/Predicate"
import * as Stream from "effect/Stream"
import * as AsyncQueue from "../AsyncQueue.js"
import { limitJSON } from "./inspect.js"
import { LinkedList } from "./linkedList.js"
import * as Validate from "./validate.js"

/** @internal */
export const TypeId: AsyncQueue.TypeId = Symbol.for("@tapestry/core/AsyncQueue") as AsyncQueue.TypeId

const variance = { _A: identity }

/** @internal */
export const isAsyncQueue = (u: unknown): u is AsyncQueue.AsyncQueue<unknown> => hasProperty(u, TypeId)

interface Taker<A> {
  delivered: boolean
  item: A | undefined
  readonly resume: (effect: Effect.Effect<A, AsyncQueue.QueueCompleted>) => void
}

interface Adder<A> {
  /** Given a slot: its fiber inserts the item when it resumes, unless it is interrupted first. */
  admitted: boolean
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
  /** Slots given to admitted adders whose fibers have not inserted their item yet. */
  reserved = 0
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

  /** Whether no slot is free (items buffered, on their way to a taker, or reserved by an adder). */
  get full(): boolean {
    return this.length + this.inTransit + this.reserved >= this.capacity
  }

  /** Whether more items may still come out: buffered, in transit back, or reserved by an adder. */
  get drained(): boolean {
    return this.length === 0 && this.inTransit === 0 && this.reserved === 0
  }

  /** An item into the queue: to the first waiting taker, else into the buffer. */
  insert(item: A): void {
    const taker = this.takers.shift()
    if (taker !== undefined) this.deliver(taker, item)
    else this.pushItem(item)
  }

  /**
   * Gives waiting adders a slot each while there is room, in arrival order. An admitted adder's
   * fiber inserts its item when it resumes; interrupted before that (even at the instant it was
   * admitted), it gives the slot back and its item is never inserted: an add either happens and
   * succeeds, or does not happen.
   */
  admitAdders(): void {
    while (this.adders.size > 0 && !this.full) {
      const adder = this.adders.shift()!
      adder.admitted = true
      this.reserved++
      adder.resume(
        Effect.sync(() => {
          this.reserved--
          this.insert(adder.item)
          // adders that came while this one held a reservation may fit now
          if (this.adders.size > 0) this.admitAdders()
        })
      )
    }
  }

  /** An admitted adder was interrupted before inserting: its slot goes to the next one. */
  unreserve(): void {
    this.reserved--
    this.admitAdders()
    if (this.completed) this.settleTakers()
  }

  /** After `complete`: once nothing is left (or on its way), waiting takers fail. */
  settleTakers(): void {
    if (this.drained) {
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
    if (this.completed && this.drained) return this.failCompleted
    return this.waitToTake
  })

  readonly add = (item: A): Effect.Effect<void, AsyncQueue.QueueCompleted> =>
    Effect.suspend(() => {
      if (this.completed) return this.failCompleted
      if (this.takers.size > 0 && this.reserved === 0) {
        this.deliver(this.takers.shift()!, item)
        return Exit.void
      }
      // `reserved === 0`: an admitted adder that has not inserted yet goes first (FIFO)
      if (this.adders.size === 0 && this.reserved === 0 && !this.full) {
        this.pushItem(item)
        return Exit.void
      }
      return Effect.async<void, AsyncQueue.QueueCompleted>((resume) => {
        const adder: Adder<A> = { admitted: false, item, resume }
        const node = this.adders.push(adder)
        return Effect.sync(() => {
          if (adder.admitted) this.unreserve()
          else this.adders.remove(node)
        })
      })
    })

  /**
   * One item (waiting if needed), for the stream. One at a time, never the whole buffer: a stream
   * ended early (`Stream.take`, an error or interruption downstream) must leave every item it did
   * not emit in the queue, as an interrupted `take` does.
   */
  readonly pull: Effect.Effect<Chunk.Chunk<A>, Option.Option<never>> = Effect.mapBoth(this.take, {
    onFailure: () => Option.none(),
    onSuccess: Chunk.of
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
  readonly stream: Stream.Stream<A> = Stream.repeatEffectChunkOption(this.pull)
}

/** @internal */
export const make = <A>(options?: {
  readonly capacity?: number | undefined
}): Effect.Effect<AsyncQueue.AsyncQueue<A>> =>
  Validate.suspend(() => {
    const capacity = Validate.optionalOptions("AsyncQueue.make", options)?.capacity
    return Effect.succeed(
      new Queue<A>(
        capacity === undefined
          ? Number.POSITIVE_INFINITY
          : Validate.positiveIntegerOrInfinity("AsyncQueue.make", "capacity", capacity)
      )
    )
  })
