import { RateLimiter } from "@tapestry/core"
import { Effect, RateLimiter as EffectRateLimiter, type Scope } from "effect"
import pThrottle from "p-throttle"
import type { Case } from "../Bench.js"

/** N calls, one after another, through a limit that never makes them wait: the bookkeeping per start. */
export const rateLimiterFree: Case = {
  name: "rateLimiter-free",
  title: "N sequential calls through a rate limit of N per minute (no call waits)",
  n: { full: 100_000, quick: 20_000 },
  targets: { "Effect RateLimiter (token bucket)": 1.0 },
  contenders: [
    ...(["token-bucket", "fixed-window", "sliding-window"] as const).map((algorithm) => ({
      name: `RateLimiter ${algorithm}`,
      ours: algorithm === "token-bucket",
      run: (n: number) =>
        Effect.runPromise(
          Effect.scoped(
            Effect.gen(function* () {
              const limiter = yield* RateLimiter.make({ limit: n, interval: "1 minute", algorithm })
              let sum = 0
              for (let i = 0; i < n; i++) sum += yield* limiter.withPermit(Effect.succeed(1))
              return sum
            })
          )
        )
    })),
    {
      name: "Effect RateLimiter (token bucket)",
      run: (n) =>
        Effect.runPromise(
          Effect.scoped(
            Effect.gen(function* () {
              const limit = yield* EffectRateLimiter.make({ limit: n, interval: "1 minute" })
              let sum = 0
              for (let i = 0; i < n; i++) sum += yield* limit(Effect.succeed(1))
              return sum
            })
          )
        )
    },
    {
      name: "p-throttle",
      run: async (n) => {
        const one = pThrottle({ limit: n, interval: 60_000 })(() => 1)
        let sum = 0
        for (let i = 0; i < n; i++) sum += await one()
        return sum
      }
    }
  ]
}

/** N concurrent calls, each through `limit` (made in a scope), all at once. */
const paced = <E>(
  n: number,
  limit: Effect.Effect<<A, E2, R>(effect: Effect.Effect<A, E2, R>) => Effect.Effect<A, E2, R>, E, Scope.Scope>
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(limit, (through) =>
        Effect.forEach(Array.from({ length: n }), () => through(Effect.void), {
          concurrency: "unbounded",
          discard: true
        })
      )
    )
  )

/** N concurrent calls paced by a limit of N/4 per 50 ms: the calls take about 150 ms whoever paces them. */
export const rateLimiterPaced: Case = {
  name: "rateLimiter-paced",
  title: "N concurrent calls paced at N/4 per 50 ms (sliding window; wall time, ~150 ms is the floor)",
  n: { full: 8_000, quick: 2_000 },
  // Effect-based pacing costs a fiber per waiting call (about 100 µs each here): the bar is Effect's own limiter.
  targets: { "Effect RateLimiter (fixed window)": 1.0 },
  contenders: [
    {
      name: "RateLimiter sliding-window",
      ours: true,
      run: (n) =>
        paced(
          n,
          Effect.map(
            RateLimiter.make({ limit: n / 4, interval: "50 millis", algorithm: "sliding-window" }),
            (limiter) => limiter.withPermit
          )
        )
    },
    {
      name: "Effect RateLimiter (fixed window)",
      run: (n) => paced(n, EffectRateLimiter.make({ limit: n / 4, interval: "50 millis", algorithm: "fixed-window" }))
    },
    {
      name: "p-throttle",
      run: async (n) => {
        const one = pThrottle({ limit: n / 4, interval: 50 })(() => undefined)
        await Promise.all(Array.from({ length: n }, () => one()))
      }
    }
  ]
}
