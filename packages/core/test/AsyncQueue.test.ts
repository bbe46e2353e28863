import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, FiberId, Stream, Supervisor, TestClock } from "effect"
import * as fc from "effect/FastCheck"
import { AsyncQueue } from "../src/index.js"
import { illegalMessage } from "./utils.js"

describe("AsyncQueue", () => {
  it.effect("take returns items in the order they were added", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>()
      yield* queue.add(1)
      yield* queue.add(2)
      yield* queue.add(3)
      expect([yield* queue.take, yield* queue.take, yield* queue.take]).toEqual([1, 2, 3])
    })
  )

  it.effect("an unbounded queue grows its buffer and keeps FIFO order across wrap-around", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>()
      const taken: Array<number> = []
      for (let i = 0; i < 100; i++) yield* queue.add(i)
      for (let i = 0; i < 50; i++) taken.push(yield* queue.take)
      for (let i = 100; i < 300; i++) yield* queue.add(i)
      expect(yield* queue.size).toBe(250)
      for (let i = 0; i < 250; i++) taken.push(yield* queue.take)
      expect(taken).toEqual(Array.from({ length: 300 }, (_, i) => i))
    })
  )

  it.effect("take suspends while empty and gets the next item added", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<string>()
      const taker = yield* Effect.fork(queue.take)
      yield* Effect.yieldNow()
      expect(taker.unsafePoll()).toBeNull()
      yield* queue.add("x")
      expect(yield* Fiber.join(taker)).toBe("x")
      expect(yield* queue.size).toBe(0)
    })
  )

  it.effect("add suspends while the queue is full (back-pressure) and resumes when a slot frees", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>({ capacity: 2 })
      yield* queue.add(1)
      yield* queue.add(2)
      const adder = yield* Effect.fork(queue.add(3))
      yield* Effect.yieldNow()
      expect(adder.unsafePoll()).toBeNull()
      expect(yield* queue.size).toBe(2)
      expect(yield* queue.take).toBe(1)
      yield* Fiber.join(adder)
      expect([yield* queue.take, yield* queue.take]).toEqual([2, 3])
    })
  )

  it.effect("waiting takers are served in arrival order (FIFO)", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>()
      const takers = []
      for (let i = 0; i < 4; i++) {
        takers.push(yield* Effect.fork(queue.take))
        yield* Effect.yieldNow()
      }
      for (let i = 0; i < 4; i++) yield* queue.add(i)
      expect(yield* Effect.forEach(takers, Fiber.join)).toEqual([0, 1, 2, 3])
    })
  )

  it.effect("waiting adders are served in arrival order (FIFO)", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>({ capacity: 1 })
      yield* queue.add(0)
      const adders = []
      for (let i = 1; i <= 4; i++) {
        adders.push(yield* Effect.fork(queue.add(i)))
        yield* Effect.yieldNow()
      }
      const taken: Array<number> = []
      for (let i = 0; i <= 4; i++) taken.push(yield* queue.take)
      yield* Fiber.joinAll(adders)
      expect(taken).toEqual([0, 1, 2, 3, 4])
    })
  )

  it.effect("after complete, add fails with QueueCompleted; takers drain, then fail with QueueCompleted", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>()
      yield* queue.add(1)
      yield* queue.add(2)
      yield* queue.complete
      expect(yield* queue.isCompleted).toBe(true)
      const addError = yield* Effect.flip(queue.add(3))
      expect(addError).toBeInstanceOf(AsyncQueue.QueueCompleted)
      expect(addError._tag).toBe("QueueCompleted")
      expect([yield* queue.take, yield* queue.take]).toEqual([1, 2])
      expect(yield* Effect.flip(queue.take)).toBeInstanceOf(AsyncQueue.QueueCompleted)
    })
  )

  it.effect("complete fails waiting takers and waiting adders with QueueCompleted", () =>
    Effect.gen(function* () {
      const empty = yield* AsyncQueue.make<number>()
      const taker = yield* Effect.fork(empty.take)
      const full = yield* AsyncQueue.make<number>({ capacity: 1 })
      yield* full.add(1)
      const adder = yield* Effect.fork(full.add(2))
      yield* Effect.yieldNow()
      yield* empty.complete
      yield* full.complete
      expect(yield* Effect.flip(Fiber.join(taker))).toBeInstanceOf(AsyncQueue.QueueCompleted)
      expect(yield* Effect.flip(Fiber.join(adder))).toBeInstanceOf(AsyncQueue.QueueCompleted)
      expect(yield* full.take).toBe(1) // the waiting adder's item was never inserted
      expect(yield* Effect.flip(full.take)).toBeInstanceOf(AsyncQueue.QueueCompleted)
    })
  )

  it.effect("stream emits every item in order and ends after complete and drain", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>({ capacity: 3 })
      const consumer = yield* Effect.fork(Stream.runCollect(queue.stream))
      yield* Effect.fork(
        Effect.gen(function* () {
          for (let i = 0; i < 10; i++) {
            yield* queue.add(i)
            if (i % 3 === 0) yield* Effect.sleep("1 millis")
          }
          yield* queue.complete
        })
      )
      yield* TestClock.adjust("1 second")
      expect(Chunk.toReadonlyArray(yield* Fiber.join(consumer))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    })
  )

  it.effect("interrupting a waiting taker leaks nothing: it never consumes an item", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>()
      const taker = yield* Effect.fork(queue.take)
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(taker)
      yield* queue.add(1)
      expect(yield* queue.size).toBe(1)
      expect(yield* queue.take).toBe(1)
    })
  )

  it.effect("a taker interrupted as an item is handed to it gives the item back, first in line", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>({ capacity: 1 })
      const taker = yield* Effect.fork(queue.take)
      yield* Effect.yieldNow()
      // hand item 1 to the taker and interrupt it before its fiber runs again
      yield* queue.add(1)
      yield* Fiber.interrupt(taker)
      expect(Exit.isInterrupted(yield* Fiber.await(taker))).toBe(true)
      expect(yield* queue.size).toBe(1)
      expect(yield* queue.take).toBe(1)
    })
  )

  it.effect("interrupting a waiting adder leaks nothing: its item is never inserted", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>({ capacity: 1 })
      yield* queue.add(1)
      const adder = yield* Effect.fork(queue.add(2))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(adder)
      expect(yield* queue.take).toBe(1)
      yield* queue.add(3)
      expect(yield* queue.take).toBe(3)
      expect(yield* queue.size).toBe(0)
    })
  )

  it.effect(
    "an add interrupted at the instant it is admitted is not inserted: never both Interrupted and inserted (0 of 200)",
    () =>
      Effect.gen(function* () {
        let both = 0
        let neither = 0
        for (let run = 0; run < 200; run++) {
          const queue = yield* AsyncQueue.make<number>({ capacity: 1 })
          yield* queue.add(0)
          const adder = yield* Effect.fork(queue.add(1))
          yield* Effect.yieldNow()
          // the take admits the waiting adder; the interruption arrives in the same step, before it resumes
          yield* Effect.flatMap(queue.take, () => Effect.sync(() => adder.unsafeInterruptAsFork(FiberId.none)))
          const exit = yield* Fiber.await(adder)
          const size = yield* queue.size
          if (Exit.isInterrupted(exit) && size === 1) both++
          if (Exit.isSuccess(exit) && size === 0) neither++
        }
        expect({ both, neither }).toEqual({ both: 0, neither: 0 })
      })
  )

  /** A queue of capacity 1 holding "a", and a fiber waiting to add "b". */
  const fullWithWaitingAdder = Effect.gen(function* () {
    const queue = yield* AsyncQueue.make<string>({ capacity: 1 })
    yield* queue.add("a")
    const b = yield* Effect.fork(queue.add("b"))
    yield* Effect.yieldNow()
    return { queue, b }
  })

  it.effect("interrupting an admitted adder leaks nothing: its slot goes to the next adder, in order", () =>
    Effect.gen(function* () {
      const { queue, b } = yield* fullWithWaitingAdder
      const c = yield* Effect.fork(queue.add("c"))
      yield* Effect.yieldNow()
      yield* Effect.flatMap(queue.take, () => Effect.sync(() => b.unsafeInterruptAsFork(FiberId.none)))
      expect(Exit.isInterrupted(yield* Fiber.await(b))).toBe(true)
      yield* Fiber.join(c)
      expect(yield* queue.size).toBe(1)
      expect(yield* queue.take).toBe("c")
      // no slot is held by the interrupted adder: the queue fills to its capacity again
      yield* queue.add("d")
      expect(yield* queue.size).toBe(1)
    })
  )

  it.effect("a completed queue's takers wait for an admitted adder's item before failing", () =>
    Effect.gen(function* () {
      const { queue, b } = yield* fullWithWaitingAdder
      // take admits b, complete comes before b's fiber inserts: b was admitted first, so its add succeeds
      yield* Effect.zipRight(queue.take, queue.complete)
      yield* Fiber.join(b)
      expect(yield* queue.take).toBe("b")
      expect(Exit.isFailure(yield* Effect.exit(queue.take))).toBe(true)
    })
  )

  it.effect("ending the stream early consumes only what it emitted: the other items stay queued, in order", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>()
      for (let i = 1; i <= 5; i++) yield* queue.add(i)
      const two = yield* Stream.runCollect(Stream.take(queue.stream, 2))
      expect(Chunk.toReadonlyArray(two)).toEqual([1, 2])
      expect(yield* queue.size).toBe(3)
      expect([yield* queue.take, yield* queue.take, yield* queue.take]).toEqual([3, 4, 5])
    })
  )

  it.effect("interrupting a stream consumer consumes nothing more: items added later stay queued", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<number>()
      const seen: Array<number> = []
      const consumer = yield* Effect.fork(Stream.runForEach(queue.stream, (n) => Effect.sync(() => seen.push(n))))
      yield* queue.add(1)
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(consumer)
      yield* queue.add(2)
      yield* queue.add(3)
      expect(seen).toEqual([1])
      expect(yield* queue.size).toBe(2)
    })
  )

  it.effect("no fiber outlives a producer/consumer pipeline (Supervisor.track)", () =>
    Effect.gen(function* () {
      const supervisor = yield* Supervisor.track
      yield* Effect.gen(function* () {
        const queue = yield* AsyncQueue.make<number>({ capacity: 2 })
        const consumer = yield* Effect.fork(Stream.runDrain(queue.stream))
        const producer = yield* Effect.fork(Effect.forEach([1, 2, 3, 4, 5], (n) => queue.add(n)))
        yield* Fiber.join(producer)
        yield* queue.complete
        yield* Fiber.join(consumer)
      }).pipe(Effect.supervised(supervisor))
      expect((yield* supervisor.value).filter((f) => f.unsafePoll() === null)).toEqual([])
    })
  )

  it.effect("bad capacity dies with IllegalArgumentException naming capacity", () =>
    Effect.gen(function* () {
      for (const capacity of [0, -1, 1.5, Number.NaN]) {
        const exit = yield* Effect.exit(AsyncQueue.make<number>({ capacity }))
        expect(illegalMessage(exit)).toContain("capacity")
      }
    })
  )

  it.effect.prop(
    "preserves FIFO order with concurrent producer and consumer",
    [fc.array(fc.integer(), { maxLength: 50 }), fc.integer({ min: 1, max: 5 })],
    ([items, capacity]) =>
      Effect.gen(function* () {
        const queue = yield* AsyncQueue.make<number>({ capacity })
        const consumer = yield* Effect.fork(Stream.runCollect(queue.stream))
        yield* Effect.forEach(items, (n) => queue.add(n))
        yield* queue.complete
        expect(Chunk.toReadonlyArray(yield* Fiber.join(consumer))).toEqual(items)
      }),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect.prop(
    "a bounded queue's size never exceeds its capacity",
    [
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3 })), { maxLength: 40 }),
      fc.integer({ min: 1, max: 4 })
    ],
    ([ops, capacity]) =>
      Effect.gen(function* () {
        const queue = yield* AsyncQueue.make<number>({ capacity })
        let max = 0
        const fibers = []
        for (const [isAdd, delay] of ops) {
          fibers.push(
            yield* Effect.fork(
              Effect.zipRight(Effect.sleep(`${delay} millis`), isAdd ? queue.add(delay) : Effect.asVoid(queue.take))
            )
          )
          fibers.push(
            yield* Effect.fork(
              Effect.zipRight(
                Effect.sleep(`${delay} millis`),
                Effect.flatMap(queue.size, (n) => Effect.sync(() => (max = Math.max(max, n))))
              )
            )
          )
        }
        for (let t = 0; t < 5; t++) {
          yield* TestClock.adjust("1 millis")
          max = Math.max(max, yield* queue.size)
        }
        expect(max).toBeLessThanOrEqual(capacity)
        yield* Fiber.interruptAll(fibers)
      }),
    { fastCheck: { numRuns: 40 } }
  )
})
