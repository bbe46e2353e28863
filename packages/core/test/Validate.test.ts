import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Schedule, Stream } from "effect"
import { AsyncCache, AsyncLazy, AsyncLock, AsyncQueue, KeyedLimiter, Progress, Task, Validate } from "../src/index.js"
import * as ValidateModule from "../src/Validate.js"
import { illegalMessage, thrownMessage } from "./utils.js"

/** Runs `effect` (a stream is drained) and gives the IllegalArgumentException's message. */
const dies = (effect: Effect.Effect<unknown, unknown, unknown>) =>
  Effect.map(Effect.exit(effect as Effect.Effect<unknown, unknown, never>), (exit) => illegalMessage(exit))

const drained = (stream: Stream.Stream<unknown, unknown, unknown>) =>
  dies(Stream.runDrain(stream as Stream.Stream<unknown, unknown, never>))

/** JavaScript callers: a value the types forbid (`never` goes anywhere). */
const js = (value: unknown): never => value as never

/** JavaScript callers: a function called with arguments its types forbid. */
const untyped =
  <R>(f: unknown) =>
  (...args: ReadonlyArray<unknown>): R =>
    (f as (...args: ReadonlyArray<unknown>) => R)(...args)

// ---------------------------------------------------------------------------------------------
// the module
// ---------------------------------------------------------------------------------------------

describe("Validate", () => {
  it("is exported from the package root as Validate: the module of src/Validate.ts (the subpath is checked in platform)", () => {
    expect(Validate.concurrency).toBe(ValidateModule.concurrency)
  })

  it("every check returns the normalised value, or throws IllegalArgumentException in the one message shape", () => {
    expect(Validate.positiveInteger("f", "n", 3)).toBe(3)
    expect(thrownMessage(() => Validate.positiveInteger("f", "n", Number.POSITIVE_INFINITY))).toBe(
      "f: n must be a positive integer, got Infinity"
    )
    expect(Validate.positiveIntegerOrInfinity("f", "n", Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY)
    expect(thrownMessage(() => Validate.positiveIntegerOrInfinity("f", "n", 0))).toBe(
      "f: n must be a positive integer or Infinity, got 0"
    )
    expect(Validate.nonNegativeInteger("f", "n", 0)).toBe(0)
    expect(thrownMessage(() => Validate.nonNegativeInteger("f", "n", -0.5))).toBe(
      "f: n must be a non-negative integer, got -0.5"
    )
    expect(Validate.concurrency("f", Number.POSITIVE_INFINITY)).toBe("unbounded")
    expect(Validate.concurrency("f", "unbounded")).toBe("unbounded")
    expect(thrownMessage(() => Validate.concurrency("f", "8"))).toBe(
      'f: concurrency must be a positive integer, Infinity or "unbounded", got "8"'
    )
    expect(Validate.fn("f", "g", Math.max)).toBe(Math.max)
    expect(thrownMessage(() => Validate.fn("f", "g", "not a function"))).toBe(
      'f: g must be a function, got "not a function"'
    )
    expect(Validate.oneOf("f", "mode", "a", ["a", "b"])).toBe("a")
    expect(thrownMessage(() => Validate.oneOf("f", "mode", "c", ["a", "b"]))).toBe(
      'f: mode must be one of "a", "b", got "c"'
    )
    expect(Validate.flag("f", "x", true)).toBe(true)
    expect(thrownMessage(() => Validate.flag("f", "x", "yes"))).toBe('f: x must be one of true, false, got "yes"')
    expect(thrownMessage(() => Validate.options("f", js(undefined)))).toBe(
      "f: options must be an options object, got undefined"
    )
    expect(thrownMessage(() => Validate.options("f", js([])))).toBe("f: options must be an options object, got []")
    expect(Validate.optionalOptions("f", undefined)).toBeUndefined()
    expect(thrownMessage(() => Validate.iterable("f", "xs", js(5)))).toBe("f: xs must be an iterable, got 5")
    expect(thrownMessage(() => Validate.iterable("f", "xs", "abc"))).toBe('f: xs must be an iterable, got "abc"')
    expect([...Validate.iterable("f", "xs", "ab", { strings: true })]).toEqual(["a", "b"])
    expect(thrownMessage(() => Validate.iterable("f", "xs", js(Effect.void)))).toBe(
      "f: xs must be an iterable, got an Effect"
    )
    expect(thrownMessage(() => Validate.effect("f", "task", js(null)))).toBe("f: task must be an Effect, got null")
    expect(Validate.satisfies("f", "even", 2, (n) => n % 2 === 0, "even")).toBe(2)
  })

  it("durations: NaN, negatives, negative or NaN tuple parts and garbage throw; Infinity only where allowed", () => {
    for (const bad of [Number.NaN, -1, -1n, "-5 millis", [-1, 0], [0, Number.NaN], [1, -1], "soon", {}, null]) {
      expect(thrownMessage(() => Validate.duration("f", "d", bad))).toMatch(
        /^f: d must be a finite, non-negative Duration, got /
      )
    }
    expect(thrownMessage(() => Validate.duration("f", "d", [-1, 0]))).toBe(
      "f: d must be a finite, non-negative Duration, got [-1, 0]"
    )
    expect(thrownMessage(() => Validate.duration("f", "d", Number.POSITIVE_INFINITY))).toBe(
      "f: d must be a finite, non-negative Duration, got Infinity"
    )
    expect(thrownMessage(() => Validate.duration("f", "d", -1, { infinite: true }))).toBe(
      "f: d must be a non-negative Duration, got -1"
    )
    expect(Duration.isFinite(Validate.duration("f", "d", Number.POSITIVE_INFINITY, { infinite: true }))).toBe(false)
    expect(Duration.toMillis(Validate.duration("f", "d", [1, 500_000_000]))).toBe(1500)
    expect(Duration.toMillis(Validate.duration("f", "d", "2 seconds"))).toBe(2000)
    expect(Duration.toMillis(Validate.duration("f", "d", 0))).toBe(0)
  })

  it("messages: elements by index or key, values shown short and unambiguous", () => {
    expect(Validate.element("tasks", 3)).toBe("tasks[3]")
    expect(Validate.element("tasks", "user")).toBe("tasks.user")
    expect(Validate.element("tasks", "a b")).toBe('tasks["a b"]')
    expect(Validate.element("tasks", Symbol("id"))).toBe("tasks[Symbol(id)]")
    expect(Validate.show(-0)).toBe("-0")
    expect(Validate.show(5n)).toBe("5n")
    expect(Validate.show("x".repeat(200))).toHaveLength(80)
    expect(Validate.show(function named() {})).toBe("function named")
    expect(Validate.show({ a: 1 })).toBe('{"a":1}')
    expect(Validate.message("f", "n", "even", 3)).toBe("f: n must be even, got 3")
  })

  it.effect("the dying form: suspend and suspendStream turn a check's throw into Effect.die, when run", () =>
    Effect.gen(function* () {
      let checked = 0
      const effect = Validate.suspend(() => {
        checked++
        return Effect.succeed(Validate.positiveInteger("f", "n", 0))
      })
      expect(checked).toBe(0)
      expect(yield* dies(effect)).toBe("f: n must be a positive integer, got 0")
      expect(yield* drained(Validate.suspendStream(() => Stream.make(Validate.fn("f", "g", 1))))).toBe(
        "f: g must be a function, got 1"
      )
      expect(yield* dies(Validate.die("f: n must be even, got 3"))).toBe("f: n must be even, got 3")
    })
  )
})

// ---------------------------------------------------------------------------------------------
// Task: inputs
// ---------------------------------------------------------------------------------------------

describe("bad inputs of Task combinators die with IllegalArgumentException naming the argument", () => {
  const all = [
    ["Task.whenAll", Task.whenAll],
    ["Task.whenAllSettled", Task.whenAllSettled],
    ["Task.whenAllOrFirstFailure", Task.whenAllOrFirstFailure]
  ] as const

  for (const [name, combinator] of all) {
    it.effect(`${name}: a non-iterable non-record (number, string, null, an Effect) is not taken as a record`, () =>
      Effect.gen(function* () {
        for (const [input, shown] of [
          [5, "5"],
          ["abc", '"abc"'],
          [null, "null"],
          [undefined, "undefined"],
          [Effect.succeed(1), "an Effect"]
        ] as const) {
          expect(yield* dies(untyped<Effect.Effect<unknown>>(combinator)(js(input)))).toBe(
            `${name}: tasks must be an iterable or a record of Effects, got ${shown}`
          )
        }
      })
    )

    it.effect(`${name}: a bad element names its index (sparse array) or key, and what started is interrupted`, () =>
      Effect.gen(function* () {
        let interrupted = 0
        const running = Effect.onInterrupt(Effect.never, () => Effect.sync(() => interrupted++))
        // biome-ignore lint/suspicious/noSparseArray: the hole is the point
        const sparse = js([running, running, , running])
        expect(yield* dies(untyped<Effect.Effect<unknown>>(combinator)(sparse))).toBe(
          `${name}: tasks[2] must be an Effect, got undefined`
        )
        expect(interrupted).toBe(2)
        expect(
          yield* dies(untyped<Effect.Effect<unknown>>(combinator)(js({ user: Effect.succeed(1), visits: 3 })))
        ).toBe(`${name}: tasks.visits must be an Effect, got 3`)
        // bounded: the element is checked when it is reached, after the first ones ran
        const ran: Array<number> = []
        const lazy = [Effect.sync(() => ran.push(0)), js("nope")]
        expect(yield* dies(untyped<Effect.Effect<unknown>>(combinator)(lazy, { concurrency: 1 }))).toBe(
          `${name}: tasks[1] must be an Effect, got "nope"`
        )
        expect(ran).toEqual([0])
      })
    )

    it.effect(`${name}: a symbol-keyed task is not dropped: it dies naming the key, before any task starts`, () =>
      Effect.gen(function* () {
        let started = 0
        const task = Effect.sync(() => started++)
        const exit = yield* dies(untyped<Effect.Effect<unknown>>(combinator)(js({ a: task, [Symbol("b")]: task })))
        expect(exit).toBe(
          `${name}: tasks[Symbol(b)] must be string-keyed (records are read by Object.keys), got an Effect`
        )
        expect(started).toBe(0)
      })
    )

    it.effect(`${name}: concurrency Infinity is "unbounded"; bad options die before any task starts`, () =>
      Effect.gen(function* () {
        expect(
          yield* untyped<Effect.Effect<unknown>>(combinator)([Effect.succeed(1), Effect.succeed(2)], {
            concurrency: Number.POSITIVE_INFINITY
          })
        ).toEqual(name === "Task.whenAllSettled" ? [Exit.succeed(1), Exit.succeed(2)] : [1, 2])
        let started = 0
        const task = Effect.sync(() => started++)
        expect(yield* dies(untyped<Effect.Effect<unknown>>(combinator)([task], js(5)))).toBe(
          `${name}: options must be an options object, got 5`
        )
        expect(yield* dies(untyped<Effect.Effect<unknown>>(combinator)([task], { concurrency: js("4") }))).toBe(
          `${name}: concurrency must be a positive integer, Infinity or "unbounded", got "4"`
        )
        expect(started).toBe(0)
      })
    )
  }

  it.effect("Task.whenAny: a misspelt losers option dies instead of interrupting; bad inputs name themselves", () =>
    Effect.gen(function* () {
      let started = 0
      const task = Effect.sync(() => started++)
      expect(yield* dies(Task.whenAny([task], { losers: js("dettach") }))).toBe(
        'Task.whenAny: losers must be one of "interrupt", "detach", got "dettach"'
      )
      expect(started).toBe(0)
      expect(yield* dies(Task.whenAny(js(5)))).toBe("Task.whenAny: tasks must be an iterable, got 5")
      expect(yield* dies(Task.whenAny(js("ab")))).toBe('Task.whenAny: tasks must be an iterable, got "ab"')
      expect(yield* dies(Task.whenAny(js([undefined])))).toBe("Task.whenAny: tasks[0] must be an Effect, got undefined")
    })
  )

  it.effect("Task.needOnlyOne: bad tasks and a bad stagger die naming them; Infinity is not a stagger", () =>
    Effect.gen(function* () {
      expect(yield* dies(Task.needOnlyOne(js(null)))).toBe("Task.needOnlyOne: tasks must be an iterable, got null")
      expect(yield* dies(Task.needOnlyOne([Effect.fail("a"), js(7)]))).toBe(
        "Task.needOnlyOne: tasks[1] must be an Effect, got 7"
      )
      for (const stagger of [[-1, 0], Number.POSITIVE_INFINITY, [0, Number.NaN]]) {
        expect(yield* dies(Task.needOnlyOne([Effect.succeed(1)], { stagger: js(stagger) }))).toMatch(
          /^Task\.needOnlyOne: stagger must be a finite, non-negative Duration, got /
        )
      }
    })
  )

  it.effect(
    "Task.interleaved: a non-iterable dies when the stream runs (not synchronously); elements when reached",
    () =>
      Effect.gen(function* () {
        const stream = untyped<Stream.Stream<unknown>>(Task.interleaved)(5)
        expect(Stream.StreamTypeId in stream).toBe(true)
        expect(yield* drained(stream)).toBe(
          "Task.interleaved: tasks must be an iterable, an async iterable or a Stream, got 5"
        )
        function* tasks() {
          yield Effect.succeed(1)
          yield js({ not: "an effect" })
        }
        expect(yield* drained(Task.interleaved(tasks(), { concurrency: 1 }))).toBe(
          'Task.interleaved: tasks[1] must be an Effect, got {"not":"an effect"}'
        )
        const out = yield* Stream.runCollect(
          Task.interleaved([Effect.succeed(1), Effect.succeed(2)], { concurrency: Number.POSITIVE_INFINITY })
        )
        expect([...out].map((c) => c.index).sort()).toEqual([0, 1])
      })
  )

  it.effect(
    "Task.throttled: f must be a function (also with an empty input), returning an Effect; options are required",
    () =>
      Effect.gen(function* () {
        expect(yield* drained(Task.throttled([], js("not a function"), { concurrency: 1 }))).toBe(
          'Task.throttled: f must be a function, got "not a function"'
        )
        expect(yield* drained(untyped<Stream.Stream<unknown>>(Task.throttled)([], "not a function"))).toBe(
          "Task.throttled: options must be an options object, got undefined"
        )
        expect(yield* drained(Task.throttled([1], Effect.succeed, js(undefined)))).toBe(
          "Task.throttled: options must be an options object, got undefined"
        )
        expect(yield* drained(Task.throttled([1, 2], (n) => js(n), { concurrency: 1 }))).toBe(
          "Task.throttled: f(items[0]) must be an Effect, got 1"
        )
        const out = yield* Stream.runCollect(
          Task.throttled("ab", (s) => Effect.succeed(s), { concurrency: Number.POSITIVE_INFINITY })
        )
        expect(out.length).toBe(2)
      })
  )

  it.effect("Task.timeout: Infinity never fires; a bad onTimeout dies naming it, not with a missing Scope", () =>
    Effect.gen(function* () {
      expect(yield* Task.timeout(Effect.succeed(1), Number.POSITIVE_INFINITY)).toBe(1)
      expect(yield* dies(Task.timeout(Effect.succeed(1), "1 second", { onTimeout: js("ignore") }))).toBe(
        'Task.timeout: onTimeout must be one of "interrupt", "detach", got "ignore"'
      )
      expect(yield* dies(Task.timeout(Effect.succeed(1), js([-1, 0])))).toBe(
        "Task.timeout: duration must be a non-negative Duration, got [-1, 0]"
      )
      expect(yield* dies(untyped<Effect.Effect<unknown>>(Task.timeout)(5, "1 second", {}))).toBe(
        "Task.timeout: task must be an Effect, got 5"
      )
    })
  )

  it.effect("Task.untilCompletionOrCancellation: a bad signal or onCancel dies naming it", () =>
    Effect.gen(function* () {
      expect(
        yield* dies(untyped<Effect.Effect<unknown>>(Task.untilCompletionOrCancellation)(Effect.succeed(1), 5))
      ).toBe("Task.untilCompletionOrCancellation: signal must be an Effect or an AbortSignal, got 5")
      expect(
        yield* dies(Task.untilCompletionOrCancellation(Effect.succeed(1), Effect.never, { onCancel: js("drop") }))
      ).toBe('Task.untilCompletionOrCancellation: onCancel must be one of "interrupt", "detach", got "drop"')
    })
  )

  it.effect(
    "Task.retryOnFault: missing options, a bad retryWhen or while die naming them, before the first attempt",
    () =>
      Effect.gen(function* () {
        let attempts = 0
        const task = Effect.sync(() => attempts++)
        expect(yield* dies(untyped<Effect.Effect<unknown>>(Task.retryOnFault)(task))).toBe(
          "Task.retryOnFault: options must be an options object, got undefined"
        )
        expect(yield* dies(Task.retryOnFault(task, js(undefined)))).toBe(
          "Task.retryOnFault: options must be an options object, got undefined"
        )
        expect(yield* dies(Task.retryOnFault(task, { maxTries: Number.POSITIVE_INFINITY }))).toBe(
          "Task.retryOnFault: maxTries must be a positive integer, got Infinity"
        )
        expect(yield* dies(Task.retryOnFault(task, { maxTries: 2, retryWhen: js(100) }))).toBe(
          "Task.retryOnFault: retryWhen must be an Effect, a function or a Schedule, got 100"
        )
        expect(yield* dies(Task.retryOnFault(task, { maxTries: 2, while: js(true) }))).toBe(
          "Task.retryOnFault: while must be a function, got true"
        )
        expect(attempts).toBe(0)
        expect(yield* Task.retryOnFault(task, { maxTries: 2, retryWhen: Schedule.spaced("1 millis") })).toBe(0)
      })
  )

  it.effect(
    "Task.delay: NaN, negatives and garbage die when run (not at call time); Task.run and fromPromise check theirs",
    () =>
      Effect.gen(function* () {
        const delay = Task.delay(js("garbage"))
        expect(yield* dies(delay)).toBe('Task.delay: duration must be a finite, non-negative Duration, got "garbage"')
        expect(yield* dies(Task.delay(Number.NaN))).toBe(
          "Task.delay: duration must be a finite, non-negative Duration, got NaN"
        )
        expect(yield* dies(Task.delay(-1))).toBe("Task.delay: duration must be a finite, non-negative Duration, got -1")
        expect(yield* dies(Effect.scoped(Task.run(js(42))))).toBe("Task.run: effect must be an Effect, got 42")
        expect(yield* dies(Task.fromPromise(js(undefined)))).toBe(
          "Task.fromPromise: evaluate must be a function, got undefined"
        )
        expect(yield* dies(Task.fromPromise(() => Promise.resolve(1), js({ catch: 1 })))).toBe(
          "Task.fromPromise: catch must be a function, got 1"
        )
      })
  )
})

// ---------------------------------------------------------------------------------------------
// data structures and Progress
// ---------------------------------------------------------------------------------------------

describe("bad arguments of data structures die with IllegalArgumentException naming them", () => {
  it.scoped(
    "AsyncCache.make: a missing lookup, bad capacity, timeToLive or cacheFailures; Infinity means no limit",
    () =>
      Effect.gen(function* () {
        expect(yield* dies(AsyncCache.make(js(undefined)))).toBe(
          "AsyncCache.make: options must be an options object, got undefined"
        )
        expect(yield* dies(AsyncCache.make(js({})))).toBe("AsyncCache.make: lookup must be a function, got undefined")
        const lookup = (n: number) => Effect.succeed(n)
        expect(yield* dies(AsyncCache.make({ lookup, timeToLive: "-5 millis" }))).toBe(
          'AsyncCache.make: timeToLive must be a non-negative Duration, got "-5 millis"'
        )
        expect(yield* dies(AsyncCache.make({ lookup, cacheFailures: js("yes") }))).toBe(
          'AsyncCache.make: cacheFailures must be one of true, false, got "yes"'
        )
        const cache = yield* AsyncCache.make({
          lookup,
          capacity: Number.POSITIVE_INFINITY,
          timeToLive: Number.POSITIVE_INFINITY
        })
        expect(yield* cache.get(1)).toBe(1)
      })
  )

  it.effect("AsyncQueue.make, KeyedLimiter.make: bad options, missing ones; Infinity accepted as no limit", () =>
    Effect.gen(function* () {
      expect(yield* dies(AsyncQueue.make(js(3)))).toBe("AsyncQueue.make: options must be an options object, got 3")
      expect(yield* dies(AsyncQueue.make({ capacity: 0 }))).toBe(
        "AsyncQueue.make: capacity must be a positive integer or Infinity, got 0"
      )
      expect(yield* dies(untyped<Effect.Effect<unknown>>(KeyedLimiter.make)())).toBe(
        "KeyedLimiter.make: options must be an options object, got undefined"
      )
      expect(yield* dies(KeyedLimiter.make({ perKey: js(undefined) }))).toBe(
        "KeyedLimiter.make: perKey must be a positive integer or Infinity, got undefined"
      )
      const limiter = yield* KeyedLimiter.make<string>({
        perKey: Number.POSITIVE_INFINITY,
        total: Number.POSITIVE_INFINITY
      })
      expect(yield* limiter.withPermit("a", Effect.succeed(1))).toBe(1)
      expect(yield* dies(limiter.withPermit("a", js(1)))).toBe(
        "KeyedLimiter.withPermit: effect must be an Effect, got 1"
      )
    })
  )

  it.scoped("AsyncLazy.make and AsyncLock.withLock: a value that is not an Effect, a bad retryOnFailure", () =>
    Effect.gen(function* () {
      expect(yield* dies(AsyncLazy.make(js(1)))).toBe("AsyncLazy.make: effect must be an Effect, got 1")
      expect(yield* dies(AsyncLazy.make(Effect.void, { retryOnFailure: js(1) }))).toBe(
        "AsyncLazy.make: retryOnFailure must be one of true, false, got 1"
      )
      const lock = yield* AsyncLock.make()
      expect(yield* dies(lock.withLock(js("work")))).toBe('AsyncLock.withLock: effect must be an Effect, got "work"')
      expect(yield* lock.isLocked).toBe(false)
    })
  )

  it.effect("Progress: make and map throw when called; aggregate and total die when run", () =>
    Effect.gen(function* () {
      expect(thrownMessage(() => Progress.make(js(undefined)))).toBe(
        "Progress.make: onReport must be a function, got undefined"
      )
      expect(thrownMessage(() => Progress.map(js({ report: () => Effect.void }), (n: number) => n))).toBe(
        'Progress.map: self must be a Progress, got {"report":"function report"}'
      )
      expect(thrownMessage(() => Progress.map(Progress.ignore, js(3)))).toBe(
        "Progress.map: f must be a function, got 3"
      )
      expect(yield* dies(Progress.aggregate(Progress.ignore, js(null)))).toBe(
        "Progress.aggregate: combine must be a function, got null"
      )
      expect(yield* dies(Progress.total(js(undefined)))).toBe(
        "Progress.total: parent must be a Progress, got undefined"
      )
    })
  )
})
