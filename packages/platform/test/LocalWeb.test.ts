import { spawn } from "node:child_process"
import * as Net from "node:net"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Scope } from "effect"
import * as LocalWeb from "../src/LocalWeb.js"
import { expectedBody, pathStats, statsUntil } from "./helpers.js"

const fetchBytes = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    const body = new Uint8Array(await response.arrayBuffer())
    return { status: response.status, headers: response.headers, body }
  })

describe("LocalWeb", () => {
  it.live("serves the default sites: sizes, statuses, Retry-After, failFirst", () =>
    Effect.gen(function* () {
      const web = yield* LocalWeb.LocalWeb
      expect(web.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const fast = yield* fetchBytes(web.url("/fast"))
      expect(fast.status).toBe(200)
      expect(fast.headers.get("content-length")).toBe("1024")
      expect(fast.body).toEqual(expectedBody(1024))
      const missing = yield* fetchBytes(web.url("/not-found"))
      expect(missing.status).toBe(404)
      const unavailable = yield* fetchBytes(web.url("unavailable"))
      expect([unavailable.status, unavailable.headers.get("retry-after")]).toEqual([503, "1"])
      const flaky = []
      for (let i = 0; i < 3; i++) flaky.push((yield* fetchBytes(web.url("/flaky"))).status)
      expect(flaky).toEqual([503, 503, 200])
      const chunked = yield* fetchBytes(web.url("/chunked"))
      expect([chunked.headers.get("content-length"), chunked.body.length]).toEqual([null, 64 * 1024])
      const unknown = yield* fetchBytes(web.url("/no-such-site"))
      expect(unknown.status).toBe(404)
    }).pipe(Effect.provide(LocalWeb.layer()))
  )

  it.live("counts requests started, finished, aborted by the client and in flight, with the peak", () =>
    Effect.gen(function* () {
      const web = yield* LocalWeb.LocalWeb
      yield* fetchBytes(web.url("/fast"))
      const controller = new AbortController()
      const hanging = Array.from({ length: 3 }, () =>
        fetch(web.url("/hang"), { signal: controller.signal }).catch(() => "aborted")
      )
      const during = yield* statsUntil((s) => s.inFlight === 3)
      expect(during.stats.peakInFlight).toBe(3)
      controller.abort()
      yield* Effect.promise(() => Promise.all(hanging))
      const after = yield* statsUntil((s) => s.inFlight === 0)
      expect(after.stats).toMatchObject({ started: 4, finished: 1, aborted: 3, reset: 0, peakInFlight: 3 })
      expect(pathStats(after.stats, "/hang")).toEqual({ started: 3, finished: 0, aborted: 3, reset: 0 })
      yield* web.resetStats
      const reset = yield* web.stats
      expect(reset).toMatchObject({ started: 0, finished: 0, aborted: 0, peakInFlight: 0, byPath: {} })
    }).pipe(Effect.provide(LocalWeb.layer()))
  )

  it.live("GET /_stats answers the counters as JSON, without counting itself", () =>
    Effect.gen(function* () {
      const web = yield* LocalWeb.LocalWeb
      yield* fetchBytes(web.url("/fast"))
      const stats = yield* Effect.promise(() =>
        fetch(web.url("/_stats")).then((r) => r.json() as Promise<LocalWeb.Stats>)
      )
      expect(stats).toMatchObject({ started: 1, finished: 1, inFlight: 0 })
      expect(stats.byPath["/_stats"]).toBeUndefined()
    }).pipe(Effect.provide(LocalWeb.layer()))
  )

  it.live("scripts resets and truncations, counted as reset by the server", () =>
    Effect.gen(function* () {
      const web = yield* LocalWeb.LocalWeb
      for (const path of ["/reset", "/truncated", "/reset-before-headers"]) {
        const result = yield* Effect.promise(() =>
          fetch(web.url(path)).then(
            (r) =>
              r.arrayBuffer().then(
                () => "complete",
                () => "body failed"
              ),
            () => "request failed"
          )
        )
        expect([path, result]).toEqual([path, path === "/reset-before-headers" ? "request failed" : "body failed"])
      }
      const { stats } = yield* statsUntil((s) => s.inFlight === 0)
      expect(stats.reset).toBe(3)
    }).pipe(Effect.provide(LocalWeb.layer()))
  )

  it.live("closing the layer closes the server and every open connection", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(LocalWeb.layer(), scope)
      const web = context.unsafeMap.get(LocalWeb.LocalWeb.key) as LocalWeb.LocalWeb
      const port = Number(new URL(web.baseUrl).port)
      const socket = Net.connect(port, "127.0.0.1")
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()))
      yield* Effect.promise(() => new Promise<void>((resolve) => socket.once("connect", () => resolve())))
      yield* statsUntil((s) => s.openConnections === 1).pipe(Effect.provideService(LocalWeb.LocalWeb, web))
      yield* Scope.close(scope, Exit.void)
      yield* Effect.promise(() => closed)
      const refused = yield* Effect.promise(() =>
        fetch(web.url("/fast")).then(
          () => "answered",
          () => "refused"
        )
      )
      expect(refused).toBe("refused")
    })
  )

  it.live("an invalid site script is a defect naming the site and the field", () =>
    Effect.gen(function* () {
      // a Layer is a plain value: LocalWeb.layer throws when called
      expect(() => LocalWeb.layer({ "/bad": { size: -1 } })).toThrow(
        new Cause.IllegalArgumentException('LocalWeb.layer: sites["/bad"].size must be a non-negative integer, got -1')
      )
      expect(() => LocalWeb.layer({ "/slow": { delay: "-1 second" } })).toThrow(
        'LocalWeb.layer: sites["/slow"].delay must be a finite, non-negative Duration, got "-1 second"'
      )
      expect(() => LocalWeb.layer({ "/x": { status: 99 } })).toThrow(Cause.IllegalArgumentException)
    })
  )

  it.live("the local-web command prints LOCAL_WEB_URL first and serves until interrupted", () =>
    Effect.gen(function* () {
      const entry = fileURLToPath(new URL("../src/bin/local-web.ts", import.meta.url))
      const child = spawn(process.execPath, ["--import", "tsx", entry], { stdio: ["ignore", "pipe", "inherit"] })
      yield* Effect.addFinalizer(() => Effect.sync(() => child.kill("SIGKILL")))
      const first = yield* Effect.promise(
        () => new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", resolve))
      )
      expect(first).toMatch(/^LOCAL_WEB_URL=http:\/\/127\.0\.0\.1:\d+$/)
      const status = yield* Effect.promise(() =>
        fetch(`${first.slice("LOCAL_WEB_URL=".length)}/fast`).then((r) => r.status)
      )
      expect(status).toBe(200)
      const code = yield* Effect.promise(
        () =>
          new Promise<number | null>((resolve) => {
            child.once("exit", (c) => resolve(c))
            child.kill("SIGINT")
          })
      )
      expect(code).toBe(130)
    }).pipe(Effect.scoped)
  )
})
