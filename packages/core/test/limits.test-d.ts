import { Context, Effect, type Scope } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import { CircuitBreaker, CircuitOpen, KeyedLimiter, RateLimiter } from "../src/index.js"

class Api extends Context.Tag("Api")<Api, { readonly call: Effect.Effect<string, "Busy"> }>() {}
const call = Effect.flatMap(Api, (api) => api.call)

describe("RateLimiter", () => {
  it("make and keyed need a Scope; permits keep the effect's types", () => {
    expectTypeOf(RateLimiter.make({ limit: 1, interval: "1 second" })).toEqualTypeOf<
      Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope>
    >()
    expectTypeOf(RateLimiter.keyed<string>({ limit: 1, interval: "1 second" })).toEqualTypeOf<
      Effect.Effect<RateLimiter.KeyedRateLimiter<string>, never, Scope.Scope>
    >()
    const limiter = {} as RateLimiter.RateLimiter
    expectTypeOf(limiter.withPermit(call)).toEqualTypeOf<Effect.Effect<string, "Busy", Api>>()
    expectTypeOf(limiter.withPermits(2)(call)).toEqualTypeOf<Effect.Effect<string, "Busy", Api>>()
    expectTypeOf(limiter.take()).toEqualTypeOf<Effect.Effect<void>>()
    const perKey = {} as RateLimiter.KeyedRateLimiter<string>
    expectTypeOf(perKey.withPermit("k")(call)).toEqualTypeOf<Effect.Effect<string, "Busy", Api>>()
    // @ts-expect-error a key of another type
    perKey.withPermit(1)
  })

  it("an options object in a variable is accepted; an unknown algorithm is not", () => {
    const options: RateLimiter.Options = { limit: 10, interval: "1 minute", algorithm: "sliding-window" }
    expectTypeOf(RateLimiter.make(options)).toEqualTypeOf<Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope>>()
    // @ts-expect-error not an algorithm
    RateLimiter.make({ limit: 1, interval: "1 second", algorithm: "leaky-bucket" })
  })
})

describe("CircuitBreaker", () => {
  it("protect adds CircuitOpen to the error channel and keeps the rest", () => {
    const breaker = {} as CircuitBreaker.CircuitBreaker
    expectTypeOf(breaker.protect(call)).toEqualTypeOf<Effect.Effect<string, "Busy" | CircuitOpen, Api>>()
    expectTypeOf(breaker.state).toEqualTypeOf<Effect.Effect<"closed" | "open" | "half-open">>()
    expectTypeOf<CircuitOpen>().toEqualTypeOf<CircuitBreaker.CircuitOpen>()
  })

  it("isFailure is typed by the error it is told about", () => {
    CircuitBreaker.make<{ readonly status: number }>({
      failureThreshold: 1,
      resetAfter: "1 second",
      isFailure: (e) => {
        expectTypeOf(e).toEqualTypeOf<{ readonly status: number }>()
        return e.status >= 500
      }
    })
    expectTypeOf(CircuitBreaker.make({ failureThreshold: 1, resetAfter: 1000 })).toEqualTypeOf<
      Effect.Effect<CircuitBreaker.CircuitBreaker>
    >()
  })
})

describe("KeyedLimiter weighted permits", () => {
  it("withPermits keeps the effect's types; resize and keyStats are plain effects", () => {
    const limiter = {} as KeyedLimiter.KeyedLimiter<string>
    expectTypeOf(limiter.withPermits("k", 2)(call)).toEqualTypeOf<Effect.Effect<string, "Busy", Api>>()
    expectTypeOf(limiter.resize({ perKey: 4 })).toEqualTypeOf<Effect.Effect<void>>()
    expectTypeOf(limiter.keyStats("k")).toEqualTypeOf<Effect.Effect<KeyedLimiter.KeyStats>>()
    // @ts-expect-error a key of another type
    limiter.keyStats(1)
  })
})
