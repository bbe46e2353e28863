import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Either, Exit, Fiber, FastCheck as fc, TestClock } from "effect"
import { CircuitBreaker } from "../src/index.js"
import { illegalMessage } from "./utils.js"

/** A protected call that records whether it ran. */
const counted = (ran: { n: number }, effect: Effect.Effect<string, string>) =>
  Effect.suspend(() => {
    ran.n++
    return effect
  })

const openBreaker = (failureThreshold = 2, resetAfter: Duration.DurationInput = "1 minute") =>
  Effect.gen(function* () {
    const breaker = yield* CircuitBreaker.make({ failureThreshold, resetAfter })
    for (let i = 0; i < failureThreshold; i++) yield* Effect.either(breaker.protect(Effect.fail("boom")))
    expect(yield* breaker.state).toBe("open")
    return breaker
  })

describe("CircuitBreaker", () => {
  it.effect("opens after failureThreshold consecutive failures and then fails fast without running the effect", () =>
    Effect.gen(function* () {
      const breaker = yield* CircuitBreaker.make({ failureThreshold: 3, resetAfter: "10 seconds" })
      const ran = { n: 0 }
      for (let i = 0; i < 3; i++) {
        expect(yield* Effect.either(breaker.protect(counted(ran, Effect.fail("503"))))).toEqual(Either.left("503"))
      }
      yield* TestClock.adjust("4 seconds")
      const fast = yield* Effect.either(breaker.protect(counted(ran, Effect.succeed("ok"))))
      expect(ran.n).toBe(3)
      expect(Either.isLeft(fast) && fast.left).toBeInstanceOf(CircuitBreaker.CircuitOpen)
      // retryAfter: what is left of resetAfter
      expect(Either.isLeft(fast) && Duration.toMillis((fast.left as CircuitBreaker.CircuitOpen).retryAfter)).toBe(6_000)
    })
  )

  it.effect("a success while closed resets the count of consecutive failures", () =>
    Effect.gen(function* () {
      const breaker = yield* CircuitBreaker.make({ failureThreshold: 2, resetAfter: "1 second" })
      yield* Effect.either(breaker.protect(Effect.fail("a")))
      yield* breaker.protect(Effect.succeed("ok"))
      yield* Effect.either(breaker.protect(Effect.fail("b")))
      expect(yield* breaker.state).toBe("closed")
      yield* Effect.either(breaker.protect(Effect.fail("c")))
      expect(yield* breaker.state).toBe("open")
    })
  )

  it.effect(
    "after resetAfter it is half-open: one trial runs, the others get CircuitOpen, a good trial closes it",
    () =>
      Effect.gen(function* () {
        const breaker = yield* openBreaker()
        yield* TestClock.adjust("1 minute")
        expect(yield* breaker.state).toBe("half-open")
        const gate = yield* Deferred.make<void>()
        const trial = yield* Effect.fork(breaker.protect(Effect.as(Deferred.await(gate), "trial")))
        yield* Effect.yieldNow()
        const other = yield* Effect.either(breaker.protect(Effect.succeed("other")))
        expect(Either.isLeft(other) && Duration.toMillis((other.left as CircuitBreaker.CircuitOpen).retryAfter)).toBe(0)
        yield* Deferred.succeed(gate, undefined)
        expect(yield* Fiber.join(trial)).toBe("trial")
        expect(yield* breaker.state).toBe("closed")
        expect(yield* breaker.protect(Effect.succeed("again"))).toBe("again")
      })
  )

  it.effect("a failed trial opens it again for another resetAfter", () =>
    Effect.gen(function* () {
      const breaker = yield* openBreaker(1, "30 seconds")
      yield* TestClock.adjust("30 seconds")
      expect(yield* Effect.either(breaker.protect(Effect.fail("still down")))).toEqual(Either.left("still down"))
      expect(yield* breaker.state).toBe("open")
      yield* TestClock.adjust("29 seconds")
      expect(yield* breaker.state).toBe("open")
      yield* TestClock.adjust("1 second")
      expect(yield* breaker.state).toBe("half-open")
    })
  )

  it.effect("halfOpenCalls trial calls may run at once", () =>
    Effect.gen(function* () {
      const breaker = yield* CircuitBreaker.make({ failureThreshold: 1, resetAfter: "1 second", halfOpenCalls: 2 })
      yield* Effect.either(breaker.protect(Effect.fail("down")))
      yield* TestClock.adjust("1 second")
      const gate = yield* Deferred.make<void>()
      let started = 0
      const trial = breaker.protect(
        Effect.zipRight(
          Effect.sync(() => started++),
          Deferred.await(gate)
        )
      )
      const trials = yield* Effect.fork(Effect.all([trial, trial], { concurrency: "unbounded" }))
      while (started < 2) yield* Effect.yieldNow()
      expect(Either.isLeft(yield* Effect.either(breaker.protect(Effect.void)))).toBe(true)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(trials)
      expect(yield* breaker.state).toBe("closed")
    })
  )

  it.effect("defects and interruptions never count, and an interrupted trial frees its place", () =>
    Effect.gen(function* () {
      const breaker = yield* CircuitBreaker.make({ failureThreshold: 1, resetAfter: "1 second" })
      yield* Effect.exit(breaker.protect(Effect.die("bug")))
      const hung = yield* Effect.fork(breaker.protect(Effect.never))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(hung)
      expect(yield* breaker.state).toBe("closed")

      yield* Effect.either(breaker.protect(Effect.fail("down")))
      yield* TestClock.adjust("1 second")
      const trial = yield* Effect.fork(breaker.protect(Effect.never))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(trial)
      expect(yield* breaker.state).toBe("half-open")
      expect(yield* breaker.protect(Effect.succeed("next trial"))).toBe("next trial")
      expect(yield* breaker.state).toBe("closed")
    })
  )

  it.effect("isFailure chooses which typed failures count", () =>
    Effect.gen(function* () {
      const breaker = yield* CircuitBreaker.make<number>({
        failureThreshold: 1,
        resetAfter: "1 second",
        isFailure: (status) => status >= 500
      })
      yield* Effect.either(breaker.protect(Effect.fail(404)))
      expect(yield* breaker.state).toBe("closed")
      yield* Effect.either(breaker.protect(Effect.fail(503)))
      expect(yield* breaker.state).toBe("open")
    })
  )

  it.effect("an outcome that arrives after the state it started in has been left changes nothing", () =>
    Effect.gen(function* () {
      const breaker = yield* CircuitBreaker.make({ failureThreshold: 1, resetAfter: "1 second" })
      const gate = yield* Deferred.make<void>()
      // started while closed, succeeds after the breaker opened: must not close it
      const slow = yield* Effect.fork(breaker.protect(Deferred.await(gate)))
      yield* Effect.yieldNow()
      yield* Effect.either(breaker.protect(Effect.fail("down")))
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(slow)
      expect(yield* breaker.state).toBe("open")
    })
  )

  it.effect("bad options die with an IllegalArgumentException naming the option and the value", () =>
    Effect.gen(function* () {
      const bad = (options: unknown) =>
        Effect.exit(CircuitBreaker.make(options as CircuitBreaker.Options)).pipe(Effect.map(illegalMessage))
      expect(yield* bad({ failureThreshold: 0, resetAfter: "1 second" })).toBe(
        "CircuitBreaker.make: failureThreshold must be a positive integer, got 0"
      )
      expect(yield* bad({ failureThreshold: Number.POSITIVE_INFINITY, resetAfter: "1 second" })).toMatch(
        /failureThreshold must be a positive integer, got Infinity/
      )
      expect(yield* bad({ failureThreshold: 1, resetAfter: -5 })).toMatch(/resetAfter must be a finite, non-negative/)
      expect(yield* bad({ failureThreshold: 1 })).toMatch(/resetAfter must be .*got undefined/)
      expect(yield* bad({ failureThreshold: 1, resetAfter: "1 second", halfOpenCalls: 1.5 })).toMatch(
        /halfOpenCalls must be a positive integer, got 1.5/
      )
      expect(yield* bad({ failureThreshold: 1, resetAfter: "1 second", isFailure: "yes" })).toMatch(
        /isFailure must be a function, got "yes"/
      )
      expect(yield* bad(undefined)).toMatch(/CircuitBreaker.make: options must be an options object, got undefined/)
    })
  )

  it.effect("is recognised by isCircuitBreaker and inspects as its state and settings", () =>
    Effect.gen(function* () {
      const breaker = yield* CircuitBreaker.make({ failureThreshold: 2, resetAfter: "1 second" })
      yield* Effect.either(breaker.protect(Effect.fail("x")))
      expect(CircuitBreaker.isCircuitBreaker(breaker)).toBe(true)
      expect(CircuitBreaker.isCircuitBreaker({ protect: () => 1 })).toBe(false)
      expect(breaker.toJSON()).toEqual({
        _id: "CircuitBreaker",
        state: "closed",
        failureThreshold: 2,
        resetAfter: "1s",
        halfOpenCalls: 1,
        consecutiveFailures: 1
      })
    })
  )

  it.effect("an isFailure that throws during a trial frees the trial's place: the breaker does not stick", () =>
    Effect.gen(function* () {
      let throwing = false
      const breaker = yield* CircuitBreaker.make<string>({
        failureThreshold: 1,
        resetAfter: "1 second",
        isFailure: () => {
          if (throwing) throw new Error("isFailure bug")
          return true
        }
      })
      yield* Effect.either(breaker.protect(Effect.fail("down")))
      yield* TestClock.adjust("1 second")
      throwing = true
      const exit = yield* Effect.exit(breaker.protect(Effect.fail("y")))
      expect(Exit.isFailure(exit) && String(exit.cause)).toMatch(/isFailure bug/)
      throwing = false
      expect(yield* breaker.state).toBe("half-open")
      expect(yield* breaker.protect(Effect.succeed("trial"))).toBe("trial")
      expect(yield* breaker.state).toBe("closed")
    })
  )

  it.effect("protect of something that is not an Effect is a defect naming it", () =>
    Effect.gen(function* () {
      const breaker = yield* CircuitBreaker.make({ failureThreshold: 1, resetAfter: "1 second" })
      expect(illegalMessage(yield* Effect.exit(breaker.protect(42 as unknown as Effect.Effect<number>)))).toBe(
        "CircuitBreaker.protect: effect must be an Effect, got 42"
      )
    })
  )

  // The law of the closed state: with sequential calls and no time passing, the breaker opens exactly when
  // `failureThreshold` counted failures have come in a row, and from then on nothing runs.
  it.effect.prop(
    "opens exactly after failureThreshold consecutive counted failures; nothing runs once open",
    [
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.constantFrom("success", "failure", "defect", "ignored"), { maxLength: 30 })
    ],
    ([threshold, outcomes]) =>
      Effect.gen(function* () {
        const breaker = yield* CircuitBreaker.make<string>({
          failureThreshold: threshold,
          resetAfter: "1 minute",
          isFailure: (e) => e !== "ignored"
        })
        let ran = 0
        let streak = 0
        let open = false
        let expectedRuns = 0
        for (const outcome of outcomes) {
          const effect = Effect.suspend(() => {
            ran++
            return outcome === "success"
              ? Effect.succeed("ok")
              : outcome === "defect"
                ? Effect.die("bug")
                : Effect.fail(outcome)
          })
          const exit = yield* Effect.exit(breaker.protect(effect))
          if (open) {
            expect(Exit.isFailure(exit) && exit.toString()).toMatch(/CircuitOpen/)
            continue
          }
          expectedRuns++
          if (outcome === "success") streak = 0
          else if (outcome === "failure" && ++streak >= threshold) open = true
        }
        expect(ran).toBe(expectedRuns)
        expect(yield* breaker.state).toBe(open ? "open" : "closed")
      })
  )
})
