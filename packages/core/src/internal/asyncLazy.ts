import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import type * as AsyncLazy from "../AsyncLazy.js"
import { type Flight, joinFlight, startFlight } from "./asyncCache.js"

class Lazy<A, E, R> implements AsyncLazy.AsyncLazy<A, E> {
  exit: Exit.Exit<A, E> | undefined = undefined
  flight: Flight<A, E> | undefined = undefined
  closed = false

  constructor(
    readonly effect: Effect.Effect<A, E, R>,
    readonly runtime: Runtime.Runtime<R>,
    readonly scope: Scope.Scope,
    readonly retryOnFailure: boolean
  ) {}

  start(): Flight<A, E> {
    let flight: Flight<A, E> | undefined
    const current = () => this.flight === flight || this.flight === undefined
    flight = startFlight(
      this.runtime,
      this.scope,
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
    if (this.closed) {
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
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<R>()
    const scope = yield* Effect.scope
    const lazy = new Lazy(effect, runtime, scope, options?.retryOnFailure === true)
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        lazy.closed = true
      })
    )
    return lazy
  })
