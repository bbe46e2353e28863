import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { hasProperty } from "effect/Predicate"
import * as CircuitBreaker from "../CircuitBreaker.js"
import * as V from "./validate.js"

/** @internal */
export const TypeId: CircuitBreaker.TypeId = Symbol.for("@tapestry/core/CircuitBreaker") as CircuitBreaker.TypeId

/** @internal */
export const isCircuitBreaker = (u: unknown): u is CircuitBreaker.CircuitBreaker => hasProperty(u, TypeId)

const WHERE = "CircuitBreaker.make"

/**
 * The breaker's state as a tagged union. `generation` grows on every transition, so an outcome
 * that arrives after the state it was admitted in has been left (a slow trial call, a call that
 * started while closed and ends after the breaker opened) changes nothing.
 */
type State =
  | { readonly _tag: "closed"; readonly generation: number; failures: number }
  | { readonly _tag: "open"; readonly generation: number; readonly until: number }
  | { readonly _tag: "half-open"; readonly generation: number; trials: number }

/** What a call was admitted under: the generation, or a rejection. */
type Admission = { readonly generation: number } | CircuitBreaker.CircuitOpen

class Breaker extends Inspectable.Class implements CircuitBreaker.CircuitBreaker {
  readonly [TypeId]: CircuitBreaker.TypeId = TypeId
  private phase: State = { _tag: "closed", generation: 0, failures: 0 }

  constructor(
    private readonly failureThreshold: number,
    private readonly resetAfterMillis: number,
    private readonly halfOpenCalls: number,
    private readonly isFailure: (error: unknown) => boolean
  ) {
    super()
  }

  /** Moves an open breaker whose time is up to half-open; the state as of `now`. */
  private current(now: number): State {
    const state = this.phase
    if (state._tag === "open" && now >= state.until) {
      this.phase = { _tag: "half-open", generation: state.generation + 1, trials: 0 }
    }
    return this.phase
  }

  private open(now: number): void {
    this.phase = { _tag: "open", generation: this.phase.generation + 1, until: now + this.resetAfterMillis }
  }

  private admit(now: number): Admission {
    const state = this.current(now)
    switch (state._tag) {
      case "closed":
        return { generation: state.generation }
      case "open":
        return new CircuitBreaker.CircuitOpen({ retryAfter: Duration.millis(state.until - now) })
      case "half-open":
        if (state.trials >= this.halfOpenCalls) return new CircuitBreaker.CircuitOpen({ retryAfter: Duration.zero })
        state.trials++
        return { generation: state.generation }
    }
  }

  private settle(admitted: { readonly generation: number }, exit: Exit.Exit<unknown, unknown>, now: number): void {
    const state = this.phase
    if (state.generation !== admitted.generation) return
    // Only typed failures that `isFailure` accepts count; defects, interruptions and other errors are neutral.
    // An `isFailure` that throws counts as neutral too (its throw becomes the caller's defect afterwards).
    let failed = false
    let thrown: { readonly error: unknown } | undefined
    try {
      failed = Exit.isFailure(exit) && Option.exists(Cause.failureOption(exit.cause), (error) => this.isFailure(error))
    } catch (error) {
      thrown = { error }
    }
    const succeeded = Exit.isSuccess(exit)
    this.apply(state, succeeded, failed, now)
    if (thrown !== undefined) throw thrown.error
  }

  private apply(state: State, succeeded: boolean, failed: boolean, now: number): void {
    switch (state._tag) {
      case "closed":
        if (succeeded) state.failures = 0
        else if (failed && ++state.failures >= this.failureThreshold) this.open(now)
        return
      case "half-open":
        if (succeeded) this.phase = { _tag: "closed", generation: state.generation + 1, failures: 0 }
        else if (failed) this.open(now)
        else state.trials--
        return
      case "open":
        return
    }
  }

  readonly protect = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | CircuitBreaker.CircuitOpen, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<A, E | CircuitBreaker.CircuitOpen, R> => {
        V.effect("CircuitBreaker.protect", "effect", effect)
        const admitted = this.admit(now)
        if (admitted instanceof CircuitBreaker.CircuitOpen) return Effect.fail(admitted)
        return Effect.onExit(restore(effect), (exit) =>
          Effect.map(Clock.currentTimeMillis, (end) => this.settle(admitted, exit, end))
        )
      })
    )

  readonly state = Effect.map(Clock.currentTimeMillis, (now) => this.current(now)._tag)

  toJSON(): unknown {
    const state = this.phase
    return {
      _id: "CircuitBreaker",
      state: state._tag,
      failureThreshold: this.failureThreshold,
      resetAfter: Duration.format(Duration.millis(this.resetAfterMillis)),
      halfOpenCalls: this.halfOpenCalls,
      ...(state._tag === "closed" ? { consecutiveFailures: state.failures } : {})
    }
  }
}

/** @internal */
export const make = <E>(options: CircuitBreaker.Options<E>): Effect.Effect<CircuitBreaker.CircuitBreaker> =>
  V.suspend(() => {
    const o = V.options(WHERE, options)
    const failureThreshold = V.positiveInteger(WHERE, "failureThreshold", o.failureThreshold)
    const resetAfter = V.duration(WHERE, "resetAfter", o.resetAfter)
    const halfOpenCalls = o.halfOpenCalls === undefined ? 1 : V.positiveInteger(WHERE, "halfOpenCalls", o.halfOpenCalls)
    const isFailure: (error: unknown) => boolean =
      // a typed failure of a protected effect is an `E`: the options' type says so
      o.isFailure === undefined ? () => true : V.fn<(error: unknown) => boolean>(WHERE, "isFailure", o.isFailure)
    return Effect.sync(() => new Breaker(failureThreshold, Duration.toMillis(resetAfter), halfOpenCalls, isFailure))
  })
