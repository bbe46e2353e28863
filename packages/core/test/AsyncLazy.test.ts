import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Scope, Supervisor, TestClock } from "effect"
import { AsyncLazy } from "../src/index.js"

const counted = <A, E>(effect: Effect.Effect<A, E>) => {
  const counts = { runs: 0, interrupted: 0 }
  const run = Effect.suspend(() => {
    counts.runs++
    return effect
  }).pipe(Effect.onInterrupt(() => Effect.sync(() => counts.interrupted++)))
  return { counts, run }
}

describe("AsyncLazy", () => {
  it.scoped("get runs the effect once; concurrent and later callers share the result", () =>
    Effect.gen(function* () {
      const { counts, run } = counted(Effect.as(Effect.sleep("1 second"), "value"))
      const lazy = yield* AsyncLazy.make(run)
      expect(counts.runs).toBe(0) // lazy: nothing runs before the first get
      const all = yield* Effect.fork(Effect.all([lazy.get, lazy.get, lazy.get], { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(all)).toEqual(["value", "value", "value"])
      expect(yield* lazy.get).toBe("value")
      expect(counts.runs).toBe(1)
    })
  )

  it.scoped("a failure is remembered by default", () =>
    Effect.gen(function* () {
      const { counts, run } = counted(Effect.fail("boom"))
      const lazy = yield* AsyncLazy.make(run)
      expect(yield* Effect.flip(lazy.get)).toBe("boom")
      expect(yield* Effect.flip(lazy.get)).toBe("boom")
      expect(counts.runs).toBe(1)
    })
  )

  it.scoped("with retryOnFailure a failure is forgotten: the next get runs the effect again", () =>
    Effect.gen(function* () {
      let attempt = 0
      const lazy = yield* AsyncLazy.make(
        Effect.suspend(() => (++attempt < 3 ? Effect.fail(`attempt ${attempt}`) : Effect.succeed("ok"))),
        { retryOnFailure: true }
      )
      expect(yield* Effect.flip(lazy.get)).toBe("attempt 1")
      expect(yield* Effect.flip(lazy.get)).toBe("attempt 2")
      expect(yield* lazy.get).toBe("ok")
      expect(yield* lazy.get).toBe("ok")
      expect(attempt).toBe(3)
    })
  )

  it.scoped("the first caller's interruption does not cancel the shared run", () =>
    Effect.gen(function* () {
      const { counts, run } = counted(Effect.as(Effect.sleep("1 second"), 1))
      const lazy = yield* AsyncLazy.make(run)
      const first = yield* Effect.fork(lazy.get)
      const second = yield* Effect.fork(lazy.get)
      yield* TestClock.adjust("500 millis")
      yield* Fiber.interrupt(first)
      yield* TestClock.adjust("500 millis")
      expect(yield* Fiber.join(second)).toBe(1)
      expect(counts).toEqual({ runs: 1, interrupted: 0 })
    })
  )

  it.scoped("interrupting every waiter leaks nothing: the run is interrupted and not memoised", () =>
    Effect.gen(function* () {
      const supervisor = yield* Supervisor.track
      const { counts, run } = counted(Effect.as(Effect.sleep("1 second"), 1))
      const lazy = yield* AsyncLazy.make(run)
      yield* Effect.gen(function* () {
        const waiters = yield* Effect.forEach([1, 2], () => Effect.fork(lazy.get))
        yield* Effect.yieldNow()
        yield* Fiber.interruptAll(waiters)
      }).pipe(Effect.supervised(supervisor))
      expect(counts).toEqual({ runs: 1, interrupted: 1 })
      expect((yield* supervisor.value).filter((f) => f.unsafePoll() === null)).toEqual([])
      const again = yield* Effect.fork(lazy.get)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(again)).toBe(1)
      expect(counts.runs).toBe(2)
    })
  )

  it.scoped("closing the lazy value's scope interrupts a run in progress", () =>
    Effect.gen(function* () {
      const { counts, run } = counted(Effect.never)
      const scope = yield* Scope.make()
      const lazy = yield* AsyncLazy.make(run).pipe(Scope.extend(scope))
      const waiter = yield* Effect.fork(lazy.get)
      yield* Effect.yieldNow()
      yield* Scope.close(scope, Exit.void)
      expect(counts.interrupted).toBe(1)
      expect(Exit.isInterrupted(yield* Fiber.await(waiter))).toBe(true)
    })
  )
})
