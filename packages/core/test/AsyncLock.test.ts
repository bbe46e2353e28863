import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Supervisor, TestClock } from "effect"
import { AsyncLock } from "../src/index.js"

// The best-practices article: `value = await GetNextValueAsync(value)` run twice concurrently.
const lostUpdate = (guard: <A>(effect: Effect.Effect<A>) => Effect.Effect<A>) =>
  Effect.gen(function* () {
    let value = 0
    const getNextValue = (n: number) => Effect.as(Effect.sleep("10 millis"), n + 1)
    const update = guard(
      Effect.gen(function* () {
        value = yield* getNextValue(value)
      })
    )
    const both = yield* Effect.fork(Effect.all([update, update], { concurrency: "unbounded" }))
    yield* TestClock.adjust("1 second")
    yield* Fiber.join(both)
    return value
  })

describe("AsyncLock", () => {
  it.effect("without a lock, two concurrent read-await-write updates lose one (the article's bug)", () =>
    Effect.gen(function* () {
      expect(yield* lostUpdate((effect) => effect)).toBe(1)
    })
  )

  it.effect("withLock makes the read-await-write updates exclusive: no update is lost", () =>
    Effect.gen(function* () {
      const lock = yield* AsyncLock.make()
      expect(yield* lostUpdate((effect) => lock.withLock(effect))).toBe(2)
    })
  )

  it.effect("waiters enter in arrival order (FIFO)", () =>
    Effect.gen(function* () {
      const lock = yield* AsyncLock.make()
      const order: Array<number> = []
      const fibers = []
      for (let i = 0; i < 5; i++) {
        fibers.push(
          yield* Effect.fork(
            lock.withLock(
              Effect.zipRight(
                Effect.sleep("10 millis"),
                Effect.sync(() => order.push(i))
              )
            )
          )
        )
        yield* Effect.yieldNow()
      }
      yield* TestClock.adjust("1 second")
      yield* Fiber.joinAll(fibers)
      expect(order).toEqual([0, 1, 2, 3, 4])
    })
  )

  it.effect("the lock is released when the effect fails, dies or is interrupted", () =>
    Effect.gen(function* () {
      const lock = yield* AsyncLock.make()
      expect(Exit.isFailure(yield* Effect.exit(lock.withLock(Effect.fail("boom"))))).toBe(true)
      expect(yield* lock.isLocked).toBe(false)
      expect(Exit.isFailure(yield* Effect.exit(lock.withLock(Effect.die("bug"))))).toBe(true)
      expect(yield* lock.isLocked).toBe(false)
      const holder = yield* Effect.fork(lock.withLock(Effect.never))
      yield* Effect.yieldNow()
      expect(yield* lock.isLocked).toBe(true)
      yield* Fiber.interrupt(holder)
      expect(yield* lock.isLocked).toBe(false)
    })
  )

  it.effect("interrupting a waiter leaks nothing: it never runs, and the next waiter gets the lock", () =>
    Effect.gen(function* () {
      const lock = yield* AsyncLock.make()
      const ran: Array<string> = []
      const holder = yield* Effect.fork(lock.withLock(Effect.sleep("10 millis")))
      yield* Effect.yieldNow()
      const interrupted = yield* Effect.fork(lock.withLock(Effect.sync(() => ran.push("interrupted"))))
      const next = yield* Effect.fork(lock.withLock(Effect.sync(() => ran.push("next"))))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(interrupted)
      yield* TestClock.adjust("10 millis")
      yield* Fiber.join(holder)
      yield* Fiber.join(next)
      expect(ran).toEqual(["next"])
      expect(yield* lock.isLocked).toBe(false)
    })
  )

  it.effect("a waiter interrupted as the lock is handed to it passes the lock on", () =>
    Effect.gen(function* () {
      const lock = yield* AsyncLock.make()
      const supervisor = yield* Supervisor.track
      const ran: Array<string> = []
      yield* Effect.gen(function* () {
        const holder = yield* Effect.fork(lock.withLock(Effect.sleep("10 millis")))
        yield* Effect.yieldNow()
        const waiter = yield* Effect.fork(lock.withLock(Effect.sync(() => ran.push("waiter"))))
        const after = yield* Effect.fork(lock.withLock(Effect.sync(() => ran.push("after"))))
        yield* Effect.yieldNow()
        // release the holder and interrupt the waiter in the same tick
        yield* TestClock.adjust("10 millis")
        yield* Fiber.interrupt(waiter)
        yield* Fiber.join(holder)
        yield* Fiber.join(after)
      }).pipe(Effect.supervised(supervisor))
      expect(ran).toContain("after")
      expect(yield* lock.isLocked).toBe(false)
      expect((yield* supervisor.value).filter((f) => f.unsafePoll() === null)).toEqual([])
    })
  )
})
