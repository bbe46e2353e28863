import { KeyedLimiter } from "@tapestry/core"
import { Effect } from "effect"
import type { Case } from "../Bench.js"

/** 64 fibers take 2 of 8 permits each, N times in all: weighted permits under contention. */
export const keyedLimiterWeighted: Case = {
  name: "keyedLimiter-weighted",
  title: "N effects on 64 fibers, each holding 2 of 8 permits across a yield (one key vs a semaphore)",
  n: { full: 400_000, quick: 40_000 },
  targets: { "Effect semaphore withPermits": 1.0 },
  contenders: [
    {
      name: "KeyedLimiter.withPermits",
      ours: true,
      run: (n) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const limiter = yield* KeyedLimiter.make<string>({ perKey: 8 })
            const one = limiter.withPermits("host", 2)(Effect.yieldNow())
            yield* Effect.forEach(Array.from({ length: 64 }), () => Effect.repeatN(one, n / 64 - 1), {
              concurrency: "unbounded",
              discard: true
            })
          })
        )
    },
    {
      name: "Effect semaphore withPermits",
      run: (n) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const semaphore = yield* Effect.makeSemaphore(8)
            const one = semaphore.withPermits(2)(Effect.yieldNow())
            yield* Effect.forEach(Array.from({ length: 64 }), () => Effect.repeatN(one, n / 64 - 1), {
              concurrency: "unbounded",
              discard: true
            })
          })
        )
    }
  ]
}
