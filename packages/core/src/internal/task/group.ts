/**
 * The engine under every collection combinator of `Task` (`whenAll*`, `whenAny`, `needOnlyOne`,
 * `interleaved`, `throttled`): a group of children over a lazily pulled input.
 *
 * The contract:
 *
 * - **How children start.** `start()` pulls items and starts one child per item, `f(item, index)`,
 *   up to `concurrency` at once (`startOne()` starts exactly one, for a stagger). Unbounded, each
 *   child is a fiber of its own; bounded, at most `concurrency` worker fibers each run their items
 *   one after another (no fiber per item). Either way a child runs on the caller's runtime as it was
 *   when the group was made (`Runtime.runFork`: its services, FiberRefs, supervisor, scheduler and
 *   interruptibility), and every child's `Exit` is reported exactly once through `onExit`.
 * - **What ends them.** A child ends by itself, or is interrupted by `interrupt()`, which also stops
 *   pulling; a combinator calls it when it stopped caring (a first failure, a winner) and always
 *   runs `shutdown` (interrupt, then wait until every child has ended) when its own effect ends —
 *   by success, failure or interruption. Nothing a group started outlives that, unless detached.
 *   The input throwing (its iterator or `f`) interrupts the group the same way and is kept as
 *   `defect`; an asynchronous input failing (a `Stream`'s typed error) is kept as `inputFailure`.
 * - **Inputs** (`input.ts`). A sync iterator is pulled in place. An asynchronous input (an
 *   `AsyncIterable` or a `Stream`) may answer `PENDING`: a worker then waits for it (holding its
 *   slot, so the bound is the same), an unbounded group stops starting, and the input's `ready()`
 *   wakes the waiting workers and starts what the bound allows. `shutdown` closes the input after
 *   the children have ended (a stream's finalizers run; an iterator stopped early gets `return()`).
 * - **Detach into a scope.** `detach(scope)` stops pulling and leaves the running children
 *   running; they are interrupted, and awaited, when `scope` closes.
 * - **FiberRefs are not merged back** (unlike `Effect.forEach`, which runs `inheritAll` on its
 *   children in order): children run concurrently and end in any order, a combinator may have
 *   interrupted or detached some of them, and `interleaved` hands results to a stream consumer, not
 *   to a joining fiber — so no order of merging would mean anything. A child's `FiberRef.set` stays
 *   in that child; what a child wants to hand back, it returns.
 *
 * @internal
 */

import type * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import type * as FiberRefs from "effect/FiberRefs"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import * as Scope from "effect/Scope"
import type { Concurrency } from "../../Task.js"
import { type AsyncInput, closeIterator, type Input, isAsyncInput, PENDING } from "./input.js"

/** @internal */
export interface GroupOptions<I, A, E, R> {
  readonly items: Input<I>
  readonly f: (item: I, index: number) => Effect.Effect<A, E, R>
  readonly concurrency: Concurrency
  /** Called once per started child, when it has ended (also after `interrupt`). */
  readonly onExit: (index: number, item: I, exit: Exit.Exit<A, E>, group: Group<I, A, E, R>) => void
  /** Called after every child's `onExit` and whenever the group may have become idle. */
  readonly onChange?: ((group: Group<I, A, E, R>) => void) | undefined
  /** Bounded only: whether a worker may pull another item now (back-pressure; see `resume`). */
  readonly canPull?: ((group: Group<I, A, E, R>) => boolean) | undefined
  /**
   * Bounded only: report the exit of tasks that were running when `interrupt` stopped them (their
   * failures matter, e.g. to `whenAllOrFirstFailure`). Costs an interruptibility switch per task.
   */
  readonly captureOnStop?: boolean | undefined
}

type AnyFiber = Fiber.RuntimeFiber<unknown, unknown>

/**
 * What a bounded worker uses of Effect 3's fiber runtime, beyond the public `RuntimeFiber`, to start
 * each of its items from the FiberRefs it started with: the current `FiberRefs` (replaced, never
 * mutated, on every change, so identity tells whether an item changed any) and their setter.
 */
interface FiberRefsSlot {
  readonly _fiberRefs: FiberRefs.FiberRefs
  setFiberRefs(fiberRefs: FiberRefs.FiberRefs): void
}

const hasFiberRefsSlot = (fiber: unknown): fiber is FiberRefsSlot =>
  typeof fiber === "object" &&
  fiber !== null &&
  "_fiberRefs" in fiber &&
  typeof (fiber as { readonly setFiberRefs?: unknown }).setFiberRefs === "function"

type Fork<R> = <X, Y>(effect: Effect.Effect<X, Y, R>, options?: Runtime.RunForkOptions) => Fiber.RuntimeFiber<X, Y>

const LATER = { immediate: false } as const

/** Waits in `list` (FIFO) until its entry is called; interrupted, it leaves the list. */
const waitInList = (list: Array<() => void>): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    const wake = () => resume(Effect.void)
    list.push(wake)
    return Effect.sync(() => {
      const i = list.indexOf(wake)
      if (i >= 0) list.splice(i, 1)
    })
  })

const NONE: unique symbol = Symbol.for("@tapestry/core/Task/none")

/**
 * Makes a group on the current runtime (capture it outside any `uninterruptibleMask`, or the
 * children would start uninterruptible). Nothing starts until `start`.
 *
 * @internal
 */
export const make = <I, A, E, R>(options: GroupOptions<I, A, E, R>): Effect.Effect<Group<I, A, E, R>, never, R> =>
  Effect.flatMap(Effect.runtime<R>(), (runtime) =>
    Effect.fiberIdWith((parentId) => Effect.succeed(new Group(runtime, parentId, options)))
  )

/**
 * The prologue every collection combinator shares: a group made on the caller's runtime, then
 * `body` in an uninterruptible region (`restore` gives interruptibility back to what waits), so
 * that the `shutdown` or `detach` the body puts on its exit always runs.
 *
 * @internal
 */
export const withGroup = <I, A, E, R, X, E2, R2>(
  options: GroupOptions<I, A, E, R>,
  body: (
    group: Group<I, A, E, R>,
    restore: <Y, E3, R3>(effect: Effect.Effect<Y, E3, R3>) => Effect.Effect<Y, E3, R3>
  ) => Effect.Effect<X, E2, R2>
): Effect.Effect<X, E2, R | R2> =>
  Effect.flatMap(make(options), (group) => Effect.uninterruptibleMask((restore) => body(group, restore)))

/** @internal */
export class Group<I, A, E, R> {
  private _running = 0
  private _workers = 0
  private _pulled = 0
  private _inputDone = false
  private _stopped = false
  private _interrupted = false
  private _starting = false
  private _closed = false
  private _defect: { readonly error: unknown } | undefined = undefined
  private _inputFailure: Cause.Cause<unknown> | undefined = undefined
  /** Bounded: workers waiting for an asynchronous input to give an item, FIFO. */
  private readonly _starved: Array<() => void> = []
  /** The one fiber waiting in `waitFor`, if any. */
  private _waiter: (() => void) | undefined = undefined
  private readonly _fork: Fork<R>
  /** Unbounded: children by index (cleared when done). */
  private readonly _children: Array<AnyFiber | undefined> = []
  /** Bounded: live workers. */
  private readonly _workerSet = new Set<AnyFiber>()
  /** Bounded: workers waiting for `canPull` (back-pressure), FIFO. */
  private readonly _blocked: Array<() => void> = []
  private readonly _bounded: boolean
  private readonly _limit: number

  constructor(
    runtime: Runtime.Runtime<R>,
    private readonly parentId: FiberId.FiberId,
    private readonly options: GroupOptions<I, A, E, R>
  ) {
    // every fiber a group forks (children, workers, an input's pump) has its exit handled here, so
    // Effect's runtime must not log a failing one as "Fiber terminated with an unhandled error" (at
    // DEBUG). Set on the runtime, this costs nothing per child; the fibers a task forks itself
    // inherit it (only that DEBUG line is affected).
    this._fork = Runtime.runFork(Runtime.setFiberRef(runtime, FiberRef.unhandledErrorLogLevel, Option.none()))
    this._bounded = options.concurrency !== "unbounded"
    this._limit = options.concurrency === "unbounded" ? Number.POSITIVE_INFINITY : options.concurrency
    const items = options.items
    if (isAsyncInput(items)) {
      items.connect({
        ready: () => this.inputReady(),
        fail: (cause) => {
          this._inputDone = true
          if (this._inputFailure === undefined && this._defect === undefined) this._inputFailure = cause
          this.interrupt()
        },
        fork: (effect) => this._fork(effect)
      })
    }
  }

  /** How many items were pulled (= the next index). */
  get started(): number {
    return this._pulled
  }

  /** Children running now. */
  get running(): number {
    return this._running
  }

  /** The input threw (its iterator or `f`): a defect of the combinator. */
  get defect(): { readonly error: unknown } | undefined {
    return this._defect
  }

  /** The asynchronous input failed: the cause it ended with (a typed failure, or a defect). */
  get inputFailure(): Cause.Cause<unknown> | undefined {
    return this._inputFailure
  }

  /** No child running, no worker alive and nothing more will start. */
  get idle(): boolean {
    return this._running === 0 && this._workers === 0 && !this._starting && (this._inputDone || this._stopped)
  }

  private notify(): void {
    const onChange = this.options.onChange
    if (onChange !== undefined) onChange(this)
    const waiter = this._waiter
    if (waiter !== undefined) waiter()
  }

  /** Pulls the next item, or NONE when the input is exhausted, stopped or threw. */
  private pull(): I | typeof NONE {
    if (this._stopped || this._inputDone) return NONE
    let r: IteratorResult<I> | typeof PENDING
    try {
      r = this.options.items.next()
    } catch (error) {
      this.fail(error)
      return NONE
    }
    if (r === PENDING) return NONE
    if (r.done === true) {
      this._inputDone = true
      return NONE
    }
    return r.value
  }

  private fail(error: unknown): void {
    this._inputDone = true
    if (this._defect === undefined) this._defect = { error }
    this.interrupt()
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
    const was = this._starting
    this._starting = true
    try {
      if (this._bounded) {
        const canPull = this.options.canPull
        while (!this._stopped && this._workers < this._limit && (canPull === undefined || canPull(this))) {
          if (!this.spawnWorker(later)) break
        }
      } else {
        while (!this._stopped && this.startOne()) {
          //
        }
      }
    } finally {
      this._starting = was
    }
    if (this.idle) this.notify()
  }

  /** Unbounded: pulls one item and starts it as a fiber. False when nothing was started. */
  startOne(): boolean {
    const item = this.pull()
    if (item === NONE) return false
    const index = this._pulled++
    const effect = this.make(item, index)
    if (effect === NONE) return false
    this._running++
    const fiber = this._fork(effect)
    this._children[index] = fiber as AnyFiber
    fiber.addObserver((exit) => {
      this._children[index] = undefined
      this._running--
      this.options.onExit(index, item, exit, this)
      this.notify()
    })
    return true
  }

  private spawnWorker(later: boolean): boolean {
    const item = this.pull()
    if (item === NONE) return false
    const index = this._pulled++
    this._workers++
    this._running++
    const state = { busy: true }
    const loop =
      this.options.captureOnStop === true
        ? Effect.uninterruptibleMask((restore) => this.workerLoop(item, index, state, restore))
        : this.workerLoop(item, index, state, undefined)
    const fiber = this._fork(loop, later ? LATER : undefined) as AnyFiber
    this._workerSet.add(fiber)
    fiber.addObserver(() => {
      this._workerSet.delete(fiber)
      this._workers--
      // an unmasked worker interrupted mid-task never reports that task
      if (state.busy) {
        state.busy = false
        this._running--
      }
      this.notify()
    })
    return true
  }

  /**
   * A worker: runs its first item, then keeps pulling, one `matchCauseEffect` per task and the next
   * task chosen inside its continuation. Without `restore` the loop is interruptible and a task
   * interrupted by `interrupt` is not reported; with it (`captureOnStop`) the loop is uninterruptible
   * and only the tasks are not, so every task's exit is reported.
   */
  private workerLoop(
    item0: I,
    index0: number,
    state: { busy: boolean },
    restore: (<X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>) | undefined
  ): Effect.Effect<void, never, R> {
    let item = item0
    let index = index0
    const { canPull, f, onExit } = this.options
    const items = this.options.items
    // the worker's own fiber and the FiberRefs its first item started with (see FiberRefsSlot)
    let slot: FiberRefsSlot | undefined
    let initial: FiberRefs.FiberRefs | undefined
    const done = (exit: Exit.Exit<A, E>): Effect.Effect<void, never, R> => {
      state.busy = false
      this._running--
      onExit(index, item, exit, this)
      this.notify()
      return next()
    }
    const handlers = {
      onFailure: (cause: Cause.Cause<E>) => done(Exit.failCause(cause)),
      // a task that returns nothing (most throttled side effects) shares Effect's one `Exit.void`
      onSuccess: (a: A) => done(a === undefined ? (Exit.void as Exit.Exit<A>) : Exit.succeed(a))
    }
    const run = (): Effect.Effect<void, never, R> => {
      let effect: Effect.Effect<A, E, R>
      try {
        effect = f(item, index)
      } catch (error) {
        this.fail(error)
        state.busy = false
        this._running--
        return Effect.void
      }
      return Effect.matchCauseEffect(restore === undefined ? effect : restore(effect), handlers)
    }
    const waitIn = (list: Array<() => void>) => {
      const wait = waitInList(list)
      return Effect.flatMap(restore === undefined ? wait : restore(wait), () => next())
    }
    const waitForSpace = waitIn(this._blocked)
    const waitForInput = waitIn(this._starved)
    const next = (): Effect.Effect<void, never, R> => {
      if (this._stopped || this._inputDone) return Effect.void
      if (canPull !== undefined && !canPull(this)) return waitForSpace
      let r: IteratorResult<I> | typeof PENDING
      try {
        r = items.next()
      } catch (error) {
        this.fail(error)
        return Effect.void
      }
      if (r === PENDING) return waitForInput
      if (r.done === true) {
        this._inputDone = true
        return Effect.void
      }
      item = r.value
      index = this._pulled++
      this._running++
      state.busy = true
      if (slot !== undefined && slot._fiberRefs !== initial) slot.setFiberRefs(initial!)
      return run()
    }
    return Effect.withFiberRuntime((fiber) => {
      if (hasFiberRefsSlot(fiber)) {
        initial = fiber.getFiberRefs()
        slot = fiber
      }
      return run()
    })
  }

  /**
   * Back-pressure released: wakes up to `n` blocked workers (FIFO), then starts more workers if
   * fewer than `concurrency` exist (a worker that ran synchronous tasks until the buffer filled
   * may have been the only one).
   */
  resume(n: number): void {
    const blocked = this._blocked
    while (n-- > 0 && blocked.length > 0) blocked.shift()!()
    // started on the scheduler, not here: the consumer first gets to hand on what it just took
    if (this._bounded && this._workers < this._limit && !this._stopped && !this._inputDone) this.start(true)
  }

  /**
   * An asynchronous input has what a `PENDING` asked for: the workers waiting for it try again, and
   * the bound's free slots start (an unbounded group starts everything that has arrived).
   */
  private inputReady(): void {
    if (this._stopped) return
    // one waiting worker per item that arrived (all of them at the end), FIFO; new workers only
    // for what is left (a worker woken here pulls later, on the scheduler)
    let ready = (this.options.items as AsyncInput<I, R>).ready
    const starved = this._starved
    while (ready > 0 && starved.length > 0) {
      ready--
      starved.shift()!()
    }
    if (ready > 0) this.start()
  }

  /** Stops pulling input; running children go on. */
  stopStarting(): void {
    this._stopped = true
  }

  /** Stops pulling input and interrupts every running child (without waiting). Idempotent. */
  interrupt(): void {
    this._stopped = true
    if (this._interrupted) return
    this._interrupted = true
    const id = this.parentId
    if (this._bounded) {
      for (const w of this._workerSet) w.unsafeInterruptAsFork(id)
    } else {
      const cs = this._children
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i]
        if (c !== undefined) c.unsafeInterruptAsFork(id)
      }
    }
    if (this.idle) this.notify()
  }

  /** Waits until `done()` holds, re-checked on every child exit. Interruptible; one waiter at a time. */
  waitFor(done: () => boolean): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      if (done()) {
        resume(Effect.void)
        return
      }
      const waiter = () => {
        if (done()) {
          this._waiter = undefined
          resume(Effect.void)
        }
      }
      this._waiter = waiter
      return Effect.sync(() => {
        if (this._waiter === waiter) this._waiter = undefined
      })
    })
  }

  /** Waits until every child has ended and nothing more will start. */
  get await(): Effect.Effect<void> {
    return this.idle ? Effect.void : this.waitFor(() => this.idle)
  }

  /** Interrupts what runs, waits until every child has ended, then closes the input. */
  get shutdown(): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.interrupt()
      return this.idle
        ? this.closeInput
        : Effect.zipRight(
            this.waitFor(() => this.idle),
            this.closeInput
          )
    })
  }

  /** Closes an asynchronous input; a sync iterator stopped before its end gets `return()`. Once. */
  private readonly closeInput: Effect.Effect<void> = Effect.suspend(() => {
    if (this._closed) return Effect.void
    this._closed = true
    const items = this.options.items
    if (isAsyncInput(items)) return items.close
    return this._inputDone ? Effect.void : closeIterator(items)
  })

  /** Stops pulling input; what still runs keeps running until `scope` closes, which shuts it down. */
  detach(scope: Scope.Scope): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.stopStarting()
      return this.idle ? this.closeInput : Scope.addFinalizer(scope, this.shutdown)
    })
  }
}
