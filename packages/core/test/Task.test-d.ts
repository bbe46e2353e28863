import type { Context, Exit, Fiber, Option, Scope, Stream } from "effect"
import { Effect, Schedule } from "effect"
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
