import type { Context, Exit, Fiber, Option, Scope } from "effect"
import { Effect, Schedule, Stream } from "effect"
import { pipe } from "effect/Function"
import { describe, expectTypeOf, it } from "vitest"
import { type RetriesExhausted, Task, type TaskFailures, type TimeoutError } from "../src/index.js"

interface A {
  readonly _: "A"
}
interface B {
  readonly _: "B"
}
declare const SA: Context.Tag<A, A>
declare const SB: Context.Tag<B, B>
declare const a: Effect.Effect<number, "E1", A>
declare const b: Effect.Effect<string, "E2", B>
declare const c: Effect.Effect<boolean>

describe("Task.fromResult", () => {
  it("is an effect that cannot fail and needs nothing", () => {
    expectTypeOf(Task.fromResult(1)).toEqualTypeOf<Effect.Effect<number>>()
  })
})

describe("Task.whenAll", () => {
  it("types tuples per position, with the exact error union and the union of requirements", () => {
    expectTypeOf(Task.whenAll([a, b, c])).toEqualTypeOf<
      Effect.Effect<[number, string, boolean], TaskFailures<"E1" | "E2">, A | B>
    >()
  })
  it("types records per key", () => {
    expectTypeOf(Task.whenAll({ x: a, y: c }, { concurrency: 2 })).toEqualTypeOf<
      Effect.Effect<{ x: number; y: boolean }, TaskFailures<"E1">, A>
    >()
  })
  it("types iterables as arrays", () => {
    expectTypeOf(Task.whenAll(new Set([a]))).toEqualTypeOf<Effect.Effect<Array<number>, TaskFailures<"E1">, A>>()
    expectTypeOf(Task.whenAll([a, a] as Array<typeof a>)).toEqualTypeOf<
      Effect.Effect<Array<number>, TaskFailures<"E1">, A>
    >()
  })
  it("cannot fail when no input can", () => {
    expectTypeOf(Task.whenAll([c, c])).toEqualTypeOf<Effect.Effect<[boolean, boolean], never, never>>()
  })
  it("rejects what is not an effect", () => {
    // @ts-expect-error: not effects
    Task.whenAll([1, 2])
  })
})

describe("Task.whenAllSettled / whenAllOrFirstFailure", () => {
  it("whenAllSettled gives an Exit per position and never fails", () => {
    expectTypeOf(Task.whenAllSettled([a, b])).toEqualTypeOf<
      Effect.Effect<[Exit.Exit<number, "E1">, Exit.Exit<string, "E2">], never, A | B>
    >()
    expectTypeOf(Task.whenAllSettled({ k: b })).toEqualTypeOf<Effect.Effect<{ k: Exit.Exit<string, "E2"> }, never, B>>()
  })
  it("whenAllOrFirstFailure has whenAll's types", () => {
    expectTypeOf(Task.whenAllOrFirstFailure([a, b])).toEqualTypeOf<
      Effect.Effect<[number, string], TaskFailures<"E1" | "E2">, A | B>
    >()
  })
})

describe("Task.whenAny / needOnlyOne", () => {
  it("whenAny gives a Completed of the unions; Scope only when detaching", () => {
    expectTypeOf(Task.whenAny([a, b])).toEqualTypeOf<
      Effect.Effect<Task.Completed<number | string, "E1" | "E2">, never, A | B>
    >()
    expectTypeOf(Task.whenAny([a, b], { losers: "detach" })).toEqualTypeOf<
      Effect.Effect<Task.Completed<number | string, "E1" | "E2">, never, A | B | Scope.Scope>
    >()
    expectTypeOf(Task.whenAny(new Set([a]))).toEqualTypeOf<Effect.Effect<Task.Completed<number, "E1">, never, A>>()
  })
  it("whenAny rejects arrays that may be empty", () => {
    // @ts-expect-error: arrays must be non-empty tuples
    Task.whenAny([] as Array<typeof a>)
  })
  it("needOnlyOne succeeds with the union and fails with TaskFailures of the union", () => {
    expectTypeOf(Task.needOnlyOne([a, b], { stagger: "1 second" })).toEqualTypeOf<
      Effect.Effect<number | string, TaskFailures<"E1" | "E2">, A | B>
    >()
    expectTypeOf(Task.needOnlyOne([a, a] as Array<typeof a>)).toEqualTypeOf<
      Effect.Effect<number, TaskFailures<"E1">, A>
    >()
  })
})

describe("Task.interleaved / throttled", () => {
  it("interleaved is a stream of Completed that never fails, data-first and data-last", () => {
    expectTypeOf(Task.interleaved([a, a], { concurrency: 4 })).toEqualTypeOf<
      Stream.Stream<Task.Completed<number, "E1">, never, A>
    >()
    expectTypeOf(pipe([b], Task.interleaved())).toEqualTypeOf<Stream.Stream<Task.Completed<string, "E2">, never, B>>()
  })
  it("throttled carries the item", () => {
    const f = (s: string, i: number) => Effect.as(a, `${s}${i}`)
    expectTypeOf(Task.throttled(["x"], f, { concurrency: 2 })).toEqualTypeOf<
      Stream.Stream<Task.ThrottledCompleted<string, string, "E1">, never, A>
    >()
    expectTypeOf(pipe(["x"], Task.throttled(f, { concurrency: 2 }))).toEqualTypeOf<
      Stream.Stream<Task.ThrottledCompleted<string, string, "E1">, never, A>
    >()
  })
})

describe("Task.timeout / untilCompletionOrCancellation", () => {
  it("timeout adds TimeoutError; Scope only when detaching", () => {
    expectTypeOf(Task.timeout(a, "1 second")).toEqualTypeOf<Effect.Effect<number, "E1" | TimeoutError, A>>()
    expectTypeOf(pipe(a, Task.timeout("1 second"))).toEqualTypeOf<Effect.Effect<number, "E1" | TimeoutError, A>>()
    expectTypeOf(Task.timeout(a, "1 second", { onTimeout: "detach" })).toEqualTypeOf<
      Effect.Effect<number, "E1" | TimeoutError, A | Scope.Scope>
    >()
  })
  it("untilCompletionOrCancellation gives an Option; the signal's error and requirements are added", () => {
    const signal = Effect.zipRight(SB, Effect.fail("S" as const))
    expectTypeOf(Task.untilCompletionOrCancellation(a, signal)).toEqualTypeOf<
      Effect.Effect<Option.Option<number>, "E1" | "S", A | B>
    >()
    expectTypeOf(pipe(a, Task.untilCompletionOrCancellation(new AbortController().signal))).toEqualTypeOf<
      Effect.Effect<Option.Option<number>, "E1", A>
    >()
    expectTypeOf(Task.untilCompletionOrCancellation(a, Effect.void, { onCancel: "detach" })).toEqualTypeOf<
      Effect.Effect<Option.Option<number>, "E1", A | Scope.Scope>
    >()
  })
})

describe("Task.retryOnFault", () => {
  it("fails with RetriesExhausted of the task's error, plus retryWhen's error and requirements", () => {
    expectTypeOf(Task.retryOnFault(a, { maxTries: 3 })).toEqualTypeOf<
      Effect.Effect<number, RetriesExhausted<"E1">, A>
    >()
    const wait = Effect.zipRight(SB, Effect.fail("W" as const))
    expectTypeOf(Task.retryOnFault(a, { maxTries: 3, retryWhen: wait })).toEqualTypeOf<
      Effect.Effect<number, RetriesExhausted<"E1"> | "W", A | B>
    >()
    expectTypeOf(
      pipe(
        a,
        Task.retryOnFault({
          maxTries: 3,
          retryWhen: (error, attempt) => {
            expectTypeOf(error).toEqualTypeOf<"E1">()
            expectTypeOf(attempt).toEqualTypeOf<number>()
            return Effect.void
          },
          while: (error) => error === "E1"
        })
      )
    ).toEqualTypeOf<Effect.Effect<number, RetriesExhausted<"E1">, A>>()
    expectTypeOf(Task.retryOnFault(a, { maxTries: 3, retryWhen: Schedule.spaced("1 second") })).toEqualTypeOf<
      Effect.Effect<number, RetriesExhausted<"E1">, A>
    >()
  })
})

describe("Task.run / fromPromise / delay / yieldNow", () => {
  it("run needs a Scope and gives the fiber", () => {
    expectTypeOf(Task.run(a)).toEqualTypeOf<Effect.Effect<Fiber.RuntimeFiber<number, "E1">, never, A | Scope.Scope>>()
  })
  it("fromPromise fails with UnknownException or the catch result", () => {
    expectTypeOf(Task.fromPromise(() => Promise.resolve(1))).toEqualTypeOf<
      Effect.Effect<number, import("effect/Cause").UnknownException>
    >()
    expectTypeOf(Task.fromPromise(() => Promise.resolve(1), { catch: () => "X" as const })).toEqualTypeOf<
      Effect.Effect<number, "X">
    >()
  })
  it("delay and yieldNow cannot fail", () => {
    expectTypeOf(Task.delay("1 second")).toEqualTypeOf<Effect.Effect<void>>()
    expectTypeOf(Task.yieldNow()).toEqualTypeOf<Effect.Effect<void>>()
  })
  it("the services used above are only types", () => {
    expectTypeOf(SA).not.toBeAny()
  })
})

describe("Task.SuccessOf / ErrorOf / ContextOf", () => {
  it("read tuples, records and any iterable of effects", () => {
    type Tuple = readonly [Effect.Effect<1, "e1">, Effect.Effect<2, "e2", A>]
    expectTypeOf<Task.SuccessOf<Tuple>>().toEqualTypeOf<1 | 2>()
    expectTypeOf<Task.ErrorOf<{ readonly a: Effect.Effect<1, "e1"> }>>().toEqualTypeOf<"e1">()
    type It = Task.NonArrayIterable<Effect.Effect<number, "e", B>>
    expectTypeOf<Task.SuccessOf<It>>().toEqualTypeOf<number>()
    expectTypeOf<Task.ErrorOf<It>>().toEqualTypeOf<"e">()
    expectTypeOf<Task.ContextOf<It>>().toEqualTypeOf<B>()
  })
})

// ---------------------------------------------------------------------------------------------
// everyday code: what users write must compile with the types they expect
// ---------------------------------------------------------------------------------------------

declare const fromCache: Effect.Effect<string, "Miss", A>
declare const fromNetwork: Effect.Effect<number, Error, B>
/** An array of effects of different types, as `const sources = [fromCache, fromNetwork]` gives it. */
const sources = [fromCache, fromNetwork]
function* generated() {
  yield fromCache
  yield fromNetwork
}

describe("collections of effects of different types", () => {
  it("the element type is inferred as Effect.raceAll infers it", () => {
    expectTypeOf(sources).toEqualTypeOf<Array<Effect.Effect<string, "Miss", A> | Effect.Effect<number, Error, B>>>()
    expectTypeOf(Effect.raceAll(sources)).toEqualTypeOf<Effect.Effect<string | number, "Miss" | Error, A | B>>()
  })
  it("needOnlyOne takes an array, a Set and a generator", () => {
    type Expected = Effect.Effect<string | number, TaskFailures<"Miss" | Error>, A | B>
    expectTypeOf(Task.needOnlyOne(sources)).toEqualTypeOf<Expected>()
    expectTypeOf(Task.needOnlyOne(new Set(sources))).toEqualTypeOf<Expected>()
    expectTypeOf(Task.needOnlyOne(generated())).toEqualTypeOf<Expected>()
    expectTypeOf(Task.needOnlyOne([fromCache, fromNetwork], { stagger: "1 second" })).toEqualTypeOf<Expected>()
  })
  it("whenAny takes a Set and a generator (arrays stay non-empty tuples)", () => {
    type Expected = Effect.Effect<Task.Completed<string | number, "Miss" | Error>, never, A | B>
    expectTypeOf(Task.whenAny(new Set(sources))).toEqualTypeOf<Expected>()
    expectTypeOf(Task.whenAny(generated())).toEqualTypeOf<Expected>()
    expectTypeOf(Task.whenAny([fromCache, fromNetwork])).toEqualTypeOf<Expected>()
  })
  it("whenAll and whenAllOrFirstFailure give an array of the union for arrays, Sets and generators", () => {
    type Expected = Effect.Effect<Array<string | number>, TaskFailures<"Miss" | Error>, A | B>
    expectTypeOf(Task.whenAll(sources)).toEqualTypeOf<Expected>()
    expectTypeOf(Task.whenAll(new Set(sources))).toEqualTypeOf<Expected>()
    expectTypeOf(Task.whenAll(generated())).toEqualTypeOf<Expected>()
    expectTypeOf(Task.whenAllOrFirstFailure(generated(), { concurrency: 2 })).toEqualTypeOf<Expected>()
  })
  it("whenAllSettled gives each element the Exit of its own effect", () => {
    expectTypeOf(Task.whenAllSettled(new Set(sources))).toEqualTypeOf<
      Effect.Effect<Array<Exit.Exit<string, "Miss"> | Exit.Exit<number, Error>>, never, A | B>
    >()
  })
  it("tuples keep their positions and records their keys", () => {
    expectTypeOf(Task.whenAll([fromCache, fromNetwork])).toEqualTypeOf<
      Effect.Effect<[string, number], TaskFailures<"Miss" | Error>, A | B>
    >()
    expectTypeOf(Task.whenAll({ cached: fromCache, fresh: fromNetwork })).toEqualTypeOf<
      Effect.Effect<{ cached: string; fresh: number }, TaskFailures<"Miss" | Error>, A | B>
    >()
    expectTypeOf(Task.whenAllSettled({ cached: fromCache })).toEqualTypeOf<
      Effect.Effect<{ cached: Exit.Exit<string, "Miss"> }, never, A>
    >()
  })
  it("interleaved takes an array, a Set and a generator, data-first and data-last", () => {
    type Expected = Stream.Stream<Task.Completed<string | number, "Miss" | Error>, never, A | B>
    expectTypeOf(Task.interleaved(sources)).toEqualTypeOf<Expected>()
    expectTypeOf(Task.interleaved(new Set(sources), { concurrency: 2 })).toEqualTypeOf<Expected>()
    expectTypeOf(pipe(generated(), Task.interleaved())).toEqualTypeOf<Expected>()
    expectTypeOf(Stream.take(Task.interleaved(sources), 1)).toEqualTypeOf<Expected>()
  })
  it("throttled takes an f that returns effects of different types", () => {
    const pick = (n: number) => (n > 0 ? fromCache : fromNetwork)
    type Expected = Stream.Stream<Task.ThrottledCompleted<number, string | number, "Miss" | Error>, never, A | B>
    expectTypeOf(Task.throttled([1, -1], pick, { concurrency: 2 })).toEqualTypeOf<Expected>()
    expectTypeOf(pipe([1, -1], Task.throttled(pick, { concurrency: 2, ordered: true }))).toEqualTypeOf<Expected>()
  })
  it("an infallible collection cannot fail, in every shape", () => {
    expectTypeOf(Task.needOnlyOne(new Set([c]))).toEqualTypeOf<Effect.Effect<boolean, never, never>>()
    expectTypeOf(Task.whenAll(new Set([c]))).toEqualTypeOf<Effect.Effect<Array<boolean>, never, never>>()
    expectTypeOf(Task.whenAll({ k: c })).toEqualTypeOf<Effect.Effect<{ k: boolean }, never, never>>()
    expectTypeOf(Task.whenAllOrFirstFailure([c])).toEqualTypeOf<Effect.Effect<[boolean], never, never>>()
  })
})

describe("results on records are plain shapes", () => {
  it("whenAll of a record is the record of the results, as Effect.all's", () => {
    const program = Task.whenAll({ user: Effect.succeed({ name: "ada" }), visits: Effect.succeed(3) })
    expectTypeOf(program).toEqualTypeOf<Effect.Effect<{ user: { name: string }; visits: number }, never, never>>()
    expectTypeOf(program).toEqualTypeOf<
      ReturnType<typeof Effect.all<{ user: Effect.Effect<{ name: string }>; visits: Effect.Effect<number> }, {}>>
    >()
  })
  it("Successes and Exits read any iterable as an array", () => {
    expectTypeOf<Task.Successes<Set<typeof fromCache | typeof fromNetwork>>>().toEqualTypeOf<Array<string | number>>()
    expectTypeOf<Task.Successes<readonly [typeof fromCache, typeof c]>>().toEqualTypeOf<[string, boolean]>()
    expectTypeOf<Task.Exits<Array<typeof fromCache>>>().toEqualTypeOf<Array<Exit.Exit<string, "Miss">>>()
  })
})

describe("option types in variables", () => {
  it("whenAny: WhenAnyOptions may detach, so it needs a Scope; the literal interrupt (or none) does not", () => {
    const options: Task.WhenAnyOptions = { losers: "interrupt" }
    expectTypeOf(Task.whenAny([a, b], options)).toEqualTypeOf<
      Effect.Effect<Task.Completed<number | string, "E1" | "E2">, never, A | B | Scope.Scope>
    >()
    expectTypeOf(Task.whenAny(new Set([a]), options)).toEqualTypeOf<
      Effect.Effect<Task.Completed<number, "E1">, never, A | Scope.Scope>
    >()
    const interrupting = { losers: "interrupt" } as const
    expectTypeOf(Task.whenAny([a], interrupting)).toEqualTypeOf<Effect.Effect<Task.Completed<number, "E1">, never, A>>()
    expectTypeOf(Task.whenAny([a], {})).toEqualTypeOf<Effect.Effect<Task.Completed<number, "E1">, never, A>>()
  })
  it("timeout: TimeoutOptions needs a Scope, data-first and data-last", () => {
    const options: Task.TimeoutOptions = {}
    expectTypeOf(Task.timeout(a, "1 second", options)).toEqualTypeOf<
      Effect.Effect<number, "E1" | TimeoutError, A | Scope.Scope>
    >()
    expectTypeOf(pipe(a, Task.timeout("1 second", options))).toEqualTypeOf<
      Effect.Effect<number, "E1" | TimeoutError, A | Scope.Scope>
    >()
    expectTypeOf(Task.timeout(a, "1 second", { onTimeout: "interrupt" })).toEqualTypeOf<
      Effect.Effect<number, "E1" | TimeoutError, A>
    >()
  })
  it("untilCompletionOrCancellation: CancellationOptions needs a Scope, data-first and data-last", () => {
    const options: Task.CancellationOptions = { onCancel: "interrupt" }
    const signal = new AbortController().signal
    expectTypeOf(Task.untilCompletionOrCancellation(a, signal, options)).toEqualTypeOf<
      Effect.Effect<Option.Option<number>, "E1", A | Scope.Scope>
    >()
    expectTypeOf(pipe(a, Task.untilCompletionOrCancellation(signal, options))).toEqualTypeOf<
      Effect.Effect<Option.Option<number>, "E1", A | Scope.Scope>
    >()
    expectTypeOf(pipe(a, Task.untilCompletionOrCancellation(signal, { onCancel: "interrupt" }))).toEqualTypeOf<
      Effect.Effect<Option.Option<number>, "E1", A>
    >()
  })
  it("needOnlyOne, whenAll, interleaved and throttled take their option types", () => {
    const one: Task.NeedOnlyOneOptions = { stagger: "100 millis" }
    const all: Task.AllOptions = { concurrency: 4 }
    const streamed: Task.InterleavedOptions = { concurrency: "unbounded" }
    const throttling: Task.ThrottledOptions = { concurrency: 2, ordered: true }
    expectTypeOf(Task.needOnlyOne(sources, one)).toEqualTypeOf<
      Effect.Effect<string | number, TaskFailures<"Miss" | Error>, A | B>
    >()
    expectTypeOf(Task.whenAll([a], all)).toEqualTypeOf<Effect.Effect<[number], TaskFailures<"E1">, A>>()
    expectTypeOf(Task.interleaved([a], streamed)).toEqualTypeOf<Stream.Stream<Task.Completed<number, "E1">, never, A>>()
    expectTypeOf(Task.throttled(["x"], () => a, throttling)).toEqualTypeOf<
      Stream.Stream<Task.ThrottledCompleted<string, number, "E1">, never, A>
    >()
  })
})

describe("retryOnFault data-last", () => {
  it("a policy made once keeps the error type of each effect it is applied to", () => {
    const thrice = Task.retryOnFault({ maxTries: 3 })
    expectTypeOf(thrice(a)).toEqualTypeOf<Effect.Effect<number, RetriesExhausted<"E1">, A>>()
    expectTypeOf(thrice(fromNetwork)).toEqualTypeOf<Effect.Effect<number, RetriesExhausted<Error>, B>>()
    expectTypeOf(pipe(fromCache, thrice)).toEqualTypeOf<Effect.Effect<string, RetriesExhausted<"Miss">, A>>()
    const paced = Task.retryOnFault({ maxTries: 3, retryWhen: Effect.zipRight(SB, Effect.fail("W" as const)) })
    expectTypeOf(paced(a)).toEqualTypeOf<Effect.Effect<number, RetriesExhausted<"E1"> | "W", A | B>>()
  })
  it("in a pipe the callbacks still see the effect's error", () => {
    expectTypeOf(
      pipe(
        fromCache,
        Task.retryOnFault({
          maxTries: 3,
          while: (error) => {
            expectTypeOf(error).toEqualTypeOf<"Miss">()
            return true
          }
        })
      )
    ).toEqualTypeOf<Effect.Effect<string, RetriesExhausted<"Miss">, A>>()
  })
  it("a policy for one error type refuses an effect with another", () => {
    const onMiss = Task.retryOnFault<"Miss">({ maxTries: 3, while: (error) => error === "Miss" })
    expectTypeOf(onMiss(fromCache)).toEqualTypeOf<Effect.Effect<string, RetriesExhausted<"Miss">, A>>()
    // @ts-expect-error: Error is not "Miss"
    onMiss(fromNetwork)
  })
})

describe("generic helpers", () => {
  it("whenAll of effects with a generic error fails with TaskFailures<E>, so catchTag finds it", () => {
    const total = <E>(ts: ReadonlyArray<Effect.Effect<number, E>>) =>
      Task.whenAll(ts).pipe(Effect.catchTag("TaskFailures", (e) => Effect.succeed([e.failures.length])))
    expectTypeOf(Task.whenAll([] as ReadonlyArray<Effect.Effect<number, "E">>)).toEqualTypeOf<
      Effect.Effect<Array<number>, TaskFailures<"E">, never>
    >()
    expectTypeOf(total<"E">).returns.toEqualTypeOf<Effect.Effect<Array<number>, never, never>>()
  })
  it("so do whenAllOrFirstFailure and needOnlyOne; with no error type they cannot fail", () => {
    const first = <E>(ts: Iterable<Effect.Effect<string, E>>) =>
      Task.needOnlyOne(ts).pipe(Effect.catchTag("TaskFailures", () => Effect.succeed("none")))
    const eager = <E>(ts: ReadonlyArray<Effect.Effect<string, E>>) =>
      Task.whenAllOrFirstFailure(ts).pipe(Effect.catchTag("TaskFailures", () => Effect.succeed<Array<string>>([])))
    const infallible = <X>(ts: ReadonlyArray<Effect.Effect<X>>) => Task.whenAll(ts)
    expectTypeOf(first<"E">).returns.toEqualTypeOf<Effect.Effect<string, never, never>>()
    expectTypeOf(eager<"E">).returns.toEqualTypeOf<Effect.Effect<Array<string>, never, never>>()
    expectTypeOf(infallible<1>).returns.toEqualTypeOf<Effect.Effect<Array<1>, never, never>>()
  })
})

describe("errors point at the bad argument", () => {
  it("throttled without options: the error is on f, never 'the items are not a function'", () => {
    Task.throttled(
      [1, 2],
      // @ts-expect-error: f must be followed by the options
      (n) => Effect.succeed(n + 1)
    )
    Task.throttled(
      new Set(["x"]),
      // @ts-expect-error: f must be followed by the options
      (s: string) => Effect.succeed(s)
    )
  })
  it("throttled: a bad option is pointed at, data-first and data-last", () => {
    Task.throttled(["x"], () => a, {
      concurrency: 2,
      // @ts-expect-error: ordered is a boolean
      ordered: "yes"
    })
    pipe(
      ["x"],
      Task.throttled(() => a, {
        concurrency: 2,
        // @ts-expect-error: a misspelt option
        orderd: true
      })
    )
  })
  it("whenAny: a bad losers mode is pointed at, not the tasks", () => {
    Task.whenAny([a, b], {
      // @ts-expect-error: not a losers mode
      losers: "keep"
    })
    Task.whenAny(new Set([a]), {
      // @ts-expect-error: not a losers mode
      losers: "keep"
    })
  })
  it("whenAny: an array that may be empty is pointed at", () => {
    Task.whenAny(
      // @ts-expect-error: arrays must be non-empty tuples
      sources,
      { losers: "detach" }
    )
  })
  it("timeout and untilCompletionOrCancellation: a bad mode is pointed at", () => {
    Task.timeout(a, "1 second", {
      // @ts-expect-error: not an onTimeout mode
      onTimeout: "keep"
    })
    Task.untilCompletionOrCancellation(a, Effect.void, {
      // @ts-expect-error: not an onCancel mode
      onCancel: "keep"
    })
  })
  it("whenAll: an element that is not an effect is pointed at", () => {
    Task.whenAll([
      a,
      // @ts-expect-error: not an effect
      1
    ])
  })
})
