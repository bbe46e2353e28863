import { Context, Effect, pipe, type Scope, Stream } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import { CircuitBreaker, CircuitOpen, KeyedLimiter, RateLimiter, Task, type TaskFailures } from "../src/index.js"

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

class Cdn extends Context.Tag("Cdn")<Cdn, { readonly fetch: Effect.Effect<Uint8Array, "NotFound"> }>() {}
const fetchCdn = Effect.flatMap(Cdn, (cdn) => cdn.fetch)

describe("the limits in everyday code, with Task", () => {
  it("limited effects of different types race and gather like any others", () => {
    const limiter = {} as RateLimiter.RateLimiter
    const breaker = {} as CircuitBreaker.CircuitBreaker
    const perHost = {} as KeyedLimiter.KeyedLimiter<string>
    const sources = [limiter.withPermit(call), breaker.protect(fetchCdn), perHost.withPermits("cdn", 2)(fetchCdn)]
    expectTypeOf(Task.needOnlyOne(sources)).toEqualTypeOf<
      Effect.Effect<string | Uint8Array, TaskFailures<"Busy" | "NotFound" | CircuitOpen>, Api | Cdn>
    >()
    expectTypeOf(Task.whenAll({ api: limiter.withPermit(call), cdn: breaker.protect(fetchCdn) })).toEqualTypeOf<
      Effect.Effect<{ api: string; cdn: Uint8Array }, TaskFailures<"Busy" | "NotFound" | CircuitOpen>, Api | Cdn>
    >()
  })

  it("effects limited one by one make a mixed array that interleaved and throttled take", () => {
    const limiter = {} as RateLimiter.RateLimiter
    const perKey = {} as RateLimiter.KeyedRateLimiter<string>
    // like Effect's own per-effect combinators, a limiter takes one effect type at a time: limit, then mix
    const mixed = [perKey.withPermit("api")(limiter.withPermits(2)(call)), limiter.withPermits(2)(fetchCdn)]
    expectTypeOf(Task.interleaved(mixed, { concurrency: 2 })).toEqualTypeOf<
      Stream.Stream<Task.Completed<string | Uint8Array, "Busy" | "NotFound">, never, Api | Cdn>
    >()
  })

  it("throttled ordered through a KeyedLimiter: data-first and data-last have one type", () => {
    const perHost = {} as KeyedLimiter.KeyedLimiter<string>
    const get = (host: string) => (host === "cdn" ? perHost.withPermit(host, fetchCdn) : perHost.withPermit(host, call))
    type Expected = Stream.Stream<
      Task.ThrottledCompleted<string, string | Uint8Array, "Busy" | "NotFound">,
      never,
      Api | Cdn
    >
    expectTypeOf(Task.throttled(["api", "cdn"], get, { concurrency: 2, ordered: true })).toEqualTypeOf<Expected>()
    expectTypeOf(pipe(["api", "cdn"], Task.throttled(get, { concurrency: 2, ordered: true }))).toEqualTypeOf<Expected>()
    Task.throttled(["api"], get, {
      concurrency: 2,
      // @ts-expect-error: ordered is a boolean
      ordered: 1
    })
  })

  it("CircuitBreaker.Options in a variable, with the error it judges", () => {
    const options: CircuitBreaker.Options<"Busy"> = {
      failureThreshold: 3,
      resetAfter: "10 seconds",
      isFailure: (e) => e === "Busy"
    }
    expectTypeOf(CircuitBreaker.make(options)).toEqualTypeOf<Effect.Effect<CircuitBreaker.CircuitBreaker>>()
    // @ts-expect-error: isFailure judges "Busy", not numbers
    CircuitBreaker.make<number>(options)
  })

  it("a retried, protected call keeps every error", () => {
    const breaker = {} as CircuitBreaker.CircuitBreaker
    const thrice = Task.retryOnFault({ maxTries: 3 })
    expectTypeOf(thrice(breaker.protect(call))).toEqualTypeOf<
      Effect.Effect<string, Task.RetriesExhausted<"Busy" | CircuitOpen>, Api>
    >()
  })
})
