import { inspect } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { AsyncCache, AsyncLazy, AsyncLock, AsyncQueue, KeyedLimiter } from "../src/index.js"

// Every data structure: a type id, an `isX` guard, and a readable `toJSON` / `toString` / `util.inspect`.
describe("data structure identity", () => {
  it.effect("each guard recognises its own kind only", () =>
    Effect.gen(function* () {
      const values = {
        cache: yield* AsyncCache.make({ lookup: (n: number) => Effect.succeed(n) }),
        lazy: yield* AsyncLazy.make(Effect.succeed(1)),
        lock: yield* AsyncLock.make(),
        queue: yield* AsyncQueue.make<number>(),
        limiter: yield* KeyedLimiter.make<string>({ perKey: 1 })
      }
      const guards = [
        AsyncCache.isAsyncCache,
        AsyncLazy.isAsyncLazy,
        AsyncLock.isAsyncLock,
        AsyncQueue.isAsyncQueue,
        KeyedLimiter.isKeyedLimiter
      ]
      const all = Object.values(values)
      guards.forEach((guard, i) => {
        expect(all.map((v) => guard(v))).toEqual(all.map((_, j) => j === i))
        expect([guard(null), guard({}), guard(Effect.void)]).toEqual([false, false, false])
      })
      expect(
        new Set([AsyncCache.TypeId, AsyncLazy.TypeId, AsyncLock.TypeId, AsyncQueue.TypeId, KeyedLimiter.TypeId]).size
      ).toBe(5)
      expect(AsyncCache.TypeId).toBe(Symbol.for("@tapestry/core/AsyncCache"))
    }).pipe(Effect.scoped)
  )

  it.effect("AsyncCache.toJSON shows counts and settings, never keys or values", () =>
    Effect.gen(function* () {
      const cache = yield* AsyncCache.make({
        lookup: (key: string) => Effect.succeed(`secret of ${key}`),
        capacity: 10,
        timeToLive: "1 minute"
      })
      yield* cache.get("k")
      yield* cache.get("k")
      expect(cache.toJSON()).toEqual({
        _id: "AsyncCache",
        size: 1,
        capacity: 10,
        timeToLive: 60_000,
        hits: 1,
        misses: 1,
        loads: 1,
        evictions: 0
      })
      expect(String(cache)).not.toContain("secret")
      expect(inspect(cache)).toContain("AsyncCache")
      const unbounded = yield* AsyncCache.make({ lookup: (n: number) => Effect.succeed(n) })
      expect(unbounded.toJSON()).toMatchObject({ capacity: "Infinity", timeToLive: "Infinity" })
    }).pipe(Effect.scoped)
  )

  it.effect("AsyncLazy.toJSON goes idle → running → done with the exit", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const lazy = yield* AsyncLazy.make(Effect.as(Deferred.await(gate), 42))
      expect(lazy.toJSON()).toEqual({ _id: "AsyncLazy", state: "idle", retryOnFailure: false })
      const waiter = yield* Effect.fork(lazy.get)
      yield* Effect.yieldNow()
      expect(lazy.toJSON()).toMatchObject({ state: "running" })
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(waiter)).toBe(42)
      expect(lazy.toJSON()).toMatchObject({ state: "done", exit: { _id: "Exit", _tag: "Success", value: 42 } })
      expect(String(lazy)).toContain('"state": "done"')
    }).pipe(Effect.scoped)
  )

  it.effect("AsyncLock.toJSON shows whether it is held and how many wait", () =>
    Effect.gen(function* () {
      const lock = yield* AsyncLock.make()
      const gate = yield* Deferred.make<void>()
      const holder = yield* Effect.fork(lock.withLock(Deferred.await(gate)))
      yield* Effect.yieldNow()
      const waiter = yield* Effect.fork(lock.withLock(Effect.void))
      yield* Effect.yieldNow()
      expect(lock.toJSON()).toEqual({ _id: "AsyncLock", locked: true, waiting: 1 })
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(holder)
      yield* Fiber.join(waiter)
      expect(inspect(lock)).toContain("locked: false")
    })
  )

  it.effect("AsyncQueue.toJSON shows size, capacity and waiters, never the items", () =>
    Effect.gen(function* () {
      const queue = yield* AsyncQueue.make<string>({ capacity: 1 })
      yield* queue.add("secret")
      const adder = yield* Effect.fork(queue.add("another"))
      yield* Effect.yieldNow()
      expect(queue.toJSON()).toEqual({
        _id: "AsyncQueue",
        size: 1,
        capacity: 1,
        completed: false,
        waitingTakers: 0,
        waitingAdders: 1
      })
      expect(String(queue)).not.toContain("secret")
      yield* Fiber.interrupt(adder)
    })
  )

  it.effect("KeyedLimiter.toJSON shows caps and use, never the keys", () =>
    Effect.gen(function* () {
      const limiter = yield* KeyedLimiter.make<string>({ perKey: 1 })
      const gate = yield* Deferred.make<void>()
      const holder = yield* Effect.fork(limiter.withPermit("secret-host", Deferred.await(gate)))
      yield* Effect.yieldNow()
      const waiter = yield* Effect.fork(limiter.withPermit("secret-host", Effect.void))
      yield* Effect.yieldNow()
      expect(limiter.toJSON()).toEqual({
        _id: "KeyedLimiter",
        perKey: 1,
        total: "Infinity",
        active: 1,
        waiting: 1,
        keys: 1
      })
      expect(String(limiter)).not.toContain("secret-host")
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(holder)
      yield* Fiber.join(waiter)
    })
  )
})
