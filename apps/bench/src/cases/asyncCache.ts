import { AsyncCache } from "@tapestry/core"
import { Cache, Duration, Effect } from "effect"
import pMemoize from "p-memoize"
import type { Case } from "../Bench.js"

const KEYS = 100
const lookup = (key: number) => Effect.succeed(key * 2)

const ours = (n: number, warm: boolean) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const cache = yield* AsyncCache.make({ lookup })
        if (warm) for (let k = 0; k < KEYS; k++) yield* cache.get(k)
        let sum = 0
        for (let i = 0; i < n; i++) sum += yield* cache.get(warm ? i % KEYS : i)
        return sum
      })
    )
  )

const effectCache = (n: number, warm: boolean) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const cache = yield* Cache.make({ capacity: Number.MAX_SAFE_INTEGER, timeToLive: Duration.infinity, lookup })
      if (warm) for (let k = 0; k < KEYS; k++) yield* cache.get(k)
      let sum = 0
      for (let i = 0; i < n; i++) sum += yield* cache.get(warm ? i % KEYS : i)
      return sum
    })
  )

/** `get` of a key already cached: a map lookup and a stored result. */
export const asyncCacheHit: Case = {
  name: "asyncCache-hit",
  title: "N gets of cached keys (100 warm keys), one fiber",
  n: { full: 1_000_000, quick: 50_000 },
  targets: { "Effect Cache.get": 0.5 },
  contenders: [
    { name: "AsyncCache.get", ours: true, run: (n) => ours(n, true) },
    { name: "Effect Cache.get", run: (n) => effectCache(n, true) }
  ]
}

/** `get` of a new key every time: a lookup started (as a fiber in the cache's scope) and stored. */
export const asyncCacheMiss: Case = {
  name: "asyncCache-miss",
  title: "N gets of N distinct keys (each a lookup), one fiber",
  n: { full: 100_000, quick: 5_000 },
  contenders: [
    { name: "AsyncCache.get", ours: true, run: (n) => ours(n, false) },
    { name: "Effect Cache.get", run: (n) => effectCache(n, false) },
    {
      name: "p-memoize",
      run: async (n) => {
        const memo = pMemoize(async (key: number) => key * 2)
        let sum = 0
        for (let i = 0; i < n; i++) sum += await memo(i)
        return sum
      }
    }
  ]
}
