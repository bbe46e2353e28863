/**
 * Progress reporting: .NET's `IProgress<T>` / `Progress<T>` for Effect.
 *
 * In .NET a method that reports progress takes an `IProgress<T>` and calls `progress.Report(value)`
 * as it goes; the caller decides what a report does (update a bar, log a line). Here a
 * {@link Progress} is a plain value holding `report: (value) => Effect<void>`. Reports run in the
 * reporting fiber, so they stop the moment that fiber is interrupted: nothing reports for a task
 * whose result stopped mattering.
 *
 * - {@link make}: a reporter from a callback (the `Progress<T>(handler)` constructor).
 * - {@link latest}: a reporter plus a `Stream` of its values with latest-value coalescing, for a
 *   consumer (a progress bar) slower than the reporter.
 * - {@link map}: adapt a reporter to another value type.
 * - {@link aggregate} / {@link total}: many child reporters folded into one (total bytes across
 *   downloads).
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type * as Types from "effect/Types"
import * as internal from "./internal/progress.js"

/**
 * The unique identifier of a {@link Progress}.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 *
 * console.log(typeof Progress.TypeId) // "symbol"
 * ```
 *
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * The type of {@link TypeId}.
 *
 * @example
 * ```ts
 * import type { Progress } from "@tapestry/core"
 *
 * const id: Progress.TypeId | undefined = undefined
 * console.log(id) // undefined
 * ```
 *
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * A progress reporter: .NET's `IProgress<T>`.
 *
 * `report(value)` is an effect run by the reporting fiber; it is cheap for the reporters this
 * module builds (`latest` stores one value and wakes its consumers, `total` adds one number), so a
 * download may report once per chunk. A reporter is contravariant in `T`: a `Progress<unknown>`
 * accepts any value.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const work = (progress: Progress.Progress<number>) =>
 *   Effect.forEach([25, 50, 75, 100], (percent) => progress.report(percent), { discard: true })
 *
 * const seen: Array<number> = []
 * Effect.runSync(work(Progress.make((percent) => Effect.sync(() => seen.push(percent)))))
 * console.log(seen) // [25, 50, 75, 100]
 * ```
 *
 * @example
 * ```ts
 * // Title: Interrupting the reporting task stops its reports
 * import { Progress } from "@tapestry/core"
 * import { Console, Effect, Fiber, TestClock, TestContext } from "effect"
 *
 * // a copy that reports every second
 * const copy = (progress: Progress.Progress<number>) =>
 *   Effect.forEach([25, 50, 75, 100], (percent) => Effect.zipRight(Effect.sleep("1 second"), progress.report(percent)), {
 *     discard: true
 *   })
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* Effect.fork(copy(Progress.make((percent) => Console.log(`${percent}%`))))
 *   yield* TestClock.adjust("2500 millis")
 *   yield* Fiber.interrupt(task)
 *   yield* TestClock.adjust("10 seconds")
 *   yield* Console.log("no report after the interruption")
 * })
 * Effect.runPromise(Effect.provide(program, TestContext.TestContext))
 * // Output:
 * // 25%
 * // 50%
 * // no report after the interruption
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress<in T> extends Pipeable {
  readonly [TypeId]: { readonly _T: Types.Contravariant<T> }
  /**
   * Reports one value. It runs in the reporting fiber, so interrupting that fiber stops its reports:
   * no report is made after the interruption, and a report in progress is interrupted like any other
   * effect (the reports of `latest`, `map` of them and `total` never wait, so they are made whole or
   * not at all).
   */
  readonly report: (value: T) => Effect.Effect<void>
}

/**
 * What {@link latest} gives: a reporter and the stream of what it reported.
 *
 * `changes` emits the newest value not yet seen by that run of the stream (starting with the
 * current value, if one was reported already), then each newer value. A consumer slower than the
 * reporter skips the values it had no time for: it always gets the newest one, never a backlog.
 * The stream ends when the `Scope` of {@link latest} closes (after emitting the last unseen
 * value). `current` reads the newest value without waiting. Each run of `changes` is an
 * independent subscriber.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Effect, Option } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const { progress, current } = yield* Progress.latest<number>()
 *     yield* progress.report(1)
 *     yield* progress.report(2)
 *     return yield* current
 *   })
 * )
 * console.log(Option.getOrThrow(Effect.runSync(program))) // 2
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Latest<T> {
  /** The reporter: stores the value in one slot and wakes the consumers (never waits). */
  readonly progress: Progress<T>
  /**
   * The newest values, coalesced. A consumer interrupted while it waits for a newer value leaves
   * without a trace: nothing is lost, and a later run of `changes` starts from the newest value.
   */
  readonly changes: Stream.Stream<T>
  /** The newest value reported so far, if any: a snapshot that never waits. */
  readonly current: Effect.Effect<Option.Option<T>>
}

/**
 * What {@link aggregate} and {@link total} give: a factory of child reporters whose latest values
 * are combined and reported to the parent.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const reports: Array<number> = []
 * const parent = Progress.make((n: number) => Effect.sync(() => reports.push(n)))
 * Effect.runSync(
 *   Effect.gen(function* () {
 *     const aggregate: Progress.Aggregate<number> = yield* Progress.total(parent)
 *     const a = yield* aggregate.child
 *     yield* a.report(10)
 *   })
 * )
 * console.log(reports) // [10]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Aggregate<in A> {
  /** A new child reporter. It counts in the combination from its first report on. Never waits. */
  readonly child: Effect.Effect<Progress<A>>
}

/**
 * Makes a reporter that runs `onReport` for every value: .NET's `new Progress<T>(handler)`.
 *
 * Unlike .NET's `Progress<T>`, which posts the handler to a captured synchronization context,
 * `onReport` runs in the reporting fiber: the reporter waits for it. Keep it short, or use
 * {@link latest} to decouple a slow consumer. An `onReport` that is not a function makes `make`
 * throw `IllegalArgumentException` (it returns a plain value).
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const log = Progress.make((bytes: number) => Effect.log(`received ${bytes} bytes`))
 * Effect.runSync(log.report(1024))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: <T>(onReport: (value: T) => Effect.Effect<void>) => Progress<T> = internal.make

/**
 * A reporter that ignores every value: pass it where progress is optional and nobody listens.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const progress: Progress.Progress<number> = Progress.ignore
 * Effect.runSync(progress.report(42)) // does nothing
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const ignore: Progress<unknown> = internal.ignore

/**
 * Tells whether a value is a {@link Progress}.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 *
 * console.log(Progress.isProgress(Progress.ignore)) // true
 * console.log(Progress.isProgress({ report: () => undefined })) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isProgress: (u: unknown) => u is Progress<unknown> = internal.isProgress

/**
 * A reporter of `B` values that converts each with `f` and reports the result to `self`
 * (a contramap): hand a download's `Progress<DownloadProgress>` to code that reports bytes.
 * A `self` that is not a {@link Progress} or an `f` that is not a function makes it throw
 * `IllegalArgumentException`.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const lines: Array<string> = []
 * const text = Progress.make((line: string) => Effect.sync(() => lines.push(line)))
 * const percent = Progress.map(text, (p: number) => `${p}%`)
 * Effect.runSync(percent.report(50))
 * console.log(lines) // ["50%"]
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const map: {
  <B, A>(f: (value: B) => A): (self: Progress<A>) => Progress<B>
  <A, B>(self: Progress<A>, f: (value: B) => A): Progress<B>
} = internal.map

/**
 * A reporter and the stream of what it reports, with latest-value coalescing.
 *
 * The .NET equivalent is a `Progress<T>` whose handler sets a field a UI timer polls: the UI
 * shows the newest value and never replays a backlog. Here `report` stores the value in a single
 * slot and wakes the consumers; `changes` emits the newest value each time its consumer pulls, so
 * a slow consumer (a progress bar redrawn 10 times a second) keeps up with a fast reporter (a
 * download reporting per chunk) at no cost to the reporter. When the `Scope` closes, reports are
 * ignored and `changes` ends.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Chunk, Effect, Stream } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const { progress, changes } = yield* Progress.latest<number>()
 *     // the reporter runs ahead of the consumer: the consumer gets the newest value
 *     for (let i = 1; i <= 1000; i++) yield* progress.report(i)
 *     return yield* Stream.runCollect(Stream.take(changes, 1))
 *   })
 * )
 * console.log(Chunk.toReadonlyArray(Effect.runSync(program))) // [1000]
 * ```
 *
 * @example
 * ```ts
 * // Title: A consumer interrupted while it waits leaves nothing behind
 * import { Progress } from "@tapestry/core"
 * import { Chunk, Console, Effect, Fiber, Stream } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const { progress, changes } = yield* Progress.latest<string>()
 *     const bar = yield* Effect.fork(Stream.runForEach(changes, (line) => Console.log(`bar: ${line}`)))
 *     yield* Effect.yieldNow() // the bar waits for a first report
 *     yield* Fiber.interrupt(bar)
 *     yield* progress.report("1 of 3 files")
 *     yield* progress.report("2 of 3 files")
 *     const next = yield* Stream.runCollect(Stream.take(changes, 1))
 *     yield* Console.log(`a new consumer starts from the newest: ${Chunk.join(next, "")}`)
 *   })
 * )
 * Effect.runPromise(program)
 * // Output:
 * // a new consumer starts from the newest: 2 of 3 files
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const latest: <T>() => Effect.Effect<Latest<T>, never, Scope.Scope> = internal.latest

/**
 * Many child reporters folded into one parent reporter.
 *
 * Each child's latest value is kept; on every child report, `combine` receives the latest values
 * of the children that have reported so far (in the order the children were made) and its result
 * is reported to `parent`. `combine` sees every child, so a report costs O(children); for sums of
 * numbers use {@link total}, which is O(1) per report. A `parent` that is not a {@link Progress}
 * or a `combine` that is not a function is a defect (`IllegalArgumentException`) when run.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const done: Array<string> = []
 * const parent = Progress.make((s: string) => Effect.sync(() => done.push(s)))
 * Effect.runSync(
 *   Effect.gen(function* () {
 *     const all = yield* Progress.aggregate(parent, (values: ReadonlyArray<boolean>) =>
 *       `${values.filter(Boolean).length}/${values.length} finished`
 *     )
 *     const a = yield* all.child
 *     const b = yield* all.child
 *     yield* a.report(false)
 *     yield* b.report(true)
 *     yield* a.report(true)
 *   })
 * )
 * console.log(done) // ["0/1 finished", "1/2 finished", "2/2 finished"]
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const aggregate: <A, B>(
  parent: Progress<B>,
  combine: (values: ReadonlyArray<A>) => B
) => Effect.Effect<Aggregate<A>> = internal.aggregate

/**
 * Child reporters of running counts whose sum is reported to `parent`: total bytes received
 * across concurrent downloads.
 *
 * Each child reports its own cumulative count (bytes received so far); the parent receives the
 * sum of every child's latest count. A report is O(1). A non-finite report (`NaN`, `±Infinity`,
 * or from JavaScript a value that is not a number) is ignored — the parent gets no report and the
 * child's last count stays — so one bad value cannot turn the total into `NaN` for good. A
 * `parent` that is not a {@link Progress} is a defect (`IllegalArgumentException`) when run.
 *
 * @example
 * ```ts
 * import { Progress } from "@tapestry/core"
 * import { Effect } from "effect"
 *
 * const totals: Array<number> = []
 * const parent = Progress.make((bytes: number) => Effect.sync(() => totals.push(bytes)))
 * Effect.runSync(
 *   Effect.gen(function* () {
 *     const bytes = yield* Progress.total(parent)
 *     const a = yield* bytes.child
 *     const b = yield* bytes.child
 *     yield* a.report(100)
 *     yield* b.report(50)
 *     yield* a.report(300)
 *   })
 * )
 * console.log(totals) // [100, 150, 350]
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const total: (parent: Progress<number>) => Effect.Effect<Aggregate<number>> = internal.total
