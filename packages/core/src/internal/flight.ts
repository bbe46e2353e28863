/**
 * One shared run of an effect in an owner's scope, awaited by any number of waiters: what
 * `AsyncCache` (one flight per key) and `AsyncLazy` (one flight at a time) are built on.
 *
 * A flight is a fiber of its own (started with the owner's runtime, not a child of a caller), so a
 * waiter that leaves cannot cancel a run others wait for; when the last waiter leaves before the run
 * ended, the run is interrupted. Closing the owner interrupts every run still in progress.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"

/** @internal */
export class Flight<A, E> {
  exit: Exit.Exit<A, E> | undefined = undefined
  fiber: Fiber.RuntimeFiber<A, E> | undefined = undefined
  readonly waiters = new Set<(exit: Exit.Exit<A, E>) => void>()
  constructor(
    /** Called when the last waiter leaves before the run ended (the run is then interrupted). */
    readonly onAbandon: () => void
  ) {}
}

/**
 * The fibers an owner (a cache, a lazy value) runs, interrupted together when its scope closes.
 *
 * @internal
 */
export class Owner<R> {
  closed = false
  readonly running = new Set<Fiber.RuntimeFiber<unknown, unknown>>()
  constructor(readonly runtime: Runtime.Runtime<R>) {}

  /** Marks the owner closed and interrupts (and awaits) every run in progress. */
  readonly close = Effect.suspend(() => {
    this.closed = true
    const fibers = [...this.running]
    this.running.clear()
    return fibers.length === 0 ? Effect.void : Fiber.interruptAll(fibers)
  })
}

/**
 * Makes an owner with the current runtime whose runs are interrupted when the current `Scope`
 * closes.
 *
 * @internal
 */
export const makeOwner = <R>(): Effect.Effect<Owner<R>, never, R | Scope.Scope> =>
  Effect.flatMap(Effect.runtime<R>(), (runtime) => {
    const owner = new Owner(runtime)
    return Effect.as(
      Effect.addFinalizer(() => owner.close),
      owner
    )
  })

/**
 * Starts `effect` as a fiber of its own (not a child of the caller) with the owner's runtime;
 * `onExit` runs when it ends, before the waiters resume.
 *
 * @internal
 */
export const startFlight = <A, E, R>(
  owner: Owner<R>,
  effect: Effect.Effect<A, E, R>,
  onAbandon: () => void,
  onExit: (exit: Exit.Exit<A, E>) => void
): Flight<A, E> => {
  const flight = new Flight<A, E>(onAbandon)
  const fiber = Runtime.runFork(owner.runtime)(effect)
  flight.fiber = fiber
  if (fiber.unsafePoll() === null) owner.running.add(fiber)
  fiber.addObserver((exit) => {
    owner.running.delete(fiber)
    flight.exit = exit
    onExit(exit)
    const waiters = [...flight.waiters]
    flight.waiters.clear()
    for (const waiter of waiters) waiter(exit)
  })
  return flight
}

/**
 * Joins `flight` from inside an `Effect.async` registration: `resume` gets its exit. The returned
 * canceller removes the waiter; the last one to leave interrupts the run and awaits its end.
 *
 * @internal
 */
export const joinFlight = <A, E>(
  flight: Flight<A, E>,
  resume: (effect: Effect.Effect<A, E>) => void
): Effect.Effect<void> | undefined => {
  if (flight.exit !== undefined) {
    resume(flight.exit)
    return undefined
  }
  const waiter = (exit: Exit.Exit<A, E>) => resume(exit)
  flight.waiters.add(waiter)
  return Effect.suspend(() => {
    flight.waiters.delete(waiter)
    if (flight.waiters.size > 0 || flight.exit !== undefined) return Effect.void
    flight.onAbandon()
    return Fiber.interrupt(flight.fiber!)
  })
}
