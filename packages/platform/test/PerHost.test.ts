import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import {
  Cause,
  Chunk,
  Context,
  Duration,
  Effect,
  Exit,
  Fiber,
  Layer,
  Option,
  type Scope,
  Stream,
  Supervisor,
  TestClock
} from "effect"
import * as fc from "effect/FastCheck"
import * as Download from "../src/Download.js"
import { hostOf } from "../src/internal/hosts.js"
import * as LocalWeb from "../src/LocalWeb.js"
import { clients, defectOf, eventually, failureOf, pathStats, realSleep } from "./helpers.js"

const sites: Record<string, LocalWeb.Site> = {
  "/d30": { delay: "30 millis", size: 512 },
  "/ok": { size: 16 },
  "/busy": { status: 429, retryAfter: 10, size: 4 },
  "/unavailable-long": { status: 503, retryAfter: 1_000_000, size: 4 },
  "/busy-now": { status: 429, retryAfter: 0, size: 4 },
  "/no-retry-after": { status: 429, size: 4 }
}

/** Two LocalWebs: two hosts (same address, two ports), each with its own counters. */
const twoHosts = Effect.gen(function* () {
  const build = Effect.map(Layer.build(LocalWeb.layer(sites)), (context) => Context.get(context, LocalWeb.LocalWeb))
  return [yield* build, yield* build] as const
})

const started = (web: LocalWeb.LocalWeb, path: string) => Effect.map(web.stats, (s) => pathStats(s, path).started)
const finished = (web: LocalWeb.LocalWeb, path: string) => Effect.map(web.stats, (s) => pathStats(s, path).finished)

const messageOf = (exit: Exit.Exit<unknown, unknown>) => String((defectOf(exit) as Error).message)

for (const [clientName, clientLayer] of clients) {
  const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient | Scope.Scope>) =>
    Effect.scoped(Effect.provide(effect, clientLayer))

  describe(`Download.interleaved per host on ${clientName}`, () => {
    it.live("perHost caps each host's requests in flight; other hosts use the rest of the concurrency", () =>
      run(
        Effect.gen(function* () {
          const [a, b] = yield* twoHosts
          // every URL of a first: its waiters take no slot, so b's start at once
          const urls = [
            ...Array.from({ length: 12 }, () => a.url("/d30")),
            ...Array.from({ length: 12 }, () => b.url("/d30"))
          ]
          const done = Chunk.toReadonlyArray(
            yield* Stream.runCollect(Download.interleaved(urls, { concurrency: 6, perHost: 2 }))
          )
          expect(done.length).toBe(24)
          expect(done.every((d) => Exit.isSuccess(d.exit))).toBe(true)
          expect(done.map((d) => d.index).sort((x, y) => x - y)).toEqual(urls.map((_, i) => i))
          const [sa, sb] = [yield* a.stats, yield* b.stats]
          expect([sa.peakInFlight, sb.peakInFlight]).toEqual([2, 2])
          // the first of b's results came before the last of a's: both hosts ran side by side
          const firstB = done.findIndex((d) => d.index >= 12)
          expect(firstB).toBeLessThan(12)
          // unbounded concurrency, perHost 3
          yield* a.resetStats
          yield* Stream.runDrain(Download.interleaved(urls.slice(0, 12), { perHost: 3 }))
          expect((yield* a.stats).peakInFlight).toBe(3)
        })
      )
    )

    it.effect("a 429 with Retry-After holds only its host until the time has passed (TestClock)", () =>
      run(
        Effect.gen(function* () {
          const [a, b] = yield* twoHosts
          const urls = [a.url("/busy"), a.url("/ok"), a.url("/ok"), ...Array.from({ length: 5 }, () => b.url("/ok"))]
          // concurrency 1: the held host's waiters must not take the one slot
          const fiber = yield* Effect.fork(Stream.runCollect(Download.interleaved(urls, { concurrency: 1 })))
          yield* eventually(Effect.map(finished(b, "/ok"), (n) => n === 5))
          yield* TestClock.adjust("9999 millis")
          yield* realSleep(50)
          expect(yield* started(a, "/ok")).toBe(0)
          expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
          yield* TestClock.adjust("1 millis")
          const done = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
          expect(yield* started(a, "/ok")).toBe(2)
          expect(done.map((d) => d.index)).toEqual([0, 3, 4, 5, 6, 7, 1, 2])
          // the 429 is its URL's result, not retried
          expect(failureOf(done[0]!.exit)).toMatchObject({
            _tag: "HttpStatusError",
            status: 429,
            retryAfter: Duration.seconds(10)
          })
          expect(yield* started(a, "/busy")).toBe(1)
        })
      )
    )

    it.effect("a hold is at most maxRetryAfter; 503 holds too; no Retry-After or Retry-After: 0 holds nothing", () =>
      run(
        Effect.gen(function* () {
          const [a] = yield* twoHosts
          const held = yield* Effect.fork(
            Stream.runCollect(
              Download.interleaved([a.url("/unavailable-long"), a.url("/ok")], {
                concurrency: 1,
                perHost: 1,
                maxRetryAfter: "2 seconds"
              })
            )
          )
          yield* eventually(Effect.map(finished(a, "/unavailable-long"), (n) => n === 1))
          yield* TestClock.adjust("1999 millis")
          yield* realSleep(50)
          expect(yield* started(a, "/ok")).toBe(0)
          yield* TestClock.adjust("1 millis")
          expect(Chunk.size(yield* Fiber.join(held))).toBe(2)
          // these never wait for the clock
          const free = yield* Stream.runCollect(
            Download.interleaved([a.url("/busy-now"), a.url("/no-retry-after"), a.url("/ok"), a.url("/ok")], {
              concurrency: 1
            })
          )
          expect(Chunk.size(free)).toBe(4)
          // maxRetryAfter: 0 turns holds off
          const off = yield* Stream.runCollect(
            Download.interleaved([a.url("/busy"), a.url("/ok")], { concurrency: 1, maxRetryAfter: 0 })
          )
          expect(Chunk.size(off)).toBe(2)
        })
      )
    )
  })
}

describe("Download.interleaved per host (any client)", () => {
  const client = clients[0]![1]

  it.effect("reads at most concurrency + 128 URLs ahead while a host is held; interrupting it leaks nothing", () =>
    Effect.gen(function* () {
      const [a, b] = yield* twoHosts
      let pulled = 0
      function* endless(): Generator<string> {
        yield a.url("/busy")
        for (;;) {
          pulled++
          yield a.url("/ok")
        }
      }
      const supervisor = yield* Supervisor.track
      const results: Array<number> = []
      const fiber = yield* Effect.fork(
        Download.interleaved(endless(), { concurrency: 2, perHost: 1 }).pipe(
          Stream.runForEach((done) => Effect.sync(() => results.push(done.index))),
          Effect.supervised(supervisor)
        )
      )
      yield* eventually(Effect.sync(() => results.length === 1 && pulled >= 128))
      yield* realSleep(50)
      // 1 done (the 429); 128 read and waiting for the held host, in no slot: at most concurrency + 128
      expect(pulled).toBe(128)
      expect(yield* started(a, "/ok")).toBe(0)
      yield* Fiber.interrupt(fiber)
      expect((yield* supervisor.value).filter((f) => f.unsafePoll() === null)).toEqual([])
      // the interrupted waiters took nothing: the hold passes and no request was ever sent for them
      yield* TestClock.adjust("1 minute")
      yield* realSleep(50)
      expect(yield* started(a, "/ok")).toBe(0)
      expect((yield* a.stats).inFlight).toBe(0)
      // other calls are not held by it
      expect(Chunk.size(yield* Stream.runCollect(Download.interleaved([b.url("/ok")])))).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(client))
  )

  it.effect(
    "unbounded concurrency: a full host's URLs wait, a held host's wait for the hold, the rest run at once",
    () =>
      Effect.gen(function* () {
        const [a, b] = yield* twoHosts
        const urls = [a.url("/busy"), a.url("/ok"), a.url("/ok"), ...Array.from({ length: 6 }, () => b.url("/d30"))]
        const fiber = yield* Effect.fork(Stream.runCollect(Download.interleaved(urls, { perHost: 1 })))
        yield* eventually(Effect.map(finished(b, "/d30"), (n) => n === 6))
        expect((yield* b.stats).peakInFlight).toBe(1)
        yield* realSleep(30)
        expect(yield* started(a, "/ok")).toBe(0)
        yield* TestClock.adjust("10 seconds")
        const done = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
        expect(done.slice(-2).map((d) => d.index)).toEqual([1, 2])
        expect((yield* a.stats).peakInFlight).toBe(1)
      }).pipe(Effect.scoped, Effect.provide(client))
  )

  it.live("interrupting while downloads wait for a full host and others are in flight leaks nothing", () =>
    Effect.gen(function* () {
      const [a] = yield* twoHosts
      const supervisor = yield* Supervisor.track
      const urls = Array.from({ length: 20 }, () => a.url("/hang"))
      const fiber = yield* Effect.fork(
        Stream.runDrain(Download.interleaved(urls, { concurrency: 8, perHost: 3 })).pipe(Effect.supervised(supervisor))
      )
      yield* eventually(Effect.map(started(a, "/hang"), (n) => n === 3))
      yield* realSleep(30)
      expect(yield* started(a, "/hang")).toBe(3)
      yield* Fiber.interrupt(fiber)
      yield* eventually(Effect.map(a.stats, (s) => s.inFlight === 0 && pathStats(s, "/hang").aborted === 3))
      expect((yield* supervisor.value).filter((f) => f.unsafePoll() === null)).toEqual([])
    }).pipe(Effect.scoped, Effect.provide(client))
  )

  it.effect("bad perHost or maxRetryAfter dies naming Download.interleaved, the option and the value", () =>
    Effect.gen(function* () {
      const drain = (options: Download.InterleavedOptions) =>
        Effect.exit(Stream.runDrain(Download.interleaved(["http://127.0.0.1:1/"], options)))
      for (const [perHost, shown] of [
        [0, "0"],
        [-1, "-1"],
        [1.5, "1.5"],
        [Number.NaN, "NaN"],
        ["2", '"2"']
      ] as const) {
        const exit = yield* drain({ perHost: perHost as number })
        expect(defectOf(exit)).toBeInstanceOf(Cause.IllegalArgumentException)
        expect(messageOf(exit)).toBe(
          `Download.interleaved: perHost must be a positive integer or Infinity, got ${shown}`
        )
      }
      for (const [maxRetryAfter, shown] of [
        [-1, "-1"],
        [Number.NaN, "NaN"],
        ["soon", '"soon"']
      ] as const) {
        expect(messageOf(yield* drain({ maxRetryAfter: maxRetryAfter as Duration.DurationInput }))).toBe(
          `Download.interleaved: maxRetryAfter must be a non-negative Duration, got ${shown}`
        )
      }
    }).pipe(Effect.provide(client))
  )

  it("the host is the URL's host and port (default ports filled in); no host for what is not a web URL", () => {
    expect(hostOf("http://127.0.0.1:8080/a")).toBe("127.0.0.1:8080")
    expect(hostOf("http://Example.org/a")).toBe("example.org:80")
    expect(hostOf("https://example.org:443/")).toBe("example.org:443")
    expect(hostOf("https://alice:pw@example.org/")).toBe("example.org:443")
    expect(hostOf("http://[::1]:9/")).toBe("[::1]:9")
    expect(hostOf("ftp://example.org/")).toBeUndefined()
    expect(hostOf("not a url")).toBeUndefined()
  })
})

/**
 * An in-memory `HttpClient` whose answers take `delay(url)` of the `Clock`'s time, counting requests
 * in flight per host and in all.
 */
const countingClient = (delay: (url: URL) => number) => {
  const inFlight = new Map<string, number>()
  const peak = { total: 0, perHost: new Map<string, number>() }
  let total = 0
  const client = HttpClient.make((request, url) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const n = (inFlight.get(url.host) ?? 0) + 1
        inFlight.set(url.host, n)
        total++
        peak.total = Math.max(peak.total, total)
        peak.perHost.set(url.host, Math.max(peak.perHost.get(url.host) ?? 0, n))
      }),
      () =>
        Effect.as(
          Effect.sleep(Duration.millis(delay(url))),
          HttpClientResponse.fromWeb(request, new Response("ok", { status: 200 }))
        ),
      () =>
        Effect.sync(() => {
          inFlight.set(url.host, inFlight.get(url.host)! - 1)
          total--
        })
    )
  )
  return { layer: Layer.succeed(HttpClient.HttpClient, client), peak }
}

describe("Download.interleaved per host (law)", () => {
  it.effect.prop(
    "never more than perHost in flight to a host, nor concurrency in all; every URL gets one result",
    [
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 20 })), {
        minLength: 1,
        maxLength: 40
      }),
      fc.integer({ min: 1, max: 4 }),
      fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(Number.POSITIVE_INFINITY))
    ],
    ([items, perHost, concurrency]) =>
      Effect.gen(function* () {
        const delays = new Map<string, number>()
        const urls = items.map(([host, ms], i) => {
          const url = `http://h${host}.test/${i}`
          delays.set(`/${i}`, ms)
          return url
        })
        const { layer, peak } = countingClient((url) => delays.get(url.pathname)!)
        const fiber = yield* Effect.fork(
          Stream.runCollect(Download.interleaved(urls, { perHost, concurrency })).pipe(Effect.provide(layer))
        )
        for (let t = 0; t < 25 * urls.length + 10 && Option.isNone(yield* Fiber.poll(fiber)); t++) {
          yield* TestClock.adjust("1 millis")
        }
        const done = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
        expect(done.map((d) => d.index).sort((x, y) => x - y)).toEqual(urls.map((_, i) => i))
        expect(done.every((d) => Exit.isSuccess(d.exit))).toBe(true)
        for (const n of peak.perHost.values()) expect(n).toBeLessThanOrEqual(perHost)
        expect(peak.total).toBeLessThanOrEqual(concurrency)
      }),
    { fastCheck: { numRuns: 40 } }
  )
})
