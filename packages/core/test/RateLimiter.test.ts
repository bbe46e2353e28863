import { describe, expect, it } from "@effect/vitest"
import { Cause, Clock, Effect, Exit, Fiber, FastCheck as fc, Option, Scope, TestClock } from "effect"
import { RateLimiter } from "../src/index.js"
import { illegalMessage } from "./utils.js"

/** Forks `calls` through `limiter` and records each one's start time (TestClock millis). */
const startTimes = (calls: ReadonlyArray<{ readonly cost: number }>, limiter: RateLimiter.RateLimiter) =>
  Effect.gen(function* () {
    const starts: Array<{ readonly i: number; readonly at: number; readonly cost: number }> = []
    const fiber = yield* Effect.fork(
      Effect.forEach(
        calls,
        ({ cost }, i) =>
          limiter.withPermits(cost)(
            Effect.flatMap(Clock.currentTimeMillis, (at) => Effect.sync(() => starts.push({ i, at, cost })))
          ),
        { concurrency: "unbounded", discard: true }
      )
    )
    return { starts, fiber }
  })

const waiting = (limiter: { toJSON(): unknown }) => (limiter.toJSON() as { readonly waiting: number }).waiting

describe("RateLimiter", () => {
  it.scoped("token-bucket: a burst of limit, then one start every interval / limit", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 4, interval: "1 second" })
      const { starts, fiber } = yield* startTimes(
        Array.from({ length: 7 }, () => ({ cost: 1 })),
        limiter
      )
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      expect(starts.map((s) => s.at)).toEqual([0, 0, 0, 0, 250, 500, 750])
    })
  )

  it.scoped("fixed-window: at most limit starts per window, windows aligned at the first start", () =>
    Effect.gen(function* () {
      yield* TestClock.adjust("300 millis")
      const limiter = yield* RateLimiter.make({ limit: 2, interval: "1 second", algorithm: "fixed-window" })
      const { starts, fiber } = yield* startTimes(
        Array.from({ length: 5 }, () => ({ cost: 1 })),
        limiter
      )
      yield* TestClock.adjust("3 seconds")
      yield* Fiber.join(fiber)
      expect(starts.map((s) => s.at)).toEqual([300, 300, 1300, 1300, 2300])
    })
  )

  it.scoped("sliding-window: a start waits until the oldest start of the last interval leaves it", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 2, interval: "1 second", algorithm: "sliding-window" })
      yield* limiter.take()
      yield* TestClock.adjust("600 millis")
      yield* limiter.take()
      const { starts, fiber } = yield* startTimes([{ cost: 1 }, { cost: 1 }], limiter)
      yield* TestClock.adjust("3 seconds")
      yield* Fiber.join(fiber)
      // 0 and 600 are in the window: the next may start at 1000, the one after at 1600
      expect(starts.map((s) => s.at)).toEqual([1000, 1600])
    })
  )

  // The sliding window's law, for any arrivals and costs: no span of `interval` holds more than `limit` starts.
  it.effect.prop(
    "sliding-window: no span of interval ever holds more than limit starts",
    [
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.record({ delay: fc.integer({ min: 0, max: 700 }), cost: fc.integer({ min: 1, max: 5 }) }), {
        maxLength: 25
      })
    ],
    ([limit, arrivals]) =>
      Effect.scoped(
        Effect.gen(function* () {
          const interval = 1000
          const limiter = yield* RateLimiter.make({ limit, interval, algorithm: "sliding-window" })
          const starts: Array<{ readonly at: number; readonly cost: number }> = []
          const fibers: Array<Fiber.RuntimeFiber<void>> = []
          for (const { delay, cost } of arrivals) {
            const c = Math.min(cost, limit)
            fibers.push(
              yield* Effect.fork(
                limiter.withPermits(c)(
                  Effect.flatMap(Clock.currentTimeMillis, (at) => Effect.sync(() => void starts.push({ at, cost: c })))
                )
              )
            )
            yield* TestClock.adjust(delay)
          }
          yield* TestClock.adjust(interval * (arrivals.length + 1))
          yield* Fiber.joinAll(fibers)
          expect(starts.length).toBe(arrivals.length)
          for (const s of starts) {
            const inSpan = starts.filter((t) => t.at >= s.at && t.at < s.at + interval)
            expect(inSpan.reduce((n, t) => n + t.cost, 0)).toBeLessThanOrEqual(limit)
          }
        })
      )
  )

  it.scoped("waiters are served in arrival order: a large cost is not overtaken by later small ones", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 3, interval: "3 seconds" })
      yield* limiter.take(3)
      const { starts, fiber } = yield* startTimes([{ cost: 3 }, { cost: 1 }], limiter)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(starts.map((s) => [s.i, s.at])).toEqual([
        [0, 3000],
        [1, 4000]
      ])
    })
  )

  it.scoped("interrupting a waiter leaks nothing: it leaves the queue and the next waiter starts on time", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 1, interval: "1 second" })
      yield* limiter.take()
      const first = yield* Effect.fork(limiter.take())
      yield* Effect.yieldNow()
      const { starts, fiber } = yield* startTimes([{ cost: 1 }], limiter)
      for (let i = 0; i < 100 && waiting(limiter) < 2; i++) yield* Effect.yieldNow()
      expect(waiting(limiter)).toBe(2)
      yield* Fiber.interrupt(first)
      expect(waiting(limiter)).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect(starts.map((s) => s.at)).toEqual([1000])
      expect(waiting(limiter)).toBe(0)
    })
  )

  it.scoped("a waiter interrupted at the instant it is granted gives its start back", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 1, interval: "1 second", algorithm: "fixed-window" })
      yield* limiter.take()
      const granted = yield* Effect.fork(limiter.take())
      yield* Effect.yieldNow()
      // the timer grants it at 1000; interrupt it in the same instant, before it resumes
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(granted)
      const exit = yield* Fiber.await(granted)
      if (Exit.isInterrupted(exit)) {
        // the start went back: another caller may still start in this window
        const next = yield* Effect.fork(limiter.take())
        yield* Effect.yieldNow()
        expect(yield* Fiber.poll(next)).not.toBeNull()
      }
    })
  )

  it.effect("when its scope closes, waiting callers die and later calls too", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const limiter = yield* Scope.extend(RateLimiter.make({ limit: 1, interval: "1 hour" }), scope)
      yield* limiter.take()
      const waiter = yield* Effect.fork(limiter.take())
      yield* Effect.yieldNow()
      yield* Scope.close(scope, Exit.void)
      const exit = yield* Fiber.await(waiter)
      const pretty = (e: Exit.Exit<unknown, unknown>) => (Exit.isFailure(e) ? Cause.pretty(e.cause) : "success")
      expect(pretty(exit)).toMatch(/RateLimiter.make: the limiter's scope has closed/)
      expect(pretty(yield* Effect.exit(limiter.take()))).toMatch(/the limiter's scope has closed/)
    })
  )

  it.scoped("a cost above the limit, or not a positive integer, is a defect naming it", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 3, interval: "1 second" })
      expect(illegalMessage(yield* Effect.exit(limiter.take(4)))).toBe(
        "RateLimiter.take: cost must be at most the limit (3), got 4"
      )
      expect(illegalMessage(yield* Effect.exit(limiter.withPermits(0)(Effect.void)))).toBe(
        "RateLimiter.withPermits: cost must be a positive integer, got 0"
      )
      expect(illegalMessage(yield* Effect.exit(limiter.take(Number.NaN)))).toMatch(
        /cost must be a positive integer, got NaN/
      )
    })
  )

  it.scoped("bad options die with an IllegalArgumentException naming the option", () =>
    Effect.gen(function* () {
      const bad = (options: unknown) =>
        Effect.exit(RateLimiter.make(options as RateLimiter.Options)).pipe(Effect.map(illegalMessage))
      expect(yield* bad({ limit: 0, interval: "1 second" })).toBe(
        "RateLimiter.make: limit must be a positive integer, got 0"
      )
      expect(yield* bad({ limit: Number.POSITIVE_INFINITY, interval: "1 second" })).toMatch(
        /limit must be a positive integer/
      )
      expect(yield* bad({ limit: 1, interval: 0 })).toMatch(/interval must be a positive, finite Duration, got 0/)
      expect(yield* bad({ limit: 1, interval: "forever" })).toMatch(/interval must be a positive, finite Duration/)
      expect(yield* bad({ limit: 1, interval: Number.NaN })).toMatch(
        /interval must be a positive, finite Duration, got NaN/
      )
      expect(yield* bad({ limit: 1, interval: "1 second", algorithm: "leaky" })).toMatch(
        /algorithm must be one of "token-bucket", "fixed-window", "sliding-window", got "leaky"/
      )
      expect(
        illegalMessage(yield* Effect.exit(RateLimiter.keyed(undefined as unknown as RateLimiter.Options)))
      ).toMatch(/RateLimiter.keyed: options must be an options object, got undefined/)
    })
  )

  it.scoped("an interval longer than a timer can wait (about 24.8 days) still wakes its waiters", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 1, interval: "30 days", algorithm: "sliding-window" })
      yield* limiter.take()
      const waiter = yield* Effect.fork(limiter.take())
      yield* TestClock.adjust("29 days")
      expect(yield* Fiber.poll(waiter)).toEqual(Option.none())
      yield* TestClock.adjust("1 day")
      expect(Exit.isSuccess(yield* Fiber.await(waiter))).toBe(true)
    })
  )

  it.scoped("permits for something that is not an Effect are a defect naming it", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 2, interval: "1 second" })
      const notAnEffect = 42 as unknown as Effect.Effect<number>
      expect(illegalMessage(yield* Effect.exit(limiter.withPermit(notAnEffect)))).toBe(
        "RateLimiter.withPermit: effect must be an Effect, got 42"
      )
      expect(illegalMessage(yield* Effect.exit(limiter.withPermits(1)(notAnEffect)))).toContain(
        "effect must be an Effect"
      )
      const keyed = yield* RateLimiter.keyed<string>({ limit: 2, interval: "1 second" })
      expect(illegalMessage(yield* Effect.exit(keyed.withPermit("k")(notAnEffect)))).toContain(
        "effect must be an Effect"
      )
    })
  )

  it.scoped("token-bucket: a start due at a whole millisecond is not pushed one millisecond later", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 1, interval: "1 second" })
      yield* TestClock.adjust("49 millis")
      yield* limiter.take()
      yield* TestClock.adjust("987 millis")
      const { starts, fiber } = yield* startTimes([{ cost: 1 }], limiter)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect(starts.map((s) => s.at)).toEqual([1049])
    })
  )

  it.scoped("keyed: each key has its own limit, and a key is dropped once idle", () =>
    Effect.gen(function* () {
      const perKey = yield* RateLimiter.keyed<string>({ limit: 1, interval: "1 second" })
      const starts: Array<[string, number]> = []
      const call = (key: string) =>
        perKey.withPermit(key)(
          Effect.flatMap(Clock.currentTimeMillis, (at) => Effect.sync(() => void starts.push([key, at])))
        )
      const all = yield* Effect.fork(Effect.all([call("a"), call("a"), call("b")], { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(all)
      expect(starts).toEqual([
        ["a", 0],
        ["b", 0],
        ["a", 1000]
      ])
      expect((perKey.toJSON() as { readonly keys: number }).keys).toBeGreaterThan(0)
      yield* TestClock.adjust("2 seconds")
      expect((perKey.toJSON() as { readonly keys: number }).keys).toBe(0)
      expect(RateLimiter.isRateLimiter(perKey)).toBe(true)
    })
  )

  it.scoped("inspects as its settings and how many wait", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.make({ limit: 5, interval: "1 minute", algorithm: "sliding-window" })
      expect(limiter.toJSON()).toEqual({
        _id: "RateLimiter",
        algorithm: "sliding-window",
        limit: 5,
        interval: "1m",
        waiting: 0
      })
      expect(RateLimiter.isRateLimiter(limiter)).toBe(true)
      expect(RateLimiter.isRateLimiter({})).toBe(false)
    })
  )
})
