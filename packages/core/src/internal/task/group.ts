/**
 * The engine under every collection combinator of `Task`: starts children over a lazily pulled
 * iterator, reports each child's `Exit` through a callback, and guarantees structure — `stop`
 * interrupts every running child and `idle` completes only when none is left.
 *
 * Two ways of running children:
 * - unbounded: one fiber per child, started with `Runtime.runFork` on the caller's runtime (so the
 *   caller's FiberRefs, services, supervisor and clock reach it) and observed with `addObserver`;
 * - bounded: at most `concurrency` worker fibers, each pulling the next item and running it inline
 *   (`Effect.exit(restore(task))`), so no fiber is forked per task.
 *
 * @internal
 */

import type * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import * as Runtime from "effect/Runtime"

/** @internal */
export type Concurrency = number | "unbounded"

/** @internal */
export interface GroupOptions<I, A, E, R> {
  readonly runtime: Runtime.Runtime<R>
  readonly parentId: FiberId.FiberId
  readonly items: Iterator<I>
  readonly f: (item: I, index: number) => Effect.Effect<A, E, R>
  readonly concurrency: Concurrency
  /** Called once per started child, when it has ended (also after `stop`). */
  readonly onExit: (index: number, item: I, exit: Exit.Exit<A, E>) => void
  /** Bounded mode only: whether a worker may pull another item now (back-pressure). */
  readonly canPull?: (() => boolean) | undefined
  /**
   * Bounded mode: report the exit of tasks that were running when `stop` interrupted them (their
   * failures matter, e.g. to `whenAllOrFirstFailure`). Costs an interruptibility switch per task.
   */
  readonly captureOnStop?: boolean | undefined
}

type AnyFiber = Fiber.RuntimeFiber<unknown, unknown>

const LATER = { immediate: false } as const

const NONE: unique symbol = Symbol.for("@tapestry/core/Task/none")

/** @internal */
export class Group<I, A, E, R> {
  /** Tasks in flight (children in unbounded mode, busy workers in bounded mode). */
  running = 0
  /** Live worker fibers (bounded mode). */
  workers = 0
  /** Next index to hand out = how many items were pulled. */
  pulled = 0
  inputDone = false
  stopped = false
  private interrupted = false
  /** The input iterator (or `f`) threw: a defect of the combinator. */
  inputDefect: { readonly error: unknown } | undefined = undefined
  /** Called on every child exit and when idle; the combinator decides what it waits for. */
  listener: (() => void) | null = null

  private starting = false
  private readonly fork: <X, Y>(
    effect: Effect.Effect<X, Y, R>,
    options?: { readonly immediate?: boolean }
  ) => Fiber.RuntimeFiber<X, Y>
  /** Unbounded: children by index (cleared when done). Bounded: live workers. */
  private readonly children: Array<AnyFiber | undefined> = []
  private readonly workerSet = new Set<AnyFiber>()
  private readonly blocked: Array<() => void> = []
  private readonly bounded: boolean
  private readonly limit: number

  constructor(readonly options: GroupOptions<I, A, E, R>) {
    this.fork = Runtime.runFork(options.runtime) as typeof this.fork
    this.bounded = options.concurrency !== "unbounded"
    this.limit = options.concurrency === "unbounded" ? Number.POSITIVE_INFINITY : options.concurrency
  }

  /** No child running, no worker alive and nothing more will start. */
  get idle(): boolean {
    return this.running === 0 && this.workers === 0 && !this.starting && (this.inputDone || this.stopped)
  }

  private notify(): void {
    const l = this.listener
    if (l !== null) l()
  }

  /** Pulls the next item, or NONE when the input is exhausted, stopped or threw. */
  private pull(): I | typeof NONE {
    if (this.stopped || this.inputDone) return NONE
    let r: IteratorResult<I>
    try {
      r = this.options.items.next()
    } catch (error) {
      this.fail(error)
      return NONE
    }
    if (r.done === true) {
      this.inputDone = true
      return NONE
    }
    return r.value
  }

  private fail(error: unknown): void {
    this.inputDone = true
    if (this.inputDefect === undefined) this.inputDefect = { error }
    this.stop()
  }

  private make(item: I, index: number): Effect.Effect<A, E, R> | typeof NONE {
    try {
      return this.options.f(item, index)
    } catch (error) {
      this.fail(error)
      return NONE
    }
  }

  /** Starts children up to the concurrency limit (all of them when unbounded). */
  start(later = false): void {
    const was = this.starting
    this.starting = true
    try {
      if (this.bounded) {
        const canPull = this.options.canPull
        while (!this.stopped && this.workers < this.limit && (canPull === undefined || canPull())) {
          if (!this.spawnWorker(later)) break
        }
      } else {
        while (!this.stopped && this.startChild()) {
          //
        }
      }
    } finally {
      this.starting = was
    }
    if (this.idle) this.notify()
  }

  /** Unbounded: pulls one item and starts it as a fiber. False when nothing was started. */
  startChild(): boolean {
    const item = this.pull()
    if (item === NONE) return false
    const index = this.pulled++
    const effect = this.make(item, index)
    if (effect === NONE) return false
    this.running++
    const fiber = this.fork(effect)
    this.children[index] = fiber as AnyFiber
    fiber.addObserver((exit) => {
      this.children[index] = undefined
      this.running--
      this.options.onExit(index, item, exit)
      this.notify()
    })
    return true
  }

  private spawnWorker(later: boolean): boolean {
    const item = this.pull()
    if (item === NONE) return false
    const index = this.pulled++
    this.workers++
    this.running++
    const state = { busy: true }
    const fiber = this.fork(
      this.options.captureOnStop === true ? this.maskedWorker(item, index, state) : this.worker(item, index, state),
      later ? LATER : undefined
    ) as AnyFiber
    this.workerSet.add(fiber)
    fiber.addObserver(() => {
      this.workerSet.delete(fiber)
      this.workers--
      // an unmasked worker interrupted mid-task never reports that task
      if (state.busy) {
        state.busy = false
        this.running--
      }
      this.notify()
    })
    return true
  }

  /**
   * A worker: runs its first item, then keeps pulling. One `matchCauseEffect` node per task; when
   * interrupted mid-task the task's exit is not reported (used where nobody needs it then).
   */
  private worker(item0: I, index0: number, state: { busy: boolean }): Effect.Effect<void, never, R> {
    return this.workerLoop(item0, index0, state, (effect) => effect)
  }

  /** A worker whose loop is uninterruptible and whose tasks are not: every task's exit is reported. */
  private maskedWorker(item0: I, index0: number, state: { busy: boolean }): Effect.Effect<void, never, R> {
    return Effect.uninterruptibleMask((restore) => this.workerLoop(item0, index0, state, restore))
  }

  private workerLoop(
    item0: I,
    index0: number,
    state: { busy: boolean },
    restore: <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>
  ): Effect.Effect<void, never, R> {
    let item = item0
    let index = index0
    const done = (exit: Exit.Exit<A, E>): Effect.Effect<void, never, R> => {
      state.busy = false
      this.running--
      this.options.onExit(index, item, exit)
      this.notify()
      return loop
    }
    const handlers = {
      onFailure: (cause: Cause.Cause<E>) => done(Exit.failCause(cause)),
      onSuccess: (a: A) => done(Exit.succeed(a))
    }
    const run = (): Effect.Effect<void, never, R> => {
      const effect = this.make(item, index)
      if (effect === NONE) {
        state.busy = false
        this.running--
        return Effect.void
      }
      return Effect.matchCauseEffect(restore(effect), handlers)
    }
    const afterWait = (): Effect.Effect<void, never, R> => loop
    const waitForSpace = restore(
      Effect.async<void>((resume) => {
        const cb = () => resume(Effect.void)
        this.blocked.push(cb)
        return Effect.sync(() => {
          const i = this.blocked.indexOf(cb)
          if (i >= 0) this.blocked.splice(i, 1)
        })
      })
    )
    const canPull = this.options.canPull
    const next = (): Effect.Effect<void, never, R> => {
      if (this.stopped) return Effect.void
      if (canPull !== undefined && !canPull()) return Effect.flatMap(waitForSpace, afterWait)
      const pulled = this.pull()
      if (pulled === NONE) return Effect.void
      item = pulled
      index = this.pulled++
      this.running++
      state.busy = true
      return run()
    }
    const loop: Effect.Effect<void, never, R> = Effect.suspend(next)
    return Effect.suspend(run)
  }

  /**
   * Back-pressure released: wakes up to `n` blocked workers (FIFO), then starts more workers if
   * fewer than `concurrency` exist (a worker that ran synchronous tasks until the buffer filled
   * may have been the only one).
   */
  wake(n: number): void {
    while (n-- > 0 && this.blocked.length > 0) this.blocked.shift()!()
    // started on the scheduler, not here: the consumer first gets to hand on what it just took
    if (this.bounded && this.workers < this.limit && !this.stopped && !this.inputDone) this.start(true)
  }

  /** Stops pulling input (children keep running). */
  stopStarting(): void {
    this.stopped = true
  }

  /** Stops pulling input and interrupts every running child. Idempotent. */
  stop(): void {
    this.stopped = true
    if (this.interrupted) return
    this.interrupted = true
    const id = this.options.parentId
    if (this.bounded) {
      for (const w of this.workerSet) w.unsafeInterruptAsFork(id)
    } else {
      const cs = this.children
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i]
        if (c !== undefined) c.unsafeInterruptAsFork(id)
      }
    }
    if (this.idle) this.notify()
  }

  /** Waits until `done()` holds, re-checked on every child exit. Interruptible. */
  waitFor(done: () => boolean): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      if (done()) {
        resume(Effect.void)
        return
      }
      const l = () => {
        if (done()) {
          this.listener = null
          resume(Effect.void)
        }
      }
      this.listener = l
      return Effect.sync(() => {
        if (this.listener === l) this.listener = null
      })
    })
  }

  /** Interrupts what runs and waits until every child has ended. */
  get shutdown(): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.stop()
      return this.idle ? Effect.void : this.waitFor(() => this.idle)
    })
  }
}
