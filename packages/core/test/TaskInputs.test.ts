/**
 * `Task.interleaved` and `Task.throttled` over asynchronous inputs (`AsyncIterable`, `Stream`):
 * lazy pulling within the bound, failures of the input, and cleanup of the input on every end.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Deferred, Effect, Exit, Fiber, Option, Ref, Stream, TestClock } from "effect"
import * as fc from "effect/FastCheck"
import { pipe } from "effect/Function"
import { Task } from "../src/index.js"
import { illegalMessage } from "./utils.js"

/** Lets promise callbacks and `setImmediate`s queued so far run (async iterators live there). */
const settle = Effect.promise(
  () =>
    new Promise<void>((resolve) => {
      let turns = 5
      const turn = () => (turns-- === 0 ? resolve() : setImmediate(turn))
      turn()
    })
)

/** An async generator of `n` items that counts what it gave and notes when it was closed. */
const counting = <A>(n: number, item: (i: number) => A) => {
  const state = { pulled: 0, closed: false }
  async function* gen() {
    try {
      for (let i = 0; i < n; i++) {
        state.pulled++
        yield item(i)
      }
    } finally {
      state.closed = true
    }
  }
  return { state, iterable: gen() }
}

const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b)

describe("Task.interleaved over an AsyncIterable", () => {
  it.effect("runs every task and emits each once, in completion order", () =>
    Effect.gen(function* () {
      const { iterable, state } = counting(5, (i) => Effect.as(Effect.sleep(`${50 - i * 10} millis`), i))
      const fiber = yield* Effect.fork(
        Stream.runCollect(Task.interleaved(iterable, { concurrency: 5 }).pipe(Stream.map((c) => c.index)))
      )
      for (let i = 0; i < 10; i++) {
        yield* settle
        yield* TestClock.adjust("10 millis")
      }
      const order = yield* Fiber.join(fiber)
      expect(Chunk.toArray(order)).toEqual([4, 3, 2, 1, 0])
      expect(state).toEqual({ pulled: 5, closed: true })
    })
  )

  it.effect("pulls no item before a slot is free: concurrency 2 over tasks that never end pulls 2", () =>
    Effect.gen(function* () {
      const { iterable, state } = counting(100, () => Effect.never)
      const fiber = yield* Effect.fork(Stream.runDrain(Task.interleaved(iterable, { concurrency: 2 })))
      yield* settle
      expect(state.pulled).toBe(2)
      yield* Fiber.interrupt(fiber)
      expect(state.closed).toBe(true)
    })
  )

  it.effect("unbounded starts each task as it arrives", () =>
    Effect.gen(function* () {
      const started = yield* Ref.make(0)
      const { iterable } = counting(20, () =>
        Effect.zipRight(
          Ref.update(started, (n) => n + 1),
          Effect.never
        )
      )
      const fiber = yield* Effect.fork(Stream.runDrain(Task.interleaved(iterable)))
      yield* settle
      expect(yield* Ref.get(started)).toBe(20)
      yield* Fiber.interrupt(fiber)
    })
  )

  it.effect("a throwing async iterator is a defect, and the running children are interrupted", () =>
    Effect.gen(function* () {
      const interrupted = yield* Deferred.make<void>()
      async function* gen() {
        yield Effect.onInterrupt(Effect.never, () => Deferred.succeed(interrupted, undefined))
        await Promise.resolve()
        throw new Error("feed broke")
      }
      const exit = yield* Effect.exit(Stream.runDrain(Task.interleaved(gen(), { concurrency: 4 })))
      expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toEqual(new Error("feed broke"))
      expect(yield* Deferred.isDone(interrupted)).toBe(true)
    })
  )

  it.effect("interrupting the consumer while the iterator's next() is pending leaks nothing and does not hang", () =>
    Effect.gen(function* () {
      const aborted = yield* Ref.make(0)
      const gen = {
        [Symbol.asyncIterator]: () => ({
          i: 0,
          next(): Promise<IteratorResult<Effect.Effect<void>>> {
            // the first item is a task that never ends; then the feed stalls for ever
            return this.i++ === 0
              ? Promise.resolve({
                  done: false,
                  value: Effect.onInterrupt(Effect.never, () => Ref.update(aborted, (n) => n + 1))
                })
              : new Promise(() => {})
          },
          return: () => new Promise<IteratorResult<Effect.Effect<void>>>(() => {})
        })
      }
      const fiber = yield* Effect.fork(Stream.runDrain(Task.interleaved(gen, { concurrency: 3 })))
      yield* settle
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(aborted)).toBe(1)
    })
  )

  it.effect("ending the stream early (Stream.take) closes the generator (its finally runs)", () =>
    Effect.gen(function* () {
      const { iterable, state } = counting(1000, (i) => Effect.succeed(i))
      const fiber = yield* Effect.fork(
        Stream.runCollect(Stream.take(Task.interleaved(iterable, { concurrency: 2 }), 3))
      )
      yield* settle
      const out = yield* Fiber.join(fiber)
      expect(Chunk.size(out)).toBe(3)
      expect(state.closed).toBe(true)
      expect(state.pulled).toBeLessThan(1000)
    })
  )
})

describe("Task.interleaved over a Stream", () => {
  it.effect("a Stream of tasks: every task once, typed per position of the input", () =>
    Effect.gen(function* () {
      const tasks = Stream.map(Stream.range(0, 9), (i) => Effect.as(Effect.sleep(`${(i * 7) % 5} millis`), i))
      const fiber = yield* Effect.fork(
        Stream.runCollect(Task.interleaved(tasks, { concurrency: 3 }).pipe(Stream.map((c) => c.index)))
      )
      yield* TestClock.adjust("1 second")
      expect(sorted(yield* Fiber.join(fiber))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    })
  )

  it.effect("pulls the stream only when a slot is free", () =>
    Effect.gen(function* () {
      const pulled = yield* Ref.make(0)
      const tasks = Stream.repeatEffect(
        Effect.as(
          Ref.update(pulled, (n) => n + 1),
          Effect.never
        )
      )
      const fiber = yield* Effect.fork(Stream.runDrain(Task.interleaved(tasks, { concurrency: 3 })))
      yield* TestClock.adjust("1 second")
      expect(yield* Ref.get(pulled)).toBe(3)
      yield* Fiber.interrupt(fiber)
    })
  )

  it.effect("a failing input stream ends the combinator with its typed error and interrupts every running child", () =>
    Effect.gen(function* () {
      const interrupted = yield* Ref.make(0)
      const child = Effect.onInterrupt(Effect.never, () => Ref.update(interrupted, (n) => n + 1))
      const tasks = Stream.concat(Stream.make(child, child), Stream.fail("FeedClosed" as const))
      const exit = yield* Effect.exit(Stream.runDrain(Task.interleaved(tasks, { concurrency: 4 })))
      expect(exit).toEqual(Exit.fail("FeedClosed"))
      expect(yield* Ref.get(interrupted)).toBe(2)
    })
  )

  it.effect("a defect in the input stream is the combinator's defect", () =>
    Effect.gen(function* () {
      const tasks = Stream.concat(Stream.make(Effect.succeed(1)), Stream.die("broken feed"))
      const exit = yield* Effect.exit(Stream.runDrain(Task.interleaved(tasks, { concurrency: 1 })))
      expect(Exit.isFailure(exit) && Option.getOrUndefined(Cause.dieOption(exit.cause))).toBe("broken feed")
    })
  )

  it.effect("interrupting it runs the input stream's finalizers and interrupts the children", () =>
    Effect.gen(function* () {
      const finalized = yield* Ref.make(false)
      const interrupted = yield* Ref.make(0)
      const child = Effect.onInterrupt(Effect.never, () => Ref.update(interrupted, (n) => n + 1))
      const tasks = Stream.ensuring(Stream.repeatValue(child), Ref.set(finalized, true))
      const fiber = yield* Effect.fork(Stream.runDrain(Task.interleaved(tasks, { concurrency: 2 })))
      yield* TestClock.adjust("1 millis")
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(finalized)).toBe(true)
      expect(yield* Ref.get(interrupted)).toBe(2)
    })
  )

  it.effect("the input stream's services are required and used", () =>
    Effect.gen(function* () {
      class Base extends Effect.Tag("Base")<Base, number>() {}
      const tasks = Stream.map(Stream.fromEffect(Base), (n) => Effect.succeed(n + 1))
      const out = yield* Stream.runCollect(Task.interleaved(tasks)).pipe(Effect.provideService(Base, 41))
      expect(Chunk.toArray(out).map((c) => c.exit)).toEqual([Exit.succeed(42)])
    })
  )
})

describe("Task.throttled over asynchronous inputs", () => {
  it.effect("an AsyncIterable of items, in input order with ordered: true", () =>
    Effect.gen(function* () {
      const { iterable } = counting(6, (i) => i)
      const fiber = yield* Effect.fork(
        Stream.runCollect(
          pipe(
            iterable,
            Task.throttled((i: number) => Effect.as(Effect.sleep(`${(6 - i) * 5} millis`), i * 10), {
              concurrency: 3,
              ordered: true
            }),
            Stream.map((c) => c.exit)
          )
        )
      )
      for (let i = 0; i < 20; i++) {
        yield* settle
        yield* TestClock.adjust("5 millis")
      }
      expect(Chunk.toArray(yield* Fiber.join(fiber))).toEqual([0, 10, 20, 30, 40, 50].map((n) => Exit.succeed(n)))
    })
  )

  it.effect("a Stream of items whose error channel reaches the result", () =>
    Effect.gen(function* () {
      const items: Stream.Stream<string, "Gone"> = Stream.concat(Stream.make("a", "bb"), Stream.fail("Gone"))
      const stream = Task.throttled(items, (s) => Effect.succeed(s.length), { concurrency: 2 })
      const exit = yield* Effect.exit(Stream.runCollect(stream))
      expect(exit).toEqual(Exit.fail("Gone"))
    })
  )

  it.effect("a non-input dies naming the function, the argument and the value", () =>
    Effect.gen(function* () {
      const bad = 42 as unknown as Iterable<number>
      const exit = yield* Effect.exit(Stream.runDrain(Task.throttled(bad, Effect.succeed, { concurrency: 1 })))
      expect(illegalMessage(exit)).toBe(
        "Task.throttled: items must be an iterable, an async iterable or a Stream, got 42"
      )
    })
  )

  it.effect.prop(
    "over any input kind and concurrency: every item once, never more than concurrency running",
    [
      fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 40 }),
      fc.integer({ min: 1, max: 6 }),
      fc.constantFrom("iterable", "async", "stream"),
      fc.boolean()
    ],
    ([delays, concurrency, kind, ordered]) =>
      Effect.gen(function* () {
        let running = 0
        let peak = 0
        const input: Task.Input<number> =
          kind === "iterable"
            ? delays
            : kind === "async"
              ? counting(delays.length, (i) => delays[i]!).iterable
              : Stream.rechunk(Stream.fromIterable(delays), 3)
        const job = (ms: number) =>
          Effect.acquireUseRelease(
            Effect.sync(() => {
              running++
              peak = Math.max(peak, running)
            }),
            () => Effect.as(Effect.sleep(`${ms} millis`), ms),
            () => Effect.sync(() => running--)
          )
        const fiber = yield* Effect.fork(Stream.runCollect(Task.throttled(input, job, { concurrency, ordered })))
        for (let i = 0; i < delays.length + 5; i++) {
          yield* settle
          yield* TestClock.adjust("20 millis")
        }
        const out = Chunk.toArray(yield* Fiber.join(fiber))
        expect(sorted(out.map((c) => c.index))).toEqual(delays.map((_, i) => i))
        if (ordered) expect(out.map((c) => c.index)).toEqual(delays.map((_, i) => i))
        expect(peak).toBeLessThanOrEqual(concurrency)
        expect(running).toBe(0)
      }),
    { fastCheck: { numRuns: 30 } }
  )
})

describe("sync iterators stopped early", () => {
  it.effect("a generator left unfinished gets return() (its finally runs), as for…of's break", () =>
    Effect.gen(function* () {
      let closed = false
      function* tasks() {
        try {
          for (let i = 0; ; i++) yield Effect.succeed(i)
        } finally {
          closed = true
        }
      }
      const out = yield* Stream.runCollect(Stream.take(Task.interleaved(tasks(), { concurrency: 2 }), 2))
      expect(Chunk.size(out)).toBe(2)
      expect(closed).toBe(true)
      closed = false
      expect(yield* Task.needOnlyOne(tasks())).toBe(0)
      expect(closed).toBe(true)
    })
  )
})
