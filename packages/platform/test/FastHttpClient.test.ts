import { HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Exit, Fiber, Layer, Scope, Stream } from "effect"
import * as Download from "../src/Download.js"
import * as FastHttpClient from "../src/FastHttpClient.js"
import * as LocalWeb from "../src/LocalWeb.js"
import { expectedBody, pathStats, realSleep, statsUntil } from "./helpers.js"

const sites: Record<string, LocalWeb.Site> = {
  "/json": { size: 0 },
  "/stream-slow": { size: 256 * 1024, bytesPerSecond: 1024 * 1024 }
}

const withWeb = <A, E>(
  effect: Effect.Effect<A, E, HttpClient.HttpClient | LocalWeb.LocalWeb>,
  client: Layer.Layer<HttpClient.HttpClient> = FastHttpClient.layer
) => Effect.provide(effect, Layer.merge(client, LocalWeb.layer(sites)))

describe("FastHttpClient", () => {
  it.live("is an HttpClient: status, headers, text, arrayBuffer, stream, POST bodies", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        const response = yield* HttpClient.get(web.url("/fast"))
        expect(response.status).toBe(200)
        expect(response.headers["content-length"]).toBe("1024")
        const bytes = new Uint8Array(yield* response.arrayBuffer)
        expect(bytes).toEqual(expectedBody(1024))
        // A second read of the same response gives the same body.
        expect((yield* response.text).length).toBe(1024)
        const streamed = yield* HttpClient.get(web.url("/chunked")).pipe(
          Effect.flatMap((r) => Stream.runFold(r.stream, 0, (n, chunk) => n + chunk.length))
        )
        expect(streamed).toBe(64 * 1024)
        const posted = yield* HttpClient.execute(
          HttpClientRequest.post(web.url("/fast")).pipe(HttpClientRequest.bodyText("hello"))
        )
        expect(posted.status).toBe(200)
        const filtered = yield* Effect.exit(
          Effect.flatMap(HttpClient.HttpClient, (client) =>
            HttpClient.filterStatusOk(client).get(web.url("/not-found"))
          )
        )
        expect(Exit.isFailure(filtered)).toBe(true)
        const invalid = yield* Effect.exit(HttpClient.get("not a url"))
        expect(Exit.isFailure(invalid) && Cause.pretty(invalid.cause)).toContain("InvalidUrl")
      })
    )
  )

  it.live("a transformed client still works with Download (through HttpClientResponse.stream)", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        const client = (yield* HttpClient.HttpClient).pipe(
          HttpClient.mapRequest(HttpClientRequest.setHeader("x-test", "1"))
        )
        const page = yield* Download.get(web.url("/big"), { maxBytes: 8 * 1024 * 1024 }).pipe(
          Effect.provideService(HttpClient.HttpClient, client)
        )
        expect(page.bytes).toBe(4 * 1024 * 1024)
        const tooLarge = yield* Effect.exit(
          Download.get(web.url("/stream-slow"), { maxBytes: 1000 }).pipe(
            Effect.provideService(HttpClient.HttpClient, client)
          )
        )
        expect(Exit.isFailure(tooLarge)).toBe(true)
        yield* statsUntil((s) => pathStats(s, "/stream-slow").aborted === 1 && s.inFlight === 0, 1_000)
      })
    )
  )

  it.live("interrupting a request queued for a connection removes it: the server never sees it", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        const holder = yield* Effect.fork(Download.get(web.url("/hang")))
        yield* statsUntil((s) => s.started === 1)
        const queued = yield* Effect.fork(Download.get(web.url("/fast")))
        yield* realSleep(30)
        yield* Fiber.interrupt(queued)
        yield* Fiber.interrupt(holder)
        yield* statsUntil((s) => s.inFlight === 0 && pathStats(s, "/hang").aborted === 1, 300)
        yield* realSleep(100)
        const stats = yield* web.stats
        expect(pathStats(stats, "/fast").started).toBe(0)
        expect(stats.started).toBe(1)
      }),
      FastHttpClient.layerWith({ connections: 1 })
    )
  )

  it.live("interrupting while reading a response stream aborts the request on the server", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        const taken = yield* HttpClient.get(web.url("/stream-slow")).pipe(
          Effect.flatMap((r) => Stream.runCollect(Stream.take(r.stream, 1)))
        )
        expect(Chunk.size(taken)).toBe(1)
        yield* statsUntil((s) => pathStats(s, "/stream-slow").aborted === 1 && s.inFlight === 0, 300)
        const fiber = yield* Effect.fork(Effect.flatMap(HttpClient.get(web.url("/hang-body")), (r) => r.arrayBuffer))
        yield* statsUntil((s) => pathStats(s, "/hang-body").started === 1)
        yield* realSleep(20)
        yield* Fiber.interrupt(fiber)
        yield* statsUntil((s) => pathStats(s, "/hang-body").aborted === 1 && s.inFlight === 0, 300)
      })
    )
  )

  it.live("HttpClient.withScope aborts the request when its scope closes, body unread", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        const client = HttpClient.withScope(yield* HttpClient.HttpClient)
        const status = yield* Effect.scoped(Effect.map(client.get(web.url("/hang-body")), (r) => r.status))
        expect(status).toBe(200)
        yield* statsUntil((s) => pathStats(s, "/hang-body").aborted === 1 && s.inFlight === 0, 300)
      })
    )
  )

  it.live("connections caps the requests in flight per origin", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        const fibers = yield* Effect.forEach(Array.from({ length: 6 }), () =>
          Effect.fork(Download.get(web.url("/hang")))
        )
        yield* statsUntil((s) => s.started === 2)
        yield* realSleep(100)
        const stats = yield* web.stats
        expect([stats.started, stats.peakInFlight, stats.openConnections]).toEqual([2, 2, 2])
        yield* Fiber.interruptAll(fibers)
        yield* statsUntil((s) => s.inFlight === 0, 300)
      }),
      FastHttpClient.layerWith({ connections: 2 })
    )
  )

  it.live("closing the layer closes every pooled connection", () =>
    Effect.gen(function* () {
      const web = yield* LocalWeb.LocalWeb
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(FastHttpClient.layerWith({ connections: 4 }), scope)
      yield* Effect.forEach(Array.from({ length: 8 }), () => Download.get(web.url("/medium")), {
        concurrency: 8,
        discard: true
      }).pipe(Effect.provide(context))
      expect((yield* web.stats).openConnections).toBe(4)
      yield* Scope.close(scope, Exit.void)
      yield* statsUntil((s) => s.openConnections === 0, 1_000)
    }).pipe(Effect.provide(LocalWeb.layer()))
  )

  it("invalid pool options throw IllegalArgumentException naming the option when layerWith is called", () => {
    for (const [options, message] of [
      [{ connections: 0 }, "connections must be a positive integer, got 0"],
      [{ connections: 1.5 }, "connections must be a positive integer, got 1.5"],
      [{ connections: Number.POSITIVE_INFINITY }, "connections must be a positive integer, got Infinity"],
      [{ pipelining: 0 }, "pipelining must be a positive integer, got 0"],
      [{ keepAliveTimeout: -1 }, "keepAliveTimeout must be a positive, finite Duration, got -1"],
      [undefined, "options must be an options object, got undefined"]
    ] as const) {
      expect(() => FastHttpClient.layerWith(options as FastHttpClient.Options)).toThrow(
        new Cause.IllegalArgumentException(`FastHttpClient.layerWith: ${message}`)
      )
    }
  })
})
