/**
 * The .NET Task-based Asynchronous Pattern's combinators, on Effect fibers.
 *
 * Every combinator takes **effects** (cold descriptions), starts each as a child fiber and
 * guarantees that when the combinator's effect ends — by success, failure or its own
 * interruption — every child it started has ended too, unless the caller asked to detach one
 * (detaching needs a `Scope`). Inputs are `Iterable`s pulled lazily, or (for `whenAll`,
 * `whenAllSettled`, `whenAllOrFirstFailure`) tuples and records typed per position.
 * `concurrency` is a positive integer, or `Infinity` / `"unbounded"` (the same; the default: TAP
 * tasks all run at once). No failure is dropped: typed failures are gathered with their position
 * into `TaskFailures`, defects and interruptions stay in the `Cause`.
 *
 * Bad arguments are bugs, so they are defects — `IllegalArgumentException` naming the function,
 * the argument and the value (and the index or key of a bad element), in the shape of the
 * `Validate` module — never a typed failure, a hang or a silent default. Options are checked when
 * the combinator's effect (or stream) runs, before any task starts; an element of a lazy input when
 * it is reached (the tasks already started are interrupted and awaited).
 *
 * **FiberRefs.** Every child starts with the caller's FiberRefs as they were when the combinator
 * started (its services, log annotations, `FiberRef.locally` values), also when a bounded
 * combinator runs many children one after another on one worker fiber. Unlike `Effect.forEach`,
 * the children's FiberRefs are never merged back into the caller: children end in any order and
 * may have been interrupted or detached, so no merge order would mean anything. A child that
 * wants to hand something back returns it.
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import { dual } from "effect/Function"
import type * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as internal from "./internal/task/combinators.js"
import * as Validate from "./internal/validate.js"

// ---------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------

/**
 * A child that has ended: its position in the input and its `Exit`.
 *
 * `whenAny` returns the first one; `interleaved` emits them in completion order.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Effect, Exit } from "effect"
 *
 * const first: Task.Completed<string, never> = Effect.runSync(Task.whenAny([Effect.succeed("a")]))
 * console.log(first.index, Exit.isSuccess(first.exit))
 * // Output: 0 true
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Completed<A, E> {
  readonly index: number
  readonly exit: Exit.Exit<A, E>
}

/**
 * An element of `throttled`: a `Completed` that also carries the input item it was made from.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Chunk, Effect, Stream } from "effect"
 *
 * const done = Effect.runSync(
 *   Stream.runCollect(Task.throttled(["a"], (s) => Effect.succeed(s.length), { concurrency: 1 }))
 * )
 * const first: Task.ThrottledCompleted<string, number, never> = Chunk.unsafeGet(done, 0)
 * console.log(first.item)
 * // Output: a
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ThrottledCompleted<I, A, E> extends Completed<A, E> {
  readonly item: I
}

/**
 * One typed failure inside `TaskFailures`: the child's position (`index`, and `key` for record
 * inputs — `index` is then the position in `Object.keys` order) and its error.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * const failure: Task.TaskFailure<string> = { index: 1, key: "b", error: "boom" }
 * console.log(failure.key)
 * // Output: b
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskFailure<E> {
  readonly index: number
  readonly key?: string
  readonly error: E
}

/**
 * `concurrency`: a positive integer, or `"unbounded"` (every child at once). `Infinity` is accepted
 * as `"unbounded"`; 0, negatives, fractions and NaN are defects (`IllegalArgumentException`).
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * const c: Task.Concurrency = 8
 * console.log(c)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Concurrency = number | "unbounded"

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * Every typed failure of the children of a combinator (TAP's `AggregateException`), in index
 * order, each with its position (and key for records). Generic in the children's error type, so
 * it is a `Data.TaggedError` rather than a `Schema` class.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Task.whenAll([Effect.fail("a"), Effect.succeed(1), Effect.fail("c")]).pipe(
 *   Effect.catchTag("TaskFailures", (e) => Effect.succeed(e.failures.map((f) => `${f.index}:${f.error}`)))
 * )
 * console.log(Effect.runSync(program))
 * // Output: [ '0:a', '2:c' ]
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class TaskFailures<E> extends Data.TaggedError("TaskFailures")<{
  readonly failures: ReadonlyArray<TaskFailure<E>>
}> {
  /**
   * A one-line summary for logs.
   *
   * @since 0.1.0
   */
  override get message(): string {
    const n = this.failures.length
    return `${n} task${n === 1 ? "" : "s"} failed (at ${this.failures.map((f) => f.key ?? String(f.index)).join(", ")})`
  }
}

/**
 * `Task.timeout`'s failure: the task did not complete within `duration`.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Duration } from "effect"
 *
 * const e = new Task.TimeoutError({ duration: Duration.seconds(1) })
 * console.log(e._tag, Duration.toMillis(e.duration), e.message)
 * // Output: TimeoutError 1000 timed out after 1s
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Data.TaggedError("TimeoutError")<{
  readonly duration: Duration.Duration
}> {
  /**
   * A one-line summary for logs.
   *
   * @since 0.1.0
   */
  override get message(): string {
    return `timed out after ${Duration.format(this.duration)}`
  }
}

/**
 * `Task.retryOnFault`'s failure: every attempt failed (or `while` said stop); `errors` holds each
 * attempt's error in order, `attempts` how many ran. Its `message` lists the first three errors,
 * shortened (`gave up after 3 attempts: "busy"; "busy"; "busy"`). When a defect or a failing
 * `retryWhen` ended the retries, it comes first in the `Cause`, before that defect or failure.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const e = Effect.runSync(Effect.flip(Task.retryOnFault(Effect.fail("nope"), { maxTries: 3 })))
 * console.log(e.attempts, e.errors, e.message)
 * // Output: 3 [ 'nope', 'nope', 'nope' ] gave up after 3 attempts: "nope"; "nope"; "nope"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class RetriesExhausted<E> extends Data.TaggedError("RetriesExhausted")<{
  readonly attempts: number
  readonly errors: ReadonlyArray<E>
}> {
  /**
   * A one-line summary for logs.
   *
   * @since 0.1.0
   */
  override get message(): string {
    const n = this.errors.length
    const shown = this.errors.slice(0, 3).map(Validate.summary).join("; ")
    return `gave up after ${this.attempts} attempt${this.attempts === 1 ? "" : "s"}${n === 0 ? "" : `: ${shown}${n > 3 ? `; … (${n - 3} more)` : ""}`}`
  }
}

// ---------------------------------------------------------------------------------------------
// type helpers
// ---------------------------------------------------------------------------------------------

/**
 * Any effect: the bound of the combinators' inputs.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const tasks: ReadonlyArray<Task.AnyTask> = [Effect.succeed(1), Effect.fail("e")]
 * console.log(tasks.length)
 * ```
 *
 * @since 0.1.0
 * @category type-level
 */
export type AnyTask = Effect.Effect<unknown, unknown, unknown>

/**
 * The success types of a `whenAll` input, in its shape: a tuple keeps its positions, an array its
 * element type, a record its keys, and any other iterable (a `Set`, a generator) gives an array.
 * Effects of different types mix freely: each position (or the array's element) gets the success
 * type of its own effect. Evaluated eagerly, so a hover shows the plain shape (`{ a: number; b:
 * string }`), as `Effect.all`'s does.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import type { Effect } from "effect"
 *
 * type R = Task.Successes<{ a: Effect.Effect<number>; b: Effect.Effect<string> }> // { a: number; b: string }
 * const r: R = { a: 1, b: "x" }
 * type S = Task.Successes<Set<Effect.Effect<number> | Effect.Effect<string>>> // Array<number | string>
 * const s: S = [1, "x"]
 * console.log(r, s)
 * ```
 *
 * @since 0.1.0
 * @category type-level
 */
export type Successes<T> = InShape<T, "success">

/**
 * The `Exit` of each position of a `whenAllSettled` input, in its shape (as `Successes`: tuples by
 * position, records by key, other iterables as an array).
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import { type Effect, Exit } from "effect"
 *
 * type R = Task.Exits<[Effect.Effect<number, string>]> // [Exit<number, string>]
 * const r: R = [Exit.succeed(1)]
 * console.log(r.length)
 * ```
 *
 * @since 0.1.0
 * @category type-level
 */
export type Exits<T> = InShape<T, "exit">

/**
 * `Successes` (`"success"`) or `Exits` (`"exit"`): a non-array iterable gives an array; a tuple, an
 * array or a record is mapped position by position (a homomorphic mapped type keeps tuples). A
 * conditional type, so that an instance resolves to its plain shape.
 */
type InShape<T, M extends "success" | "exit"> =
  T extends NonArrayIterable<infer X> ? Array<OfTask<X, M>> : { -readonly [K in keyof T]: OfTask<T[K], M> }

/** An effect's success type or its `Exit`, distributed over a union of effects. */
type OfTask<X, M extends "success" | "exit"> =
  X extends Effect.Effect<infer A, infer E, infer _R> ? (M extends "exit" ? Exit.Exit<A, E> : A) : never

/**
 * The union of the error types of the effects in `T` (a tuple, an iterable or a record), distributed.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import type { Effect } from "effect"
 *
 * type E = Task.ErrorOf<[Effect.Effect<1, "x">, Effect.Effect<2, "y">]> // "x" | "y"
 * const e: E = "y"
 * console.log(e)
 * ```
 *
 * @since 0.1.0
 * @category type-level
 */
export type ErrorOf<T> =
  Values<T> extends infer X ? (X extends Effect.Effect<infer _A, infer E, infer _R> ? E : never) : never

/**
 * The union of the requirements of the effects in `T` (a tuple, an iterable or a record), distributed.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import type { Effect } from "effect"
 *
 * type R = Task.ContextOf<{ a: Effect.Effect<1, never, "A">; b: Effect.Effect<2, never, "B"> }> // "A" | "B"
 * const r: R = "B"
 * console.log(r)
 * ```
 *
 * @since 0.1.0
 * @category type-level
 */
export type ContextOf<T> =
  Values<T> extends infer X ? (X extends Effect.Effect<infer _A, infer _E, infer R> ? R : never) : never

/**
 * The success types of the effects in `T` (a tuple, an iterable or a record), as one union.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import type { Effect } from "effect"
 *
 * type A = Task.SuccessOf<[Effect.Effect<1>, Effect.Effect<"two">]> // 1 | "two"
 * const a: A = 1
 * console.log(a)
 * ```
 *
 * @since 0.1.0
 * @category type-level
 */
export type SuccessOf<T> =
  Values<T> extends infer X ? (X extends Effect.Effect<infer A, infer _E, infer _R> ? A : never) : never

type Values<T> = T extends Iterable<infer X> ? X : T[keyof T]

/**
 * `TaskFailures<E>`, or `never` when no child can fail (so a combinator of infallible effects
 * cannot fail either).
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * type Never = Task.FailuresOf<never> // never
 * type Some = Task.FailuresOf<string> // TaskFailures<string>
 * const ok: Some | Never | undefined = undefined
 * console.log(ok)
 * ```
 *
 * @since 0.1.0
 * @category type-level
 */
export type FailuresOf<E> = [E] extends [never] ? never : TaskFailures<E>

/**
 * An iterable that is not an array: arrays given to `whenAny` / `needOnlyOne` must be non-empty
 * tuples, other iterables are checked when run.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const tasks: Task.NonArrayIterable<Effect.Effect<number>> = new Set([Effect.succeed(1)])
 * console.log(tasks)
 * ```
 *
 * @since 0.1.0
 * @category type-level
 */
export type NonArrayIterable<A> = Iterable<A> & { readonly length?: never }

/** An options argument of a data-last call (or none): what decides between the two forms of a `dual`. */
const isOptionsLike = (u: unknown): boolean =>
  u === undefined ||
  (typeof u === "object" &&
    u !== null &&
    !Effect.isEffect(u) &&
    !(Symbol.iterator in u) &&
    !(Symbol.asyncIterator in u) &&
    !(Stream.StreamTypeId in u) &&
    !(typeof AbortSignal !== "undefined" && u instanceof AbortSignal))

// ---------------------------------------------------------------------------------------------
// all
// ---------------------------------------------------------------------------------------------

/**
 * Options of `whenAll`, `whenAllSettled` and `whenAllOrFirstFailure`.
 *
 * - `concurrency` — `number | "unbounded"`, default `"unbounded"`, minimum 1, an integer, or
 *   `Infinity` (= `"unbounded"`). How many children run at once; the input is pulled lazily as slots
 *   free up (`"unbounded"` pulls and starts the whole input at once, like `Promise.all`: do not give
 *   it an endless iterable). 0, negatives, fractions, NaN, a string other than `"unbounded"` — and
 *   options that are not an object — are defects before any task starts.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * const options: Task.AllOptions = { concurrency: 4 }
 * console.log(options)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AllOptions {
  readonly concurrency?: Concurrency | undefined
}

/**
 * Runs every task and waits for all of them: TAP's `Task.WhenAll`.
 *
 * Succeeds with the results in the input's shape (tuple, array, record). If any task failed,
 * fails with `TaskFailures` holding **every** typed failure in index order (with `key` for
 * records) — after all the others have finished. Defects and interruptions of children stay in
 * the `Cause`, next to `TaskFailures`. When `whenAll` itself is interrupted (a time-out, a
 * `Fiber.interrupt`, the end of a `Scope`), every running child is interrupted and awaited before it
 * returns, and no more are started. It cannot fail (`never`) when no task can.
 *
 * The input is an iterable (not a string) or a record; effects of different types mix freely
 * (`[fromCache, fromNetwork]` gives `[string, number]`, an array or a `Set` of them an array of the
 * union). A record is read with `Object.keys`, as `Effect.all` reads it; unlike `Effect.all`, which
 * drops a symbol-keyed property without a word, a symbol-keyed property dies
 * (`IllegalArgumentException` naming the key) before any task starts. Anything else (a number, a
 * string, `null`, a single `Effect`) dies too, and so does an element that is not an `Effect` — a
 * hole of a sparse array included — naming its index or key when it is reached
 * (`Task.whenAll: tasks[3] must be an Effect, got undefined`). The same holds for `whenAllSettled`
 * and `whenAllOrFirstFailure`. See `AllOptions` for `concurrency`.
 *
 * @example
 * ```ts
 * // Title: All succeed: the results in the input's shape
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Task.whenAll({ user: Effect.succeed("ada"), visits: Effect.succeed(3) })
 * console.log(Effect.runSync(program))
 * // Output: { user: 'ada', visits: 3 }
 *
 * const tuple = Task.whenAll([Effect.succeed(1), Effect.succeed("two")], { concurrency: 2 })
 * console.log(Effect.runSync(tuple))
 * // Output: [ 1, 'two' ]
 * ```
 *
 * @example
 * ```ts
 * // Title: Some fail: every failure, once the others have finished
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const task = (name: string, ms: number, ok: boolean) =>
 *   Effect.sleep(ms).pipe(
 *     Effect.zipRight(ok ? Effect.succeed(name) : Effect.fail(`${name} failed`)),
 *     Effect.tap(() => Console.log(`${name} done`))
 *   )
 * const program = Task.whenAll([task("a", 30, false), task("b", 10, true), task("c", 20, false)]).pipe(
 *   Effect.catchTag("TaskFailures", (e) => Effect.succeed(e.failures.map((f) => `${f.index}: ${f.error}`)))
 * )
 * Effect.runPromise(program).then(console.log)
 * // Output:
 * // b done
 * // [ '0: a failed', '2: c failed' ]
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupted from outside: every running child is interrupted and awaited
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const slow = (name: string) =>
 *   Effect.sleep("1 second").pipe(Effect.onInterrupt(() => Console.log(`${name} interrupted`)))
 * const program = Task.whenAll([slow("a"), slow("b")]).pipe(Task.timeout("20 millis"), Effect.flip)
 * Effect.runPromise(program).then((e) => console.log(e._tag))
 * // Output:
 * // a interrupted
 * // b interrupted
 * // TimeoutError
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const whenAll: {
  <
    const T extends
      | Iterable<Effect.Effect<unknown, never, unknown>>
      | Readonly<Record<string, Effect.Effect<unknown, never, unknown>>>
  >(
    tasks: T,
    options?: AllOptions
  ): Effect.Effect<Successes<T>, FailuresOf<ErrorOf<T>>, ContextOf<T>>
  <const T extends Iterable<AnyTask> | Readonly<Record<string, AnyTask>>>(
    tasks: T,
    options?: AllOptions
  ): Effect.Effect<Successes<T>, TaskFailures<ErrorOf<T>>, ContextOf<T>>
} = internal.whenAll

/**
 * Runs every task and waits for all of them, keeping every `Exit` in the input's shape.
 *
 * Never fails with a child's error: look at each `Exit` (success, failure, defect or
 * interruption). Interrupting it interrupts and awaits every running child. Inputs, options and
 * bad arguments as `whenAll`.
 *
 * @example
 * ```ts
 * // Title: Successes, failures and defects side by side
 * import { Task } from "@tapestry/core"
 * import { Cause, Effect, Exit } from "effect"
 *
 * const program = Task.whenAllSettled([Effect.succeed(1), Effect.fail("boom"), Effect.die("bug")])
 * const show = Exit.match({ onSuccess: (a) => `ok ${a}`, onFailure: (c) => `failed ${Cause.squash(c)}` })
 * console.log(Effect.runSync(program).map(show))
 * // Output: [ 'ok 1', 'failed boom', 'failed bug' ]
 * ```
 *
 * @example
 * ```ts
 * // Title: A record of downloads, each settled on its own
 * import { Task } from "@tapestry/core"
 * import { Effect, Exit } from "effect"
 *
 * const settled = Task.whenAllSettled({ eu: Effect.fail("404"), us: Effect.succeed("page") })
 * const { eu, us } = Effect.runSync(settled)
 * console.log(Exit.isFailure(eu), Exit.isSuccess(us))
 * // Output: true true
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const whenAllSettled: <const T extends Iterable<AnyTask> | Readonly<Record<string, AnyTask>>>(
  tasks: T,
  options?: AllOptions
) => Effect.Effect<Exits<T>, never, ContextOf<T>> = internal.whenAllSettled

/**
 * Runs every task; on the first failure interrupts the rest at once: TAP's
 * `WhenAllOrFirstException`.
 *
 * Succeeds with every result in the input's shape when all succeed. On the first failure it stops
 * starting tasks, interrupts the running ones, waits for them, and fails with `TaskFailures`
 * holding that failure first, then (in index order) any other failure that completed before the
 * interruption finished. The interruptions it caused itself are not reported; defects are kept in
 * the `Cause`. Inputs, options and bad arguments as `whenAll`.
 *
 * @example
 * ```ts
 * // Title: All succeed
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * console.log(Effect.runSync(Task.whenAllOrFirstFailure([Effect.succeed(1), Effect.succeed(2)])))
 * // Output: [ 1, 2 ]
 * ```
 *
 * @example
 * ```ts
 * // Title: The first failure interrupts the others
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const slow = Effect.sleep("1 second").pipe(Effect.onInterrupt(() => Console.log("slow interrupted")))
 * const bad = Effect.sleep("10 millis").pipe(Effect.zipRight(Effect.fail("bad input")))
 * const program = Task.whenAllOrFirstFailure([slow, bad]).pipe(
 *   Effect.catchTag("TaskFailures", (e) => Effect.succeed(e.failures.map((f) => f.error)))
 * )
 * Effect.runPromise(program).then(console.log)
 * // Output:
 * // slow interrupted
 * // [ 'bad input' ]
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const whenAllOrFirstFailure: {
  <
    const T extends
      | Iterable<Effect.Effect<unknown, never, unknown>>
      | Readonly<Record<string, Effect.Effect<unknown, never, unknown>>>
  >(
    tasks: T,
    options?: AllOptions
  ): Effect.Effect<Successes<T>, FailuresOf<ErrorOf<T>>, ContextOf<T>>
  <const T extends Iterable<AnyTask> | Readonly<Record<string, AnyTask>>>(
    tasks: T,
    options?: AllOptions
  ): Effect.Effect<Successes<T>, TaskFailures<ErrorOf<T>>, ContextOf<T>>
} = internal.whenAllOrFirstFailure

// ---------------------------------------------------------------------------------------------
// any
// ---------------------------------------------------------------------------------------------

/**
 * Options of `whenAny`.
 *
 * - `losers` — `"interrupt"` (default): the others are interrupted and awaited before `whenAny`
 *   returns. `"detach"`: they keep running in the caller's `Scope` (so `Scope` is required) and
 *   are interrupted when it closes. Any other value (a misspelling from JavaScript) is a defect
 *   (`IllegalArgumentException` naming `losers`) before any task starts, never the default.
 *
 * Passed in a variable of this type, the options may detach, so `whenAny` requires `Scope`; write
 * the literal `{ losers: "interrupt" }` (or no options) to need none.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const options: Task.WhenAnyOptions = { losers: "detach" }
 * const first = Effect.scoped(Task.whenAny([Effect.succeed("a")], options)) // needs a Scope
 * console.log(Effect.runSync(first).index)
 * // Output: 0
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface WhenAnyOptions {
  readonly losers?: "interrupt" | "detach" | undefined
}

/**
 * The first task to **complete** — by success or failure — as a `Completed`: TAP's `Task.WhenAny`.
 *
 * Tasks are started in order (all at once); once one has ended no more are started. The losers
 * are interrupted and awaited (`losers: "interrupt"`, the default) or left running in the caller's
 * `Scope` (`losers: "detach"`), which interrupts them when it closes. A failure completes too: it
 * wins as a `Completed` whose `exit` is a failure (use `needOnlyOne` for the first **success**).
 * `whenAny` itself never fails; interrupting it interrupts and awaits every task it started.
 * A loser that fails on its own after the winner completed (a detached one, typically) has nobody
 * to report to, so its failure is logged: one WARN line, `Task.whenAny: a losing task failed (…)`,
 * annotated with its `index`, the full `Cause` at DEBUG. Interrupted losers are not logged.
 *
 * An empty input dies with `IllegalArgumentException`; arrays must be non-empty tuples at the type
 * level, other iterables (a `Set`, a generator) are checked when run. Effects of different types
 * mix: the `Completed` holds the unions of their success and error types. A non-iterable (or a
 * string) dies too, and so does an element that is not an `Effect`, naming its index, when it is
 * reached.
 *
 * @example
 * ```ts
 * // Title: The first to complete wins; the others are interrupted
 * import { Task } from "@tapestry/core"
 * import { Console, Effect, Exit } from "effect"
 *
 * const task = (name: string, ms: number) =>
 *   Effect.sleep(ms).pipe(Effect.as(name), Effect.onInterrupt(() => Console.log(`${name} interrupted`)))
 * Effect.runPromise(Task.whenAny([task("slow", 50), task("fast", 10)])).then((first) => {
 *   console.log(first.index, Exit.isSuccess(first.exit) ? first.exit.value : "failed")
 * })
 * // Output:
 * // slow interrupted
 * // 1 fast
 * ```
 *
 * @example
 * ```ts
 * // Title: A failure completes too: it wins
 * import { Task } from "@tapestry/core"
 * import { Effect, Exit } from "effect"
 *
 * const program = Task.whenAny([Effect.as(Effect.sleep(20), "page"), Effect.fail("404")])
 * Effect.runPromise(program).then((first) => console.log(first.index, Exit.isFailure(first.exit)))
 * // Output: 1 true
 * ```
 *
 * @example
 * ```ts
 * // Title: Detach: stop waiting, let the others finish in the caller's Scope
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const task = (name: string, ms: number) =>
 *   Effect.sleep(ms).pipe(Effect.tap(() => Console.log(`${name} finished`)), Effect.as(name))
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const first = yield* Task.whenAny([task("fast", 10), task("slow", 30)], { losers: "detach" })
 *     yield* Console.log(`first: ${first.index}`)
 *     yield* Effect.sleep(50) // the scope is still open: "slow" keeps running and ends
 *   })
 * )
 * Effect.runPromise(program)
 * // Output:
 * // fast finished
 * // first: 0
 * // slow finished
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const whenAny: {
  <const T extends readonly [AnyTask, ...Array<AnyTask>] | NonArrayIterable<AnyTask>>(
    tasks: T,
    options?: { readonly losers?: "interrupt" | undefined }
  ): Effect.Effect<Completed<SuccessOf<T>, ErrorOf<T>>, never, ContextOf<T>>
  <const T extends readonly [AnyTask, ...Array<AnyTask>] | NonArrayIterable<AnyTask>>(
    tasks: T,
    options: WhenAnyOptions
  ): Effect.Effect<Completed<SuccessOf<T>, ErrorOf<T>>, never, ContextOf<T> | Scope.Scope>
} = internal.whenAny

/**
 * Options of `needOnlyOne`.
 *
 * - `stagger` — `Duration`, default none (all start at once). Task k+1 starts one `stagger` after
 *   task k started, or at once when every started task has already failed (hedged requests).
 *   Minimum 0, finite; NaN, a negative (`-5`, `"-1 second"`, `[-1, 0]`), an infinite or an
 *   unparseable duration is a defect (`IllegalArgumentException` naming `stagger`) before any task
 *   starts, as are options that are not an object.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * const options: Task.NeedOnlyOneOptions = { stagger: "200 millis" }
 * console.log(options)
 * // Output: { stagger: '200 millis' }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface NeedOnlyOneOptions {
  readonly stagger?: Duration.DurationInput | undefined
}

/**
 * The first **success** wins: TAP's `NeedOnlyOne` (redundancy, hedged requests).
 *
 * Succeeds with the value of the first task to succeed; the others are interrupted and awaited,
 * and their failures (not the interruptions it caused) are logged: one WARN line per loser with the
 * error's tag and message (`Task.needOnlyOne: a losing task failed (HttpStatusError: HTTP 404 …)`), the
 * full `Cause` with its stack trace at DEBUG. Choose with Effect's log level:
 * `Logger.withMinimumLogLevel(LogLevel.Debug)` shows the causes, `LogLevel.Error` silences the lines.
 * If every task fails, fails with `TaskFailures` holding all of their errors in index order; it cannot
 * fail (`never`) when no task can. Interrupting it interrupts and awaits every task it started. With
 * `stagger`, tasks start one after another (see `NeedOnlyOneOptions`).
 *
 * Any iterable is accepted — an array built at run time, a `Set`, a generator (pulled lazily, so
 * with a `stagger` an endless one works) — and its effects may be of different types, as with
 * `Effect.raceAll`: `needOnlyOne([fromCache, fromNetwork])` succeeds with the union of their
 * successes. An empty input dies with `IllegalArgumentException`, as do a non-iterable and an
 * element that is not an `Effect` (naming its index, when reached).
 *
 * @example
 * ```ts
 * // Title: The first success wins; a loser's failure is logged, the others are interrupted
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const mirror = (name: string, ms: number, ok: boolean) =>
 *   Effect.sleep(ms).pipe(
 *     Effect.zipRight(ok ? Effect.succeed(name) : Effect.fail(new Error(`${name} is down`))),
 *     Effect.onInterrupt(() => Console.log(`${name} interrupted`))
 *   )
 * const program = Task.needOnlyOne([mirror("eu", 5, false), mirror("us", 10, true), mirror("asia", 50, true)])
 * Effect.runPromise(program).then(console.log)
 * // Output:
 * // asia interrupted
 * // timestamp=… level=WARN fiber=#… message="Task.needOnlyOne: a losing task failed (eu is down)" index=0
 * // us
 * ```
 *
 * @example
 * ```ts
 * // Title: All fail: every error, in index order
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const program = Task.needOnlyOne([Effect.fail("eu is down"), Effect.fail("us is down")]).pipe(
 *   Effect.catchTag("TaskFailures", (e) => Effect.succeed(e.failures.map((f) => f.error)))
 * )
 * console.log(Effect.runSync(program))
 * // Output: [ 'eu is down', 'us is down' ]
 * ```
 *
 * @example
 * ```ts
 * // Title: Hedged: a second request only if the first is slow
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const request = (name: string, ms: number) =>
 *   Console.log(`${name} started`).pipe(
 *     Effect.zipRight(Effect.sleep(ms)),
 *     Effect.as(name),
 *     Effect.onInterrupt(() => Console.log(`${name} interrupted`))
 *   )
 * const program = Task.needOnlyOne([request("primary", 30), request("backup", 5)], { stagger: "10 millis" })
 * Effect.runPromise(program).then(console.log)
 * // Output:
 * // primary started
 * // backup started
 * // primary interrupted
 * // backup
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const needOnlyOne: {
  <T extends Iterable<Effect.Effect<unknown, never, unknown>>>(
    tasks: T,
    options?: NeedOnlyOneOptions
  ): Effect.Effect<SuccessOf<T>, FailuresOf<ErrorOf<T>>, ContextOf<T>>
  <T extends Iterable<AnyTask>>(
    tasks: T,
    options?: NeedOnlyOneOptions
  ): Effect.Effect<SuccessOf<T>, TaskFailures<ErrorOf<T>>, ContextOf<T>>
} = internal.needOnlyOne

// ---------------------------------------------------------------------------------------------
// streams
// ---------------------------------------------------------------------------------------------

/**
 * What `interleaved` and `throttled` pull their input from: an `Iterable` (arrays, sets,
 * generators), an `AsyncIterable` (async generators, Node streams in object mode) or a `Stream`.
 * Each is pulled lazily, only when a slot is free. A `Stream`'s typed failure `E` ends the
 * combinator with that error; a throwing iterator or async iterator is a defect; either way every
 * running child is interrupted first.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import { Stream } from "effect"
 *
 * const fromArray: Task.Input<number> = [1, 2, 3]
 * const fromStream: Task.Input<number, "Closed"> = Stream.make(1, 2, 3)
 * console.log(Array.isArray(fromArray), typeof fromStream) // true object
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type Input<A, E = never, R = never> = Iterable<A> | AsyncIterable<A> | Stream.Stream<A, E, R>

/**
 * Options of `interleaved`.
 *
 * - `concurrency` — `number | "unbounded"`, default `"unbounded"`, minimum 1, an integer, or
 *   `Infinity` (= `"unbounded"`). At most this many children are alive; the input is pulled lazily:
 *   never more than `concurrency + 128` items ahead of what the consumer has seen (up to 64
 *   completed elements buffered while the consumer is busy, and chunks of at most 64). Unbounded
 *   starts every task at once (do not give it an endless iterable). 0, negatives, fractions, NaN, a
 *   string other than `"unbounded"` — and options that are not an object — end the stream with a
 *   defect (`IllegalArgumentException` naming `concurrency`) before any task starts.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * const options: Task.InterleavedOptions = { concurrency: 16 }
 * console.log(options)
 * // Output: { concurrency: 16 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface InterleavedOptions {
  readonly concurrency?: Concurrency | undefined
}

/**
 * A stream of the tasks as they complete: TAP's `Interleaved` (and the interleaving loop).
 *
 * Emits a `Completed` per task in completion order (in chunks of whatever completed together),
 * with O(N) total work. At most `concurrency` children are alive and the input is pulled lazily,
 * so a generator of a million tasks runs in bounded memory; when the consumer is slower than the
 * tasks, pulling pauses. A task's failure never fails the stream: each element carries its
 * `Exit`, so a failed task is an element like any other (only a failing input `Stream` ends it). Ending the stream early (`Stream.take`, an error downstream,
 * interruption) interrupts every running child and waits for it; no more are started. The tasks
 * may be of different types (an array, a `Set` or a generator of them): each `Completed` holds the
 * unions of their success and error types. A bad input — not an iterable, or an element that is
 * not an `Effect` (when it is reached, naming its index) — ends the stream with
 * `IllegalArgumentException` when it runs, never synchronously.
 *
 * The input may be an `AsyncIterable` or a `Stream` of tasks too (see `Input`, since 0.2.0): pulled
 * only when a slot is free, so a paginated feed is read no faster than its tasks run. A `Stream`
 * input's failure ends this stream with that typed error (its `E` joins the error channel); a
 * throwing async iterator is a defect; either way every running child is interrupted first. Ending
 * the stream early closes the input: the stream's finalizers run, an iterator gets `return()`.
 *
 * @example
 * ```ts
 * // Title: Tasks from a Stream: its typed error reaches the result, running tasks are interrupted
 * import { Task } from "@tapestry/core"
 * import { Effect, Stream } from "effect"
 *
 * const feed = Stream.concat(
 *   Stream.make(Effect.succeed("page 1"), Effect.succeed("page 2")),
 *   Stream.fail("FeedClosed" as const)
 * )
 * const program = Task.interleaved(feed, { concurrency: 2 }).pipe(Stream.runCollect, Effect.either)
 * Effect.runPromise(program).then((result) => console.log(result._tag))
 * // Output: Left (its error is "FeedClosed")
 * ```
 *
 * @example
 * ```ts
 * // Title: In completion order
 * import { Task } from "@tapestry/core"
 * import { Effect, Stream } from "effect"
 *
 * const slow = (ms: number) => Effect.as(Effect.sleep(ms), ms)
 * const program = Task.interleaved([slow(30), slow(10), slow(20)]).pipe(
 *   Stream.map((c) => c.index),
 *   Stream.runCollect
 * )
 * Effect.runPromise(program).then((order) => console.log([...order]))
 * // Output: [ 1, 2, 0 ]
 * ```
 *
 * @example
 * ```ts
 * // Title: A failure is an element, not the end of the stream
 * import { Task } from "@tapestry/core"
 * import { Effect, Exit, Stream } from "effect"
 *
 * const program = Task.interleaved([Effect.fail("404"), Effect.as(Effect.sleep(10), "page")]).pipe(
 *   Stream.map((c) => (Exit.isSuccess(c.exit) ? `${c.index}: ${c.exit.value}` : `${c.index}: failed`)),
 *   Stream.runCollect
 * )
 * Effect.runPromise(program).then((done) => console.log([...done]))
 * // Output: [ '0: failed', '1: page' ]
 * ```
 *
 * @example
 * ```ts
 * // Title: Ending early: Stream.take(1) interrupts the tasks still running
 * import { Task } from "@tapestry/core"
 * import { Console, Effect, Stream } from "effect"
 *
 * const task = (name: string, ms: number) =>
 *   Effect.sleep(ms).pipe(Effect.as(name), Effect.onInterrupt(() => Console.log(`${name} interrupted`)))
 * const program = Task.interleaved([task("a", 30), task("b", 10), task("c", 20)]).pipe(
 *   Stream.take(1),
 *   Stream.runCollect
 * )
 * Effect.runPromise(program).then((first) => console.log([...first].map((c) => c.index)))
 * // Output:
 * // a interrupted
 * // c interrupted
 * // [ 1 ]
 * ```
 *
 * @example
 * ```ts
 * // Title: Bounded: at most two at once over a lazy generator
 * import { Task } from "@tapestry/core"
 * import { Console, Effect, Stream } from "effect"
 *
 * const task = (i: number) =>
 *   Console.log(`start ${i}`).pipe(
 *     Effect.zipRight(Effect.sleep((i + 1) * 20)),
 *     Effect.zipRight(Console.log(`done ${i}`))
 *   )
 * function* tasks() {
 *   for (let i = 0; i < 4; i++) yield task(i) // pulled only when a slot is free
 * }
 * Effect.runPromise(Stream.runDrain(Task.interleaved(tasks(), { concurrency: 2 })))
 * // Output:
 * // start 0
 * // start 1
 * // done 0
 * // start 2
 * // done 1
 * // start 3
 * // done 2
 * // done 3
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const interleaved: {
  (
    options?: InterleavedOptions
  ): <T extends AnyTask, E2 = never, R2 = never>(
    tasks: Input<T, E2, R2>
  ) => Stream.Stream<Completed<Effect.Effect.Success<T>, Effect.Effect.Error<T>>, E2, Effect.Effect.Context<T> | R2>
  <T extends AnyTask, E2 = never, R2 = never>(
    tasks: Input<T, E2, R2>,
    options?: InterleavedOptions
  ): Stream.Stream<Completed<Effect.Effect.Success<T>, Effect.Effect.Error<T>>, E2, Effect.Effect.Context<T> | R2>
} = dual((args) => !isOptionsLike(args[0]), internal.interleaved)

/**
 * Options of `throttled`, required (`throttled(items, f)` without them is a type error at `f`).
 *
 * - `concurrency` — `number | "unbounded"`, required, minimum 1, an integer, or `Infinity`
 *   (= `"unbounded"`). 0, negatives, fractions, NaN, a string other than `"unbounded"`, missing
 *   options and options that are not an object end the stream with a defect
 *   (`IllegalArgumentException` naming the argument) before `f` is called.
 * - `ordered` — `boolean`, default `false` (completion order); see below.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * const options: Task.ThrottledOptions = { concurrency: 64, ordered: true }
 * console.log(options)
 * // Output: { concurrency: 64, ordered: true }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ThrottledOptions {
  readonly concurrency: Concurrency
  /**
   * `true`: emit in **input** order (p-map's `pMapIterable`, `Parallel.ForEachAsync` with results in
   * order). A result that finishes before an earlier one is held back; at most `concurrency` tasks
   * run and at most `concurrency` finished results are held, so one slow item pauses the pulling of
   * new ones instead of filling memory. Default `false`: completion order. Anything but a boolean is
   * a defect naming `ordered` (since 0.2.0).
   */
  readonly ordered?: boolean | undefined
}

/**
 * Runs `f` over `items` with at most `concurrency` at once, emitting in completion order (or, with
 * `ordered: true`, in input order): the throttling loop of the TAP document.
 *
 * `interleaved` over `f(item, index)`; each element is `{ index, item, exit }`, so a failed item is
 * an element carrying its failure and the stream itself never fails. `f` may return effects of
 * different types for different items (the elements hold the unions). Items are pulled lazily, one
 * per free slot; ending the stream early (`Stream.take`, an error downstream, interruption)
 * interrupts what runs and starts nothing more. The options are required (`ThrottledOptions`). An `f`
 * that is not a function ends the stream with `IllegalArgumentException` when it runs, even for an
 * empty input; an `f` that returns something other than an `Effect` does when that item is reached
 * (`Task.throttled: f(items[0]) must be an Effect, got 1`). The items may come from an
 * `AsyncIterable` or a `Stream` too (see `Input`, since 0.2.0), pulled one per free slot.
 *
 * In the data-last signature, `Item` and `ThrottledFThenOptions` exist only for an error message:
 * when the options are forgotten, `throttled(items, f)` reads as data-last with the items first, and
 * the error then lands on `f`, saying that `f` must be followed by the options — never that the
 * items are not a function. A real data-last call never infers `Item`.
 *
 * @example
 * ```ts
 * // Title: In completion order, a failure as an element
 * import { Task } from "@tapestry/core"
 * import { Effect, Exit, Stream } from "effect"
 *
 * const parse = (s: string) => (s === "" ? Effect.fail("empty") : Effect.succeed(s.length))
 * const parsed = Task.throttled(["a", "", "ccc"], parse, { concurrency: 2 })
 * const program = Stream.runCollect(Stream.map(parsed, (c) => [c.item, Exit.isSuccess(c.exit)]))
 * console.log([...Effect.runSync(program)])
 * // Output: [ [ 'a', true ], [ '', false ], [ 'ccc', true ] ]
 * ```
 *
 * @example
 * ```ts
 * // Title: In input order: a slow first item holds the others back, never more than `concurrency`
 * import { Task } from "@tapestry/core"
 * import { Effect, Stream } from "effect"
 *
 * const resize = (ms: number) => Effect.as(Effect.sleep(`${ms} millis`), ms)
 * const inOrder = Task.throttled([30, 10, 20], resize, { concurrency: 3, ordered: true })
 * Effect.runPromise(Stream.runCollect(Stream.map(inOrder, (c) => c.item))).then((c) => console.log([...c]))
 * // Output: [ 30, 10, 20 ] (completion order would be [ 10, 20, 30 ])
 * ```
 *
 * @example
 * ```ts
 * // Title: Ending early: the first success stops the rest
 * import { Task } from "@tapestry/core"
 * import { Console, Effect, Exit, Stream } from "effect"
 *
 * const probe = (host: string, index: number) =>
 *   Effect.sleep((index + 1) * 10).pipe(
 *     Effect.zipRight(index === 0 ? Effect.fail(`${host} refused`) : Effect.succeed(host)),
 *     Effect.onInterrupt(() => Console.log(`${host} interrupted`))
 *   )
 * const firstUp = Task.throttled(["a.example", "b.example", "c.example"], probe, { concurrency: 3 }).pipe(
 *   Stream.filter((c) => Exit.isSuccess(c.exit)),
 *   Stream.take(1),
 *   Stream.runCollect
 * )
 * Effect.runPromise(firstUp).then((up) => console.log([...up].map((c) => c.item)))
 * // Output:
 * // c.example interrupted
 * // [ 'b.example' ]
 * ```
 *
 * @example
 * ```ts
 * // Title: Items from an async generator, pulled one per free slot
 * import { Task } from "@tapestry/core"
 * import { Effect, Stream } from "effect"
 *
 * async function* pages() {
 *   for (let page = 1; page <= 3; page++) yield `/api/items?page=${page}`
 * }
 * const fetched = Task.throttled(pages(), (url) => Effect.succeed(url.length), { concurrency: 2, ordered: true })
 * Effect.runPromise(Stream.runCollect(Stream.map(fetched, (c) => c.item))).then((c) => console.log([...c]))
 * // Output: [ '/api/items?page=1', '/api/items?page=2', '/api/items?page=3' ]
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const throttled: {
  <I, T extends AnyTask, Item = never>(
    f: ((item: I, index: number) => T) | Input<Item, unknown, unknown>,
    options: [Item] extends [never] ? ThrottledOptions : ThrottledFThenOptions<Item>
  ): <E2 = never, R2 = never>(
    items: Input<I, E2, R2>
  ) => Stream.Stream<
    ThrottledCompleted<I, Effect.Effect.Success<T>, Effect.Effect.Error<T>>,
    E2,
    Effect.Effect.Context<T> | R2
  >
  <I, T extends AnyTask, E2 = never, R2 = never>(
    items: Input<I, E2, R2>,
    f: (item: I, index: number) => T,
    options: ThrottledOptions
  ): Stream.Stream<
    ThrottledCompleted<I, Effect.Effect.Success<T>, Effect.Effect.Error<T>>,
    E2,
    Effect.Effect.Context<T> | R2
  >
} = dual((args) => args.length >= 3 || typeof args[0] !== "function", internal.throttled)

/**
 * What `throttled(items, …)` takes second: `f`, followed by the options. It exists for one error
 * message: in `throttled(items, f)` (the options forgotten) the first argument is not a function, so
 * the data-last form reads it as the items and says here that `f` must be followed by the options —
 * instead of "`items` is not a function". No value has this type.
 */
interface ThrottledFThenOptions<I> {
  (item: I, index: number): AnyTask
  readonly "Task.throttled(items, f, options): f must be followed by the options, with a concurrency": never
}

// ---------------------------------------------------------------------------------------------
// single task
// ---------------------------------------------------------------------------------------------

/**
 * Options of `timeout`.
 *
 * - `onTimeout` — `"interrupt"` (default): the task is interrupted and awaited before `timeout`
 *   fails. `"detach"`: it keeps running in the caller's `Scope` (so `Scope` is required) and is
 *   interrupted when the scope closes; its eventual failure is logged as one WARN line with its tag
 *   and message (the full `Cause` at DEBUG, as `needOnlyOne` logs its losers). Any other value, and
 *   options that are not an object, are defects (`IllegalArgumentException` naming `onTimeout`)
 *   when the effect runs, before the task starts.
 *
 * Passed in a variable of this type, the options may detach, so `timeout` requires `Scope`; write
 * the literal `{ onTimeout: "interrupt" }` (or no options) to need none.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * const options: Task.TimeoutOptions = { onTimeout: "detach" }
 * console.log(options)
 * // Output: { onTimeout: 'detach' }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TimeoutOptions {
  readonly onTimeout?: "interrupt" | "detach" | undefined
}

/**
 * Fails with `TimeoutError` when `task` has not completed within `duration`: TAP's
 * `WhenAny(task, Task.Delay(d))`.
 *
 * The task runs as a child fiber; if the time runs out first it is interrupted and awaited (or,
 * with `onTimeout: "detach"`, left running in the caller's `Scope`, its eventual failure logged).
 * Success and failure of the task pass through unchanged. Interrupting `timeout` interrupts the
 * task. `duration` must be a non-negative `Duration` (`Infinity` never fires: the task runs as it
 * is); NaN, a negative (`-1`, `"-5 millis"`, `[-1, 0]`) or an unparseable one is a defect
 * (`IllegalArgumentException` naming `duration`), as is a `task` that is not an `Effect`.
 *
 * @example
 * ```ts
 * // Title: In time: the task's result
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * Effect.runPromise(Task.timeout(Effect.as(Effect.sleep(5), "page"), "1 second")).then(console.log)
 * // Output: page
 * ```
 *
 * @example
 * ```ts
 * // Title: Too late: the task is interrupted, then TimeoutError
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const slow = Effect.sleep("1 second").pipe(Effect.onInterrupt(() => Console.log("slow interrupted")))
 * const program = slow.pipe(Task.timeout("10 millis"), Effect.flip)
 * Effect.runPromise(program).then((e) => console.log(e.message))
 * // Output:
 * // slow interrupted
 * // timed out after 10ms
 * ```
 *
 * @example
 * ```ts
 * // Title: Detach: stop waiting, and log the task's failure when it comes
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const upload = Effect.sleep("30 millis").pipe(Effect.zipRight(Effect.fail(new Error("disk full"))))
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const result = yield* Effect.either(Task.timeout(upload, "10 millis", { onTimeout: "detach" }))
 *     console.log(result._tag) // we stopped waiting; the upload goes on in this scope
 *     yield* Effect.sleep("50 millis")
 *   })
 * )
 * Effect.runPromise(program)
 * // Output:
 * // Left
 * // timestamp=… level=WARN fiber=#… message="Task.timeout: a timed-out task failed (disk full)"
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const timeout: {
  (
    duration: Duration.DurationInput,
    options?: { readonly onTimeout?: "interrupt" | undefined }
  ): <A, E, R>(task: Effect.Effect<A, E, R>) => Effect.Effect<A, E | TimeoutError, R>
  (
    duration: Duration.DurationInput,
    options: TimeoutOptions
  ): <A, E, R>(task: Effect.Effect<A, E, R>) => Effect.Effect<A, E | TimeoutError, R | Scope.Scope>
  <A, E, R>(
    task: Effect.Effect<A, E, R>,
    duration: Duration.DurationInput,
    options?: { readonly onTimeout?: "interrupt" | undefined }
  ): Effect.Effect<A, E | TimeoutError, R>
  <A, E, R>(
    task: Effect.Effect<A, E, R>,
    duration: Duration.DurationInput,
    options: TimeoutOptions
  ): Effect.Effect<A, E | TimeoutError, R | Scope.Scope>
} = dual((args) => args.length >= 3 || Effect.isEffect(args[0]), internal.timeout)

/**
 * Options of `untilCompletionOrCancellation`.
 *
 * - `onCancel` — `"interrupt"` (default): the task is interrupted and awaited. `"detach"`: it keeps
 *   running in the caller's `Scope` (so `Scope` is required) and is interrupted when the scope
 *   closes; its eventual failure is logged as one WARN line (the full `Cause` at DEBUG). Any other
 *   value, and options that are not an object, are defects (`IllegalArgumentException` naming
 *   `onCancel`) when the effect runs, before the task starts.
 *
 * Passed in a variable of this type, the options may detach, so `untilCompletionOrCancellation`
 * requires `Scope`; write the literal `{ onCancel: "interrupt" }` (or no options) to need none.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 *
 * const options: Task.CancellationOptions = { onCancel: "interrupt" }
 * console.log(options)
 * // Output: { onCancel: 'interrupt' }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CancellationOptions {
  readonly onCancel?: "interrupt" | "detach" | undefined
}

/**
 * Early bail-out: `Option.some(result)` if `task` finishes first, `Option.none()` if `signal`
 * fires first.
 *
 * `signal` is an `Effect` that completes to cancel (e.g. a `Deferred.await`, a user's keypress)
 * or an `AbortSignal`. On cancellation the task is interrupted and awaited (default) or left
 * running in the caller's `Scope` (`onCancel: "detach"`, its eventual failure logged). When the
 * task ends first, the signal effect is interrupted. The task's failure passes through, as does a
 * failure of the signal effect. A `signal` that is neither an `Effect` nor an `AbortSignal` is a
 * defect (`IllegalArgumentException` naming `signal`), as is a `task` that is not an `Effect`.
 *
 * @example
 * ```ts
 * // Title: Completed first: Some
 * import { Task } from "@tapestry/core"
 * import { Deferred, Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const cancel = yield* Deferred.make<void>()
 *   return yield* Task.untilCompletionOrCancellation(Effect.succeed("done"), Deferred.await(cancel))
 * })
 * console.log(Effect.runSync(program))
 * // Output: { _id: 'Option', _tag: 'Some', value: 'done' }
 * ```
 *
 * @example
 * ```ts
 * // Title: Cancelled first: the task is interrupted, None
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const controller = new AbortController()
 * setTimeout(() => controller.abort(), 10)
 * const work = Effect.never.pipe(Effect.onInterrupt(() => Console.log("work interrupted")))
 * Effect.runPromise(Task.untilCompletionOrCancellation(work, controller.signal)).then((o) => console.log(o._tag))
 * // Output:
 * // work interrupted
 * // None
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const untilCompletionOrCancellation: {
  <E2 = never, R2 = never>(
    signal: Effect.Effect<unknown, E2, R2> | AbortSignal,
    options?: { readonly onCancel?: "interrupt" | undefined }
  ): <A, E, R>(task: Effect.Effect<A, E, R>) => Effect.Effect<Option.Option<A>, E | E2, R | R2>
  <E2 = never, R2 = never>(
    signal: Effect.Effect<unknown, E2, R2> | AbortSignal,
    options: CancellationOptions
  ): <A, E, R>(task: Effect.Effect<A, E, R>) => Effect.Effect<Option.Option<A>, E | E2, R | R2 | Scope.Scope>
  <A, E, R, E2 = never, R2 = never>(
    task: Effect.Effect<A, E, R>,
    signal: Effect.Effect<unknown, E2, R2> | AbortSignal,
    options?: { readonly onCancel?: "interrupt" | undefined }
  ): Effect.Effect<Option.Option<A>, E | E2, R | R2>
  <A, E, R, E2 = never, R2 = never>(
    task: Effect.Effect<A, E, R>,
    signal: Effect.Effect<unknown, E2, R2> | AbortSignal,
    options: CancellationOptions
  ): Effect.Effect<Option.Option<A>, E | E2, R | R2 | Scope.Scope>
} = dual(
  (args) => args.length >= 3 || (args.length === 2 && !isOptionsLike(args[1])),
  internal.untilCompletionOrCancellation
)

/**
 * Options of `retryOnFault`.
 *
 * - `maxTries` — a finite integer ≥ 1, required: at most this many attempts in total (`Infinity`
 *   is refused: use a `Schedule` that ends, or `while`).
 * - `retryWhen` — what to wait for between attempts: an `Effect` (e.g. `Effect.sleep("1 second")`),
 *   a function `(error, attempt) => Effect` (so a policy can read a `Retry-After`), or a `Schedule`
 *   fed with the errors (its delays are used; when it ends, retrying ends; `maxTries` still caps).
 *   Default: retry at once.
 * - `while` — `(error) => boolean`: when false for an error, stop retrying.
 *
 * Missing options and any value outside these — `maxTries` 0, negative, fractional, NaN or
 * `Infinity`, a `retryWhen` that is neither an `Effect`, a function nor a `Schedule`, a `while` that
 * is not a function — are defects (`IllegalArgumentException` naming the option) when the effect
 * runs, before the first attempt.
 *
 * @example
 * ```ts
 * import type { Task } from "@tapestry/core"
 * import { Schedule } from "effect"
 *
 * const options: Task.RetryOptions<string, never, never> = {
 *   maxTries: 5,
 *   retryWhen: Schedule.exponential("100 millis"),
 *   while: (e) => e !== "fatal"
 * }
 * console.log(options.maxTries)
 * // Output: 5
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions<E, E2, R2> {
  readonly maxTries: number
  readonly retryWhen?:
    | Effect.Effect<unknown, E2, R2>
    | ((error: E, attempt: number) => Effect.Effect<unknown, E2, R2>)
    | Schedule.Schedule<unknown, E, R2>
    | undefined
  readonly while?: ((error: E) => boolean) | undefined
}

/**
 * Runs `task` again when it fails, up to `maxTries` attempts: TAP's `RetryOnFault`.
 *
 * Typed failures are retried (after `retryWhen`, if given) while attempts remain and `while`
 * allows; defects and interruptions are not retried. When it gives up it fails with
 * `RetriesExhausted` holding every attempt's error in order. Interrupting it — during an attempt
 * or a wait — stops it at once: no further attempt starts.
 *
 * No error is dropped when something else ends the retries: when a later attempt dies with a
 * defect, or the wait (`retryWhen`'s effect, its function, `while`) fails or dies, the `Cause` is
 * `Cause.sequential(Cause.fail(RetriesExhausted), that cause)` — the earlier attempts' errors
 * first (in `RetriesExhausted`, `attempts` counting the attempt that died), then the defect or the
 * policy's failure. So `Effect.catchAll` / `catchTag` see `RetriesExhausted` first, and
 * `Cause.failures` lists both. A defect of the first attempt, and an interruption at any point,
 * pass through as they are.
 *
 * Data-last, a policy is made once and applied to effects of any error type: with
 * `const thrice = Task.retryOnFault({ maxTries: 3 })`, `thrice(effect)` fails with
 * `RetriesExhausted<E>` for that effect's `E`. In a `pipe`, the callbacks of the options see the
 * effect's error type. Bad options are defects (see `RetryOptions`) when the effect runs, before the
 * first attempt; a `retryWhen` function that returns something other than an `Effect` dies naming the
 * attempt.
 *
 * @example
 * ```ts
 * // Title: Succeeds on the third attempt
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * let calls = 0
 * const flaky = Effect.suspend(() => (++calls < 3 ? Effect.fail("busy") : Effect.succeed(calls)))
 * const program = Task.retryOnFault(flaky, { maxTries: 5, retryWhen: Effect.sleep("1 millis") })
 * Effect.runPromise(program).then(console.log)
 * // Output: 3
 * ```
 *
 * @example
 * ```ts
 * // Title: Gives up: every attempt's error in RetriesExhausted
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const thrice = Task.retryOnFault({ maxTries: 3 }) // one policy for any effect
 * const program = thrice(Effect.fail("busy")).pipe(
 *   Effect.catchTag("RetriesExhausted", (e) => Effect.succeed(`${e.attempts}: ${e.errors.join(", ")}`))
 * )
 * console.log(Effect.runSync(program))
 * // Output: 3: busy, busy, busy
 * ```
 *
 * @example
 * ```ts
 * // Title: Only some errors are retried
 * import { Task } from "@tapestry/core"
 * import { Effect, pipe } from "effect"
 *
 * const denied = Effect.fail({ status: 403 })
 * const program = pipe(
 *   denied,
 *   Task.retryOnFault({ maxTries: 5, while: (error) => error.status >= 500 }),
 *   Effect.flip
 * )
 * console.log(Effect.runSync(program).message)
 * // Output: gave up after 1 attempt: {"status":403}
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const retryOnFault: {
  <E, E2 = never, R2 = never>(
    options: RetryOptions<NoInfer<E>, E2, R2>
  ): <A, E1 extends E, R>(
    task: Effect.Effect<A, E1, R> & Effect.Effect<A, E, R>
  ) => Effect.Effect<A, RetriesExhausted<E1> | E2, R | R2>
  <A, E, R, E2 = never, R2 = never>(
    task: Effect.Effect<A, E, R>,
    options: RetryOptions<NoInfer<E>, E2, R2>
  ): Effect.Effect<A, RetriesExhausted<E> | E2, R | R2>
} = dual((args) => args.length >= 2 || Effect.isEffect(args[0]), internal.retryOnFault)

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/**
 * Starts `effect` as a fiber in the caller's `Scope` and returns the fiber: TAP's `Task.Run`.
 *
 * Unlike .NET's `Task.Run`, nothing moves to another thread: the fiber runs on the one JavaScript
 * thread, interleaved with the caller at each suspension. The fiber is interrupted when the scope
 * closes (so it cannot outlive its owner); join or await it to get its result. A value that is not
 * an `Effect` dies with `IllegalArgumentException`.
 *
 * @example
 * ```ts
 * // Title: Started now, joined later
 * import { Task } from "@tapestry/core"
 * import { Effect, Fiber } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const fiber = yield* Task.run(Effect.succeed(21 * 2))
 *     return yield* Fiber.join(fiber)
 *   })
 * )
 * Effect.runPromise(program).then(console.log)
 * // Output: 42
 * ```
 *
 * @example
 * ```ts
 * // Title: The scope closes: the fiber is interrupted
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const forever = Effect.never.pipe(Effect.onInterrupt(() => Console.log("background interrupted")))
 * const owner = Effect.zipRight(Effect.sleep("10 millis"), Console.log("owner done"))
 * const program = Effect.scoped(Effect.zipRight(Task.run(forever), owner))
 * Effect.runPromise(program)
 * // Output:
 * // owner done
 * // background interrupted
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<Fiber.RuntimeFiber<A, E>, never, R | Scope.Scope> =>
  Validate.suspend(() => Effect.forkScoped(Validate.effect("Task.run", "effect", effect)))

/**
 * An effect from a promise-returning function, for interop with promise APIs.
 *
 * A rejection fails with `UnknownException`, or with `catch(reason)` when given. Interrupting the
 * effect aborts the `AbortSignal` passed to `evaluate`, so `fetch`-like APIs stop their work.
 * An `evaluate` (or `catch`) that is not a function dies with `IllegalArgumentException` when run.
 *
 * @example
 * ```ts
 * // Title: Resolved
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const wait = Task.fromPromise(() => new Promise<string>((resolve) => setTimeout(() => resolve("done"), 5)))
 * Effect.runPromise(wait).then(console.log)
 * // Output: done
 * ```
 *
 * @example
 * ```ts
 * // Title: Rejected: the catch's error
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const rejected = Task.fromPromise(() => Promise.reject(new Error("offline")), {
 *   catch: (reason) => `request failed: ${(reason as Error).message}`
 * })
 * Effect.runPromise(Effect.flip(rejected)).then(console.log)
 * // Output: request failed: offline
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupted: the signal is aborted
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const wait = Task.fromPromise(
 *   (signal) =>
 *     new Promise<string>((resolve) => {
 *       const t = setTimeout(() => resolve("done"), 1000)
 *       signal.addEventListener("abort", () => {
 *         clearTimeout(t)
 *         console.log("aborted")
 *       })
 *     })
 * )
 * Effect.runPromise(Effect.timeout(wait, "10 millis")).catch(() => console.log("timed out"))
 * // Output:
 * // aborted
 * // timed out
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromPromise: {
  <A>(evaluate: (signal: AbortSignal) => PromiseLike<A>): Effect.Effect<A, Cause.UnknownException>
  <A, E>(
    evaluate: (signal: AbortSignal) => PromiseLike<A>,
    options: { readonly catch: (reason: unknown) => E }
  ): Effect.Effect<A, E>
} = (<A, E>(evaluate: (signal: AbortSignal) => PromiseLike<A>, options?: { readonly catch: (reason: unknown) => E }) =>
  Validate.suspend(() => {
    Validate.fn("Task.fromPromise", "evaluate", evaluate)
    return options === undefined
      ? Effect.tryPromise(evaluate)
      : Effect.tryPromise({
          try: evaluate,
          catch: Validate.fn("Task.fromPromise", "catch", Validate.options("Task.fromPromise", options).catch)
        })
  })) as never

/**
 * Completes after `duration`: TAP's `Task.Delay` (`Effect.sleep`, so `TestClock` controls it).
 *
 * Interrupting it ends the wait at once (no timer is left behind). `duration` must be a finite,
 * non-negative `Duration`: NaN, negatives (`-1`, `"-5 millis"`, `[-1, 0]`), `Infinity` (use
 * `Effect.never`) and unparseable input die with `IllegalArgumentException` when the effect runs —
 * `Effect.sleep` would read them as 0.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * Effect.runPromise(Effect.as(Task.delay("5 millis"), "later")).then(console.log)
 * // Output: later
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const delay = (duration: Duration.DurationInput): Effect.Effect<void> =>
  Validate.suspend(() => Effect.sleep(Validate.duration("Task.delay", "duration", duration)))

/**
 * Lets other fibers run before continuing: TAP's `Task.Yield` (`Effect.yieldNow`).
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Console, Effect } from "effect"
 *
 * const other = Console.log("the other fiber runs")
 * const program = Effect.zipRight(Effect.fork(other), Effect.zipRight(Task.yieldNow(), Console.log("resumed")))
 * Effect.runPromise(program)
 * // Output:
 * // the other fiber runs
 * // resumed
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const yieldNow = (): Effect.Effect<void> => Effect.yieldNow()

/**
 * Wraps a value in an effect that succeeds with it at once: TAP's `Task.FromResult`.
 *
 * @example
 * ```ts
 * import { Task } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const answer = Effect.runSync(Task.fromResult(42))
 * console.log(answer) // 42
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromResult: <A>(value: A) => Effect.Effect<A> = Effect.succeed
