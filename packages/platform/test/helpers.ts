import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Option } from "effect"
import * as FastHttpClient from "../src/FastHttpClient.js"
import * as LocalWeb from "../src/LocalWeb.js"

/** The clients the download tests run against. */
export const clients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FastHttpClient", FastHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  // A transformed FastHttpClient: Download reads it through the generic HttpClientResponse path.
  [
    "FastHttpClient + mapRequest",
    Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, HttpClient.mapRequest(HttpClientRequest.setHeader("x-client", "mapped")))
    ).pipe(Layer.provide(FastHttpClient.layer))
  ]
]

/**
 * Runs `self` with its warnings captured instead of printed (a test that provokes one on purpose
 * checks it, and the test output stays clean): the message of each, in order.
 */
export const withWarnings = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<{ readonly result: A; readonly warnings: ReadonlyArray<string> }, E, R> =>
  Effect.suspend(() => {
    const warnings: Array<string> = []
    const capture = Logger.make(({ logLevel, message }) => {
      if (logLevel === LogLevel.Warning) warnings.push((Array.isArray(message) ? message : [message]).join(" "))
    })
    return Effect.map(Effect.provide(self, Logger.replace(Logger.defaultLogger, capture)), (result) => ({
      result,
      warnings
    }))
  })

/** Sleeps in real time, whatever the Clock (so polling works under TestClock too). */
export const realSleep = (ms: number): Effect.Effect<void> =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

/**
 * Polls LocalWeb's counters (real time) until `predicate` holds; dies with the last snapshot after
 * `withinMs`. Returns the snapshot that satisfied it and how long it took.
 */
export const statsUntil = (
  predicate: (stats: LocalWeb.Stats) => boolean,
  withinMs = 2_000
): Effect.Effect<{ readonly stats: LocalWeb.Stats; readonly ms: number }, never, LocalWeb.LocalWeb> =>
  Effect.gen(function* () {
    const web = yield* LocalWeb.LocalWeb
    const start = performance.now()
    for (;;) {
      const stats = yield* web.stats
      const ms = performance.now() - start
      if (predicate(stats)) return { stats, ms }
      if (ms > withinMs)
        return yield* Effect.dieMessage(`stats did not settle in ${withinMs} ms: ${JSON.stringify(stats)}`)
      yield* realSleep(5)
    }
  })

/** Polls `condition` (in real time, whatever the Clock) until it holds; dies after `withinMs`. */
export const eventually = (
  condition: Effect.Effect<boolean> | (() => boolean),
  withinMs = 2_000
): Effect.Effect<void> =>
  Effect.gen(function* () {
    const check = typeof condition === "function" ? Effect.sync(condition) : condition
    const start = performance.now()
    while (!(yield* check)) {
      if (performance.now() - start > withinMs) return yield* Effect.dieMessage(`not so within ${withinMs} ms`)
      yield* realSleep(5)
    }
  })

/** The counters of one path (zeros if it was never requested). */
export const pathStats = (stats: LocalWeb.Stats, path: string): LocalWeb.Counters =>
  stats.byPath[path] ?? { started: 0, finished: 0, aborted: 0, reset: 0 }

/** A URL on 127.0.0.1 where nothing listens: a port that was just free. */
export const refusedUrl: Effect.Effect<string> = Effect.async<string>((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as AddressInfo).port
    server.close(() => resume(Effect.succeed(`http://127.0.0.1:${port}/`)))
  })
})

/** The bytes LocalWeb serves for a body of `size` bytes. */
export const expectedBody = (size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => i % 251)

/** The typed failure of `exit` (throws if it succeeded or failed otherwise). */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure, got success")
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return failure.value
}

/** The defect of `exit` (throws if it succeeded or failed otherwise). */
export const defectOf = <A, E>(exit: Exit.Exit<A, E>): unknown => {
  if (Exit.isSuccess(exit)) throw new Error("expected a defect, got success")
  const defect = Cause.dieOption(exit.cause)
  if (Option.isNone(defect)) throw new Error(`expected a defect, got ${Cause.pretty(exit.cause)}`)
  return defect.value
}
