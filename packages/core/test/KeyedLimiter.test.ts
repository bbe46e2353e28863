import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Supervisor, TestClock } from "effect"
import * as fc from "effect/FastCheck"
import { KeyedLimiter } from "../src/index.js"
import { illegalMessage } from "./utils.js"

/** Tracks how many effects run per key and overall, and their peaks. */
const meter = () => {
  const running = new Map<string, number>()
  const peak = new Map<string, number>()
  let total = 0
  let peakTotal = 0
  const started: Array<string> = []
  const job = (key: string, label: string, ms: number) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        started.push(label)
        const n = (running.get(key) ?? 0) + 1
        running.set(key, n)
        peak.set(key, Math.max(peak.get(key) ?? 0, n))
        peakTotal = Math.max(peakTotal, ++total)
      }),
      () => Effect.sleep(`${ms} millis`),
      () =>
        Effect.sync(() => {
          running.set(key, running.get(key)! - 1)
          total--
        })
    )
  return { job, peak, started, peakTotal: () => peakTotal }
}

describe("KeyedLimiter", () => {
  it.effect("at most perKey effects run per key; other keys are not held back", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 2 })
      const m = meter()
      const fiber = yield* Effect.fork(
        Effect.forEach(["a", "a", "a", "a", "b", "b"], (k, i) => limiter.withPermit(k)(m.job(k, `${k}${i}`, 10)), {
          concurrency: "unbounded"
        })
      )
      yield* TestClock.adjust("1 millis")
      expect(m.started).toEqual(["a0", "a1", "b4", "b5"])
      yield* TestClock.adjust("20 millis")
      yield* Fiber.join(fiber)
      expect(m.peak.get("a")).toBe(2)
      expect(m.peak.get("b")).toBe(2)
    })
  )

  it.effect("the global cap holds across keys", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 5, total: 3 })
      const m = meter()
      const fiber = yield* Effect.fork(
        Effect.forEach(["a", "b", "c", "d", "a", "b"], (k, i) => limiter.withPermit(k, m.job(k, `${k}${i}`, 10)), {
          concurrency: "unbounded"
        })
      )
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(fiber)
      expect(m.peakTotal()).toBe(3)
    })
  )

  it.effect("waiters of one key are served in arrival order (FIFO within a key)", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 1 })
      const m = meter()
      const fibers = []
      for (let i = 0; i < 5; i++) {
        fibers.push(yield* Effect.fork(limiter.withPermit("k")(m.job("k", `k${i}`, 10))))
        yield* Effect.yieldNow()
      }
      yield* TestClock.adjust("100 millis")
      yield* Fiber.joinAll(fibers)
      expect(m.started).toEqual(["k0", "k1", "k2", "k3", "k4"])
    })
  )

  it.effect("a busy key cannot starve another key waiting for the global cap", () =>
    Effect.gen(function* () {
      // total 2; key "busy" keeps queueing work, "quiet" arrives once and must get the next global permit
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 2, total: 2 })
      const m = meter()
      const fibers = []
      fibers.push(yield* Effect.fork(limiter.withPermit("busy")(m.job("busy", "busy0", 10))))
      fibers.push(yield* Effect.fork(limiter.withPermit("busy")(m.job("busy", "busy1", 10))))
      yield* Effect.yieldNow()
      fibers.push(yield* Effect.fork(limiter.withPermit("quiet")(m.job("quiet", "quiet", 10))))
      yield* Effect.yieldNow()
      for (let i = 2; i < 6; i++) {
        fibers.push(yield* Effect.fork(limiter.withPermit("busy")(m.job("busy", `busy${i}`, 10))))
        yield* Effect.yieldNow()
      }
      yield* TestClock.adjust("10 millis")
      expect(m.started.slice(0, 4)).toEqual(["busy0", "busy1", "quiet", "busy2"])
      yield* TestClock.adjust("100 millis")
      yield* Fiber.joinAll(fibers)
    })
  )

  it.effect("permits are released when the effect fails or dies", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 1, total: 1 })
      yield* Effect.exit(limiter.withPermit("a")(Effect.fail("boom")))
      yield* Effect.exit(limiter.withPermit("a")(Effect.die("bug")))
      expect(yield* limiter.withPermit("b")(Effect.succeed("free"))).toBe("free")
      expect(yield* limiter.stats).toEqual({ active: 0, waiting: 0, keys: 0 })
    })
  )

  it.effect("interrupting a waiter leaks nothing: permits return and queue entries are removed", () =>
    Effect.gen(function* () {
      const supervisor = yield* Supervisor.track
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 1, total: 2 })
      const ran: Array<string> = []
      yield* Effect.gen(function* () {
        const holders = [
          yield* Effect.fork(limiter.withPermit("a")(Effect.sleep("10 millis"))),
          yield* Effect.fork(limiter.withPermit("b")(Effect.sleep("10 millis")))
        ]
        yield* Effect.yieldNow()
        const waiters = [
          yield* Effect.fork(limiter.withPermit("a")(Effect.sync(() => ran.push("a")))),
          yield* Effect.fork(limiter.withPermit("c")(Effect.sync(() => ran.push("c"))))
        ]
        yield* Effect.yieldNow()
        expect(yield* limiter.stats).toEqual({ active: 2, waiting: 2, keys: 3 })
        yield* Fiber.interruptAll(waiters)
        expect(yield* limiter.stats).toEqual({ active: 2, waiting: 0, keys: 2 })
        // a permit handed over at the instant its waiter is interrupted is passed on
        const racer = yield* Effect.fork(limiter.withPermit("a")(Effect.sync(() => ran.push("racer"))))
        const after = yield* Effect.fork(limiter.withPermit("a")(Effect.sync(() => ran.push("after"))))
        yield* Effect.yieldNow()
        yield* TestClock.adjust("10 millis")
        yield* Fiber.interrupt(racer)
        yield* Fiber.joinAll(holders)
        yield* Fiber.join(after)
      }).pipe(Effect.supervised(supervisor))
      expect(ran).not.toContain("a")
      expect(ran).not.toContain("c")
      expect(ran).toContain("after")
      expect(yield* limiter.stats).toEqual({ active: 0, waiting: 0, keys: 0 })
      expect((yield* supervisor.value).filter((f) => f.unsafePoll() === null)).toEqual([])
    })
  )

  it.effect("bad options die with IllegalArgumentException naming the option", () =>
    Effect.gen(function* () {
      for (const perKey of [0, -1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY, "2" as never]) {
        expect(illegalMessage(yield* Effect.exit(KeyedLimiter.make({ perKey })))).toContain("perKey")
      }
      for (const total of [0, -2, 0.5]) {
        expect(illegalMessage(yield* Effect.exit(KeyedLimiter.make({ perKey: 1, total })))).toContain("total")
      }
    })
  )

  it.effect.prop(
    "never exceeds perKey per key nor total overall, and every job completes",
    [
      fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: 1, max: 5 }), fc.boolean()), {
        minLength: 1,
        maxLength: 30
      }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 4 })
    ],
    ([jobs, perKey, total]) =>
      Effect.gen(function* () {
        const limiter = yield* KeyedLimiter.make<string>({ perKey, total })
        const m = meter()
        const fibers = yield* Effect.forEach(jobs, ([key, ms], i) =>
          Effect.fork(limiter.withPermit(key)(m.job(key, `${key}${i}`, ms)))
        )
        // interrupt some of them while they wait or run
        yield* TestClock.adjust("1 millis")
        yield* Effect.forEach(jobs, ([, , interrupt], i) => (interrupt ? Fiber.interrupt(fibers[i]!) : Effect.void))
        yield* TestClock.adjust("1 second")
        yield* Effect.forEach(fibers, Fiber.await)
        for (const n of m.peak.values()) expect(n).toBeLessThanOrEqual(perKey)
        expect(m.peakTotal()).toBeLessThanOrEqual(total)
        expect(yield* limiter.stats).toEqual({ active: 0, waiting: 0, keys: 0 })
      }),
    { fastCheck: { numRuns: 40 } }
  )
})

describe("KeyedLimiter weighted permits, resize and keyStats", () => {
  /** Records permits in use per key and overall, and the peaks, for weighted jobs. */
  const weighted = () => {
    const inUse = new Map<string, number>()
    let total = 0
    let peakTotal = 0
    const peak = new Map<string, number>()
    const job = (key: string, permits: number, ms: number) =>
      Effect.acquireUseRelease(
        Effect.sync(() => {
          const n = (inUse.get(key) ?? 0) + permits
          inUse.set(key, n)
          peak.set(key, Math.max(peak.get(key) ?? 0, n))
          peakTotal = Math.max(peakTotal, (total += permits))
        }),
        () => Effect.sleep(`${ms} millis`),
        () =>
          Effect.sync(() => {
            inUse.set(key, inUse.get(key)! - permits)
            total -= permits
          })
      )
    return { job, peak, peakTotal: () => peakTotal, total: () => total }
  }

  it.effect("withPermits counts weights against perKey and total", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 3, total: 4 })
      const m = weighted()
      const all = yield* Effect.fork(
        Effect.all(
          [
            limiter.withPermits("a", 2)(m.job("a", 2, 10)),
            limiter.withPermits("a", 2)(m.job("a", 2, 10)),
            limiter.withPermits("b", 2)(m.job("b", 2, 10)),
            limiter.withPermits("b", 1)(m.job("b", 1, 10))
          ],
          { concurrency: "unbounded" }
        )
      )
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(all)
      expect(m.peak.get("a")).toBe(2)
      expect(m.peakTotal()).toBeLessThanOrEqual(4)
    })
  )

  it.effect("a heavy waiter is not overtaken for ever by lighter waiters of other keys", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 4, total: 4 })
      const started: Array<string> = []
      const job = (label: string) =>
        Effect.zipRight(
          Effect.sync(() => started.push(label)),
          Effect.sleep("10 millis")
        )
      const fibers = [yield* Effect.fork(limiter.withPermits("x", 3)(job("x")))]
      yield* Effect.yieldNow()
      fibers.push(yield* Effect.fork(limiter.withPermits("heavy", 4)(job("heavy"))))
      yield* Effect.yieldNow()
      for (let i = 0; i < 3; i++) fibers.push(yield* Effect.fork(limiter.withPermit(`light${i}`)(job(`light${i}`))))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.joinAll(fibers)
      // one permit was free while "heavy" waited: the light ones queue behind it instead of taking it
      expect(started.slice(0, 2)).toEqual(["x", "heavy"])
    })
  )

  it.effect("permits above a cap, or not a positive integer, are defects naming them", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 2, total: 3 })
      expect(illegalMessage(yield* Effect.exit(limiter.withPermits("a", 3)(Effect.void)))).toBe(
        "KeyedLimiter.withPermits: permits must be at most perKey (2), got 3"
      )
      expect(illegalMessage(yield* Effect.exit(limiter.withPermits("a", 0)(Effect.void)))).toBe(
        "KeyedLimiter.withPermits: permits must be a positive integer, got 0"
      )
      expect(illegalMessage(yield* Effect.exit(limiter.withPermits("a", 1.5)(Effect.void)))).toContain("got 1.5")
    })
  )

  it.effect("resize: holders keep their permits, new grants wait until use fits, growth admits at once", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 2 })
      const m = weighted()
      const holders = yield* Effect.fork(
        Effect.all([limiter.withPermit("a")(m.job("a", 1, 100)), limiter.withPermit("a")(m.job("a", 1, 100))], {
          concurrency: "unbounded"
        })
      )
      for (let i = 0; i < 100 && (yield* limiter.keyStats("a")).active < 2; i++) yield* Effect.yieldNow()
      yield* limiter.resize({ perKey: 1 })
      const late = yield* Effect.fork(limiter.withPermit("a")(m.job("a", 1, 50)))
      yield* TestClock.adjust("50 millis")
      expect(yield* limiter.keyStats("a")).toEqual({ active: 2, waiting: 1 })
      yield* TestClock.adjust("60 millis")
      yield* Fiber.join(holders)
      expect(yield* limiter.keyStats("a")).toEqual({ active: 1, waiting: 0 })
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(late)

      // caps grow: waiters start at once
      const busy = yield* Effect.fork(limiter.withPermit("b")(Effect.sleep("1 second")))
      yield* Effect.yieldNow()
      const waiting = yield* Effect.fork(limiter.withPermit("b")(Effect.succeed("admitted")))
      yield* Effect.yieldNow()
      expect((yield* limiter.keyStats("b")).waiting).toBe(1)
      yield* limiter.resize({ perKey: 2 })
      expect(yield* Fiber.join(waiting)).toBe("admitted")
      yield* Fiber.interrupt(busy)
      expect(yield* limiter.stats).toEqual({ active: 0, waiting: 0, keys: 0 })
    })
  )

  it.effect("resize: a waiter heavier than a new cap dies, naming it; bad caps are defects", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 4 })
      const holder = yield* Effect.fork(limiter.withPermits("a", 4)(Effect.never))
      yield* Effect.yieldNow()
      const heavy = yield* Effect.fork(limiter.withPermits("a", 3)(Effect.void))
      yield* Effect.yieldNow()
      yield* limiter.resize({ perKey: 2 })
      expect(illegalMessage(yield* Fiber.await(heavy))).toBe(
        "KeyedLimiter.resize: a waiter's permits must be at most perKey (2) after the resize, got 3"
      )
      yield* Fiber.interrupt(holder)
      expect(illegalMessage(yield* Effect.exit(limiter.resize({ total: 0 })))).toBe(
        "KeyedLimiter.resize: total must be a positive integer or Infinity, got 0"
      )
      expect(yield* limiter.stats).toEqual({ active: 0, waiting: 0, keys: 0 })
    })
  )

  it.effect("interrupting a weighted waiter leaks nothing and lets the ones behind it start", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 3 })
      const holder = yield* Effect.fork(limiter.withPermits("a", 2)(Effect.sleep("1 second")))
      yield* Effect.yieldNow()
      const heavy = yield* Effect.fork(limiter.withPermits("a", 3)(Effect.void))
      const light = yield* Effect.fork(limiter.withPermit("a")(Effect.succeed("light")))
      yield* Effect.yieldNow()
      expect((yield* limiter.keyStats("a")).waiting).toBe(2)
      yield* Fiber.interrupt(heavy)
      expect(yield* Fiber.join(light)).toBe("light")
      yield* Fiber.interrupt(holder)
      expect(yield* limiter.stats).toEqual({ active: 0, waiting: 0, keys: 0 })
    })
  )

  // The law of resize: once the holders from before it have left, use never exceeds the new caps.
  it.effect.prop(
    "a resized limiter never exceeds its new caps once earlier holders have left",
    [
      fc.array(fc.record({ key: fc.constantFrom("a", "b", "c"), permits: fc.integer({ min: 1, max: 2 }) }), {
        minLength: 1,
        maxLength: 30
      }),
      fc.integer({ min: 2, max: 4 }),
      fc.integer({ min: 2, max: 6 })
    ],
    ([jobs, perKey, total]) =>
      Effect.gen(function* () {
        const limiter = yield* KeyedLimiter.make<string>({ perKey: 4, total: 8 })
        const m = weighted()
        const before = yield* Effect.fork(
          Effect.forEach(jobs, (j) => limiter.withPermits(j.key, j.permits)(m.job(j.key, j.permits, 5)), {
            concurrency: "unbounded",
            discard: true
          })
        )
        yield* Effect.yieldNow()
        yield* limiter.resize({ perKey, total })
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(before)
        const after = weighted()
        const run = yield* Effect.fork(
          Effect.forEach(jobs, (j) => limiter.withPermits(j.key, j.permits)(after.job(j.key, j.permits, 5)), {
            concurrency: "unbounded",
            discard: true
          })
        )
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(run)
        expect(after.peakTotal()).toBeLessThanOrEqual(total)
        for (const peak of after.peak.values()) expect(peak).toBeLessThanOrEqual(perKey)
        expect(yield* limiter.stats).toEqual({ active: 0, waiting: 0, keys: 0 })
      })
  )
})
