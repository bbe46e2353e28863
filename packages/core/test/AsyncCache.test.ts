import { describe, expect, it } from "@effect/vitest"
import {
  Cache,
  Cause,
  Context,
  Data,
  Deferred,
  Duration,
  Effect,
  Exit,
  Fiber,
  Scope,
  Supervisor,
  TestClock
} from "effect"
import { AsyncCache } from "../src/index.js"
import { illegalMessage } from "./utils.js"

/** A lookup that takes `ms` of virtual time and counts its runs and interruptions. */
const slowLookup = (ms = 100) => {
  const counts = { runs: 0, interrupted: 0 }
  const lookup = (key: string) =>
    Effect.sleep(`${ms} millis`).pipe(
      Effect.as(`value:${key}`),
      Effect.onInterrupt(() => Effect.sync(() => counts.interrupted++)),
      Effect.ensuring(Effect.sync(() => counts.runs++))
    )
  return { counts, lookup }
}

describe("AsyncCache", () => {
  it.scoped("concurrent gets of one key share one lookup (single flight)", () =>
    Effect.gen(function* () {
      const { counts, lookup } = slowLookup()
      const cache = yield* AsyncCache.make({ lookup })
      const all = yield* Effect.fork(
        Effect.all([cache.get("a"), cache.get("a"), cache.get("a")], { concurrency: "unbounded" })
      )
      yield* TestClock.adjust("100 millis")
      expect(yield* Fiber.join(all)).toEqual(["value:a", "value:a", "value:a"])
      expect(counts.runs).toBe(1)
      expect(yield* cache.stats).toEqual({ hits: 0, misses: 3, loads: 1, evictions: 0, size: 1 })
      expect(yield* cache.get("a")).toBe("value:a")
      expect((yield* cache.stats).hits).toBe(1)
    })
  )

  it.scoped("the first caller's interruption does not cancel the lookup others wait for (unlike Effect's Cache)", () =>
    Effect.gen(function* () {
      const { counts, lookup } = slowLookup()
      const cache = yield* AsyncCache.make({ lookup })
      const first = yield* Effect.fork(cache.get("a"))
      yield* Effect.yieldNow()
      const second = yield* Effect.fork(cache.get("a"))
      yield* TestClock.adjust("50 millis")
      yield* Fiber.interrupt(first)
      yield* TestClock.adjust("50 millis")
      expect(yield* Fiber.join(second)).toBe("value:a")
      expect(counts).toEqual({ runs: 1, interrupted: 0 })
      expect((yield* cache.stats).loads).toBe(1)
    })
  )

  it.scoped("contrast: with Effect's Cache the first caller's interruption kills the load for everyone", () =>
    Effect.gen(function* () {
      const { lookup } = slowLookup()
      const cache = yield* Cache.make({ capacity: 10, timeToLive: Duration.infinity, lookup })
      const first = yield* Effect.fork(cache.get("a"))
      yield* Effect.yieldNow()
      const second = yield* Effect.fork(cache.get("a"))
      yield* TestClock.adjust("50 millis")
      yield* Fiber.interrupt(first)
      yield* TestClock.adjust("50 millis")
      expect(Exit.isInterrupted(yield* Fiber.await(second))).toBe(true)
    })
  )

  it.scoped("when every waiter has left, the lookup is interrupted and nothing is cached", () =>
    Effect.gen(function* () {
      const { counts, lookup } = slowLookup()
      const cache = yield* AsyncCache.make({ lookup })
      const a = yield* Effect.fork(cache.get("k"))
      const b = yield* Effect.fork(cache.get("k"))
      yield* TestClock.adjust("50 millis")
      yield* Fiber.interrupt(a)
      expect(counts.interrupted).toBe(0)
      yield* Fiber.interrupt(b)
      expect(counts.interrupted).toBe(1)
      expect((yield* cache.stats).size).toBe(0)
      const again = yield* Effect.fork(cache.get("k"))
      yield* TestClock.adjust("100 millis")
      expect(yield* Fiber.join(again)).toBe("value:k")
      expect((yield* cache.stats).loads).toBe(2)
    })
  )

  it.scoped("interrupting a waiter leaks nothing: no fiber remains once the cache's scope closes", () =>
    Effect.gen(function* () {
      const supervisor = yield* Supervisor.track
      const { counts, lookup } = slowLookup()
      yield* Effect.gen(function* () {
        const scope = yield* Scope.make()
        const cache = yield* AsyncCache.make({ lookup }).pipe(Scope.extend(scope))
        const waiters = yield* Effect.forEach(["a", "a", "b"], (k) => Effect.fork(cache.get(k)))
        yield* Effect.yieldNow()
        yield* Fiber.interruptAll(waiters)
        const running = yield* Effect.fork(cache.get("c"))
        yield* Effect.yieldNow()
        yield* Scope.close(scope, Exit.void)
        expect(Exit.isInterrupted(yield* Fiber.await(running))).toBe(true)
        expect(Exit.isInterrupted(yield* Effect.exit(cache.get("d")))).toBe(true)
      }).pipe(Effect.supervised(supervisor))
      expect(counts.interrupted).toBe(3)
      expect((yield* supervisor.value).filter((f) => f.unsafePoll() === null)).toEqual([])
    })
  )

  it.scoped("closing the cache's scope interrupts running lookups", () =>
    Effect.gen(function* () {
      const { counts, lookup } = slowLookup(1000)
      const scope = yield* Scope.make()
      const cache = yield* AsyncCache.make({ lookup }).pipe(Scope.extend(scope))
      const waiter = yield* Effect.fork(cache.get("a"))
      yield* Effect.yieldNow()
      yield* Scope.close(scope, Exit.void)
      expect(counts.interrupted).toBe(1)
      expect(Exit.isInterrupted(yield* Fiber.await(waiter))).toBe(true)
    })
  )

  it.scoped("lookups run with the services the cache was made with, not the caller's", () =>
    Effect.gen(function* () {
      class Prefix extends Context.Tag("Prefix")<Prefix, string>() {}
      const cache = yield* AsyncCache.make({
        lookup: (key: string) => Effect.map(Prefix, (prefix) => `${prefix}${key}`)
      }).pipe(Effect.provideService(Prefix, "made-with:"))
      const value = yield* cache.get("x").pipe(Effect.provideService(Prefix, "caller:"))
      expect(value).toBe("made-with:x")
    })
  )

  it.scoped("failures are not cached by default: the next get looks up again", () =>
    Effect.gen(function* () {
      let runs = 0
      const cache = yield* AsyncCache.make({
        lookup: (key: string) => Effect.suspend(() => (++runs === 1 ? Effect.fail("boom") : Effect.succeed(key)))
      })
      expect(yield* Effect.flip(cache.get("a"))).toBe("boom")
      expect(yield* cache.get("a")).toBe("a")
      expect(runs).toBe(2)
    })
  )

  it.scoped("with cacheFailures, a failure is cached and expires like a value", () =>
    Effect.gen(function* () {
      let runs = 0
      const cache = yield* AsyncCache.make({
        lookup: (_: string) => Effect.suspend(() => Effect.fail(`boom${++runs}`)),
        cacheFailures: true,
        timeToLive: "1 minute"
      })
      expect(yield* Effect.flip(cache.get("a"))).toBe("boom1")
      expect(yield* Effect.flip(cache.get("a"))).toBe("boom1")
      yield* TestClock.adjust("1 minute")
      expect(yield* Effect.flip(cache.get("a"))).toBe("boom2")
    })
  )

  it.scoped("timeToLive: a stored value expires by the clock and is looked up again", () =>
    Effect.gen(function* () {
      let runs = 0
      const cache = yield* AsyncCache.make({
        lookup: (key: string) => Effect.sync(() => `${key}${++runs}`),
        timeToLive: "10 seconds"
      })
      expect(yield* cache.get("a")).toBe("a1")
      yield* TestClock.adjust("9999 millis")
      expect(yield* cache.get("a")).toBe("a1")
      yield* TestClock.adjust("1 millis")
      expect(yield* cache.get("a")).toBe("a2")
      expect((yield* cache.stats).evictions).toBe(1)
    })
  )

  it.scoped("stats drop expired entries before counting size", () =>
    Effect.gen(function* () {
      const cache = yield* AsyncCache.make({ lookup: (n: number) => Effect.succeed(n), timeToLive: "1 second" })
      yield* Effect.forEach([1, 2, 3], cache.get)
      expect((yield* cache.stats).size).toBe(3)
      yield* TestClock.adjust("1 second")
      expect(yield* cache.stats).toMatchObject({ size: 0, evictions: 3 })
    })
  )

  it.scoped("capacity: the least recently used entry is evicted", () =>
    Effect.gen(function* () {
      let runs = 0
      const cache = yield* AsyncCache.make({
        lookup: (key: string) => Effect.sync(() => `${key}${++runs}`),
        capacity: 2
      })
      yield* cache.get("a")
      yield* cache.get("b")
      yield* cache.get("a") // a is now more recent than b
      yield* cache.get("c") // evicts b
      expect(yield* cache.stats).toEqual({ hits: 1, misses: 3, loads: 3, evictions: 1, size: 2 })
      expect(yield* cache.get("a")).toBe("a1")
      expect(yield* cache.get("c")).toBe("c3")
      expect(yield* cache.get("b")).toBe("b4")
    })
  )

  it.scoped("keys compare with Equal: structurally equal Data keys share an entry", () =>
    Effect.gen(function* () {
      let runs = 0
      const cache = yield* AsyncCache.make({
        lookup: (key: { readonly host: string; readonly port: number }) =>
          Effect.sync(() => `${key.host}:${key.port}#${++runs}`)
      })
      expect(yield* cache.get(Data.struct({ host: "h", port: 1 }))).toBe("h:1#1")
      expect(yield* cache.get(Data.struct({ host: "h", port: 1 }))).toBe("h:1#1")
      expect(yield* cache.get(Data.struct({ host: "h", port: 2 }))).toBe("h:2#2")
      yield* cache.invalidate(Data.struct({ host: "h", port: 1 }))
      expect(yield* cache.get(Data.struct({ host: "h", port: 1 }))).toBe("h:1#3")
      expect((yield* cache.stats).size).toBe(2)
    })
  )

  it.scoped("invalidate forgets a key; a lookup in flight still answers its waiters but is not stored", () =>
    Effect.gen(function* () {
      const { counts, lookup } = slowLookup()
      const cache = yield* AsyncCache.make({ lookup })
      const waiter = yield* Effect.fork(cache.get("a"))
      yield* Effect.yieldNow()
      yield* cache.invalidate("a")
      yield* TestClock.adjust("100 millis")
      expect(yield* Fiber.join(waiter)).toBe("value:a")
      expect((yield* cache.stats).size).toBe(0)
      const next = yield* Effect.fork(cache.get("a"))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(next)
      expect(counts.runs).toBe(2)
      yield* cache.invalidateAll
      expect((yield* cache.stats).size).toBe(0)
    })
  )

  it.scoped("a lookup's defect reaches every waiter and is not cached", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const cache = yield* AsyncCache.make({
        lookup: (_: string) => Effect.zipRight(Deferred.await(gate), Effect.die("bug"))
      })
      const waiters = yield* Effect.forEach([1, 2], () => Effect.fork(cache.get("a")))
      yield* Effect.yieldNow()
      yield* Deferred.succeed(gate, undefined)
      for (const w of waiters) {
        const exit = yield* Fiber.await(w)
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      }
      expect((yield* cache.stats).size).toBe(0)
    })
  )

  it.scoped("bad options die with IllegalArgumentException naming the option", () =>
    Effect.gen(function* () {
      const lookup = (n: number) => Effect.succeed(n)
      for (const capacity of [0, -3, 2.5, Number.NaN]) {
        expect(illegalMessage(yield* Effect.exit(AsyncCache.make({ lookup, capacity })))).toContain("capacity")
      }
      for (const timeToLive of [
        -1,
        Number.NaN,
        "forever",
        "-5 millis",
        [-1, 0]
      ] as ReadonlyArray<unknown> as ReadonlyArray<never>) {
        expect(illegalMessage(yield* Effect.exit(AsyncCache.make({ lookup, timeToLive })))).toContain("timeToLive")
      }
    })
  )
})
