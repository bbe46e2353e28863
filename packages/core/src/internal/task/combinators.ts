/**
 * The `Task` combinators. Public types and docs live in `src/Task.ts`.
 *
 * The collection combinators stand on the engine in `group.ts` (its header is its contract): the
 * `whenAll` family runs a group to its end (`runAll`), `whenAny` and `needOnlyOne` race one
 * (`raceOf`), `interleaved` and `throttled` drain one into a stream (`completionStream`). The
 * single-task combinators (`timeout`, `untilCompletionOrCancellation`, `retryOnFault`) need no group.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import {
  type AllOptions,
  type AnyTask,
  type Completed,
  type Concurrency,
  type ContextOf,
  type ErrorOf,
  type Exits,
  type FailuresOf,
  type InterleavedOptions,
  type NeedOnlyOneOptions,
  RetriesExhausted,
  type RetryOptions,
  type Successes,
  type SuccessOf,
  type TaskFailure,
  TaskFailures,
  type Input as TaskInput,
  type ThrottledCompleted,
  type ThrottledOptions,
  TimeoutError,
  type WhenAnyOptions
} from "../../Task.js"
import * as Validate from "../validate.js"
import { type Group, type GroupOptions, make as makeGroup, withGroup } from "./group.js"
import { fromInput, type Input } from "./input.js"

type AnyEffect = Effect.Effect<unknown, unknown, unknown>

/** The tasks of `T` (a tuple, an iterable or a record of effects) as one effect type. */
type TaskOf<T> = Effect.Effect<SuccessOf<T>, ErrorOf<T>, ContextOf<T>>

/** The `whenAll` family's input: an iterable or a record of effects. */
type AllInput = Iterable<AnyTask> | Readonly<Record<string, AnyTask>>

/** `Scope` when the options may detach (`losers` neither absent nor `"interrupt"`), else nothing. */
type DetachScope<O> = O extends { readonly losers?: "interrupt" | undefined } ? never : Scope.Scope

// ---------------------------------------------------------------------------------------------
// arguments
// ---------------------------------------------------------------------------------------------

/** Input shapes: tuples/arrays and iterables by position, records by `Object.keys` order. */
interface Shaped<X = AnyEffect> {
  readonly items: Iterator<X>
  readonly keys: ReadonlyArray<string> | undefined
  /** Checks each element when it is reached (see `checkedTask`). */
  readonly f: (item: X, index: number) => X
}

const isIterable = (u: object): u is Iterable<unknown> =>
  typeof (u as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"

/**
 * The `whenAll` family's input: an iterable (not a string), or a record of string keys. A
 * symbol-keyed property is refused, naming it: `Object.keys` (and so `Effect.all`) would drop it
 * without a word, and `TaskFailure.key` is a string.
 */
const shape = (where: string, input: unknown): Shaped => {
  if (typeof input !== "object" || input === null || Effect.isEffect(input)) {
    return Validate.raise(Validate.message(where, "tasks", "an iterable or a record of Effects", input))
  }
  if (isIterable(input)) {
    return { items: input[Symbol.iterator]() as Iterator<AnyEffect>, keys: undefined, f: checkedTask(where) }
  }
  const record = input as Readonly<Record<string | symbol, AnyEffect>>
  for (const symbol of Object.getOwnPropertySymbols(record)) {
    if (Object.prototype.propertyIsEnumerable.call(record, symbol)) {
      Validate.raise(
        Validate.message(
          where,
          Validate.element("tasks", symbol),
          "string-keyed (records are read by Object.keys)",
          record[symbol]
        )
      )
    }
  }
  const keys = Object.keys(record)
  return { items: keys.map((k) => record[k]!)[Symbol.iterator](), keys, f: checkedTask(where, keys) }
}

/** The check of each element, when it is reached: an `Effect`, else a defect naming its position (or key). */
const checkedTask =
  (where: string, keys?: ReadonlyArray<string>) =>
  (item: unknown, index: number): AnyEffect =>
    Effect.isEffect(item)
      ? item
      : Validate.raise(
          Validate.message(
            where,
            Validate.element("tasks", keys === undefined ? index : keys[index]!),
            "an Effect",
            item
          )
        )

/** The `losers` / `onTimeout` / `onCancel` option. */
const mode = (where: string, name: string, value: unknown): "interrupt" | "detach" =>
  value === undefined ? "interrupt" : Validate.oneOf(where, name, value, ["interrupt", "detach"])

/**
 * The results in the input's shape `T` (`Successes` or `Exits`): an array of `count` by position, or
 * a record by key. Each child's result was put at its position, so this is a `T`.
 */
const build = <T>(results: Array<unknown>, keys: ReadonlyArray<string> | undefined, count: number): T => {
  if (keys === undefined) {
    results.length = count
    return results as T
  }
  const out: Record<string, unknown> = {}
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = results[i]
  return out as T
}

const byIndex = (a: { readonly index: number }, b: { readonly index: number }): number => a.index - b.index

/**
 * The failures of a combinator's children: one `TaskFailure` per typed error in a child's cause, and
 * what else the causes hold (defects, interruptions), each with the child's position.
 */
class Failures<E> {
  readonly #failures: Array<TaskFailure<E>> = []
  readonly #residual: Array<{ readonly index: number; readonly cause: Cause.Cause<never> }> = []
  /** How many failures stay first, in the order they came (the rest are put in index order). */
  #pinned = 0

  constructor(readonly keys: ReadonlyArray<string> | undefined) {}

  get size(): number {
    return this.#failures.length
  }

  /** Adds a child's cause; `keepInterruptions: false` keeps only its typed failures and defects. */
  add(index: number, cause: Cause.Cause<E>, keepInterruptions: boolean): void {
    const keys = this.keys
    for (const error of Cause.failures(cause)) {
      this.#failures.push(keys === undefined ? { index, error } : { index, key: keys[index]!, error })
    }
    const rest = keepInterruptions
      ? Cause.stripFailures(cause)
      : Option.getOrElse(Cause.keepDefects(cause), () => Cause.empty)
    if (!Cause.isEmpty(rest)) this.#residual.push({ index, cause: rest })
  }

  /** The failures added so far stay first, in their order (`whenAllOrFirstFailure`'s first failure). */
  pin(): void {
    this.#pinned = this.#failures.length
  }

  /**
   * `TaskFailures` (if any typed failure: the pinned ones, then the others in index order) in
   * parallel with every defect and interruption in index order, and the input's defect last.
   */
  cause(defect: { readonly error: unknown } | undefined): Cause.Cause<TaskFailures<E>> | undefined {
    const pinned = this.#failures.slice(0, this.#pinned)
    const failures = pinned.concat(this.#failures.slice(this.#pinned).sort(byIndex))
    let cause: Cause.Cause<TaskFailures<E>> = Cause.empty
    if (failures.length > 0) cause = Cause.fail(new TaskFailures({ failures }))
    for (const r of [...this.#residual].sort(byIndex)) cause = Cause.parallel(cause, r.cause)
    if (defect !== undefined) cause = Cause.parallel(cause, Cause.die(defect.error))
    return Cause.isEmpty(cause) ? undefined : cause
  }
}

// ---------------------------------------------------------------------------------------------
// whenAll, whenAllSettled, whenAllOrFirstFailure
// ---------------------------------------------------------------------------------------------

/**
 * Runs every child of `options` and waits until all have ended (or the group was interrupted and
 * they have ended); `finish` then makes the result. However the caller's fiber ends, what still
 * runs is interrupted and awaited first.
 */
const runAll = <I, A, E, R, X, E2>(
  options: GroupOptions<I, A, E, R>,
  finish: (group: Group<I, A, E, R>) => Effect.Effect<X, E2>
): Effect.Effect<X, E2, R> =>
  withGroup(options, (group, restore) => {
    group.start()
    return Effect.flatMap(Effect.ensuring(restore(group.await), group.shutdown), () => finish(group))
  })

/** The prologue of the `whenAll` family: the validated concurrency and the input's items and keys. */
const allInput = <T extends AllInput, A, E, R>(
  name: string,
  input: T,
  options: AllOptions | undefined,
  body: (concurrency: Concurrency, shaped: Shaped<TaskOf<T>>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Validate.suspend(() => {
    const given = Validate.optionalOptions(name, options)?.concurrency
    const concurrency = given === undefined ? "unbounded" : Validate.concurrency(name, given)
    // each element of `T` is a `TaskOf<T>`: the union of its effects' types (checked when reached)
    return body(concurrency, shape(name, input) as Shaped<TaskOf<T>>)
  })

/**
 * The failure of a combinator that gathers its children's typed failures: `FailuresOf<E>` is
 * `TaskFailures<E>`, or never when no task can fail with a typed error (then none is ever built).
 */
const failWith = <E>(cause: Cause.Cause<TaskFailures<E>>): Effect.Effect<never, FailuresOf<E>> =>
  Effect.failCause(cause) as Effect.Effect<never, FailuresOf<E>>

/** @internal */
export const whenAll = <T extends AllInput>(
  input: T,
  options?: AllOptions
): Effect.Effect<Successes<T>, FailuresOf<ErrorOf<T>>, ContextOf<T>> =>
  allInput("Task.whenAll", input, options, (concurrency, { items, keys, f }) => {
    const results: Array<SuccessOf<T>> = []
    const failures = new Failures<ErrorOf<T>>(keys)
    return runAll(
      {
        concurrency,
        items,
        f,
        onExit: (index, _, exit) => {
          if (exit._tag === "Success") results[index] = exit.value
          else failures.add(index, exit.cause, true)
        }
      },
      (group) => {
        const cause = failures.cause(group.defect)
        return cause === undefined ? Effect.succeed(build<Successes<T>>(results, keys, group.started)) : failWith(cause)
      }
    )
  })

/** @internal */
export const whenAllSettled = <T extends AllInput>(
  input: T,
  options?: AllOptions
): Effect.Effect<Exits<T>, never, ContextOf<T>> =>
  allInput("Task.whenAllSettled", input, options, (concurrency, { items, keys, f }) => {
    const results: Array<Exit.Exit<SuccessOf<T>, ErrorOf<T>>> = []
    return runAll(
      {
        concurrency,
        items,
        f,
        onExit: (index, _, exit) => {
          results[index] = exit
        }
      },
      (group) =>
        group.defect !== undefined
          ? Effect.die(group.defect.error)
          : Effect.succeed(build<Exits<T>>(results, keys, group.started))
    )
  })

/** @internal */
export const whenAllOrFirstFailure = <T extends AllInput>(
  input: T,
  options?: AllOptions
): Effect.Effect<Successes<T>, FailuresOf<ErrorOf<T>>, ContextOf<T>> =>
  allInput("Task.whenAllOrFirstFailure", input, options, (concurrency, { items, keys, f }) => {
    const results: Array<SuccessOf<T>> = []
    const failures = new Failures<ErrorOf<T>>(keys)
    let failed = false
    return runAll(
      {
        concurrency,
        captureOnStop: true,
        items,
        f,
        onExit: (index, _, exit, group) => {
          if (exit._tag === "Success") {
            results[index] = exit.value
          } else if (!failed) {
            failed = true
            failures.add(index, exit.cause, true)
            failures.pin()
            group.interrupt()
          } else {
            // interruptions after the first failure are ours: only failures and defects are kept
            failures.add(index, exit.cause, false)
          }
        }
      },
      (group) => {
        const cause = failures.cause(group.defect)
        return cause === undefined ? Effect.succeed(build<Successes<T>>(results, keys, group.started)) : failWith(cause)
      }
    )
  })

// ---------------------------------------------------------------------------------------------
// whenAny, needOnlyOne
// ---------------------------------------------------------------------------------------------

/** The group of `whenAny` and `needOnlyOne`: every task at once, in input order. */
const raceOf = <T extends Iterable<AnyTask>>(
  where: string,
  tasks: T,
  onExit: GroupOptions<TaskOf<T>, SuccessOf<T>, ErrorOf<T>, ContextOf<T>>["onExit"],
  /** Wraps each (checked) task before it starts. */
  wrap?: (task: TaskOf<T>, index: number) => TaskOf<T>
): GroupOptions<TaskOf<T>, SuccessOf<T>, ErrorOf<T>, ContextOf<T>> => {
  // each element of `T` is a `TaskOf<T>`: the union of its effects' types (checked when reached)
  const checked = checkedTask(where) as (task: TaskOf<T>, index: number) => TaskOf<T>
  return {
    items: Validate.iterable(where, "tasks", tasks)[Symbol.iterator]() as Iterator<TaskOf<T>>,
    f: wrap === undefined ? checked : (task, index) => wrap(checked(task, index), index),
    concurrency: "unbounded",
    onExit
  }
}

/** @internal */
export const whenAny = <T extends Iterable<AnyTask>, O extends WhenAnyOptions = {}>(
  tasks: T,
  options?: O
): Effect.Effect<Completed<SuccessOf<T>, ErrorOf<T>>, never, ContextOf<T> | DetachScope<O>> =>
  Validate.suspend(() => {
    const where = "Task.whenAny"
    const detach = mode(where, "losers", Validate.optionalOptions(where, options)?.losers) === "detach"
    // the caller's `Scope` is needed exactly when the options detach
    const scoped = (detach ? Effect.scope : Effect.succeed(undefined)) as Effect.Effect<
      Scope.Scope | undefined,
      never,
      DetachScope<O>
    >
    return Effect.flatMap(scoped, (scope) => {
      let winner: Completed<SuccessOf<T>, ErrorOf<T>> | undefined
      // a loser that fails on its own has nobody to report to, so it is logged, as `needOnlyOne`'s
      // and `timeout`'s are: those awaited (interrupted, but failed first) once all have ended,
      // a detached one by its own fiber when it fails
      const failed: Array<{ readonly index: number; readonly cause: Cause.Cause<ErrorOf<T>> }> = []
      const isLoss = (exit: Exit.Exit<unknown, unknown>): exit is Exit.Failure<unknown, ErrorOf<T>> =>
        winner !== undefined && Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)
      const race = raceOf(
        where,
        tasks,
        (index, _, exit, group) => {
          if (winner === undefined) {
            // after the input threw, what ends was interrupted by us: no winner
            if (group.defect !== undefined) return
            winner = { index, exit }
            if (detach) group.stopStarting()
            else group.interrupt()
          } else if (!detach && isLoss(exit)) {
            failed.push({ index, cause: exit.cause })
          }
        },
        detach
          ? (task, index) =>
              Effect.onExit(task, (exit) =>
                isLoss(exit) ? logLoser(whenAnyLoser, { index, cause: exit.cause }) : Effect.void
              ) as TaskOf<T>
          : undefined
      )
      return withGroup(race, (group, restore) => {
        group.start()
        if (group.started === 0 && group.defect === undefined) {
          return Validate.die("Task.whenAny: tasks must not be empty")
        }
        const done = detach ? () => winner !== undefined || group.idle : () => group.idle
        const wait = done() ? Effect.void : restore(group.waitFor(done))
        return Effect.flatMap(
          Effect.onExit(wait, (exit) =>
            detach && Exit.isSuccess(exit) && scope !== undefined && group.defect === undefined
              ? group.detach(scope)
              : group.shutdown
          ),
          () =>
            winner === undefined && group.defect !== undefined
              ? Effect.die(group.defect.error)
              : Effect.as(logLosers(whenAnyLoser, failed), winner!)
        )
      })
    })
  })

/** @internal */
export const needOnlyOne = <T extends Iterable<AnyTask>>(
  tasks: T,
  options?: NeedOnlyOneOptions
): Effect.Effect<SuccessOf<T>, FailuresOf<ErrorOf<T>>, ContextOf<T>> =>
  // the state below is made anew each time the effect runs
  Validate.suspend(() => {
    const where = "Task.needOnlyOne"
    const given = Validate.optionalOptions(where, options)?.stagger
    const stagger = given === undefined ? undefined : Validate.duration(where, "stagger", given)
    let won = false
    let value: SuccessOf<T>
    const failed: Array<{ readonly index: number; readonly cause: Cause.Cause<ErrorOf<T>> }> = []
    const race = raceOf(where, tasks, (index, _, exit, group) => {
      if (exit._tag === "Success") {
        if (!won) {
          won = true
          value = exit.value
          group.interrupt()
        }
      } else if (!won || !Cause.isInterruptedOnly(exit.cause)) {
        failed.push({ index, cause: exit.cause })
      }
    })
    return withGroup(race, (group, restore) => {
      let run: Effect.Effect<void>
      if (stagger === undefined) {
        group.start()
        run = restore(group.await)
      } else {
        const settled = () => won || group.running === 0
        const step = (): Effect.Effect<void> => {
          if (won) return Effect.void
          const started = group.startOne()
          if (won) return Effect.void
          if (!started) return settled() ? Effect.void : group.waitFor(settled)
          if (group.running === 0) return Effect.suspend(step)
          return Effect.flatMap(Effect.race(group.waitFor(settled), Effect.sleep(stagger)), step)
        }
        run = restore(Effect.suspend(step))
      }
      return Effect.flatMap(Effect.ensuring(run, group.shutdown), () => {
        if (group.started === 0 && group.defect === undefined) {
          return Validate.die("Task.needOnlyOne: tasks must not be empty")
        }
        if (won) return Effect.as(logLosers("Task.needOnlyOne: a losing task failed", failed), value)
        failed.sort(byIndex)
        const failures = new Failures<ErrorOf<T>>(undefined)
        for (const f of failed) failures.add(f.index, f.cause, true)
        return failWith(failures.cause(group.defect) ?? Cause.empty)
      })
    })
  })

// ---------------------------------------------------------------------------------------------
// interleaved, throttled
// ---------------------------------------------------------------------------------------------

/** Runs `f` on the next turn of the event loop (after the I/O callbacks already queued). */
const nextTurn: (f: () => void) => void =
  typeof setImmediate === "function" ? (f) => setImmediate(f) : (f) => setTimeout(f, 0)

/** Completed elements a bounded stream may hold beyond the running children before workers wait. */
const slack = (concurrency: number): number => Math.min(64, Math.max(16, concurrency))

/** The largest chunk a bounded stream emits per pull. */
const MAX_CHUNK = 64

const endOfStream = Effect.succeed(undefined)

/**
 * How a completion stream ends once its group is idle: with the input's failure (a `Stream`'s typed
 * error, in the error channel) and the defect of a throwing input or `f`, else at its end.
 */
const ended = <E2>(group: {
  readonly inputFailure: Cause.Cause<unknown> | undefined
  readonly defect: { readonly error: unknown } | undefined
}): Effect.Effect<undefined, E2> => {
  const failure = group.inputFailure as Cause.Cause<E2> | undefined
  const defect = group.defect
  if (failure === undefined) return defect === undefined ? endOfStream : Effect.die(defect.error)
  return Effect.failCause(defect === undefined ? failure : Cause.parallel(failure, Cause.die(defect.error)))
}

/** What a completion stream runs, from its checked arguments. */
interface StreamInput<I, A, E, R> {
  readonly items: Input<I>
  readonly f: (item: I, index: number) => Effect.Effect<A, E, R>
  readonly concurrency: Concurrency
  /** Emit in input order, holding at most `concurrency` finished results back for an earlier one. */
  readonly ordered?: boolean
}

const completionStream = <I, A, E, R, O, E2>(
  /** Checks the arguments (throwing `IllegalArgumentException`) when the stream runs. */
  input: () => StreamInput<I, A, E, R>,
  make: (index: number, item: I, exit: Exit.Exit<A, E>) => O
): Stream.Stream<O, E2, R> => {
  const checked = Validate.suspend(() => Effect.succeed(input()))
  // A channel, not `Stream.unwrapScoped`: that is `Stream.flatten`, one more executor layer that
  // every chunk passes through; `Channel.flatMap` and `acquireUseRelease` add none per chunk.
  return Stream.fromChannel(
    Channel.unwrap(
      Effect.flatMap(checked, ({ items, f, concurrency, ordered }) => {
        let buffer: Array<O> = []
        // ordered: finished results waiting for an earlier one, by index; `next` is the index to emit next
        const held = ordered === true ? new Map<number, O>() : undefined
        let next = 0
        let waiter: (() => void) | null = null
        const cap = concurrency === "unbounded" ? 0 : concurrency + slack(concurrency)
        // Chunked emission: the consumer is woken at once when a chunk's worth has completed (or
        // everything is done); otherwise on the next turn of the event loop, so that children
        // completing in the same turn are emitted together instead of one per pull.
        const batch = concurrency === "unbounded" ? 1024 : Math.max(1, Math.min(concurrency, 64))
        let deferred = false
        let idle = () => false
        const wakeNow = () => {
          deferred = false
          if (waiter !== null && (buffer.length > 0 || idle())) {
            const w = waiter
            waiter = null
            w()
          }
        }
        const options: GroupOptions<I, A, E, R> = {
          items,
          f,
          concurrency,
          onExit:
            held === undefined
              ? (index, item, exit) => {
                  buffer.push(make(index, item, exit))
                }
              : (index, item, exit) => {
                  if (index !== next) {
                    held.set(index, make(index, item, exit))
                    return
                  }
                  buffer.push(make(index, item, exit))
                  for (let o = held.get(++next); o !== undefined; o = held.get(++next)) {
                    held.delete(next)
                    buffer.push(o)
                  }
                },
          onChange: (group) => {
            if (waiter === null || (deferred && buffer.length < batch)) return
            if (buffer.length >= batch || group.idle) wakeNow()
            else if (buffer.length > 0) {
              deferred = true
              nextTurn(wakeNow)
            }
          },
          canPull:
            concurrency === "unbounded"
              ? undefined
              : held === undefined
                ? (group) => group.running + buffer.length < cap
                : (group) => held.size < concurrency && group.running + buffer.length + held.size < cap
        }
        return Effect.map(makeGroup(options), (group) => {
          idle = () => group.idle
          // Bounded: at most MAX_CHUNK per pull, so what is pulled but not yet seen downstream stays
          // within concurrency + slack + MAX_CHUNK. Unbounded: everything completed so far.
          const take = (): Chunk.Chunk<O> => {
            let out: Array<O>
            if (concurrency === "unbounded" || buffer.length <= MAX_CHUNK) {
              out = buffer
              buffer = []
            } else {
              out = buffer.splice(0, MAX_CHUNK)
            }
            group.resume(out.length)
            return Chunk.unsafeFromArray(out)
          }
          const pull: Effect.Effect<Chunk.Chunk<O> | undefined, E2> = Effect.suspend(() => {
            if (buffer.length > 0) return Effect.succeed(take())
            if (group.idle) return ended(group)
            return wait
          })
          let resumeConsumer: ((effect: Effect.Effect<Chunk.Chunk<O> | undefined, E2>) => void) | null = null
          const wakeConsumer = () => resumeConsumer!(pull)
          // No canceler: an `Effect.async` that returns one is wrapped in `onInterrupt` (a mask and a
          // match per wait), which cost more than the rest of the wake here. None is needed: a pull
          // interrupted while it waits leaves `waiter` set, and waking it calls a resume that Effect
          // ignores once its fiber was interrupted; the next pull sets both again (tested).
          const wait: Effect.Effect<Chunk.Chunk<O> | undefined, E2> = Effect.async((resume) => {
            resumeConsumer = resume
            waiter = wakeConsumer
          })
          // a plain channel loop: about half the per-chunk cost of `Stream.repeatEffectChunkOption`
          const emit = (chunk: Chunk.Chunk<O> | undefined): Channel.Channel<Chunk.Chunk<O>, unknown, E2> =>
            chunk === undefined ? Channel.void : Channel.zipRight(Channel.write(chunk), loop)
          const loop: Channel.Channel<Chunk.Chunk<O>, unknown, E2> = Channel.flatMap(Channel.fromEffect(pull), emit)
          return Channel.acquireUseRelease(
            Effect.sync(() => group.start()),
            () => loop,
            () => group.shutdown
          )
        })
      })
    )
  )
}

/** @internal */
export const interleaved = <A, E, R, E2 = never, R2 = never>(
  tasks: TaskInput<Effect.Effect<A, E, R>, E2, R2>,
  options?: InterleavedOptions
): Stream.Stream<Completed<A, E>, E2, R | R2> =>
  completionStream<Effect.Effect<A, E, R>, A, E, R | R2, Completed<A, E>, E2>(
    () => {
      const where = "Task.interleaved"
      const concurrency = Validate.optionalOptions(where, options)?.concurrency
      return {
        items: fromInput(where, "tasks", tasks),
        f: checkedTask(where) as (task: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
        concurrency: concurrency === undefined ? "unbounded" : Validate.concurrency(where, concurrency)
      }
    },
    (index, _, exit): Completed<A, E> => ({ index, exit })
  )

/** @internal */
export const throttled = <I, A, E, R, E2 = never, R2 = never>(
  items: TaskInput<I, E2, R2>,
  f: (item: I, index: number) => Effect.Effect<A, E, R>,
  options: ThrottledOptions
): Stream.Stream<ThrottledCompleted<I, A, E>, E2, R | R2> =>
  completionStream<I, A, E, R | R2, ThrottledCompleted<I, A, E>, E2>(
    () => {
      const where = "Task.throttled"
      const concurrency = Validate.concurrency(where, Validate.options(where, options).concurrency)
      Validate.fn(where, "f", f)
      return {
        items: fromInput(where, "items", items, { strings: true }),
        // what `f` returns is checked when it is called: a plain value would only fail when run, without the index
        f: (item: I, index: number) => {
          const task = f(item, index)
          return Effect.isEffect(task)
            ? task
            : Validate.raise(Validate.message(where, `f(${Validate.element("items", index)})`, "an Effect", task))
        },
        concurrency,
        ordered: Validate.flag(where, "ordered", options.ordered)
      }
    },
    (index, item, exit) => ({ index, item, exit })
  )

// ---------------------------------------------------------------------------------------------
// logging a failure nobody waits for
// ---------------------------------------------------------------------------------------------

/** One line for a cause: the error's tag and message (or the defect's), at most 200 characters. */
const summary = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  const error: unknown = Option.isSome(failure) ? failure.value : Option.getOrUndefined(Cause.dieOption(cause))
  const tag = typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : undefined
  const text =
    typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
      ? error.message
      : tag === undefined
        ? Validate.show(error)
        : ""
  const line = `${Option.isSome(failure) ? "" : "defect: "}${tag === undefined ? text : text === "" ? tag : `${tag}: ${text}`}`
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}

/**
 * A failure nobody waits for any more (a losing task, a detached one): one WARN line with the error's
 * tag and message, the full `Cause` (stack traces) at DEBUG. Callers choose with Effect's log level.
 */
const logFailure = (message: string, cause: Cause.Cause<unknown>): Effect.Effect<void> =>
  Effect.zipRight(Effect.logWarning(`${message} (${summary(cause)})`), Effect.logDebug(message, cause))

/** A loser's failure: `logFailure`, annotated with the loser's index. */
const logLoser = (message: string, loser: { readonly index: number; readonly cause: Cause.Cause<unknown> }) =>
  Effect.annotateLogs(logFailure(message, loser.cause), { index: loser.index })

/** Losers' failures, in input order. */
const logLosers = (
  message: string,
  losers: Array<{ readonly index: number; readonly cause: Cause.Cause<unknown> }>
): Effect.Effect<void> =>
  losers.length === 0
    ? Effect.void
    : Effect.forEach(losers.sort(byIndex), (loser) => logLoser(message, loser), { discard: true })

const whenAnyLoser = "Task.whenAny: a losing task failed"

// ---------------------------------------------------------------------------------------------
// timeout, untilCompletionOrCancellation
// ---------------------------------------------------------------------------------------------

/**
 * Runs `task` against `trigger`. When the task ends first its exit is the result; when the trigger
 * ends first, `onTrigger` decides. "interrupt": the task is interrupted and awaited; "detach": it
 * keeps running in the caller's `Scope`, its eventual failure logged with `logMessage`.
 */
const against = <A, E, R, B, E2, R2>(
  task: Effect.Effect<A, E, R>,
  trigger: Effect.Effect<B, E2, R2>,
  mode: "interrupt" | "detach",
  logMessage: string
): Effect.Effect<Option.Option<A>, E | E2, R | R2 | Scope.Scope> => {
  if (mode === "interrupt") {
    return Effect.raceFirst(Effect.asSome(task), Effect.as(trigger, Option.none<A>()))
  }
  return Effect.flatMap(Effect.scope, (scope) =>
    Effect.uninterruptibleMask((restore) => {
      let detached = false
      const watched = Effect.onExit(task, (exit) =>
        detached && Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)
          ? logFailure(logMessage, exit.cause)
          : Effect.void
      )
      // a failure is ours to handle (joined, or logged once detached), not Effect's runtime's: forked
      // with its unhandled-error log off, as a group's fibers are (group.ts)
      const fork = Effect.locally(
        Effect.forkIn(restore(watched), scope),
        FiberRef.unhandledErrorLogLevel,
        Option.none()
      )
      return Effect.flatMap(fork, (fiber) =>
        Effect.onExit(
          restore(
            Effect.raceFirst(
              Effect.asSome(Fiber.join(fiber)),
              Effect.as(
                Effect.tap(trigger, () => {
                  detached = true
                }),
                Option.none<A>()
              )
            )
          ),
          (exit) => (Exit.isSuccess(exit) || detached ? Effect.void : Fiber.interrupt(fiber))
        )
      )
    })
  )
}

/** @internal */
export const timeout = <A, E, R>(
  task: Effect.Effect<A, E, R>,
  duration: Duration.DurationInput,
  options?: { readonly onTimeout?: "interrupt" | "detach" | undefined }
): Effect.Effect<A, E | TimeoutError, R | Scope.Scope> =>
  Validate.suspend(() => {
    const where = "Task.timeout"
    Validate.effect(where, "task", task)
    const d = Validate.duration(where, "duration", duration, { infinite: true })
    const onTimeout = mode(where, "onTimeout", Validate.optionalOptions(where, options)?.onTimeout)
    // an infinite duration never fires: nothing to race
    if (!Duration.isFinite(d)) return task
    return Effect.flatMap(against(task, Effect.sleep(d), onTimeout, "Task.timeout: a timed-out task failed"), (o) =>
      Option.isSome(o) ? Effect.succeed(o.value) : Effect.fail(new TimeoutError({ duration: d }))
    )
  })

const isAbortSignal = (u: unknown): u is AbortSignal => typeof AbortSignal !== "undefined" && u instanceof AbortSignal

const fromAbortSignal = (signal: AbortSignal): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    if (signal.aborted) {
      resume(Effect.void)
      return
    }
    const onAbort = () => resume(Effect.void)
    signal.addEventListener("abort", onAbort, { once: true })
    return Effect.sync(() => signal.removeEventListener("abort", onAbort))
  })

/** @internal */
export const isCancellationSignal = (u: unknown): boolean => Effect.isEffect(u) || isAbortSignal(u)

/** @internal */
export const untilCompletionOrCancellation = <A, E, R, E2, R2>(
  task: Effect.Effect<A, E, R>,
  signal: Effect.Effect<unknown, E2, R2> | AbortSignal,
  options?: { readonly onCancel?: "interrupt" | "detach" | undefined }
): Effect.Effect<Option.Option<A>, E | E2, R | R2 | Scope.Scope> =>
  Validate.suspend(() => {
    const where = "Task.untilCompletionOrCancellation"
    Validate.effect(where, "task", task)
    if (!isCancellationSignal(signal)) {
      Validate.raise(Validate.message(where, "signal", "an Effect or an AbortSignal", signal))
    }
    return against(
      task,
      isAbortSignal(signal) ? fromAbortSignal(signal) : signal,
      mode(where, "onCancel", Validate.optionalOptions(where, options)?.onCancel),
      "Task.untilCompletionOrCancellation: a detached task failed"
    )
  })

// ---------------------------------------------------------------------------------------------
// retryOnFault
// ---------------------------------------------------------------------------------------------

/** @internal */
export const retryOnFault = <A, E, R, E2, R2>(
  task: Effect.Effect<A, E, R>,
  options: RetryOptions<E, E2, R2>
): Effect.Effect<A, RetriesExhausted<E> | E2, R | R2> =>
  Validate.suspend(() => {
    const where = "Task.retryOnFault"
    Validate.effect(where, "task", task)
    Validate.options(where, options)
    const maxTries = Validate.positiveInteger(where, "maxTries", options.maxTries)
    const { retryWhen } = options
    if (
      !(retryWhen === undefined || Schedule.isSchedule(retryWhen) || Effect.isEffect(retryWhen)) &&
      typeof retryWhen !== "function"
    ) {
      Validate.raise(Validate.message(where, "retryWhen", "an Effect, a function or a Schedule", retryWhen))
    }
    const keepGoing =
      options.while === undefined ? undefined : Validate.fn<(error: E) => boolean>(where, "while", options.while)
    const errors: Array<E> = []
    const exhausted = (attempts: number) => Effect.fail(new RetriesExhausted({ attempts, errors }))
    // A defect of attempt `attempts`, or a failure or defect of the wait after it: the earlier
    // attempts' errors come first (RetriesExhausted), then what ended the retries. An interruption
    // passes through as it is.
    const endedBy = (attempts: number, cause: Cause.Cause<unknown>): Effect.Effect<never, unknown> =>
      errors.length === 0 || Cause.isInterruptedOnly(cause)
        ? Effect.failCause(cause)
        : Effect.failCause(Cause.sequential(Cause.fail(new RetriesExhausted({ attempts, errors })), cause))
    type Pause = (error: E, attempt: number) => Effect.Effect<boolean, E2, R2>
    const go = (attempt: number, pause: Pause): Effect.Effect<A, RetriesExhausted<E> | E2, R | R2> =>
      Effect.matchCauseEffect(task, {
        onSuccess: Effect.succeed,
        onFailure: (cause) => {
          const failure = Cause.failureOption(cause)
          if (Option.isNone(failure)) return endedBy(attempt, cause) as Effect.Effect<never, E2>
          const error = failure.value
          errors.push(error)
          if (attempt >= maxTries) return exhausted(attempt)
          const next = Effect.suspend(() =>
            keepGoing !== undefined && !keepGoing(error) ? Effect.succeed(false) : pause(error, attempt)
          )
          return Effect.matchCauseEffect(next, {
            onFailure: (c) => endedBy(attempt, c) as Effect.Effect<never, E2>,
            onSuccess: (again) => (again ? go(attempt + 1, pause) : exhausted(attempt))
          })
        }
      })
    if (retryWhen === undefined) return go(1, () => Effect.succeed(true))
    if (Schedule.isSchedule(retryWhen)) {
      const schedule = retryWhen as Schedule.Schedule<unknown, E, R2>
      return Effect.flatMap(Schedule.driver(schedule), (driver) =>
        go(1, (error) =>
          Effect.matchEffect(driver.next(error), {
            onFailure: () => Effect.succeed(false),
            onSuccess: () => Effect.succeed(true)
          })
        )
      )
    }
    if (Effect.isEffect(retryWhen)) {
      const wait = Effect.as(retryWhen as Effect.Effect<unknown, E2, R2>, true)
      return go(1, () => wait)
    }
    const policy = retryWhen as (error: E, attempt: number) => Effect.Effect<unknown, E2, R2>
    return go(1, (error, attempt) => {
      const wait = policy(error, attempt)
      return Effect.isEffect(wait)
        ? Effect.as(wait, true)
        : Validate.die(Validate.message(where, `retryWhen(error, ${attempt})`, "an Effect", wait))
    })
  })
