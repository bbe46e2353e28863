/**
 * An asynchronous producer/consumer queue: TPL Dataflow's `BufferBlock<T>`, the TAP article's
 * `AsyncProducerConsumerCollection<T>`, AsyncEx's `AsyncProducerConsumerQueue<T>`.
 *
 * The blocking equivalent is `BlockingCollection<T>`: `Add` blocks while the collection is full,
 * `Take` blocks while it is empty, `CompleteAdding` ends production and lets consumers drain.
 * Here `add` and `take` suspend the calling fiber instead of blocking a thread:
 *
 * - `add(item)` suspends while the queue is full (`capacity` items buffered); `take` suspends
 *   while it is empty. An item added while a taker waits goes straight to that taker.
 * - Waiters are served in arrival order on both sides.
 * - `complete` ends production: later (and waiting) `add`s fail with {@link QueueCompleted};
 *   takers drain what is buffered, then fail with {@link QueueCompleted}. `stream` ends there.
 * - Interruption is clean: a taker interrupted while it waits never consumes an item (an item
 *   handed to it at that instant goes back to the front of the queue), and an adder interrupted
 *   while it waits never inserts its item — also when the interruption comes at the instant a
 *   slot is given to it: its fiber inserts the item itself when it resumes, and an interrupted one
 *   gives the slot to the next adder instead. An `add` either succeeds with its item in the queue,
 *   or ends without it: a caller that retries an interrupted `add` never gets a duplicate.
 * - `stream` takes one item per pull: a stream ended early consumes only what it emitted.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import type * as Stream from "effect/Stream"
import type * as Types from "effect/Types"
import * as internal from "./internal/asyncQueue.js"

/**
 * The unique identifier of an {@link AsyncQueue}.
 *
 * @example
 * ```ts
 * import { AsyncQueue } from "@tapestry/core"
 *
 * console.log(typeof AsyncQueue.TypeId) // "symbol"
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * The type of {@link TypeId}.
 *
 * @example
 * ```ts
 * import type { AsyncQueue } from "@tapestry/core"
 *
 * const id: AsyncQueue.TypeId | undefined = undefined
 * console.log(id) // undefined
 * ```
 *
 * @since 0.2.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * The failure of `add` after `complete`, and of `take` once a completed queue is drained.
 *
 * @example
 * ```ts
 * import { AsyncQueue } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const queue = yield* AsyncQueue.make<number>()
 *   yield* queue.complete
 *   return yield* Effect.flip(queue.add(1))
 * })
 * console.log(Effect.runSync(program)._tag) // "QueueCompleted"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class QueueCompleted extends Data.TaggedError("QueueCompleted")<{}> {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return "the queue is completed: no more items can be added"
  }
}

/**
 * A FIFO queue of `A` with back-pressure, completion and clean interruption.
 *
 * @example
 * ```ts
 * import { AsyncQueue } from "@tapestry/core"
 * import { Chunk, Effect, Stream } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const queue: AsyncQueue.AsyncQueue<string> = yield* AsyncQueue.make<string>({ capacity: 2 })
 *   const producer = Effect.gen(function* () {
 *     for (const word of ["a", "b", "c", "d"]) yield* queue.add(word) // waits while 2 are buffered
 *     yield* queue.complete
 *   })
 *   const [, words] = yield* Effect.all([producer, Stream.runCollect(queue.stream)], {
 *     concurrency: "unbounded"
 *   })
 *   return Chunk.toReadonlyArray(words)
 * })
 * Effect.runPromise(program).then(console.log) // ["a", "b", "c", "d"]
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupting a waiting taker or adder takes or inserts nothing
 * import { AsyncQueue } from "@tapestry/core"
 * import { Console, Effect, Fiber } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const queue = yield* AsyncQueue.make<string>({ capacity: 1 })
 *   const taker = yield* Effect.fork(queue.take) // the queue is empty: it waits
 *   yield* Effect.yieldNow()
 *   yield* Fiber.interrupt(taker)
 *   yield* queue.add("a") // no taker any more: "a" is buffered
 *   const adder = yield* Effect.fork(queue.add("b")) // the queue is full: it waits
 *   yield* Effect.yieldNow()
 *   yield* Fiber.interrupt(adder)
 *   yield* Console.log(`size ${yield* queue.size}, first ${yield* queue.take}, then ${yield* queue.size}`)
 * })
 * Effect.runPromise(program)
 * // Output:
 * // size 1, first a, then 0
 * ```
 *
 * @example
 * ```ts
 * // Title: Ending the stream early leaves the other items queued
 * import { AsyncQueue } from "@tapestry/core"
 * import { Chunk, Console, Effect, Stream } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const queue = yield* AsyncQueue.make<number>()
 *   for (const n of [1, 2, 3, 4, 5]) yield* queue.add(n)
 *   const firstTwo = yield* Stream.runCollect(Stream.take(queue.stream, 2))
 *   yield* Console.log(`streamed ${Chunk.join(Chunk.map(firstTwo, String), ", ")}; ${yield* queue.size} left`)
 * })
 * Effect.runPromise(program)
 * // Output:
 * // streamed 1, 2; 3 left
 * ```
 *
 * @example
 * ```ts
 * // Title: After complete: takers drain, then fail with QueueCompleted
 * import { AsyncQueue } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const queue = yield* AsyncQueue.make<string>()
 *   yield* queue.add("last order")
 *   yield* queue.complete
 *   yield* Console.log(yield* queue.take)
 *   const drained = yield* Effect.flip(queue.take)
 *   const refused = yield* Effect.flip(queue.add("too late"))
 *   yield* Console.log(drained._tag, refused._tag)
 * })
 * Effect.runPromise(program)
 * // Output:
 * // last order
 * // QueueCompleted QueueCompleted
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AsyncQueue<A> extends Inspectable.Inspectable {
  readonly [TypeId]: { readonly _A: Types.Invariant<A> }
  /**
   * Adds an item, suspending while the queue is full (`capacity` items buffered); an item added while
   * a taker waits goes straight to that taker. Fails with `QueueCompleted` after `complete`, and so
   * does an `add` still waiting when `complete` runs (its item is not inserted).
   *
   * Interrupted while waiting: its item is never inserted, also when a slot was given to it at that
   * very instant (the slot goes to the next adder). An `add` either succeeds with its item queued or
   * ends without it, so retrying an interrupted `add` never duplicates the item.
   */
  add(item: A): Effect.Effect<void, QueueCompleted>
  /**
   * Takes the oldest item, suspending while the queue is empty. Fails with `QueueCompleted` once the
   * queue is completed and drained (a waiting taker fails at that moment).
   *
   * Interrupted while waiting: it consumes nothing; an item handed to it at that very instant goes
   * back to the front of the queue (or to the next waiting taker).
   */
  readonly take: Effect.Effect<A, QueueCompleted>
  /**
   * Ends production: waiting and later `add`s fail with `QueueCompleted`; takers drain what is
   * buffered, then fail. Idempotent. It never waits, so there is nothing to interrupt.
   */
  readonly complete: Effect.Effect<void>
  /**
   * Every item, taken one at a time in order; the stream ends once the queue is completed and
   * drained. Each pull is a `take`: ending the stream early (`Stream.take`, a failure or an
   * interruption downstream) consumes only the items it emitted, and the others stay queued. Each run
   * of the stream is one more taker, sharing the items with the others.
   */
  readonly stream: Stream.Stream<A>
  /** How many items are buffered now (never more than the capacity); a snapshot that never waits. */
  readonly size: Effect.Effect<number>
  /** Whether `complete` was called; a snapshot that never waits. */
  readonly isCompleted: Effect.Effect<boolean>
}

/**
 * Makes an empty queue.
 *
 * `capacity` (a positive integer, or `Infinity`: the default, unbounded) is how many items may be
 * buffered before `add` suspends. A capacity below 1, fractional or NaN, or options that are not
 * an object, are a defect (`IllegalArgumentException` naming it) when the effect runs.
 *
 * @example
 * ```ts
 * import { AsyncQueue } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const queue = yield* AsyncQueue.make<number>({ capacity: 10 })
 *   yield* queue.add(1)
 *   yield* queue.add(2)
 *   return [yield* queue.take, yield* queue.take]
 * })
 * console.log(Effect.runSync(program)) // [1, 2]
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: <A>(options?: { readonly capacity?: number | undefined }) => Effect.Effect<AsyncQueue<A>> =
  internal.make

/**
 * Tells whether a value is an {@link AsyncQueue}.
 *
 * Every AsyncQueue also has a readable `toString()` / `toJSON()` (and shows the same in Node's
 * `util.inspect` and `console.log`): its `size`, `capacity` (`"Infinity"` when unbounded), whether
 * it is `completed` and how many takers and adders wait; never the items.
 *
 * @example
 * ```ts
 * import { AsyncQueue } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const value = yield* AsyncQueue.make<number>({ capacity: 8 })
 *   yield* value.add(1)
 *   return [AsyncQueue.isAsyncQueue(value), AsyncQueue.isAsyncQueue({}), value.toJSON()] as const
 * })
 * console.log(Effect.runSync(program))
 * // [true, false, { _id: "AsyncQueue", size: 1, capacity: 8, completed: false, waitingTakers: 0, waitingAdders: 0 }]
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isAsyncQueue: (u: unknown) => u is AsyncQueue<unknown> = internal.isAsyncQueue
