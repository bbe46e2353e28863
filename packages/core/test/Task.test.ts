import { describe, expect, it } from "@effect/vitest"
import {
  Cause,
  Chunk,
  Data,
  Deferred,
  Duration,
  Effect,
  Exit,
  Fiber,
  Logger,
  LogLevel,
  Option,
  Schedule,
  Scope,
  Stream,
  Supervisor,
  TestClock
} from "effect"
import * as fc from "effect/FastCheck"
import { pipe } from "effect/Function"
import { RetriesExhausted, Task, TaskFailures, TimeoutError } from "../src/index.js"
import { illegalMessage } from "./utils.js"

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/** Records the start and end of every child, and how many were alive at most. */
const recorder = () => {
  const events: Array<string> = []
  const started = new Set<string>()
  const ended = new Set<string>()
  let alive = 0
  let maxAlive = 0
  const child = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      events.push(`start ${name}`)
      started.add(name)
      alive++
      maxAlive = Math.max(maxAlive, alive)
      return effect
    }).pipe(
      Effect.onExit((exit) =>
        Effect.sync(() => {
          alive--
          ended.add(name)
          events.push(`${Exit.isInterrupted(exit) ? "interrupted" : "end"} ${name}`)
        })
      )
    )
  return {
    events,
    child,
    started,
    ended,
    /** Started but not ended. */
    running: () => [...started].filter((n) => !ended.has(n)),
    maxAlive: () => maxAlive
  }
}

/** Runs `self` under `Supervisor.track` and asserts no fiber it started is left running. */
const supervised = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<Exit.Exit<A, E>, never, R> =>
  Effect.gen(function* () {
    const supervisor = yield* Supervisor.track
    const exit = yield* Effect.exit(Effect.supervised(self, supervisor))
    const left = (yield* supervisor.value).filter((f) => f.unsafePoll() === null)
    expect(left.length).toBe(0)
    return exit
  })

/** Yields until `done()` holds (for fibers started on the scheduler). */
const eventually = (done: () => boolean): Effect.Effect<void> =>
  Effect.suspend(() => (done() ? Effect.void : Effect.zipRight(Effect.yieldNow(), eventually(done))))

const sleepThen = <A>(ms: number, a: A): Effect.Effect<A> => Effect.as(Effect.sleep(Duration.millis(ms)), a)
const sleepFail = <E>(ms: number, e: E): Effect.Effect<never, E> =>
  Effect.zipRight(Effect.sleep(Duration.millis(ms)), Effect.fail(e))

const failuresOf = <E>(exit: Exit.Exit<unknown, TaskFailures<E>>) => {
  if (Exit.isSuccess(exit)) return undefined
  const f = Cause.failureOption(exit.cause)
  return Option.isSome(f) ? f.value.failures : undefined
}

/** Captures log lines (message and annotations) while `self` runs. */
const withLogs = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const logs: Array<{ message: unknown; level: string; annotations: Record<string, unknown>; cause: string }> = []
    const logger = Logger.make(({ message, logLevel, annotations, cause }) => {
      const ann: Record<string, unknown> = {}
      for (const [k, v] of annotations) ann[k] = v
      logs.push({
        message: Array.isArray(message) ? message[0] : message,
        level: logLevel.label,
        annotations: ann,
        cause: Cause.pretty(cause)
      })
    })
    return Effect.map(Effect.provide(self, Logger.add(logger)), (a) => ({ result: a, logs }))
  })

const badConcurrencies: ReadonlyArray<number> = [0, -1, Number.NaN, 1.5]

// ---------------------------------------------------------------------------------------------
// whenAll
// ---------------------------------------------------------------------------------------------

/** A combinator over an input that yields one never-ending child and then throws: it dies with that defect
 * and interrupts the child it started. */
const throwingInputIsADefect = (
  combinator: (tasks: Iterable<Effect.Effect<never>>) => Effect.Effect<unknown, unknown>
) =>
  Effect.gen(function* () {
    const rec = recorder()
    function* gen() {
      yield rec.child("0", Effect.never)
      throw new Error("bad input")
    }
    const exit = yield* Effect.exit(combinator(gen()))
    expect(Exit.isFailure(exit) && Cause.defects(exit.cause).pipe(Chunk.size)).toBe(1)
    expect(rec.running()).toEqual([])
  })

describe("Task.whenAll", () => {
  it.effect("succeeds with results in input order for tuples, iterables and records (by key)", () =>
    Effect.gen(function* () {
      const tuple = yield* Effect.fork(Task.whenAll([sleepThen(30, 1), sleepThen(10, "two"), sleepThen(20, true)]))
      function* gen() {
        yield sleepThen(20, "a")
        yield sleepThen(10, "b")
      }
      const iterable = yield* Effect.fork(Task.whenAll(gen(), { concurrency: 1 }))
      const record = yield* Effect.fork(Task.whenAll({ x: sleepThen(20, 1), y: sleepThen(5, "y") }))
      yield* TestClock.adjust(100)
      expect(yield* Fiber.join(tuple)).toEqual([1, "two", true])
      expect(yield* Fiber.join(iterable)).toEqual(["a", "b"])
      expect(yield* Fiber.join(record)).toEqual({ x: 1, y: "y" })
    })
  )

  it.effect("empty inputs succeed with empty results", () =>
    Effect.gen(function* () {
      expect(yield* Task.whenAll([])).toEqual([])
      expect(yield* Task.whenAll({})).toEqual({})
      expect(yield* Task.whenAll(new Set<Effect.Effect<number>>())).toEqual([])
    })
  )

  it.effect("waits for all, then fails with every failure in index order (not completion order)", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const fiber = yield* Effect.fork(
        Task.whenAll([
          rec.child("0", sleepFail(30, "e0")),
          rec.child("1", sleepThen(50, 1)),
          rec.child("2", sleepFail(10, "e2"))
        ])
      )
      yield* TestClock.adjust(20)
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust(100)
      const exit = yield* Fiber.await(fiber)
      expect(failuresOf(exit)).toEqual([
        { index: 0, error: "e0" },
        { index: 2, error: "e2" }
      ])
      expect(rec.events).toContain("end 1")
    })
  )

  it.effect("record failures carry the key and the position in Object.keys order", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Task.whenAll({ a: Effect.succeed(1), b: Effect.fail("eb"), c: Effect.fail("ec") }, { concurrency: 2 })
      )
      expect(failuresOf(exit)).toEqual([
        { index: 1, key: "b", error: "eb" },
        { index: 2, key: "c", error: "ec" }
      ])
    })
  )

  it.effect("defects and interruptions stay in the Cause beside TaskFailures", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Task.whenAll([Effect.fail("e0"), Effect.die("boom"), Effect.interrupt, Effect.succeed(3)])
      )
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        expect(Cause.defects(exit.cause).pipe(Chunk.toArray)).toEqual(["boom"])
        expect(Cause.isInterrupted(exit.cause)).toBe(true)
        expect(failuresOf(exit)).toEqual([{ index: 0, error: "e0" }])
      }
    })
  )

  it.effect("never runs more than `concurrency` children at once, and pulls the input lazily", () =>
    Effect.gen(function* () {
      const rec = recorder()
      let pulled = 0
      function* gen() {
        for (let i = 0; i < 10; i++) {
          pulled++
          yield rec.child(String(i), sleepThen(10, i))
        }
      }
      const fiber = yield* Effect.fork(Task.whenAll(gen(), { concurrency: 3 }))
      yield* Effect.yieldNow()
      expect(pulled).toBe(3)
      yield* TestClock.adjust(200)
      expect(yield* Fiber.join(fiber)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
      expect(rec.maxAlive()).toBe(3)
    })
  )

  for (const concurrency of ["unbounded", 2] as const) {
    it.effect(`interrupting it half-way interrupts and awaits every running child (concurrency ${concurrency})`, () =>
      Effect.gen(function* () {
        const rec = recorder()
        const tasks = [0, 1, 2, 3].map((i) => rec.child(String(i), sleepThen(10 + i * 100, i)))
        const exit = yield* supervised(
          Effect.gen(function* () {
            const fiber = yield* Effect.fork(Task.whenAll(tasks, { concurrency }))
            yield* TestClock.adjust(50)
            yield* Fiber.interrupt(fiber)
            expect(rec.running()).toEqual([])
            return yield* Fiber.await(fiber)
          })
        )
        expect(Exit.isSuccess(exit) && Exit.isInterrupted(exit.value)).toBe(true)
        expect(rec.events).toContain("end 0")
        expect(rec.events).toContain("interrupted 1")
      })
    )
  }

  it.effect("leaves no fiber behind on success or failure (Supervisor.track)", () =>
    Effect.gen(function* () {
      yield* supervised(Task.whenAll([Effect.succeed(1), Effect.yieldNow()]))
      yield* supervised(Task.whenAll([Effect.fail(1), Effect.yieldNow()], { concurrency: 1 }))
    })
  )

  for (const concurrency of ["unbounded", 1] as const) {
    it.effect(`children see the caller's FiberRefs: logger annotations, TestClock (concurrency ${concurrency})`, () =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(
          withLogs(
            Effect.annotateLogs(
              Task.whenAll([Effect.zipRight(Effect.sleep("1 hour"), Effect.logInfo("child"))], { concurrency }),
              { request: "r1" }
            )
          )
        )
        yield* TestClock.adjust("1 hour")
        const { logs } = yield* Fiber.join(fiber)
        expect(logs.map((l) => [l.message, l.annotations.request])).toEqual([["child", "r1"]])
      })
    )
  }

  it.effect("an input iterator that throws is a defect, and what started is interrupted", () =>
    throwingInputIsADefect((tasks) => Task.whenAll(tasks))
  )

  for (const concurrency of badConcurrencies) {
    it.effect(`concurrency ${concurrency} dies with IllegalArgumentException naming concurrency`, () =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(Task.whenAll([Effect.succeed(1)], { concurrency }))
        expect(illegalMessage(exit)).toMatch(/^Task\.whenAll: concurrency must be a positive integer/)
      })
    )
  }

  it.effect.prop(
    "results keep input order whatever the completion order",
    [fc.array(fc.nat(50), { maxLength: 30 }), fc.integer({ min: 1, max: 8 })],
    ([delays, concurrency]) =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(
          Task.whenAll(
            delays.map((d, i) => sleepThen(d, i)),
            { concurrency }
          )
        )
        yield* TestClock.adjust(10_000)
        expect(yield* Fiber.join(fiber)).toEqual(delays.map((_, i) => i))
      })
  )
})

// ---------------------------------------------------------------------------------------------
// whenAllSettled, whenAllOrFirstFailure
// ---------------------------------------------------------------------------------------------

describe("Task.whenAllSettled", () => {
  it.effect("never fails: every Exit in input shape", () =>
    Effect.gen(function* () {
      const [a, b, c] = yield* Task.whenAllSettled([Effect.succeed(1), Effect.fail("e"), Effect.die("d")])
      expect(a).toEqual(Exit.succeed(1))
      expect(b).toEqual(Exit.fail("e"))
      expect(Exit.isFailure(c) && Cause.isDie(c.cause)).toBe(true)
      const rec = yield* Task.whenAllSettled({ x: Effect.fail("x") }, { concurrency: 1 })
      expect(rec.x).toEqual(Exit.fail("x"))
    })
  )

  it.effect("interrupting it interrupts and awaits the running children", () =>
    Effect.gen(function* () {
      const rec = recorder()
      yield* supervised(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(
            Task.whenAllSettled([rec.child("a", Effect.never), rec.child("b", Effect.never)])
          )
          yield* Effect.yieldNow()
          yield* Fiber.interrupt(fiber)
        })
      )
      expect(rec.running()).toEqual([])
      expect(rec.started.size).toBe(2)
    })
  )
})

describe("Task.whenAllOrFirstFailure", () => {
  for (const concurrency of ["unbounded", 4] as const) {
    it.effect(`on the first failure interrupts the rest at once (concurrency ${concurrency})`, () =>
      Effect.gen(function* () {
        const rec = recorder()
        const exit = yield* supervised(
          Effect.gen(function* () {
            const fiber = yield* Effect.fork(
              Task.whenAllOrFirstFailure(
                [
                  rec.child("slow", sleepThen(1000, 0)),
                  rec.child("bad", sleepFail(10, "first")),
                  rec.child("late", Effect.uninterruptible(sleepFail(30, "late"))),
                  rec.child("ok", sleepThen(5, 3))
                ],
                { concurrency }
              )
            )
            yield* TestClock.adjust(10)
            expect(fiber.unsafePoll()).toBeNull() // waiting for "late", which cannot be interrupted
            yield* TestClock.adjust(30)
            return yield* Fiber.await(fiber)
          })
        )
        const inner = (Exit.isSuccess(exit) ? exit.value : exit) as Exit.Exit<unknown, TaskFailures<string>>
        // the first failure first, then those that completed before the interruption finished
        expect(failuresOf(inner)).toEqual([
          { index: 1, error: "first" },
          { index: 2, error: "late" }
        ])
        expect(Exit.isFailure(inner) && Cause.isInterrupted(inner.cause)).toBe(false)
        expect(rec.events).toContain("interrupted slow")
        expect(rec.running()).toEqual([])
      })
    )
  }

  it.effect("succeeds in input shape when nothing fails", () =>
    Effect.gen(function* () {
      expect(yield* Task.whenAllOrFirstFailure({ a: Effect.succeed(1), b: Effect.succeed(2) })).toEqual({ a: 1, b: 2 })
    })
  )

  it.effect("stops pulling input after the first failure", () =>
    Effect.gen(function* () {
      let pulled = 0
      function* gen() {
        for (let i = 0; i < 100; i++) {
          pulled++
          yield i === 2 ? Effect.fail("stop") : Effect.succeed(i)
        }
      }
      const exit = yield* Effect.exit(Task.whenAllOrFirstFailure(gen(), { concurrency: 1 }))
      expect(failuresOf(exit)).toEqual([{ index: 2, error: "stop" }])
      expect(pulled).toBe(3)
    })
  )
})

// ---------------------------------------------------------------------------------------------
// whenAny, needOnlyOne
// ---------------------------------------------------------------------------------------------

describe("Task.whenAny", () => {
  it.effect("returns the first to complete, success or failure, and interrupts and awaits the losers", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const exit = yield* supervised(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(
            Task.whenAny([rec.child("a", sleepThen(30, "a")), rec.child("b", sleepFail(10, "b failed"))])
          )
          yield* TestClock.adjust(10)
          return yield* Fiber.join(fiber)
        })
      )
      expect(exit).toEqual(Exit.succeed({ index: 1, exit: Exit.fail("b failed") }))
      expect(rec.events).toEqual(["start a", "start b", "end b", "interrupted a"])
    })
  )

  it.scoped("losers: detach leaves them running in the caller's Scope until it closes", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const scope = yield* Scope.make()
      const fast = Effect.as(Effect.yieldNow(), 1)
      const first = yield* Task.whenAny([rec.child("fast", fast), rec.child("slow", Effect.never)], {
        losers: "detach"
      }).pipe(Scope.extend(scope))
      expect(first.index).toBe(0)
      expect(rec.running()).toEqual(["slow"])
      yield* Scope.close(scope, Exit.void)
      expect(rec.running()).toEqual([])
    })
  )

  it.effect(
    "losers: detach logs a detached loser's later failure (one WARN line with its index); an interrupted one is not",
    () =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(
          withLogs(
            Effect.scoped(
              Effect.gen(function* () {
                const first = yield* Task.whenAny(
                  [sleepThen(5, "fast"), sleepFail(20, "refused"), sleepThen(1_000, "slow")],
                  { losers: "detach" }
                )
                expect(first.index).toBe(0)
                yield* Effect.sleep("30 millis")
              })
            )
          )
        )
        yield* TestClock.adjust(40)
        const { logs } = yield* Fiber.join(fiber)
        expect(logs.map((l) => [l.level, l.message, l.annotations.index])).toEqual([
          ["WARN", 'Task.whenAny: a losing task failed ("refused")', 1]
        ])
      })
  )

  it.effect("losers: interrupt logs a loser that failed before its interruption took effect", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(
        withLogs(Task.whenAny([sleepThen(5, "fast"), Effect.uninterruptible(sleepFail(20, "refused"))]))
      )
      yield* TestClock.adjust(40)
      const { result, logs } = yield* Fiber.join(fiber)
      expect(result.index).toBe(0)
      expect(logs.map((l) => [l.level, l.message, l.annotations.index])).toEqual([
        ["WARN", 'Task.whenAny: a losing task failed ("refused")', 1]
      ])
    })
  )

  it.effect("losers: interrupt logs nothing for the interrupted losers", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(withLogs(Task.whenAny([sleepThen(5, "fast"), sleepFail(20, "refused")])))
      yield* TestClock.adjust(40)
      const { result, logs } = yield* Fiber.join(fiber)
      expect(result.index).toBe(0)
      expect(logs).toEqual([])
    })
  )

  it.effect("stops starting tasks once one has completed", () =>
    Effect.gen(function* () {
      let pulled = 0
      function* gen() {
        for (let i = 0; i < 100; i++) {
          pulled++
          yield Effect.succeed(i)
        }
      }
      expect((yield* Task.whenAny(gen())).index).toBe(0)
      expect(pulled).toBe(1)
    })
  )

  it.effect("an input iterator that throws is a defect, and what started is interrupted", () =>
    throwingInputIsADefect((tasks) => Task.whenAny(tasks))
  )

  it.effect("an empty input dies with IllegalArgumentException naming tasks", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Task.whenAny(new Set<Effect.Effect<number>>()))
      expect(illegalMessage(exit)).toBe("Task.whenAny: tasks must not be empty")
    })
  )

  it.effect("interrupting it interrupts and awaits every child", () =>
    Effect.gen(function* () {
      const rec = recorder()
      yield* supervised(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(Task.whenAny([rec.child("a", Effect.never), rec.child("b", Effect.never)]))
          yield* Effect.yieldNow()
          yield* Fiber.interrupt(fiber)
          expect(rec.running()).toEqual([])
        })
      )
    })
  )
})

describe("Task.needOnlyOne", () => {
  it.effect("the same effect run twice reports each run's own failures (no state shared between runs)", () =>
    Effect.gen(function* () {
      const race = Task.needOnlyOne([Effect.fail("a"), Effect.fail("b")])
      for (let run = 0; run < 2; run++) {
        const error = yield* Effect.flip(race)
        expect(error.failures.map((f) => f.error)).toEqual(["a", "b"])
      }
      const winner = Task.whenAny([Effect.succeed(1), Effect.never])
      expect((yield* winner).index).toBe(0)
      expect((yield* winner).index).toBe(0)
    })
  )

  it.effect("the first success wins; losers are interrupted; losers' failures are logged", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const fiber = yield* Effect.fork(
        withLogs(
          Task.needOnlyOne([
            rec.child("fails", sleepFail(5, "mirror down")),
            rec.child("wins", sleepThen(10, "ok")),
            rec.child("slow", sleepThen(100, "late"))
          ])
        )
      )
      yield* TestClock.adjust(10)
      const { result, logs } = yield* Fiber.join(fiber)
      expect(result).toBe("ok")
      expect(rec.events).toContain("interrupted slow")
      expect(rec.running()).toEqual([])
      // one quiet line with the error, no stack trace (the full Cause is logged at DEBUG)
      expect(logs).toHaveLength(1)
      expect(logs[0]!.level).toBe("WARN")
      expect(logs[0]!.message).toBe('Task.needOnlyOne: a losing task failed ("mirror down")')
      expect(logs[0]!.annotations.index).toBe(0)
      expect(logs[0]!.cause).not.toContain("mirror down")
    })
  )

  it.effect("a loser's failure is one WARN line with its tag and message; the full Cause is logged at DEBUG", () =>
    Effect.gen(function* () {
      class MirrorDown extends Data.TaggedError("MirrorDown")<{ readonly status: number }> {
        override get message() {
          return `HTTP ${this.status}`
        }
      }
      const fiber = yield* Effect.fork(
        withLogs(Task.needOnlyOne([sleepFail(5, new MirrorDown({ status: 503 })), sleepThen(10, "ok")])).pipe(
          Logger.withMinimumLogLevel(LogLevel.Debug)
        )
      )
      yield* TestClock.adjust(10)
      const logs = (yield* Fiber.join(fiber)).logs.filter((l) => String(l.message).startsWith("Task.needOnlyOne"))
      expect(logs.map((l) => [l.level, l.message])).toEqual([
        ["WARN", "Task.needOnlyOne: a losing task failed (MirrorDown: HTTP 503)"],
        ["DEBUG", "Task.needOnlyOne: a losing task failed"]
      ])
      expect(logs[1]!.cause).toContain("MirrorDown")
      expect(logs[1]!.annotations.index).toBe(0)
    })
  )

  it.effect("a fast failure does not win", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(Task.needOnlyOne([Effect.fail("404"), sleepThen(10, "200")]))
      yield* TestClock.adjust(10)
      expect(yield* Fiber.join(fiber)).toBe("200")
    })
  )

  it.effect("when every task fails: TaskFailures with all of them in index order", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(Task.needOnlyOne([sleepFail(20, "a"), sleepFail(10, "b"), Effect.fail("c")]))
      yield* TestClock.adjust(20)
      expect(failuresOf(yield* Fiber.await(fiber))).toEqual([
        { index: 0, error: "a" },
        { index: 1, error: "b" },
        { index: 2, error: "c" }
      ])
    })
  )

  it.effect("stagger starts task k+1 one stagger after task k, or at once when all started have failed", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const fiber = yield* Effect.fork(
        Task.needOnlyOne(
          [
            rec.child("0", sleepFail(150, "0")),
            rec.child("1", sleepFail(10, "1")),
            rec.child("2", sleepThen(1000, "2")),
            rec.child("3", sleepThen(5, "3"))
          ],
          { stagger: "100 millis" }
        )
      )
      yield* Effect.yieldNow()
      expect([...rec.started]).toEqual(["0"])
      yield* TestClock.adjust(99)
      expect([...rec.started]).toEqual(["0"])
      yield* TestClock.adjust(1) // t=100: stagger elapsed
      expect([...rec.started]).toEqual(["0", "1"])
      yield* TestClock.adjust(10) // t=110: "1" failed, "0" still running: wait for the stagger
      expect([...rec.started]).toEqual(["0", "1"])
      yield* TestClock.adjust(40) // t=150: "0" failed too: every started task failed, start "2" at once
      expect([...rec.started]).toEqual(["0", "1", "2"])
      yield* TestClock.adjust(100) // t=250: start "3", which wins at t=255
      yield* TestClock.adjust(5)
      expect(yield* Fiber.join(fiber)).toBe("3")
      expect(rec.running()).toEqual([])
    })
  )

  it.effect("an empty input dies with IllegalArgumentException naming tasks", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Task.needOnlyOne([] as Array<Effect.Effect<number>>))
      expect(illegalMessage(exit)).toBe("Task.needOnlyOne: tasks must not be empty")
    })
  )

  for (const stagger of [Number.NaN, -5, "-1 second", "soon"] as const) {
    it.effect(`stagger ${String(stagger)} dies with IllegalArgumentException naming stagger, starting nothing`, () =>
      Effect.gen(function* () {
        const rec = recorder()
        const exit = yield* Effect.exit(
          Task.needOnlyOne([rec.child("0", Effect.succeed(1))], { stagger: stagger as Duration.DurationInput })
        )
        expect(illegalMessage(exit)).toMatch(
          /^Task\.needOnlyOne: stagger must be a finite, non-negative Duration, got /
        )
        expect(rec.events).toEqual([])
      })
    )
  }

  it.effect("interrupting it interrupts and awaits every child (also while staggering)", () =>
    Effect.gen(function* () {
      const rec = recorder()
      yield* supervised(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(
            Task.needOnlyOne([rec.child("a", Effect.never), rec.child("b", Effect.never)], { stagger: "1 second" })
          )
          yield* TestClock.adjust("1 second")
          expect(rec.started.size).toBe(2)
          yield* Fiber.interrupt(fiber)
          expect(rec.running()).toEqual([])
        })
      )
    })
  )
})

// ---------------------------------------------------------------------------------------------
// interleaved, throttled
// ---------------------------------------------------------------------------------------------

describe("Task.interleaved", () => {
  it.effect("emits each task's Completed in completion order", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(
        Stream.runCollect(Task.interleaved([sleepThen(30, "a"), sleepFail(10, "b"), sleepThen(20, "c")]))
      )
      yield* TestClock.adjust(30)
      const out = Chunk.toArray(yield* Fiber.join(fiber))
      expect(out.map((c) => c.index)).toEqual([1, 2, 0])
      expect(out[0]!.exit).toEqual(Exit.fail("b"))
      expect(out[2]!.exit).toEqual(Exit.succeed("a"))
    })
  )

  it.effect("never has more than `concurrency` children alive", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const tasks = Array.from({ length: 20 }, (_, i) => rec.child(String(i), sleepThen((i * 7) % 13, i)))
      const fiber = yield* Effect.fork(Stream.runCollect(Task.interleaved(tasks, { concurrency: 3 })))
      yield* TestClock.adjust(1000)
      expect(Chunk.size(yield* Fiber.join(fiber))).toBe(20)
      expect(rec.maxAlive()).toBe(3)
    })
  )

  it.effect("keeps `concurrency` children alive after a run of synchronous tasks filled the buffer", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const tasks = [
        ...Array.from({ length: 300 }, (_, i) => Effect.succeed(i)),
        ...Array.from({ length: 20 }, (_, i) => rec.child(String(i), sleepThen(10, i)))
      ]
      const fiber = yield* Effect.fork(Stream.runCount(Task.interleaved(tasks, { concurrency: 4 })))
      yield* eventually(() => rec.started.size > 0)
      yield* Effect.yieldNow()
      yield* TestClock.adjust(1000)
      expect(yield* Fiber.join(fiber)).toBe(320)
      expect(rec.maxAlive()).toBe(4)
    })
  )

  it.effect("a pull interrupted while it waits leaves the stream pullable: the next pull gets the result", () =>
    Effect.gen(function* () {
      const out = yield* Effect.scoped(
        Effect.gen(function* () {
          const pull = yield* Stream.toPull(Task.interleaved([sleepThen(20, "a"), sleepThen(40, "b")]))
          const early = yield* Effect.fork(Effect.timeout(pull, 10))
          yield* TestClock.adjust(10)
          expect(Exit.isFailure(yield* Fiber.await(early))).toBe(true)
          const first = yield* Effect.fork(pull)
          yield* TestClock.adjust(10)
          const a = yield* Fiber.join(first)
          const second = yield* Effect.fork(pull)
          yield* TestClock.adjust(20)
          return [...Chunk.toArray(a), ...Chunk.toArray(yield* Fiber.join(second))].map((c) => c.exit)
        })
      )
      expect(out).toEqual([Exit.succeed("a"), Exit.succeed("b")])
    })
  )

  it.effect("ending the stream early interrupts and awaits the running children", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const tasks = [rec.child("a", sleepThen(10, "a")), rec.child("b", Effect.never), rec.child("c", Effect.never)]
      const exit = yield* supervised(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(Task.interleaved(tasks), 1)))
          yield* TestClock.adjust(10)
          return yield* Fiber.join(fiber)
        })
      )
      expect(Exit.isSuccess(exit) && Chunk.toArray(exit.value).map((c) => c.index)).toEqual([0])
      expect(rec.running()).toEqual([])
      expect(rec.events).toContain("interrupted b")
    })
  )

  it.effect("interrupting the consumer interrupts and awaits the running children (bounded)", () =>
    Effect.gen(function* () {
      const rec = recorder()
      yield* supervised(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(
            Stream.runDrain(
              Task.interleaved(
                [0, 1, 2, 3].map((i) => rec.child(String(i), Effect.never)),
                { concurrency: 2 }
              )
            )
          )
          yield* eventually(() => rec.started.size === 2)
          yield* Effect.yieldNow()
          expect(rec.started.size).toBe(2)
          yield* Fiber.interrupt(fiber)
          expect(rec.running()).toEqual([])
        })
      )
    })
  )

  it.live(
    "a 1,000,000-item generator at concurrency 64 is pulled at most concurrency + 128 ahead of what the consumer saw",
    () =>
      Effect.gen(function* () {
        let pulled = 0
        let emitted = 0
        let maxAhead = 0
        function* gen() {
          for (let i = 0; i < 1_000_000; i++) {
            pulled++
            maxAhead = Math.max(maxAhead, pulled - emitted)
            yield i % 1000 === 0 ? Effect.yieldNow() : Effect.void
          }
        }
        const count = yield* Task.interleaved(gen(), { concurrency: 64 }).pipe(
          Stream.mapChunks((chunk) => {
            emitted += Chunk.size(chunk)
            return chunk
          }),
          Stream.runCount
        )
        expect(count).toBe(1_000_000)
        expect(maxAhead).toBeLessThanOrEqual(64 + 128)
      }),
    60_000
  )

  it.effect("a slow consumer makes the workers wait (bounded buffering)", () =>
    Effect.gen(function* () {
      let pulled = 0
      function* gen() {
        for (let i = 0; i < 10_000; i++) {
          pulled++
          yield Effect.succeed(i)
        }
      }
      const fiber = yield* Effect.fork(
        Task.interleaved(gen(), { concurrency: 4 }).pipe(
          Stream.mapEffect(() => Effect.sleep("1 second")),
          Stream.runDrain
        )
      )
      yield* TestClock.adjust("10 seconds")
      expect(pulled).toBeLessThanOrEqual(4 + 16 + 10 + 16)
      yield* Fiber.interrupt(fiber)
    })
  )

  for (const concurrency of badConcurrencies) {
    it.effect(`concurrency ${concurrency} dies with IllegalArgumentException naming concurrency`, () =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(Stream.runDrain(Task.interleaved([Effect.void], { concurrency })))
        expect(illegalMessage(exit)).toMatch(/^Task\.interleaved: concurrency must be a positive integer/)
      })
    )
  }

  it.effect.prop(
    "emits a permutation of the indices and never exceeds the bound",
    [fc.array(fc.nat(40), { maxLength: 40 }), fc.integer({ min: 1, max: 8 })],
    ([delays, concurrency]) =>
      Effect.gen(function* () {
        const rec = recorder()
        const fiber = yield* Effect.fork(
          Stream.runCollect(
            Task.interleaved(
              delays.map((d, i) => rec.child(String(i), d % 3 === 0 ? sleepFail(d, i) : sleepThen(d, i))),
              { concurrency }
            )
          )
        )
        yield* TestClock.adjust(100_000)
        const out = Chunk.toArray(yield* Fiber.join(fiber)).map((c) => c.index)
        expect([...out].sort((a, b) => a - b)).toEqual(delays.map((_, i) => i))
        expect(rec.maxAlive()).toBeLessThanOrEqual(concurrency)
      })
  )
})

describe("Task.throttled", () => {
  it.effect("a task that needs a Scope gets the caller's: its finalizer runs when the caller's scope closes", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      yield* Effect.scoped(
        Effect.gen(function* () {
          yield* Effect.addFinalizer(() => Effect.sync(() => log.push("caller's scope closes")))
          yield* Stream.runDrain(
            Task.throttled([1], () => Effect.addFinalizer(() => Effect.sync(() => log.push("task's finalizer"))), {
              concurrency: 1
            })
          )
          log.push("stream drained")
        })
      )
      expect(log).toEqual(["stream drained", "task's finalizer", "caller's scope closes"])
    })
  )

  it.effect("ordered: true emits in input order whatever the completion order", () =>
    Effect.gen(function* () {
      const delays = [50, 10, 40, 20, 30, 0]
      const stream = Task.throttled(delays, (ms) => Effect.as(Effect.sleep(`${ms} millis`), ms), {
        concurrency: 3,
        ordered: true
      })
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.map(stream, (c) => [c.index, c.item])))
      yield* TestClock.adjust("1 second")
      expect([...(yield* Fiber.join(fiber))]).toEqual(delays.map((d, i) => [i, d]))
    })
  )

  it.effect("ordered: a slow first item holds at most concurrency finished results back, then pulling pauses", () =>
    Effect.gen(function* () {
      let started = 0
      const stream = Task.throttled(
        Array.from({ length: 20 }, (_, i) => i),
        (i) =>
          Effect.zipRight(
            Effect.sync(() => started++),
            i === 0 ? Effect.sleep("1 second") : Effect.void
          ),
        { concurrency: 4, ordered: true }
      )
      const fiber = yield* Effect.fork(Stream.runCollect(stream))
      yield* TestClock.adjust("10 millis")
      // item 0 runs; 4 finished results (1–4) wait for it; nothing more is pulled
      expect(started).toBe(5)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).length).toBe(20)
    })
  )

  it.effect("ordered must be a boolean", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Stream.runDrain(Task.throttled([1], Effect.succeed, { concurrency: 1, ordered: "yes" as unknown as boolean }))
      )
      expect(illegalMessage(exit)).toBe('Task.throttled: ordered must be one of true, false, got "yes"')
    })
  )

  it.effect(
    "maps each item with f, at most `concurrency` at once, in completion order with { index, item, exit }",
    () =>
      Effect.gen(function* () {
        let alive = 0
        let maxAlive = 0
        const f = (ms: number, index: number) =>
          Effect.acquireUseRelease(
            Effect.sync(() => {
              alive++
              maxAlive = Math.max(maxAlive, alive)
            }),
            () => sleepThen(ms, ms * 10 + index),
            () => Effect.sync(() => alive--)
          )
        const fiber = yield* Effect.fork(Stream.runCollect(Task.throttled([30, 10, 15, 2], f, { concurrency: 2 })))
        yield* TestClock.adjust(100)
        const out = Chunk.toArray(yield* Fiber.join(fiber))
        // t=10: 10 done (30 still running), 15 starts; t=25: 15 done, 2 starts; t=27: 2 done; t=30: 30 done
        expect(out.map((c) => c.item)).toEqual([10, 15, 2, 30])
        expect(out[0]).toEqual({ index: 1, item: 10, exit: Exit.succeed(101) })
        expect(maxAlive).toBe(2)
      })
  )

  it.effect("works data-last in a pipe", () =>
    Effect.gen(function* () {
      const out = yield* pipe(
        ["a", "b"],
        Task.throttled((s: string) => Effect.succeed(s.toUpperCase()), { concurrency: 1 }),
        Stream.map((c) => c.exit),
        Stream.runCollect
      )
      expect(Chunk.toArray(out)).toEqual([Exit.succeed("A"), Exit.succeed("B")])
    })
  )

  it.effect("bad concurrency dies with IllegalArgumentException naming concurrency", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Stream.runDrain(Task.throttled([1], Effect.succeed, { concurrency: 0 })))
      expect(illegalMessage(exit)).toBe(
        'Task.throttled: concurrency must be a positive integer, Infinity or "unbounded", got 0'
      )
    })
  )
})

// ---------------------------------------------------------------------------------------------
// timeout, untilCompletionOrCancellation
// ---------------------------------------------------------------------------------------------

describe("Task.timeout", () => {
  for (const duration of [Number.NaN, -1, "-5 millis", "a while"] as const) {
    it.effect(`duration ${String(duration)} dies with IllegalArgumentException naming duration`, () =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(Task.timeout(Effect.succeed(1), duration as Duration.DurationInput))
        expect(illegalMessage(exit)).toMatch(/^Task\.timeout: duration must be a non-negative Duration, got /)
      })
    )
  }

  it.effect("fails with TimeoutError { duration } and interrupts and awaits the task", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const exit = yield* supervised(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(Task.timeout(rec.child("t", Effect.never), "1 second"))
          yield* TestClock.adjust("1 second")
          return yield* Fiber.await(fiber)
        })
      )
      expect(exit).toEqual(Exit.succeed(Exit.fail(new TimeoutError({ duration: Duration.seconds(1) }))))
      expect(rec.events).toEqual(["start t", "interrupted t"])
    })
  )

  it.effect("passes success and failure through when in time (data-last)", () =>
    Effect.gen(function* () {
      expect(
        yield* sleepThen(10, "ok").pipe(
          Task.timeout("1 second"),
          Effect.fork,
          Effect.tap(() => TestClock.adjust(10)),
          Effect.flatMap(Fiber.join)
        )
      ).toBe("ok")
      expect(yield* Effect.flip(Task.timeout(Effect.fail("own"), "1 second"))).toBe("own")
    })
  )

  it.scoped("onTimeout: detach leaves the task running in the Scope and logs its eventual failure", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const fiber = yield* Effect.fork(
        withLogs(
          Effect.scoped(
            Effect.gen(function* () {
              const exit = yield* Effect.exit(
                Task.timeout(rec.child("t", sleepFail(20, "late")), "10 millis", { onTimeout: "detach" })
              )
              expect(Exit.isFailure(exit)).toBe(true)
              expect(rec.running()).toEqual(["t"])
              yield* Effect.sleep("15 millis")
            })
          )
        )
      )
      yield* TestClock.adjust(30)
      const { logs } = yield* Fiber.join(fiber)
      expect(rec.events).toEqual(["start t", "end t"])
      expect(logs.map((l) => l.message)).toEqual([
        expect.stringMatching(/^Task\.timeout: a timed-out task failed \(.+\)$/)
      ])
    })
  )
})

describe("what the combinators log", () => {
  it.effect("a failure the caller receives is not logged again by Effect's runtime, even at DEBUG", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(
        withLogs(
          Effect.scoped(
            Effect.gen(function* () {
              yield* Effect.exit(Task.whenAll([Effect.fail("a"), Effect.die("b"), Effect.succeed(1)]))
              yield* Effect.exit(Task.whenAny([Effect.fail("c")]))
              yield* Effect.exit(Task.timeout(Effect.fail("d"), "10 millis"))
              yield* Effect.exit(Task.timeout(sleepFail(5, "e"), "10 millis", { onTimeout: "detach" }))
              yield* Effect.exit(Stream.runDrain(Task.interleaved([Effect.fail("f")])))
            })
          )
        ).pipe(Logger.withMinimumLogLevel(LogLevel.Debug))
      )
      yield* TestClock.adjust(10)
      const { logs } = yield* Fiber.join(fiber)
      expect(logs.map((l) => l.message)).toEqual([])
    })
  )
})

describe("Task.untilCompletionOrCancellation", () => {
  it.effect("Some(result) when the task finishes first", () =>
    Effect.gen(function* () {
      const signal = yield* Deferred.make<void>()
      expect(yield* Task.untilCompletionOrCancellation(Effect.succeed(1), Deferred.await(signal))).toEqual(
        Option.some(1)
      )
    })
  )

  it.effect("None when the signal effect completes first; the task is interrupted and awaited", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const signal = yield* Deferred.make<void>()
      const exit = yield* supervised(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(
            rec.child("t", Effect.never).pipe(Task.untilCompletionOrCancellation(Deferred.await(signal)))
          )
          yield* Effect.yieldNow()
          yield* Deferred.succeed(signal, undefined)
          return yield* Fiber.join(fiber)
        })
      )
      expect(exit).toEqual(Exit.succeed(Option.none()))
      expect(rec.events).toEqual(["start t", "interrupted t"])
    })
  )

  it.live("None when an AbortSignal aborts (already aborted or later)", () =>
    Effect.gen(function* () {
      const aborted = AbortSignal.abort()
      expect(yield* Task.untilCompletionOrCancellation(Effect.never, aborted)).toEqual(Option.none())
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 5)
      expect(yield* Task.untilCompletionOrCancellation(Effect.never, controller.signal)).toEqual(Option.none())
    })
  )

  it.scoped("onCancel: detach leaves the task running in the caller's Scope", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const scope = yield* Scope.make()
      const result = yield* Task.untilCompletionOrCancellation(rec.child("t", Effect.never), Effect.void, {
        onCancel: "detach"
      }).pipe(Scope.extend(scope))
      expect(result).toEqual(Option.none())
      expect(rec.running()).toEqual(["t"])
      yield* Scope.close(scope, Exit.void)
      expect(rec.running()).toEqual([])
    })
  )
})

// ---------------------------------------------------------------------------------------------
// retryOnFault
// ---------------------------------------------------------------------------------------------

describe("Task.retryOnFault", () => {
  const flaky = (failures: number) => {
    let calls = 0
    const effect = Effect.suspend(() => (++calls <= failures ? Effect.fail(`e${calls}`) : Effect.succeed(calls)))
    return { effect, calls: () => calls }
  }

  it.effect("retries until success within maxTries", () =>
    Effect.gen(function* () {
      const f = flaky(2)
      expect(yield* Task.retryOnFault(f.effect, { maxTries: 3 })).toBe(3)
    })
  )

  it.effect("gives up after maxTries with RetriesExhausted holding every attempt's error", () =>
    Effect.gen(function* () {
      const f = flaky(10)
      const e = yield* Effect.flip(Task.retryOnFault(f.effect, { maxTries: 3 }))
      expect(e).toEqual(new RetriesExhausted({ attempts: 3, errors: ["e1", "e2", "e3"] }))
      expect(f.calls()).toBe(3)
    })
  )

  it.effect("a later attempt's defect keeps the earlier errors: Sequential(Fail(RetriesExhausted), Die)", () =>
    Effect.gen(function* () {
      let calls = 0
      const task = Effect.suspend(() => (++calls < 3 ? Effect.fail(`e${calls}`) : Effect.die("bug")))
      const exit = yield* Effect.exit(Task.retryOnFault(task, { maxTries: 5 }))
      expect(exit).toEqual(
        Exit.failCause(
          Cause.sequential(Cause.fail(new RetriesExhausted({ attempts: 3, errors: ["e1", "e2"] })), Cause.die("bug"))
        )
      )
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain('gave up after 3 attempts: "e1"; "e2"')
    })
  )

  it.effect("a failing retryWhen keeps the earlier errors: RetriesExhausted first, then the policy's failure", () =>
    Effect.gen(function* () {
      const f = flaky(10)
      const policy = (_: string, attempt: number) => (attempt < 2 ? Effect.void : Effect.fail("policy down" as const))
      const exit = yield* Effect.exit(Task.retryOnFault(f.effect, { maxTries: 5, retryWhen: policy }))
      expect(exit).toEqual(
        Exit.failCause(
          Cause.sequential(
            Cause.fail(new RetriesExhausted({ attempts: 2, errors: ["e1", "e2"] })),
            Cause.fail("policy down")
          )
        )
      )
      // both typed errors are in the Cause, in order
      expect(Exit.isFailure(exit) && Cause.failures(exit.cause).length).toBe(2)
    })
  )

  it.effect("a retryWhen that dies, or a while that throws, keeps the earlier errors too", () =>
    Effect.gen(function* () {
      const dying = yield* Effect.exit(
        Task.retryOnFault(flaky(10).effect, { maxTries: 3, retryWhen: Effect.die("oops") })
      )
      expect(dying).toEqual(
        Exit.failCause(
          Cause.sequential(Cause.fail(new RetriesExhausted({ attempts: 1, errors: ["e1"] })), Cause.die("oops"))
        )
      )
      const boom = new Error("while threw")
      const throwing = yield* Effect.exit(
        Task.retryOnFault(flaky(10).effect, {
          maxTries: 3,
          while: () => {
            throw boom
          }
        })
      )
      expect(Exit.isFailure(throwing) && Cause.failures(throwing.cause)).toEqual(
        Chunk.of(new RetriesExhausted({ attempts: 1, errors: ["e1"] }))
      )
      expect(Exit.isFailure(throwing) && Option.getOrUndefined(Cause.dieOption(throwing.cause))).toBe(boom)
    })
  )

  it.effect("a defect on the first attempt passes through as it is; an interruption is never wrapped", () =>
    Effect.gen(function* () {
      expect(yield* Effect.exit(Task.retryOnFault(Effect.die("first"), { maxTries: 3 }))).toEqual(Exit.die("first"))
      const f = flaky(10)
      const fiber = yield* Effect.fork(Task.retryOnFault(f.effect, { maxTries: 5, retryWhen: Effect.never }))
      yield* Effect.yieldNow()
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)).toBe(true)
    })
  )

  it.effect("a retryWhen function returning a plain value dies naming it, keeping the earlier errors", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Task.retryOnFault(flaky(10).effect, {
          maxTries: 3,
          retryWhen: () => 100 as unknown as Effect.Effect<void>
        })
      )
      expect(Exit.isFailure(exit) && Cause.failures(exit.cause)).toEqual(
        Chunk.of(new RetriesExhausted({ attempts: 1, errors: ["e1"] }))
      )
      expect(illegalMessage(Exit.isFailure(exit) ? Exit.failCause(Cause.stripFailures(exit.cause)) : exit)).toBe(
        "Task.retryOnFault: retryWhen(error, 1) must be an Effect, got 100"
      )
    })
  )

  it.effect("retryWhen as an Effect waits between attempts (TestClock)", () =>
    Effect.gen(function* () {
      const f = flaky(2)
      const fiber = yield* Effect.fork(
        Task.retryOnFault(f.effect, { maxTries: 5, retryWhen: Effect.sleep("1 second") })
      )
      yield* TestClock.adjust("1 second")
      expect(f.calls()).toBe(2)
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe(3)
    })
  )

  it.effect("interrupting it during a wait leaks nothing: no further attempt starts, the wait ends", () =>
    Effect.gen(function* () {
      const f = flaky(10)
      let waitsEnded = 0
      const wait = Effect.sleep("1 second").pipe(Effect.ensuring(Effect.sync(() => waitsEnded++)))
      const fiber = yield* Effect.fork(Task.retryOnFault(f.effect, { maxTries: 5, retryWhen: wait }))
      yield* TestClock.adjust("500 millis")
      expect(f.calls()).toBe(1)
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(waitsEnded).toBe(1)
      yield* TestClock.adjust("10 seconds")
      expect(f.calls()).toBe(1)
    })
  )

  it.effect("retryWhen as a function gets the error and the attempt number", () =>
    Effect.gen(function* () {
      const seen: Array<[string, number]> = []
      const f = flaky(2)
      const program = f.effect.pipe(
        Task.retryOnFault({
          maxTries: 5,
          retryWhen: (error: string, attempt) => Effect.sync(() => seen.push([error, attempt]))
        })
      )
      expect(yield* program).toBe(3)
      expect(seen).toEqual([
        ["e1", 1],
        ["e2", 2]
      ])
    })
  )

  it.effect("retryWhen as a Schedule uses its delays; its end ends the retries; maxTries still caps", () =>
    Effect.gen(function* () {
      const f = flaky(10)
      const fiber = yield* Effect.fork(
        Task.retryOnFault(f.effect, {
          maxTries: 10,
          retryWhen: Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(2)))
        })
      )
      yield* TestClock.adjust("500 millis")
      expect(f.calls()).toBe(1)
      yield* TestClock.adjust("10 seconds")
      const e = yield* Effect.flip(Fiber.join(fiber))
      expect(e.attempts).toBe(3)
      const g = flaky(10)
      const capped = yield* Effect.fork(
        Effect.flip(Task.retryOnFault(g.effect, { maxTries: 2, retryWhen: Schedule.spaced("1 second") }))
      )
      yield* TestClock.adjust("10 seconds")
      expect((yield* Fiber.join(capped)).errors).toEqual(["e1", "e2"])
    })
  )

  it.effect("while(error) false stops retrying", () =>
    Effect.gen(function* () {
      const f = flaky(10)
      const e = yield* Effect.flip(Task.retryOnFault(f.effect, { maxTries: 10, while: (error) => error !== "e2" }))
      expect(e.errors).toEqual(["e1", "e2"])
      expect(f.calls()).toBe(2)
    })
  )

  it.effect("defects are not retried", () =>
    Effect.gen(function* () {
      let calls = 0
      const exit = yield* Effect.exit(
        Task.retryOnFault(
          Effect.suspend(() => {
            calls++
            return Effect.die("bug")
          }),
          { maxTries: 3 }
        )
      )
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      expect(calls).toBe(1)
    })
  )

  for (const maxTries of [0, -1, 1.5, Number.NaN]) {
    it.effect(`maxTries ${maxTries} dies with IllegalArgumentException naming maxTries`, () =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(Task.retryOnFault(Effect.succeed(1), { maxTries }))
        expect(illegalMessage(exit)).toMatch(/^Task\.retryOnFault: maxTries must be a positive integer, got /)
      })
    )
  }
})

// ---------------------------------------------------------------------------------------------
// run, fromPromise, delay, yieldNow, fromResult
// ---------------------------------------------------------------------------------------------

describe("Task.run", () => {
  it.effect("starts a fiber in the caller's Scope, interrupted when the scope closes", () =>
    Effect.gen(function* () {
      const rec = recorder()
      const scope = yield* Scope.make()
      const fiber = yield* Task.run(rec.child("r", Effect.never)).pipe(Scope.extend(scope))
      yield* Effect.yieldNow()
      expect(rec.running()).toEqual(["r"])
      yield* Scope.close(scope, Exit.void)
      expect(Exit.isInterrupted(yield* Fiber.await(fiber))).toBe(true)
      const joined = yield* Effect.scoped(Effect.flatMap(Task.run(Effect.succeed(7)), Fiber.join))
      expect(joined).toBe(7)
    })
  )
})

describe("Task.fromPromise", () => {
  it.live("resolves; a rejection fails with UnknownException or catch(reason)", () =>
    Effect.gen(function* () {
      expect(yield* Task.fromPromise(() => Promise.resolve(1))).toBe(1)
      const unknown = yield* Effect.flip(Task.fromPromise(() => Promise.reject(new Error("x"))))
      expect(Cause.isUnknownException(unknown)).toBe(true)
      const mapped = yield* Effect.flip(Task.fromPromise(() => Promise.reject("r"), { catch: (r) => `caught ${r}` }))
      expect(mapped).toBe("caught r")
    })
  )

  it.live("interruption aborts the AbortSignal", () =>
    Effect.gen(function* () {
      let aborted = false
      const fiber = yield* Effect.fork(
        Task.fromPromise(
          (signal) =>
            new Promise<never>(() => {
              signal.addEventListener("abort", () => {
                aborted = true
              })
            })
        )
      )
      yield* Effect.sleep("5 millis")
      yield* Fiber.interrupt(fiber)
      expect(aborted).toBe(true)
    })
  )
})

describe("Task.delay, Task.yieldNow, Task.fromResult", () => {
  it.effect("delay completes after the duration (TestClock)", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(Task.delay("1 minute"))
      yield* TestClock.adjust("59 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.await(fiber)).toEqual(Exit.void)
    })
  )

  it.effect("yieldNow lets another fiber run first", () =>
    Effect.gen(function* () {
      const order: Array<string> = []
      const other = yield* Effect.fork(Effect.sync(() => order.push("other")))
      yield* Task.yieldNow()
      order.push("me")
      yield* Fiber.join(other)
      expect(order).toEqual(["other", "me"])
    })
  )

  it.effect("fromResult succeeds with the given value at once", () =>
    Effect.gen(function* () {
      expect(yield* Task.fromResult(42)).toBe(42)
    })
  )
})

describe("errors", () => {
  it("TaskFailures, TimeoutError and RetriesExhausted are tagged, with readable messages", () => {
    const f = new TaskFailures({
      failures: [
        { index: 0, error: "a" },
        { index: 2, key: "c", error: "b" }
      ]
    })
    expect(f._tag).toBe("TaskFailures")
    expect(f.message).toBe("2 tasks failed (at 0, c)")
    expect(new TimeoutError({ duration: Duration.seconds(2) }).message).toBe("timed out after 2s")
    expect(new RetriesExhausted({ attempts: 1, errors: ["x"] }).message).toBe('gave up after 1 attempt: "x"')
    const many = new RetriesExhausted({ attempts: 5, errors: [new Error("busy"), "a", { _tag: "Down" }, 4, 5] })
    expect(many.message).toBe('gave up after 5 attempts: Error: busy; "a"; {"_tag":"Down"}; … (2 more)')
    expect(Task.TaskFailures).toBe(TaskFailures)
  })
})

describe("interrupting a waiting combinator leaks nothing", () => {
  const cases: ReadonlyArray<
    readonly [
      string,
      (
        child: <A, E, R>(name: string, e: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
      ) => Effect.Effect<unknown, unknown, Scope.Scope>
    ]
  > = [
    [
      "whenAllOrFirstFailure",
      (child) => Task.whenAllOrFirstFailure([child("a", Effect.never), child("b", Effect.never)], { concurrency: 1 })
    ],
    [
      "whenAny (detach)",
      (child) => Task.whenAny([child("a", Effect.never), child("b", Effect.never)], { losers: "detach" })
    ],
    [
      "throttled",
      (child) => Stream.runDrain(Task.throttled([1, 2, 3], (i) => child(String(i), Effect.never), { concurrency: 2 }))
    ],
    ["timeout", (child) => Task.timeout(child("a", Effect.never), "1 hour")],
    ["timeout (detach)", (child) => Task.timeout(child("a", Effect.never), "1 hour", { onTimeout: "detach" })],
    [
      "untilCompletionOrCancellation",
      (child) => Task.untilCompletionOrCancellation(child("a", Effect.never), Effect.never)
    ],
    [
      "untilCompletionOrCancellation (detach)",
      (child) => Task.untilCompletionOrCancellation(child("a", Effect.never), Effect.never, { onCancel: "detach" })
    ],
    [
      "retryOnFault (waiting to retry)",
      (child) => Task.retryOnFault(child("a", Effect.fail("e")), { maxTries: 3, retryWhen: Effect.never })
    ]
  ]
  for (const [name, make] of cases) {
    it.effect(name, () =>
      Effect.gen(function* () {
        const rec = recorder()
        yield* supervised(
          Effect.gen(function* () {
            const fiber = yield* Effect.fork(Effect.scoped(make(rec.child)))
            yield* eventually(() => rec.started.size > 0)
            yield* Effect.yieldNow()
            yield* Fiber.interrupt(fiber)
            expect(rec.running()).toEqual([])
          })
        )
        expect(rec.started.size).toBeGreaterThan(0)
      })
    )
  }
})
