import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Fiber, Option, Stream, TestClock } from "effect"
import { Progress } from "../src/index.js"

const recorder = <T>() => {
  const values: Array<T> = []
  return { values, progress: Progress.make((value: T) => Effect.sync(() => values.push(value))) }
}

describe("Progress.make", () => {
  it.effect("report runs onReport with each value, in order", () =>
    Effect.gen(function* () {
      const { values, progress } = recorder<number>()
      yield* progress.report(1)
      yield* progress.report(2)
      expect(values).toEqual([1, 2])
    })
  )

  it.effect("reports stop when the reporting task is interrupted", () =>
    Effect.gen(function* () {
      const { values, progress } = recorder<number>()
      const task = yield* Effect.fork(
        Effect.gen(function* () {
          for (let i = 1; ; i++) {
            yield* Effect.sleep("10 millis")
            yield* progress.report(i)
          }
        })
      )
      yield* TestClock.adjust("55 millis")
      yield* Fiber.interrupt(task)
      expect(values).toEqual([1, 2, 3, 4, 5])
      yield* TestClock.adjust("1 second")
      expect(values).toEqual([1, 2, 3, 4, 5])
    })
  )

  it("ignore accepts any value and does nothing; isProgress recognises reporters", () => {
    Effect.runSync(Progress.ignore.report("anything"))
    expect(Progress.isProgress(Progress.ignore)).toBe(true)
    expect(Progress.isProgress({ report: () => Effect.void })).toBe(false)
    expect(Progress.isProgress(null)).toBe(false)
  })
})

describe("Progress.map", () => {
  it.effect("converts each value before reporting it (data-first and data-last)", () =>
    Effect.gen(function* () {
      const { values, progress } = recorder<string>()
      yield* Progress.map(progress, (n: number) => `${n}%`).report(10)
      yield* progress.pipe(Progress.map((b: boolean) => (b ? "yes" : "no"))).report(true)
      expect(values).toEqual(["10%", "yes"])
    })
  )
})

describe("Progress.latest", () => {
  it.effect("a consumer slower than the reporter gets the newest value, not a backlog", () =>
    Effect.gen(function* () {
      const { progress, changes } = yield* Progress.latest<number>()
      const seen: Array<number> = []
      const consumer = yield* Effect.fork(
        Stream.runForEach(changes, (n) =>
          Effect.zipRight(
            Effect.sync(() => seen.push(n)),
            Effect.sleep("1 second")
          )
        )
      )
      yield* Effect.fork(
        Effect.gen(function* () {
          for (let i = 1; i <= 30; i++) {
            yield* progress.report(i)
            yield* Effect.sleep("100 millis")
          }
        })
      )
      yield* TestClock.adjust("10 seconds")
      // one value per second of consumer time, each the newest at that moment
      expect(seen).toEqual([1, 11, 21, 30])
      yield* Fiber.interrupt(consumer)
    }).pipe(Effect.scoped)
  )

  it.effect("reports made before the consumer pulls coalesce into the newest one", () =>
    Effect.gen(function* () {
      const { progress, changes } = yield* Progress.latest<number>()
      for (let i = 1; i <= 100; i++) yield* progress.report(i)
      const first = yield* Stream.runCollect(Stream.take(changes, 1))
      expect(Chunk.toReadonlyArray(first)).toEqual([100])
    }).pipe(Effect.scoped)
  )

  it.effect("each run of changes is an independent subscriber", () =>
    Effect.gen(function* () {
      const { progress, changes } = yield* Progress.latest<string>()
      yield* progress.report("a")
      const one = yield* Stream.runCollect(Stream.take(changes, 1))
      const two = yield* Stream.runCollect(Stream.take(changes, 1))
      expect([...one, ...two]).toEqual(["a", "a"])
    }).pipe(Effect.scoped)
  )

  it.effect("changes ends when the scope closes, after emitting the last unseen value", () =>
    Effect.gen(function* () {
      let changes: Stream.Stream<number> | undefined
      let progress: Progress.Progress<number> | undefined
      const collected = yield* Effect.gen(function* () {
        const latest = yield* Progress.latest<number>()
        changes = latest.changes
        progress = latest.progress
        const fiber = yield* Effect.fork(Stream.runCollect(changes))
        yield* Effect.yieldNow()
        yield* progress.report(1)
        return fiber
      }).pipe(Effect.scoped)
      yield* progress!.report(2) // ignored: the scope is closed
      const all = yield* Fiber.join(collected)
      expect(Chunk.toReadonlyArray(all)).toEqual([1])
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(changes!))).toEqual([1])
    })
  )

  it.effect("current is none before the first report, then the newest value", () =>
    Effect.gen(function* () {
      const { progress, current } = yield* Progress.latest<number>()
      expect(yield* current).toEqual(Option.none())
      yield* progress.report(7)
      yield* progress.report(8)
      expect(yield* current).toEqual(Option.some(8))
    }).pipe(Effect.scoped)
  )

  it.effect("interrupting a waiting consumer leaks nothing: later reports still reach new consumers", () =>
    Effect.gen(function* () {
      const { progress, changes } = yield* Progress.latest<number>()
      const waiting = yield* Effect.fork(Stream.runCollect(Stream.take(changes, 1)))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(waiting)
      yield* progress.report(3)
      const next = yield* Stream.runCollect(Stream.take(changes, 1))
      expect(Chunk.toReadonlyArray(next)).toEqual([3])
    }).pipe(Effect.scoped)
  )
})

describe("Progress.total", () => {
  it.effect("reports the sum of every child's latest count", () =>
    Effect.gen(function* () {
      const { values, progress } = recorder<number>()
      const bytes = yield* Progress.total(progress)
      const a = yield* bytes.child
      const b = yield* bytes.child
      yield* a.report(100)
      yield* b.report(10)
      yield* a.report(250)
      yield* b.report(40)
      expect(values).toEqual([100, 110, 260, 290])
    })
  )

  it.effect(
    "a non-finite report (NaN, ±Infinity, or not a number from JavaScript) is ignored: it never poisons the sum",
    () =>
      Effect.gen(function* () {
        const totals: Array<number> = []
        const total = yield* Progress.total(Progress.make((n: number) => Effect.sync(() => totals.push(n))))
        const a = yield* total.child
        const b = yield* total.child
        yield* a.report(10)
        yield* a.report(Number.NaN)
        yield* b.report(Number.POSITIVE_INFINITY)
        yield* b.report("5" as unknown as number)
        yield* b.report(5)
        yield* a.report(20)
        expect(totals).toEqual([10, 15, 25])
      })
  )

  it.effect("concurrent downloads report per chunk and the total ends at the sum of their sizes", () =>
    Effect.gen(function* () {
      const { progress, current } = yield* Progress.latest<number>()
      const bytes = yield* Progress.total(progress)
      yield* Effect.forEach(
        [3, 5, 7],
        (chunks) =>
          Effect.gen(function* () {
            const child = yield* bytes.child
            for (let i = 1; i <= chunks; i++) {
              yield* Effect.sleep(Duration.millis(10 * chunks))
              yield* child.report(i * 1000)
            }
          }),
        { concurrency: "unbounded", discard: true }
      ).pipe(Effect.fork)
      yield* TestClock.adjust("1 second")
      expect(yield* current).toEqual(Option.some(15_000))
    }).pipe(Effect.scoped)
  )
})

describe("Progress.aggregate", () => {
  it.effect("combines the latest values of the children that have reported, in creation order", () =>
    Effect.gen(function* () {
      const { values, progress } = recorder<ReadonlyArray<string>>()
      const all = yield* Progress.aggregate(progress, (xs: ReadonlyArray<string>) => [...xs])
      const a = yield* all.child
      const b = yield* all.child
      yield* b.report("b1")
      yield* a.report("a1")
      yield* b.report("b2")
      expect(values).toEqual([["b1"], ["a1", "b1"], ["a1", "b2"]])
    })
  )

  it.effect("composes with map: download records summed by received bytes", () =>
    Effect.gen(function* () {
      const { values, progress } = recorder<number>()
      const bytes = yield* Progress.total(progress)
      const child = Progress.map(yield* bytes.child, (d: { readonly received: number }) => d.received)
      yield* child.report({ received: 5 })
      yield* child.report({ received: 9 })
      expect(values).toEqual([5, 9])
    })
  )
})
