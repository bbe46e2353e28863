import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import { hasProperty } from "effect/Predicate"
import type * as Scope from "effect/Scope"
import type * as AsyncLazy from "../AsyncLazy.js"
import { type Flight, joinFlight, makeOwner, type Owner, startFlight } from "./flight.js"
import * as Validate from "./validate.js"

/** @internal */
export const TypeId: AsyncLazy.TypeId = Symbol.for("@tapestry/core/AsyncLazy") as AsyncLazy.TypeId

const variance = { _A: (_: never) => _, _E: (_: never) => _ }

/** @internal */
export const isAsyncLazy = (u: unknown): u is AsyncLazy.AsyncLazy<unknown, unknown> => hasProperty(u, TypeId)

class Lazy<A, E, R> extends Inspectable.Class implements AsyncLazy.AsyncLazy<A, E> {
  readonly [TypeId] = variance
  exit: Exit.Exit<A, E> | undefined = undefined
  flight: Flight<A, E> | undefined = undefined

  constructor(
    readonly effect: Effect.Effect<A, E, R>,
    readonly owner: Owner<R>,
    readonly retryOnFailure: boolean
  ) {
    super()
  }

  toJSON(): unknown {
    const state = this.exit !== undefined ? "done" : this.flight !== undefined ? "running" : "idle"
    return {
      _id: "AsyncLazy",
      state,
      ...(this.exit !== undefined ? { exit: Inspectable.toJSON(this.exit) } : {}),
      retryOnFailure: this.retryOnFailure
    }
  }

  start(): Flight<A, E> {
    let flight: Flight<A, E> | undefined
    const current = () => this.flight === flight || this.flight === undefined
    flight = startFlight(
      this.owner,
      this.effect,
      () => {
        if (this.flight === flight) this.flight = undefined
      },
      (exit) => {
        if (!current()) return
        this.flight = undefined
        if (Exit.isSuccess(exit) || (!this.retryOnFailure && !Exit.isInterrupted(exit))) this.exit = exit
      }
    )
    if (flight.exit === undefined) this.flight = flight
    return flight
  }

  readonly await = Effect.async<A, E>((resume) => {
    if (this.exit !== undefined) {
      resume(this.exit)
      return
    }
    if (this.owner.closed) {
      resume(Effect.interrupt)
      return
    }
    return joinFlight(this.flight ?? this.start(), resume)
  })

  readonly get: Effect.Effect<A, E> = Effect.suspend(() => this.exit ?? this.await)

  readonly isDone = Effect.sync(() => this.exit !== undefined)
}

/** @internal */
export const make = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options?: { readonly retryOnFailure?: boolean | undefined }
): Effect.Effect<AsyncLazy.AsyncLazy<A, E>, never, R | Scope.Scope> =>
  Validate.suspend(() => {
    const where = "AsyncLazy.make"
    Validate.effect(where, "effect", effect)
    const retryOnFailure = Validate.flag(
      where,
      "retryOnFailure",
      Validate.optionalOptions(where, options)?.retryOnFailure
    )
    return Effect.map(makeOwner<R>(), (owner) => new Lazy(effect, owner, retryOnFailure))
  })
