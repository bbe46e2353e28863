import { describe, expectTypeOf, it } from "vitest"
import { AsyncCache, AsyncLazy, AsyncQueue, KeyedLimiter } from "../src/index.js"

declare const u: unknown

describe("data structure identity types", () => {
  it("guards narrow to the widest instance of each kind", () => {
    if (AsyncCache.isAsyncCache(u)) expectTypeOf(u).toEqualTypeOf<AsyncCache.AsyncCache<never, unknown, unknown>>()
    if (AsyncLazy.isAsyncLazy(u)) expectTypeOf(u).toEqualTypeOf<AsyncLazy.AsyncLazy<unknown, unknown>>()
    if (KeyedLimiter.isKeyedLimiter(u)) expectTypeOf(u).toEqualTypeOf<KeyedLimiter.KeyedLimiter<never>>()
  })

  it("variance: values out are covariant, keys in are contravariant, queue items invariant", () => {
    expectTypeOf<AsyncLazy.AsyncLazy<"a", "e">>().toExtend<AsyncLazy.AsyncLazy<string, string>>()
    expectTypeOf<AsyncCache.AsyncCache<string, "v">>().toExtend<AsyncCache.AsyncCache<"k", string>>()
    expectTypeOf<AsyncCache.AsyncCache<"k", string>>().not.toExtend<AsyncCache.AsyncCache<string, string>>()
    expectTypeOf<KeyedLimiter.KeyedLimiter<string>>().toExtend<KeyedLimiter.KeyedLimiter<"host">>()
    expectTypeOf<AsyncQueue.AsyncQueue<"a">>().not.toExtend<AsyncQueue.AsyncQueue<string>>()
    expectTypeOf<AsyncQueue.AsyncQueue<string>>().not.toExtend<AsyncQueue.AsyncQueue<"a">>()
  })
})
