import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import { hasProperty } from "effect/Predicate"
import type * as AsyncLock from "../AsyncLock.js"
import { LinkedList } from "./linkedList.js"
import * as Validate from "./validate.js"

/** @internal */
export const TypeId: AsyncLock.TypeId = Symbol.for("@tapestry/core/AsyncLock") as AsyncLock.TypeId

/** @internal */
export const isAsyncLock = (u: unknown): u is AsyncLock.AsyncLock => hasProperty(u, TypeId)

interface Waiter {
  granted: boolean
  readonly resume: (effect: Effect.Effect<void>) => void
}

class Lock extends Inspectable.Class implements AsyncLock.AsyncLock {
  readonly [TypeId]: AsyncLock.TypeId = TypeId
  held = false
  readonly waiters = new LinkedList<Waiter>()

  /** Hands the lock to the first waiter (it stays held), or frees it. */
  readonly unlock = (): void => {
    const next = this.waiters.shift()
    if (next === undefined) {
      this.held = false
    } else {
      next.granted = true
      next.resume(Effect.void)
    }
  }

  readonly release = Effect.sync(this.unlock)

  readonly wait = Effect.async<void>((resume) => {
    const waiter: Waiter = { granted: false, resume }
    const node = this.waiters.push(waiter)
    return Effect.sync(() => {
      // handed the lock but interrupted before running: pass it on
      if (waiter.granted) this.unlock()
      else this.waiters.remove(node)
    })
  })

  readonly isLocked = Effect.sync(() => this.held)

  toJSON(): unknown {
    return { _id: "AsyncLock", locked: this.held, waiting: this.waiters.size }
  }

  readonly withLock = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    !Effect.isEffect(effect)
      ? Validate.die(Validate.message("AsyncLock.withLock", "effect", "an Effect", effect))
      : Effect.uninterruptibleMask((restore) =>
          Effect.suspend(() => {
            if (!this.held) {
              this.held = true
              return Effect.ensuring(restore(effect), this.release)
            }
            return Effect.zipRight(restore(this.wait), Effect.ensuring(restore(effect), this.release))
          })
        )
}

/** @internal */
export const make = (): Effect.Effect<AsyncLock.AsyncLock> => Effect.sync(() => new Lock())
