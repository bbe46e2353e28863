/**
 * HTTP throughput: N GETs of a 16 KiB body, at most 64 in flight, against a plain `node:http`
 * server in a separate process (`../httpServer.ts`), the same for every client.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Download, FastHttpClient } from "@tapestry/platform"
import { type Context, Effect, type Exit, Layer, ManagedRuntime, Option, Stream, Tracer } from "effect"
import { Pool } from "undici"
import type { Case } from "../Bench.js"
import { indices } from "./work.js"

const CONCURRENCY = 64
const serverEntry = fileURLToPath(new URL("../httpServer.ts", import.meta.url))

let server: ChildProcess | undefined
let baseUrl = ""

const startServer = async (): Promise<void> => {
  const child = spawn(process.execPath, ["--import", "tsx", serverEntry], { stdio: ["pipe", "pipe", "inherit"] })
  server = child
  const lines = createInterface({ input: child.stdout! })
  baseUrl = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench http server exited (${code})`)))
    lines.once("line", (line) => resolve(line.replace(/^HTTP_BENCH_URL=/, "")))
  })
}

const stopServer = async (): Promise<void> => {
  const child = server
  server = undefined
  if (child === undefined || child.exitCode !== null) return
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve())
    child.kill("SIGTERM")
  })
}

const url = (i: number) => `${baseUrl}/item/${i}`

function* urls(n: number): Generator<string> {
  for (let i = 0; i < n; i++) yield url(i)
}

/** A contender running Effect programs on a runtime built once (its client, pool and connections). */
const effectContender = (
  name: string,
  layer: Layer.Layer<HttpClient.HttpClient>,
  program: (n: number) => Effect.Effect<unknown, unknown, HttpClient.HttpClient>,
  ours = false
) => {
  let runtime: ManagedRuntime.ManagedRuntime<HttpClient.HttpClient, never> | undefined
  return {
    name,
    ...(ours ? { ours: true } : {}),
    setup: async () => {
      runtime = ManagedRuntime.make(layer)
      await runtime.runPromise(Effect.void)
    },
    teardown: async () => {
      await runtime?.dispose()
      runtime = undefined
    },
    run: (n: number) => runtime!.runPromise(program(n))
  }
}

/** A tracer that makes real span objects and exports nothing: the cheapest tracer a user could install. */
class DiscardedSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = Math.random().toString(16).slice(2, 18).padEnd(16, "0")
  readonly traceId: string
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  status: Tracer.SpanStatus
  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    readonly links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.traceId = Option.isSome(parent) ? parent.value.traceId : this.spanId.repeat(2)
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(): void {}
  addLinks(): void {}
}
const discardingTracer = Tracer.make({
  span: (name, parent, context, links, startTime, kind) =>
    new DiscardedSpan(name, parent, context, links, startTime, kind),
  context: (f) => f()
})

/** `Download.interleaved`: completion-order downloads, failing the run if any download failed. */
const interleaved = (options: Download.InterleavedOptions) => (n: number) =>
  Download.interleaved(urls(n), { concurrency: CONCURRENCY, ...options }).pipe(
    Stream.runForEach((done) => (done.exit._tag === "Success" ? Effect.void : Effect.die(done.exit.cause)))
  )
const ours = interleaved({})

/** The stock way with an `HttpClient`: `Effect.forEach` of get + read the body. */
const stock = (n: number) =>
  Effect.forEach(indices(n), (i) => Effect.flatMap(HttpClient.get(url(i)), (r) => r.arrayBuffer), {
    concurrency: CONCURRENCY,
    discard: true
  })

let pool: Pool | undefined
const rawUndici = {
  name: "undici.request (raw)",
  setup: async () => {
    pool = new Pool(baseUrl, { connections: CONCURRENCY, pipelining: 1 })
  },
  teardown: async () => {
    await pool?.destroy()
    pool = undefined
  },
  run: async (n: number) => {
    const p = pool!
    let next = 0
    const worker = async () => {
      while (next < n) {
        const i = next++
        const { statusCode, body } = await p.request({ method: "GET", path: `/item/${i}` })
        await body.arrayBuffer()
        if (statusCode !== 200) throw new Error(`status ${statusCode}`)
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker))
  }
}

/** `http-64`: throughput at concurrency 64 with 16 KiB bodies. */
export const http64: Case = {
  name: "http-64",
  title: "N GETs of 16 KiB from a node:http server in another process, at most 64 in flight",
  n: { full: 10_000, quick: 1_000 },
  targets: { "undici.request (raw)": 1.25 },
  setup: startServer,
  teardown: stopServer,
  contenders: [
    effectContender(
      "Download.interleaved on FastHttpClient",
      FastHttpClient.layerWith({ connections: CONCURRENCY }),
      ours,
      true
    ),
    rawUndici,
    // What spans cost: the same downloads under an installed tracer (a `Download.get` and an
    // `http.client GET` span per download, trace headers on the wire). Information, not a target.
    effectContender(
      "Download.interleaved, a tracer installed",
      FastHttpClient.layerWith({ connections: CONCURRENCY }),
      (n) => Effect.withTracer(ours(n), discardingTracer)
    ),
    // What per-host limits cost: the same downloads with `perHost` (at the concurrency, so the work is the
    // same). Information, not a target.
    effectContender(
      "Download.interleaved, perHost 64",
      FastHttpClient.layerWith({ connections: CONCURRENCY }),
      interleaved({ perHost: CONCURRENCY })
    ),
    effectContender("NodeHttpClient.layerUndici", NodeHttpClient.layerUndici, stock),
    effectContender(
      "NodeHttpClient.layer (keep-alive agent)",
      NodeHttpClient.layerWithoutAgent.pipe(
        Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: true, maxSockets: CONCURRENCY }))
      ),
      stock
    )
  ]
}
