/**
 * The `Task` combinators. Public types and docs live in `src/Task.ts`.
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
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { type Completed, RetriesExhausted, type RetryOptions, TaskFailures, TimeoutError } from "../../Task.js"
import * as Validate from "../validate.js"
import { type Concurrency, Group } from "./group.js"

type AnyEffect = Effect.Effect<unknown, unknown, unknown>

// ---------------------------------------------------------------------------------------------
// arguments
// ---------------------------------------------------------------------------------------------

/** Input shapes: tuples/arrays and iterables by position, records by `Object.keys` order. */
interface Shaped {
  readonly items: Iterator<AnyEffect>
  readonly keys: ReadonlyArray<string> | undefined
  /** Checks each element when it is reached (see `checkedTask`). */
  readonly f: (item: AnyEffect, index: number) => AnyEffect
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

const build = (results: Array<unknown>, keys: ReadonlyArray<string> | undefined, count: number): unknown => {
  if (keys === undefined) {
    results.length = count
    return results
  }
  const out: Record<string, unknown> = {}
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = results[i]
  return out
}

interface Failure {
  readonly index: number
  readonly key?: string
  readonly error: unknown
}

const failureAt = (keys: ReadonlyArray<string> | undefined, index: number, error: unknown): Failure =>
  keys === undefined ? { index, error } : { index, key: keys[index]!, error }

const byIndex = (a: { readonly index: number }, b: { readonly index: number }): number => a.index - b.index

/** Collects the typed failures of a child (one entry per `E` in its cause) and what else its cause holds. */
class Failures {
  readonly failures: Array<Failure> = []
  readonly residual: Array<{ readonly index: number; readonly cause: Cause.Cause<never> }> = []
  constructor(readonly keys: ReadonlyArray<string> | undefined) {}

  add(index: number, cause: Cause.Cause<unknown>, keepInterruptions: boolean): void {
    for (const error of Cause.failures(cause)) this.failures.push(failureAt(this.keys, index, error))
    const rest = keepInterruptions
      ? Cause.stripFailures(cause)
      : Option.getOrElse(Cause.keepDefects(cause), () => Cause.empty)
    if (!Cause.isEmpty(rest)) this.residual.push({ index, cause: rest })
  }

  /** `TaskFailures` (if any typed failure) in parallel with every defect / interruption, in index order. */
  cause(sortFailures: boolean, defect: { readonly error: unknown } | undefined): Cause.Cause<unknown> | undefined {
    if (sortFailures) this.failures.sort(byIndex)
    this.residual.sort(byIndex)
    let cause: Cause.Cause<unknown> = Cause.empty
    if (this.failures.length > 0) cause = Cause.fail(new TaskFailures({ failures: this.failures }))
    for (const r of this.residual) cause = Cause.parallel(cause, r.cause)
    if (defect !== undefined) cause = Cause.parallel(cause, Cause.die(defect.error))
    return Cause.isEmpty(cause) ? undefined : cause
  }
}

// ---------------------------------------------------------------------------------------------
// running a group structurally
// ---------------------------------------------------------------------------------------------

interface RunOptions<I, A, E, R> {
  readonly concurrency: Concurrency
  readonly items: Iterator<I>
  readonly f: (item: I, index: number) => Effect.Effect<A, E, R>
  readonly onExit: (group: Group<I, A, E, R>, index: number, item: I, exit: Exit.Exit<A, E>) => void
  readonly captureOnStop?: boolean
}

/**
 * Starts the group, waits until `until` (default: every child ended), and on any exit of the
 * caller (success, failure, interruption) interrupts what still runs and waits for it.
 */
const runGroup = <I, A, E, R, X, E2>(
  options: RunOptions<I, A, E, R>,
  finish: (group: Group<I, A, E, R>) => Effect.Effect<X, E2>
): Effect.Effect<X, E2, R> =>
  Effect.flatMap(Effect.runtime<R>(), (runtime) =>
    Effect.fiberIdWith((parentId) =>
      Effect.uninterruptibleMask((restore) => {
        const group: Group<I, A, E, R> = new Group<I, A, E, R>({
          runtime,
          parentId,
          items: options.items,
          f: options.f,
          concurrency: options.concurrency,
          captureOnStop: options.captureOnStop,
          onExit: (index, item, exit) => options.onExit(group, index, item, exit)
        })
        group.start()
        const wait = group.idle ? Effect.void : restore(group.waitFor(() => group.idle))
        return Effect.flatMap(Effect.ensuring(wait, group.shutdown), () => finish(group))
      })
    )
  )

// ---------------------------------------------------------------------------------------------
// whenAll, whenAllSettled, whenAllOrFirstFailure
// ---------------------------------------------------------------------------------------------

interface AllOptions {
  readonly concurrency?: Concurrency | undefined
}

/** The prologue of the `whenAll` family: the validated concurrency and the input's items and keys. */
const allInput = <A, E, R>(
  name: string,
  input: unknown,
  options: AllOptions | undefined,
  body: (concurrency: Concurrency, shaped: Shaped) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Validate.suspend(() => {
    const given = Validate.optionalOptions(name, options)?.concurrency
    const concurrency = given === undefined ? "unbounded" : Validate.concurrency(name, given)
    return body(concurrency, shape(name, input))
  })

/** @internal */
export const whenAll = (input: unknown, options?: AllOptions): Effect.Effect<unknown, unknown, unknown> =>
  allInput("Task.whenAll", input, options, (concurrency, { items, keys, f }) => {
    const results: Array<unknown> = []
    const failures = new Failures(keys)
    return runGroup(
      {
        concurrency,
        items,
        f,
        onExit: (_, index, __, exit) => {
          if (exit._tag === "Success") results[index] = exit.value
          else failures.add(index, exit.cause, true)
        }
      },
      (group) => {
        const cause = failures.cause(true, group.inputDefect)
        return cause === undefined ? Effect.succeed(build(results, keys, group.pulled)) : Effect.failCause(cause)
      }
    )
  })

/** @internal */
export const whenAllSettled = (input: unknown, options?: AllOptions): Effect.Effect<unknown, never, unknown> =>
  allInput("Task.whenAllSettled", input, options, (concurrency, { items, keys, f }) => {
    const results: Array<unknown> = []
    return runGroup(
      {
        concurrency,
        items,
        f,
        onExit: (_, index, __, exit) => {
          results[index] = exit
        }
      },
      (group) =>
        group.inputDefect !== undefined
          ? Effect.die(group.inputDefect.error)
          : Effect.succeed(build(results, keys, group.pulled))
    )
  })

/** @internal */
export const whenAllOrFirstFailure = (input: unknown, options?: AllOptions): Effect.Effect<unknown, unknown, unknown> =>
  allInput("Task.whenAllOrFirstFailure", input, options, (concurrency, { items, keys, f }) => {
    const results: Array<unknown> = []
    const first = new Failures(keys)
    const later = new Failures(keys)
    let failed = false
    return runGroup(
      {
        concurrency,
        captureOnStop: true,
        items,
        f,
        onExit: (group, index, _, exit) => {
          if (exit._tag === "Success") {
            results[index] = exit.value
          } else if (!failed) {
            failed = true
            first.add(index, exit.cause, true)
            group.stop()
          } else {
            // interruptions after the first failure are ours: only failures and defects are kept
            later.add(index, exit.cause, false)
          }
        }
      },
      (group) => {
        if (!failed && group.inputDefect === undefined) return Effect.succeed(build(results, keys, group.pulled))
        later.failures.sort(byIndex)
        for (const f of later.failures) first.failures.push(f)
        for (const r of later.residual) first.residual.push(r)
        const cause = first.cause(false, group.inputDefect)
        return cause === undefined ? Effect.succeed(build(results, keys, group.pulled)) : Effect.failCause(cause)
      }
    )
  })

// ---------------------------------------------------------------------------------------------
// whenAny, needOnlyOne
// ---------------------------------------------------------------------------------------------

/** @internal */
export const whenAny = (
  tasks: Iterable<AnyEffect>,
  options?: { readonly losers?: "interrupt" | "detach" | undefined }
): Effect.Effect<Completed<unknown, unknown>, never, unknown> =>
  Validate.suspend(() => {
    const where = "Task.whenAny"
    const losers = mode(where, "losers", Validate.optionalOptions(where, options)?.losers)
    return runWhenAny(Validate.iterable(where, "tasks", tasks), losers === "detach")
  })

const runWhenAny = (
  tasks: Iterable<AnyEffect>,
  detach: boolean
): Effect.Effect<Completed<unknown, unknown>, never, unknown> => {
  return Effect.flatMap(detach ? Effect.scope : Effect.succeed(undefined), (scope: Scope.Scope | undefined) =>
    Effect.flatMap(Effect.runtime<unknown>(), (runtime) =>
      Effect.fiberIdWith((parentId) =>
        Effect.uninterruptibleMask((restore) => {
          let winner: Completed<unknown, unknown> | undefined
          const group: Group<AnyEffect, unknown, unknown, unknown> = new Group({
            runtime,
            parentId,
            items: tasks[Symbol.iterator](),
            f: checkedTask("Task.whenAny"),
            concurrency: "unbounded",
            onExit: (index, _, exit) => {
              // after the input threw, what ends was interrupted by us: no winner
              if (winner !== undefined || group.inputDefect !== undefined) return
              winner = { index, exit }
              if (detach) group.stopStarting()
              else group.stop()
            }
          })
          group.start()
          if (group.pulled === 0 && group.inputDefect === undefined) {
            return Validate.die("Task.whenAny: tasks must not be empty")
          }
          const done = detach ? () => winner !== undefined || group.idle : () => group.idle
          const wait = done() ? Effect.void : restore(group.waitFor(done))
          const finish = Effect.suspend(() =>
            winner === undefined && group.inputDefect !== undefined
              ? Effect.die(group.inputDefect.error)
              : Effect.succeed(winner!)
          )
          return Effect.flatMap(
            Effect.onExit(wait, (exit) =>
              detach && Exit.isSuccess(exit) && scope !== undefined && group.inputDefect === undefined
                ? group.idle
                  ? Effect.void
                  : Scope.addFinalizer(scope, group.shutdown)
                : group.shutdown
            ),
            () => finish
          )
        })
      )
    )
  )
}

/** @internal */
export const needOnlyOne = (
  tasks: Iterable<AnyEffect>,
  options?: { readonly stagger?: Duration.DurationInput | undefined }
): Effect.Effect<unknown, unknown, unknown> =>
  Validate.suspend(() => {
    const where = "Task.needOnlyOne"
    const stagger = Validate.optionalOptions(where, options)?.stagger
    return runNeedOnlyOne(
      Validate.iterable(where, "tasks", tasks),
      stagger === undefined ? undefined : Validate.duration(where, "stagger", stagger)
    )
  })

const runNeedOnlyOne = (
  tasks: Iterable<AnyEffect>,
  stagger: Duration.Duration | undefined
): Effect.Effect<unknown, unknown, unknown> => {
  return Effect.flatMap(Effect.runtime<unknown>(), (runtime) =>
    Effect.fiberIdWith((parentId) =>
      Effect.uninterruptibleMask((restore) => {
        let won = false
        let value: unknown
        const failures = new Failures(undefined)
        const failed: Array<{ readonly index: number; readonly cause: Cause.Cause<unknown> }> = []
        const group: Group<AnyEffect, unknown, unknown, unknown> = new Group({
          runtime,
          parentId,
          items: tasks[Symbol.iterator](),
          f: checkedTask("Task.needOnlyOne"),
          concurrency: "unbounded",
          onExit: (index, _, exit) => {
            if (exit._tag === "Success") {
              if (!won) {
                won = true
                value = exit.value
                group.stop()
              }
            } else if (!won || !Cause.isInterruptedOnly(exit.cause)) {
              failed.push({ index, cause: exit.cause })
            }
          }
        })
        let run: Effect.Effect<void>
        if (stagger === undefined) {
          group.start()
          run = group.idle ? Effect.void : restore(group.waitFor(() => group.idle))
        } else {
          const settled = () => won || group.running === 0
          const step = (): Effect.Effect<void> => {
            if (won) return Effect.void
            const started = group.startChild()
            if (won) return Effect.void
            if (!started) return settled() ? Effect.void : group.waitFor(settled)
            if (group.running === 0) return Effect.suspend(step)
            return Effect.flatMap(Effect.race(group.waitFor(settled), Effect.sleep(stagger)), step)
          }
          run = restore(Effect.suspend(step))
        }
        return Effect.flatMap(Effect.ensuring(run, group.shutdown), () => {
          if (group.pulled === 0 && group.inputDefect === undefined) {
            return Validate.die("Task.needOnlyOne: tasks must not be empty")
          }
          failed.sort(byIndex)
          if (won) {
            return Effect.as(
              Effect.forEach(
                failed,
                ({ cause, index }) =>
                  Effect.annotateLogs(Effect.logWarning("Task.needOnlyOne: a losing task failed", cause), {
                    index
                  }),
                { discard: true }
              ),
              value
            )
          }
          for (const f of failed) failures.add(f.index, f.cause, true)
          return Effect.failCause(failures.cause(false, group.inputDefect) ?? Cause.empty)
        })
      })
    )
  )
}

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

/** What a completion stream runs, from its checked arguments. */
interface StreamInput<I, A, E, R> {
  readonly items: Iterator<I>
  readonly f: (item: I, index: number) => Effect.Effect<A, E, R>
  readonly concurrency: Concurrency
}

const completionStream = <I, A, E, R, O>(
  /** Checks the arguments (throwing `IllegalArgumentException`) when the stream runs. */
  input: () => StreamInput<I, A, E, R>,
  make: (index: number, item: I, exit: Exit.Exit<A, E>) => O
): Stream.Stream<O, never, R> => {
  const checked = Validate.suspend(() => Effect.succeed(input()))
  return Stream.unwrapScoped(
    Effect.flatMap(Effect.zip(checked, Effect.runtime<R>()), ([{ items, f, concurrency }, runtime]) =>
      Effect.fiberIdWith((parentId) => {
        let buffer: Array<O> = []
        let waiter: (() => void) | null = null
        const cap = concurrency === "unbounded" ? 0 : concurrency + slack(concurrency)
        const group: Group<I, A, E, R> = new Group<I, A, E, R>({
          runtime,
          parentId,
          items,
          f,
          concurrency,
          onExit: (index, item, exit) => {
            buffer.push(make(index, item, exit))
          },
          canPull: concurrency === "unbounded" ? undefined : () => group.running + buffer.length < cap
        })
        // Chunked emission: the consumer is woken at once when a chunk's worth has completed (or
        // everything is done); otherwise on the next turn of the event loop, so that children
        // completing in the same turn are emitted together instead of one per pull.
        const batch = concurrency === "unbounded" ? 1024 : Math.max(1, Math.min(concurrency, 64))
        let deferred = false
        const wakeNow = () => {
          deferred = false
          if (waiter !== null && (buffer.length > 0 || group.idle)) {
            const w = waiter
            waiter = null
            w()
          }
        }
        group.listener = () => {
          if (waiter === null) return
          if (buffer.length >= batch || group.idle) wakeNow()
          else if (!deferred && buffer.length > 0) {
            deferred = true
            nextTurn(wakeNow)
          }
        }
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
          group.wake(out.length)
          return Chunk.unsafeFromArray(out)
        }
        const pull: Effect.Effect<Chunk.Chunk<O> | undefined> = Effect.suspend(() => {
          if (buffer.length > 0) return Effect.succeed(take())
          if (group.idle) return group.inputDefect !== undefined ? Effect.die(group.inputDefect.error) : endOfStream
          return wait
        })
        const wait: Effect.Effect<Chunk.Chunk<O> | undefined> = Effect.async((resume) => {
          waiter = () => resume(pull)
          return Effect.sync(() => {
            waiter = null
          })
        })
        // a plain channel loop: about half the per-chunk cost of `Stream.repeatEffectChunkOption`
        const emit = (chunk: Chunk.Chunk<O> | undefined): Channel.Channel<Chunk.Chunk<O>> =>
          chunk === undefined ? Channel.void : Channel.zipRight(Channel.write(chunk), loop)
        const loop: Channel.Channel<Chunk.Chunk<O>> = Channel.flatMap(Channel.fromEffect(pull), emit)
        return Effect.as(
          Effect.acquireRelease(
            Effect.sync(() => group.start()),
            () => group.shutdown
          ),
          Stream.fromChannel(loop)
        )
      })
    )
  )
}

/** @internal */
export const interleaved = <A, E, R>(
  tasks: Iterable<Effect.Effect<A, E, R>>,
  options?: { readonly concurrency?: Concurrency | undefined }
): Stream.Stream<Completed<A, E>, never, R> =>
  completionStream(
    () => {
      const where = "Task.interleaved"
      const concurrency = Validate.optionalOptions(where, options)?.concurrency
      return {
        items: Validate.iterable(where, "tasks", tasks)[Symbol.iterator](),
        f: checkedTask(where) as (task: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
        concurrency: concurrency === undefined ? "unbounded" : Validate.concurrency(where, concurrency)
      }
    },
    (index, _, exit): Completed<A, E> => ({ index, exit })
  )

/** @internal */
export const throttled = <I, A, E, R>(
  items: Iterable<I>,
  f: (item: I, index: number) => Effect.Effect<A, E, R>,
  options: { readonly concurrency: Concurrency }
): Stream.Stream<{ readonly index: number; readonly item: I; readonly exit: Exit.Exit<A, E> }, never, R> =>
  completionStream(
    () => {
      const where = "Task.throttled"
      const concurrency = Validate.concurrency(where, Validate.options(where, options).concurrency)
      Validate.fn(where, "f", f)
      return {
        items: Validate.iterable(where, "items", items, { strings: true })[Symbol.iterator](),
        // what `f` returns is checked when it is called: a plain value would only fail when run, without the index
        f: (item: I, index: number) => {
          const task = f(item, index)
          return Effect.isEffect(task)
            ? task
            : Validate.raise(Validate.message(where, `f(${Validate.element("items", index)})`, "an Effect", task))
        },
        concurrency
      }
    },
    (index, item, exit) => ({ index, item, exit })
  )

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
          ? Effect.logWarning(logMessage, exit.cause)
          : Effect.void
      )
      return Effect.flatMap(Effect.forkIn(restore(watched), scope), (fiber) =>
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
