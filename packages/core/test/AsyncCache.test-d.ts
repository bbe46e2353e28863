import { Context, Effect, type Scope, type Stream } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import { AsyncCache, AsyncLazy, AsyncLock, AsyncQueue, KeyedLimiter, Progress } from "../src/index.js"

class Db extends Context.Tag("Db")<Db, { readonly find: (id: number) => Effect.Effect<string, "NotFound"> }>() {}

describe("AsyncCache.make", () => {
  it("needs the lookup's services and a Scope; get needs nothing and fails with the lookup's error", () => {
    const make = AsyncCache.make({ lookup: (id: number) => Effect.flatMap(Db, (db) => db.find(id)) })
    expectTypeOf(make).toEqualTypeOf<
      Effect.Effect<AsyncCache.AsyncCache<number, string, "NotFound">, never, Db | Scope.Scope>
    >()
    const cache = {} as AsyncCache.AsyncCache<number, string, "NotFound">
    expectTypeOf(cache.get(1)).toEqualTypeOf<Effect.Effect<string, "NotFound">>()
    expectTypeOf(cache.stats).toEqualTypeOf<Effect.Effect<AsyncCache.CacheStats>>()
  })
})

describe("AsyncLazy.make", () => {
  it("keeps the value and error types; needs the effect's services and a Scope", () => {
    expectTypeOf(AsyncLazy.make(Effect.flatMap(Db, (db) => db.find(1)))).toEqualTypeOf<
      Effect.Effect<AsyncLazy.AsyncLazy<string, "NotFound">, never, Db | Scope.Scope>
    >()
  })
})

describe("AsyncQueue", () => {
  it("add and take fail only with QueueCompleted; stream cannot fail", () => {
    const queue = {} as AsyncQueue.AsyncQueue<number>
    expectTypeOf(queue.add(1)).toEqualTypeOf<Effect.Effect<void, AsyncQueue.QueueCompleted>>()
    expectTypeOf(queue.take).toEqualTypeOf<Effect.Effect<number, AsyncQueue.QueueCompleted>>()
    expectTypeOf(queue.stream).toEqualTypeOf<Stream.Stream<number>>()
  })
})

describe("AsyncLock and KeyedLimiter", () => {
  it("withLock / withPermit keep the effect's type, in both call forms", () => {
    const lock = {} as AsyncLock.AsyncLock
    const limiter = {} as KeyedLimiter.KeyedLimiter<string>
    const effect = Effect.flatMap(Db, (db) => db.find(1))
    expectTypeOf(lock.withLock(effect)).toEqualTypeOf<Effect.Effect<string, "NotFound", Db>>()
    expectTypeOf(limiter.withPermit("k", effect)).toEqualTypeOf<Effect.Effect<string, "NotFound", Db>>()
    expectTypeOf(effect.pipe(limiter.withPermit("k"))).toEqualTypeOf<Effect.Effect<string, "NotFound", Db>>()
  })
})

describe("Progress", () => {
  it("is contravariant: a Progress<unknown> is a Progress<number>, not the other way", () => {
    expectTypeOf(Progress.ignore).toMatchTypeOf<Progress.Progress<number>>()
    expectTypeOf<Progress.Progress<number>>().not.toMatchTypeOf<Progress.Progress<unknown>>()
    expectTypeOf(Progress.latest<number>()).toEqualTypeOf<Effect.Effect<Progress.Latest<number>, never, Scope.Scope>>()
  })
})
