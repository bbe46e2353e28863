import { KeyedLimiter } from "@tapestry/core"
import { Effect } from "effect"
import type { Case } from "../Bench.js"

/** 64 fibers each repeat `one` (2 of 8 permits held across a yield) until N have run in all. */
const contend = (n: number, guard: Effect.Effect<(effect: Effect.Effect<void>) => Effect.Effect<void>>) =>
  Effect.runPromise(
    Effect.flatMap(guard, (withTwo) => {
      const one = withTwo(Effect.yieldNow())
      return Effect.forEach(Array.from({ length: 64 }), () => Effect.repeatN(one, n / 64 - 1), {
        concurrency: "unbounded",
        discard: true
      })
    })
  )

/** Weighted permits under contention: one key of a KeyedLimiter against an Effect semaphore. */
export const keyedLimiterWeighted: Case = {
  name: "keyedLimiter-weighted",
  title: "N effects on 64 fibers, each holding 2 of 8 permits across a yield (one key vs a semaphore)",
  // Effect's semaphore slows down more than linearly here (45 s at 100k): keep the full run short
  n: { full: 40_000, quick: 10_000 },
  targets: { "Effect semaphore withPermits": 1.0 },
  contenders: [
    {
      name: "KeyedLimiter.withPermits",
      ours: true,
      run: (n) =>
        contend(
          n,
          Effect.map(KeyedLimiter.make<string>({ perKey: 8 }), (limiter) => limiter.withPermits("host", 2))
        )
    },
    {
      name: "Effect semaphore withPermits",
      run: (n) =>
        contend(
          n,
          Effect.map(Effect.makeSemaphore(8), (semaphore) => semaphore.withPermits(2))
        )
    }
  ]
}
