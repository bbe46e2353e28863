import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import { hasProperty } from "effect/Predicate"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Progress from "../Progress.js"
import * as Validate from "./validate.js"

/** @internal */
export const TypeId: Progress.TypeId = Symbol.for("@tapestry/core/Progress") as Progress.TypeId

const variance = { _T: (_: never) => _ }

const ProgressProto = {
  [TypeId]: variance,
  pipe() {
    // biome-ignore lint/complexity/noArguments: the Pipeable protocol
    return pipeArguments(this, arguments)
  }
}

const unsafeMake = <T>(onReport: (value: T) => Effect.Effect<void>): Progress.Progress<T> => {
  const self = Object.create(ProgressProto)
  self.report = onReport
  return self
}

/** @internal */
export const make = <T>(onReport: (value: T) => Effect.Effect<void>): Progress.Progress<T> =>
  unsafeMake(Validate.fn<typeof onReport>("Progress.make", "onReport", onReport))

/** @internal */
export const isProgress = (u: unknown): u is Progress.Progress<unknown> => hasProperty(u, TypeId)

/** @internal */
export const ignore: Progress.Progress<unknown> = unsafeMake(() => Effect.void)

/** @internal */
export const map = dual<
  <B, A>(f: (value: B) => A) => (self: Progress.Progress<A>) => Progress.Progress<B>,
  <A, B>(self: Progress.Progress<A>, f: (value: B) => A) => Progress.Progress<B>
>(2, (self, f) => {
  checkProgress("Progress.map", "self", self)
  Validate.fn("Progress.map", "f", f)
  return unsafeMake((value) => self.report(f(value)))
})

const checkProgress = (where: string, name: string, value: unknown): void => {
  if (!isProgress(value)) Validate.raise(Validate.message(where, name, "a Progress", value))
}

/** The single slot behind `latest`: the newest value, its version, and the consumers waiting for a newer one. */
class Slot<T> {
  version = 0
  value: T | undefined = undefined
  closed = false
  waiters = new Set<() => void>()

  put(value: T): void {
    if (this.closed) return
    this.value = value
    this.version++
    if (this.waiters.size > 0) this.wake()
  }

  close(): void {
    this.closed = true
    this.wake()
  }

  wake(): void {
    const waiters = this.waiters
    this.waiters = new Set()
    for (const wake of waiters) wake()
  }
}

const endOfStream = Effect.fail(Option.none())

/** @internal */
export const latest = <T>(): Effect.Effect<Progress.Latest<T>, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => new Slot<T>()),
      (slot) => Effect.sync(() => slot.close())
    ),
    (slot): Progress.Latest<T> => {
      const progress = unsafeMake<T>((value) => Effect.sync(() => slot.put(value)))
      const changes = Stream.suspend(() => {
        let seen = 0
        const pull: Effect.Effect<Chunk.Chunk<T>, Option.Option<never>> = Effect.suspend(() => {
          if (slot.version > seen) {
            seen = slot.version
            return Effect.succeed(Chunk.of(slot.value as T))
          }
          if (slot.closed) return endOfStream
          return Effect.zipRight(
            Effect.async<void>((resume) => {
              const wake = () => resume(Effect.void)
              slot.waiters.add(wake)
              return Effect.sync(() => {
                slot.waiters.delete(wake)
              })
            }),
            pull
          )
        })
        return Stream.repeatEffectChunkOption(pull)
      })
      const current = Effect.sync(() => (slot.version > 0 ? Option.some(slot.value as T) : Option.none()))
      return { progress, changes, current }
    }
  )

/** @internal */
export const aggregate = <A, B>(
  parent: Progress.Progress<B>,
  combine: (values: ReadonlyArray<A>) => B
): Effect.Effect<Progress.Aggregate<A>> =>
  Validate.suspend(() => {
    checkProgress("Progress.aggregate", "parent", parent)
    Validate.fn("Progress.aggregate", "combine", combine)
    const values: Array<A> = []
    const reported: Array<boolean> = []
    let count = 0
    const child = Effect.sync(() => {
      const index = reported.length
      reported.push(false)
      values.push(undefined as A)
      return unsafeMake<A>((value) =>
        Effect.suspend(() => {
          if (!reported[index]) {
            reported[index] = true
            count++
          }
          values[index] = value
          return parent.report(combine(count === values.length ? values : values.filter((_, i) => reported[i])))
        })
      )
    })
    return Effect.succeed({ child })
  })

/** @internal */
export const total = (parent: Progress.Progress<number>): Effect.Effect<Progress.Aggregate<number>> =>
  Validate.suspend(() => {
    checkProgress("Progress.total", "parent", parent)
    let sum = 0
    const child = Effect.sync(() => {
      let last = 0
      return unsafeMake<number>((value) =>
        Effect.suspend(() => {
          // NaN or ±Infinity (or not a number, from JavaScript) would poison the sum for good
          if (!Number.isFinite(value)) return Effect.void
          sum += value - last
          last = value
          return parent.report(sum)
        })
      )
    })
    return Effect.succeed({ child })
  })
