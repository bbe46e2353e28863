import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Progress, Task, Validate } from "@tapestry/core"
import * as ValidateSubpath from "@tapestry/core/Validate"
import {
  Cause,
  Chunk,
  Duration,
  Effect,
  Exit,
  Fiber,
  Layer,
  Option,
  Random,
  Scope,
  Stream,
  Supervisor,
  TestClock
} from "effect"
import * as Download from "../src/Download.js"
import type * as DownloadError from "../src/DownloadError.js"
import * as DownloadErrors from "../src/DownloadError.js"
import * as FastHttpClient from "../src/FastHttpClient.js"
import * as LocalWeb from "../src/LocalWeb.js"
import {
  clients,
  defectOf,
  expectedBody,
  failureOf,
  pathStats,
  realSleep,
  refusedUrl,
  statsUntil,
  withWarnings
} from "./helpers.js"

const web = LocalWeb.LocalWeb

const sites: Record<string, LocalWeb.Site> = {
  "/big-stalls": { size: 1024 * 1024, hangAfterBytes: 64 * 1024 },
  "/chunked-stalls": { size: 1024 * 1024, chunked: true, hangAfterBytes: 64 * 1024 },
  "/quick-trickle": { size: 16 * 1024, bytesPerSecond: 256 * 1024 },
  "/mirror-a": { delay: "60 millis", size: 100 },
  "/mirror-b": { delay: "2 seconds", size: 200 },
  "/mirror-c": { delay: "3 seconds", size: 300 },
  "/busy-then-ok": { failFirst: 1, retryAfter: 5, size: 10 },
  "/d10": { delay: "10 millis", size: 512 },
  "/d40": { delay: "40 millis", size: 512 },
  "/moved": { redirectTo: "/redirect", status: 301 },
  "/see-other": { redirectTo: "/d10", status: 303 },
  "/redirect-ftp": { redirectTo: "ftp://127.0.0.1/file" }
}

for (const [clientName, clientLayer] of clients) {
  const provide = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient | LocalWeb.LocalWeb>) =>
    Effect.provide(effect, Layer.merge(clientLayer, LocalWeb.layer(sites)))

  describe(`Download on ${clientName}`, () => {
    it.live("get returns the status, headers, body and elapsed time", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          const page = yield* Download.get(w.url("/fast"))
          expect(page.status).toBe(200)
          expect(page.url).toBe(w.url("/fast"))
          expect(page.headers["content-length"]).toBe("1024")
          expect(page.bytes).toBe(1024)
          expect(new Uint8Array(page.body)).toEqual(expectedBody(1024))
          expect(Duration.toMillis(page.elapsed)).toBeGreaterThanOrEqual(0)
          expect(yield* Download.contentLength(w.url("/chunked"))).toBe(64 * 1024)
          const big = yield* Download.get(w.url("/big"))
          expect(big.bytes).toBe(4 * 1024 * 1024)
        })
      )
    )

    it.live("follows redirects (301, 302, 303) to the final body; the result keeps the URL as given", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          const page = yield* Download.get(w.url("/moved"))
          expect(page.url).toBe(w.url("/moved"))
          expect(page.status).toBe(200)
          expect(new Uint8Array(page.body)).toEqual(expectedBody(1024))
          expect((yield* Download.get(w.url("/see-other"))).bytes).toBe(512)
          const seen: Array<number> = []
          yield* Download.get(w.url("/redirect"), {
            progress: Progress.make((p) => Effect.sync(() => void seen.push(p.received)))
          })
          expect(seen.at(-1)).toBe(1024)
          const stats = yield* w.stats
          expect(stats.byPath["/moved"]?.started).toBe(1)
          expect(stats.byPath["/fast"]?.started).toBe(2)
        })
      )
    )

    it.live("more redirects than maxRedirects fail with HttpStatusError carrying the redirect's status", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          const loop = failureOf(yield* Effect.exit(Download.get(w.url("/redirect-loop"), { maxRedirects: 3 })))
          expect(loop).toMatchObject({ _tag: "HttpStatusError", status: 302, url: w.url("/redirect-loop") })
          expect((yield* w.stats).byPath["/redirect-loop"]?.started).toBe(4)
          const none = failureOf(yield* Effect.exit(Download.get(w.url("/redirect"), { maxRedirects: 0 })))
          expect(none).toMatchObject({ _tag: "HttpStatusError", status: 302 })
          const ftp = failureOf(yield* Effect.exit(Download.get(w.url("/redirect-ftp"))))
          expect(ftp).toMatchObject({ _tag: "InvalidUrl", url: w.url("/redirect-ftp") })
          for (const bad of [-1, 1.5, Number.NaN]) {
            const defect = defectOf(yield* Effect.exit(Download.get(w.url("/fast"), { maxRedirects: bad })))
            expect(defect).toBeInstanceOf(Cause.IllegalArgumentException)
            expect(String((defect as Error).message)).toContain(
              "Download.get: maxRedirects must be a non-negative integer"
            )
          }
        })
      )
    )

    it.live("an unparseable or non-http URL fails with InvalidUrl and sends nothing", () =>
      provide(
        Effect.gen(function* () {
          for (const url of ["not a url", "ftp://127.0.0.1/file", "file:///etc/passwd", ""]) {
            const error = failureOf(yield* Effect.exit(Download.get(url)))
            expect(error._tag).toBe("InvalidUrl")
            expect(error.message).toContain("Invalid URL")
          }
          expect((yield* (yield* web).stats).connections).toBe(0)
        })
      )
    )

    it.live("a refused connection and a reset before the headers fail with ConnectionFailed", () =>
      provide(
        Effect.gen(function* () {
          const refused = failureOf(yield* Effect.exit(Download.get(yield* refusedUrl)))
          expect(refused._tag).toBe("ConnectionFailed")
          const reset = failureOf(yield* Effect.exit(Download.get((yield* web).url("/reset-before-headers"))))
          expect(reset._tag).toBe("ConnectionFailed")
        })
      )
    )

    it.live("an error status fails with HttpStatusError and parses Retry-After (seconds or HTTP date)", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          const missing = failureOf(yield* Effect.exit(Download.get(w.url("/not-found"))))
          expect(missing).toMatchObject({ _tag: "HttpStatusError", status: 404 })
          expect(missing._tag === "HttpStatusError" && missing.retryAfter).toBeUndefined()
          const unavailable = failureOf(yield* Effect.exit(Download.get(w.url("/unavailable"))))
          expect(unavailable._tag === "HttpStatusError" && unavailable.status).toBe(503)
          expect(unavailable._tag === "HttpStatusError" && unavailable.retryAfter).toEqual(Duration.seconds(1))
          const datedWeb = LocalWeb.layer({
            "/dated": { status: 429, retryAfter: new Date(Date.now() + 60_000).toUTCString() }
          })
          const dated = failureOf(
            yield* Effect.exit(
              Effect.flatMap(web, (other) => Download.get(other.url("/dated"))).pipe(Effect.provide(datedWeb))
            )
          )
          const seconds =
            dated._tag === "HttpStatusError" && dated.retryAfter ? Duration.toSeconds(dated.retryAfter) : -1
          expect(seconds).toBeGreaterThan(55)
          expect(seconds).toBeLessThanOrEqual(60)
        })
      )
    )

    it.live("a reset or truncated body fails with BodyError", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          for (const path of ["/reset", "/truncated"]) {
            const error = failureOf(yield* Effect.exit(Download.get(w.url(path))))
            expect([path, error._tag]).toEqual([path, "BodyError"])
          }
        })
      )
    )

    it.live("maxBytes: content-length over the limit fails with TooLarge before the body, aborting the request", () =>
      provide(
        Effect.gen(function* () {
          const error = failureOf(yield* Effect.exit(Download.get((yield* web).url("/big-stalls"), { maxBytes: 1000 })))
          expect(error).toMatchObject({ _tag: "TooLarge", maxBytes: 1000 })
          const { stats } = yield* statsUntil((s) => pathStats(s, "/big-stalls").aborted === 1, 1_000)
          expect(stats.inFlight).toBe(0)
        })
      )
    )

    it.live("maxBytes: a chunked body over the limit fails with TooLarge while streaming, aborting the request", () =>
      provide(
        Effect.gen(function* () {
          const error = failureOf(
            yield* Effect.exit(Download.get((yield* web).url("/chunked-stalls"), { maxBytes: 1000 }))
          )
          expect(error).toMatchObject({ _tag: "TooLarge", maxBytes: 1000 })
          yield* statsUntil((s) => pathStats(s, "/chunked-stalls").aborted === 1 && s.inFlight === 0, 1_000)
          const exact = yield* Download.get((yield* web).url("/fast"), { maxBytes: 1024 })
          expect(exact.bytes).toBe(1024)
        })
      )
    )

    it.live("timeout fails with RequestTimeout and aborts the request on the server", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          const error = failureOf(yield* Effect.exit(Download.get(w.url("/hang"), { timeout: "150 millis" })))
          expect(error._tag).toBe("RequestTimeout")
          expect(error._tag === "RequestTimeout" && Duration.toMillis(error.timeout)).toBe(150)
          yield* statsUntil((s) => pathStats(s, "/hang").aborted === 1 && s.inFlight === 0, 1_000)
        })
      )
    )

    it.live("interleaved's and first's time-outs fail with RequestTimeout and abort the requests on the server", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          yield* w.resetStats
          const urls = [w.url("/fast"), w.url("/hang"), w.url("/hang-body")]
          const done = Chunk.toReadonlyArray(
            yield* Stream.runCollect(Download.interleaved(urls, { concurrency: 2, timeout: "150 millis" }))
          )
          expect(done.map((d) => [d.index, Exit.isSuccess(d.exit) ? "ok" : failureOf(d.exit)._tag]).sort()).toEqual([
            [0, "ok"],
            [1, "RequestTimeout"],
            [2, "RequestTimeout"]
          ])
          yield* statsUntil(
            (s) => pathStats(s, "/hang").aborted === 1 && pathStats(s, "/hang-body").aborted === 1 && s.inFlight === 0,
            1_000
          )
          const error = failureOf(yield* Effect.exit(Download.first([w.url("/hang")], { timeout: "150 millis" })))
          expect(error._tag).toBe("TaskFailures")
          yield* statsUntil((s) => pathStats(s, "/hang").aborted === 2 && s.inFlight === 0, 1_000)
        })
      )
    )

    it.live("maxBytes below 1 or fractional, and a bad timeout, are defects naming the argument", () =>
      provide(
        Effect.gen(function* () {
          const url = (yield* web).url("/fast")
          for (const maxBytes of [0, -5, 1.5, Number.NaN]) {
            const defect = defectOf(yield* Effect.exit(Download.get(url, { maxBytes })))
            expect(defect).toBeInstanceOf(Cause.IllegalArgumentException)
            expect(String((defect as Error).message)).toContain("Download.get: maxBytes must be a positive integer")
          }
          for (const timeout of ["soon", -1, Number.NaN, "-2 seconds"]) {
            const defect = defectOf(
              yield* Effect.exit(Download.get(url, { timeout: timeout as Duration.DurationInput }))
            )
            expect(defect).toBeInstanceOf(Cause.IllegalArgumentException)
            expect(String((defect as Error).message)).toMatch(
              /^Download\.get: timeout must be a non-negative Duration, got /
            )
          }
          const lengthDefect = defectOf(yield* Effect.exit(Download.contentLength(url, { maxBytes: 0 })))
          expect(String((lengthDefect as Error).message)).toContain("Download.contentLength: maxBytes")
          const firstDefect = defectOf(yield* Effect.exit(Download.first([url, url], { maxBytes: 0 })))
          expect(String((firstDefect as Error).message)).toContain("Download.first: maxBytes")
          const streamDefect = defectOf(
            yield* Effect.exit(Stream.runDrain(Download.interleaved([url, url], { maxBytes: 2.5 })))
          )
          expect(String((streamDefect as Error).message)).toContain("Download.interleaved: maxBytes")
          for (const concurrency of [0, -1, 2.5, Number.NaN]) {
            const defect = defectOf(
              yield* Effect.exit(Stream.runDrain(Download.interleaved([url, url], { concurrency })))
            )
            expect(String((defect as Error).message)).toBe(
              `Download.interleaved: concurrency must be a positive integer, Infinity or "unbounded", got ${concurrency}`
            )
          }
          // JavaScript callers: a single string, a non-string URL, a misshapen option
          const js = (value: unknown): never => value as never
          const messageOf = (exit: Exit.Exit<unknown, unknown>) => String((defectOf(exit) as Error).message)
          expect(messageOf(yield* Effect.exit(Download.first(js(url))))).toBe(
            `Download.first: urls must be an iterable, got ${JSON.stringify(url)}`
          )
          expect(messageOf(yield* Effect.exit(Stream.runDrain(Download.interleaved(js(url)))))).toBe(
            `Download.interleaved: urls must be an iterable, got ${JSON.stringify(url)}`
          )
          expect(messageOf(yield* Effect.exit(Download.first([url, js(7)])))).toBe(
            "Download.first: urls[1] must be a string, got 7"
          )
          expect(messageOf(yield* Effect.exit(Download.get(js(undefined))))).toBe(
            "Download.get: url must be a string, got undefined"
          )
          expect(messageOf(yield* Effect.exit(Download.get(url, js(1000))))).toBe(
            "Download.get: options must be an options object, got 1000"
          )
          expect(messageOf(yield* Effect.exit(Download.get(url, { progress: js(() => undefined) })))).toBe(
            "Download.get: progress must be a Progress, got a function"
          )
          expect(messageOf(yield* Effect.exit(Download.first([url], { stagger: js([-1, 0]) })))).toBe(
            "Download.first: stagger must be a finite, non-negative Duration, got [-1, 0]"
          )
          expect((yield* (yield* web).stats).started).toBe(0)
          // a bad element of a lazy input is a defect when it is reached: what came before it ran
          function* lazy() {
            yield url
            yield js(null)
          }
          const lazyExit = yield* Effect.exit(Stream.runDrain(Download.interleaved(lazy(), { concurrency: 1 })))
          expect(messageOf(lazyExit)).toBe("Download.interleaved: urls[1] must be a string, got null")
          expect((yield* (yield* web).stats).started).toBe(1)
          // Infinity means no limit: concurrency as "unbounded", a timeout that never fires
          const all = yield* Stream.runCollect(
            Download.interleaved([url, url], {
              concurrency: Number.POSITIVE_INFINITY,
              timeout: Number.POSITIVE_INFINITY
            })
          )
          expect([...all].every((done) => Exit.isSuccess(done.exit))).toBe(true)
        })
      )
    )

    it.live("progress reports are monotonic, carry the total, and the last equals the size", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          for (const path of ["/fast", "/quick-trickle", "/chunked", "/big"]) {
            const seen: Array<Download.DownloadProgress> = []
            const progress = Progress.make((p: Download.DownloadProgress) => Effect.sync(() => seen.push(p)))
            const page = yield* Download.get(w.url(path), { progress })
            expect(seen.length).toBeGreaterThan(1)
            for (let i = 1; i < seen.length; i++) expect(seen[i]!.received).toBeGreaterThan(seen[i - 1]!.received)
            expect(seen[0]!.received).toBe(0)
            expect(seen.at(-1)!.received).toBe(page.bytes)
            expect(seen.every((p) => p.url === w.url(path))).toBe(true)
            expect(seen.at(-1)!.total).toBe(path === "/chunked" ? undefined : page.bytes)
          }
        })
      )
    )

    it.live("interrupting while waiting for the headers aborts the request on the server", () =>
      provide(
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(Download.get((yield* web).url("/hang")))
          yield* statsUntil((s) => pathStats(s, "/hang").started === 1)
          yield* Fiber.interrupt(fiber)
          const { ms } = yield* statsUntil((s) => pathStats(s, "/hang").aborted === 1 && s.inFlight === 0, 300)
          expect(ms).toBeLessThan(300)
        })
      )
    )

    it.live("interrupting while reading the body aborts the request on the server", () =>
      provide(
        Effect.gen(function* () {
          let received = 0
          const progress = Progress.make((p: Download.DownloadProgress) => Effect.sync(() => (received = p.received)))
          const fiber = yield* Effect.fork(Download.get((yield* web).url("/hang-body"), { progress }))
          while (received < 1024) yield* realSleep(5)
          expect((yield* (yield* web).stats).inFlight).toBe(1)
          yield* Fiber.interrupt(fiber)
          yield* statsUntil((s) => pathStats(s, "/hang-body").aborted === 1 && s.inFlight === 0, 300)
        })
      )
    )

    it.live("first returns the fastest success, ignores a faster 404, and aborts the losers within 300 ms", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          const urls = ["/not-found", "/mirror-c", "/mirror-a", "/mirror-b"].map(w.url)
          const { result: page, warnings } = yield* withWarnings(Download.first(urls))
          expect(warnings).toEqual([
            `Task.needOnlyOne: a losing task failed (HttpStatusError: HTTP 404 from ${w.url("/not-found")})`
          ])
          expect(page.url).toBe(w.url("/mirror-a"))
          expect(page.bytes).toBe(100)
          const { stats, ms } = yield* statsUntil(
            (s) => pathStats(s, "/mirror-b").aborted === 1 && pathStats(s, "/mirror-c").aborted === 1,
            300
          )
          expect(ms).toBeLessThan(300)
          expect(stats.inFlight).toBe(0)
        })
      )
    )

    it.live("first fails with TaskFailures holding every URL's error in order when all fail", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          const error = failureOf(yield* Effect.exit(Download.first([w.url("/not-found"), "nope", w.url("/reset")])))
          expect(error._tag).toBe("TaskFailures")
          expect(error.failures.map((f) => [f.index, f.error._tag])).toEqual([
            [0, "HttpStatusError"],
            [1, "InvalidUrl"],
            [2, "BodyError"]
          ])
          const empty = defectOf(yield* Effect.exit(Download.first([])))
          expect(String((empty as Error).message)).toContain("Download.first: urls must not be empty")
        })
      )
    )

    it.live("interleaved emits in completion order and never exceeds its concurrency (server's peak)", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          yield* w.resetStats
          const urls = Array.from({ length: 40 }, (_, i) =>
            w.url(i % 3 === 0 ? "/d40" : i % 3 === 1 ? "/d10" : "/not-found")
          )
          const done = Chunk.toReadonlyArray(yield* Stream.runCollect(Download.interleaved(urls, { concurrency: 5 })))
          expect(done.map((d) => d.index).sort((a, b) => a - b)).toEqual(urls.map((_, i) => i))
          expect(done.every((d) => d.url === urls[d.index])).toBe(true)
          expect(done.filter((d) => Exit.isFailure(d.exit)).length).toBe(13)
          const stats = yield* w.stats
          expect(stats.peakInFlight).toBeLessThanOrEqual(5)
          expect(stats.peakInFlight).toBeGreaterThanOrEqual(4)
          expect(stats.started).toBe(40)
          const firstTwo = yield* Stream.runCollect(
            Stream.take(Download.interleaved([w.url("/hang"), w.url("/fast"), w.url("/hang")]), 1)
          )
          expect(Chunk.unsafeHead(firstTwo).index).toBe(1)
          yield* statsUntil((s) => pathStats(s, "/hang").aborted === 2 && s.inFlight === 0, 300)
        })
      )
    )

    it.live(
      "interrupting interleaved aborts its downloads on the server at once: waiting for headers or mid-body, after finished ones, bounded or not, with a timeout or not",
      () =>
        provide(
          Effect.gen(function* () {
            const w = yield* web
            const options: ReadonlyArray<Download.InterleavedOptions> = [
              {},
              { concurrency: 3 },
              { concurrency: 3, timeout: "1 minute" }
            ]
            for (const option of options) {
              yield* w.resetStats
              // the finished downloads come first: bounded, the workers that ran them run the hanging ones next
              const urls = ["/fast", "/fast", "/fast", "/hang", "/hang-body", "/hang"].map(w.url)
              const fiber = yield* Effect.fork(Stream.runDrain(Download.interleaved(urls, option)))
              yield* statsUntil((s) => pathStats(s, "/fast").finished === 3 && s.inFlight === 3)
              yield* Fiber.interrupt(fiber)
              const { ms } = yield* statsUntil(
                (s) =>
                  pathStats(s, "/hang").aborted === 2 && pathStats(s, "/hang-body").aborted === 1 && s.inFlight === 0,
                300
              )
              expect(ms).toBeLessThan(300)
            }
          })
        )
    )

    it.live(
      "a download in the caller's fiber is aborted when it is interrupted, before the caller's finalizers end",
      () =>
        provide(
          Effect.gen(function* () {
            const w = yield* web
            yield* w.resetStats
            const fiber = yield* Effect.fork(Effect.ensuring(Download.get(w.url("/hang")), realSleep(1_000)))
            yield* statsUntil((s) => pathStats(s, "/hang").started === 1)
            yield* Fiber.interruptFork(fiber)
            const { ms } = yield* statsUntil((s) => pathStats(s, "/hang").aborted === 1 && s.inFlight === 0, 500)
            expect(ms).toBeLessThan(500)
            expect(fiber.unsafePoll()).toBeNull()
            yield* Fiber.await(fiber)
          })
        )
    )

    /**
     * `count` runs of `one` (`concurrency` at once) on a fresh server and client, each interrupting what it
     * started at a random moment; then nothing may be in flight, no connection open once the client's layer
     * is closed, and no fiber alive. Returns the server's counters.
     */
    const interruptedAtRandom = (
      count: number,
      concurrency: number,
      one: (w: LocalWeb.LocalWeb) => Effect.Effect<void, never, HttpClient.HttpClient>
    ) =>
      Effect.gen(function* () {
        const supervisor = yield* Supervisor.track
        const webScope = yield* Scope.make()
        const webContext = yield* Layer.buildWithScope(LocalWeb.layer(sites), webScope)
        const w = webContext.unsafeMap.get(LocalWeb.LocalWeb.key) as LocalWeb.LocalWeb
        const clientScope = yield* Scope.make()
        const clientContext = yield* Layer.buildWithScope(clientLayer, clientScope)
        // One finished download first: the client's pool is warm, so the random interruptions below land
        // on every stage (connecting, headers, body) rather than only on a cold pool's first connects.
        yield* Download.get(w.url("/fast")).pipe(Effect.provide(clientContext))
        yield* Effect.forEach(Array.from({ length: count }), () => one(w), { concurrency, discard: true }).pipe(
          Effect.provide(clientContext),
          Effect.supervised(supervisor)
        )
        yield* statsUntil((s) => s.inFlight === 0, 2_000).pipe(Effect.provideService(LocalWeb.LocalWeb, w))
        yield* Scope.close(clientScope, Exit.void)
        const { stats } = yield* statsUntil((s) => s.openConnections === 0, 2_000).pipe(
          Effect.provideService(LocalWeb.LocalWeb, w)
        )
        const alive = (yield* supervisor.value).filter((f) => f.unsafePoll() === null)
        expect(alive.length).toBe(0)
        yield* Scope.close(webScope, Exit.void)
        return stats
      })

    it.live(
      "300 interleaved streams interrupted at random stages leave nothing in flight, no connection, no fiber",
      () =>
        Effect.gen(function* () {
          const paths = ["/fast", "/medium", "/hang", "/hang-body", "/quick-trickle", "/reset", "/d10"]
          const stats = yield* interruptedAtRandom(300, 30, (w) =>
            Effect.gen(function* () {
              const urls: Array<string> = []
              for (let i = 0; i < 6; i++) urls.push(w.url(paths[yield* Random.nextIntBetween(0, paths.length)]!))
              const concurrency = (yield* Random.nextBoolean) ? 2 : undefined
              const stream = Download.interleaved(urls, concurrency === undefined ? {} : { concurrency })
              const fiber = yield* Effect.fork(Stream.runDrain(stream))
              yield* realSleep(yield* Random.nextIntBetween(0, 40))
              yield* Fiber.interrupt(fiber)
            })
          )
          expect(stats.started).toBeGreaterThan(0)
        })
    )

    it.live("1,000 downloads interrupted at random stages leave nothing in flight, no connection, no fiber", () =>
      Effect.gen(function* () {
        const paths = ["/fast", "/medium", "/hang", "/hang-body", "/trickle", "/quick-trickle", "/big", "/reset"]
        const stats = yield* interruptedAtRandom(1000, 100, (w) =>
          Effect.gen(function* () {
            const path = paths[yield* Random.nextIntBetween(0, paths.length)]!
            const fiber = yield* Effect.fork(Download.get(w.url(path)))
            yield* realSleep(yield* Random.nextIntBetween(0, 25))
            yield* Fiber.interrupt(fiber)
          })
        )
        // The stages were really exercised: many requests reached the server and were aborted there. The stock
        // undici client is the exception: on a loaded machine (CI runs every test file at once) its requests
        // seldom reach the server before their random interruption — seen with 0–100 ms delays too — so for it
        // only the leak checks are the point.
        if (clientName === "NodeHttpClient.layerUndici") {
          expect(stats.started).toBeGreaterThan(0)
        } else {
          expect(stats.started).toBeGreaterThan(50)
          expect(stats.aborted).toBeGreaterThan(0)
        }
      })
    )

    it.effect("retryPolicy waits exactly what Retry-After says (TestClock), then succeeds", () =>
      provide(
        Effect.gen(function* () {
          const w = yield* web
          const fiber = yield* Effect.fork(
            Task.retryOnFault(Download.get(w.url("/busy-then-ok")), Download.retryPolicy({ maxTries: 3 }))
          )
          yield* statsUntil((s) => pathStats(s, "/busy-then-ok").finished === 1)
          yield* TestClock.adjust("4999 millis")
          yield* realSleep(50)
          expect(pathStats(yield* w.stats, "/busy-then-ok").started).toBe(1)
          yield* TestClock.adjust("1 millis")
          const page = yield* Fiber.join(fiber)
          expect(page.bytes).toBe(10)
          expect(pathStats(yield* w.stats, "/busy-then-ok").started).toBe(2)
        })
      )
    )
  })
}

describe("@tapestry/core/Validate", () => {
  it("resolves as a public subpath of @tapestry/core, the same module as the root's Validate", () => {
    expect(ValidateSubpath.concurrency).toBe(Validate.concurrency)
    expect(ValidateSubpath.concurrency("Download.interleaved", Number.POSITIVE_INFINITY)).toBe("unbounded")
  })
})

describe("Download.retryPolicy", () => {
  const url = "http://127.0.0.1/"
  const policy = Download.retryPolicy({ maxTries: 5, base: "100 millis", cap: "1 second" })

  it("bad maxTries, base or cap throw IllegalArgumentException naming the argument", () => {
    const bad: ReadonlyArray<readonly [Download.RetryPolicyOptions, string]> = [
      [{ maxTries: 0 }, "maxTries must be a positive integer, got 0"],
      [{ maxTries: 1.5 }, "maxTries must be a positive integer, got 1.5"],
      [{ maxTries: Number.POSITIVE_INFINITY }, "maxTries must be a positive integer, got Infinity"],
      [{ maxTries: 3, base: -1 }, "base must be a finite, non-negative Duration, got -1"],
      [{ maxTries: 3, base: [-1, 0] }, "base must be a finite, non-negative Duration, got [-1, 0]"],
      [{ maxTries: 3, cap: Number.NaN }, "cap must be a finite, non-negative Duration, got NaN"],
      [{ maxTries: 3, cap: Number.POSITIVE_INFINITY }, "cap must be a finite, non-negative Duration, got Infinity"],
      [undefined as unknown as Download.RetryPolicyOptions, "options must be an options object, got undefined"]
    ]
    for (const [options, message] of bad) {
      expect(() => Download.retryPolicy(options)).toThrow(Cause.IllegalArgumentException)
      expect(() => Download.retryPolicy(options)).toThrow(`Download.retryPolicy: ${message}`)
    }
  })

  /** Whether `retryWhen(error, attempt)` is still waiting after `ms` of virtual time. */
  const waitsAtLeast = (error: DownloadError.DownloadError, attempt: number, lowMs: number, highMs: number) =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(policy.retryWhen(error, attempt))
      if (lowMs > 0) {
        yield* TestClock.adjust(Duration.millis(lowMs - 1))
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        yield* TestClock.adjust(Duration.millis(1))
      }
      yield* TestClock.adjust(Duration.millis(highMs - lowMs))
      expect(Option.isSome(yield* Fiber.poll(fiber))).toBe(true)
    })

  it.effect("waits Retry-After when the server sent one", () =>
    Effect.gen(function* () {
      const error = new DownloadErrors.HttpStatusError({ url, status: 503, retryAfter: Duration.millis(2500) })
      yield* waitsAtLeast(error, 1, 2500, 2500)
      yield* waitsAtLeast(error, 4, 2500, 2500)
    })
  )

  it.effect("otherwise backs off exponentially with jitter, capped", () =>
    Effect.gen(function* () {
      const error = new DownloadErrors.ConnectionFailed({ url })
      for (const [attempt, ceiling] of [
        [1, 100],
        [2, 200],
        [3, 400],
        [4, 800],
        [5, 1000],
        [9, 1000]
      ] as const) {
        yield* waitsAtLeast(error, attempt, ceiling / 2, ceiling)
      }
    })
  )

  it.effect("retries only what may pass", () =>
    Effect.gen(function* () {
      const E = DownloadErrors
      const verdicts = [
        new E.ConnectionFailed({ url }),
        new E.BodyError({ url }),
        new E.RequestTimeout({ url, timeout: Duration.seconds(1) }),
        new E.HttpStatusError({ url, status: 503 }),
        new E.HttpStatusError({ url, status: 429 }),
        new E.HttpStatusError({ url, status: 404 }),
        new E.InvalidUrl({ url }),
        new E.TooLarge({ url, maxBytes: 1 })
      ].map((e) => policy.while(e))
      expect(verdicts).toEqual([true, true, true, true, true, false, false, false])
      expect(policy.maxTries).toBe(5)
    })
  )

  it.live("gives up after maxTries with every attempt's error", () =>
    Effect.gen(function* () {
      const w = yield* web
      const exit = yield* Effect.exit(
        Task.retryOnFault(Download.get(w.url("/unavailable")), Download.retryPolicy({ maxTries: 2 })).pipe(
          Effect.provide(FastHttpClient.layer)
        )
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const error = failureOf(exit)
      expect(error._tag).toBe("RetriesExhausted")
      expect(error._tag === "RetriesExhausted" && error.errors.map((e) => e._tag)).toEqual([
        "HttpStatusError",
        "HttpStatusError"
      ])
    }).pipe(Effect.provide(LocalWeb.layer()))
  )
})
