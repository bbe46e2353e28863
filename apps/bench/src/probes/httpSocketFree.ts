/**
 * A probe, not a bench case: the client-side CPU of one download without sockets. undici's
 * `Agent.prototype.dispatch` is replaced (in this process only) by a fake that answers every request
 * on the next `setImmediate` with the same head and one 16 KiB chunk, so every variant below does the
 * same work minus the wire, and what differs is each client's own code. `http-64` measures the real
 * thing; this tells how much of it is ours.
 *
 *   node --expose-gc --import tsx apps/bench/src/probes/httpSocketFree.ts [name,name,…] [rounds] [n]
 *
 * Prints the median CPU time (`process.cpuUsage`, user + system) per download of each variant.
 */
import type { HttpClient } from "@effect/platform"
import { Download, FastHttpClient } from "@tapestry/platform"
import { Effect, type Fiber, ManagedRuntime, Stream } from "effect"
import { Agent, type Dispatcher } from "undici"

const CONCURRENCY = 64
const origin = "http://127.0.0.1:9"
const body = Buffer.alloc(16 * 1024, 120)
const rawHead = ["content-type", "application/octet-stream", "content-length", String(body.length)].map((s) =>
  Buffer.from(s)
)

// The fake: undici's handler protocol (onConnect, onHeaders, onData, onComplete), one turn later.
;(Agent.prototype as { dispatch: unknown }).dispatch = (
  _options: Dispatcher.DispatchOptions,
  handler: Dispatcher.DispatchHandler
): boolean => {
  setImmediate(() => {
    let aborted = false
    handler.onConnect?.(() => {
      aborted = true
    })
    if (aborted) return
    handler.onHeaders?.(200, rawHead, () => {}, "OK")
    handler.onData?.(body)
    handler.onComplete?.([])
  })
  return true
}

const agent = new Agent({ connections: CONCURRENCY })
const runtime = ManagedRuntime.make(FastHttpClient.layerWith({ connections: CONCURRENCY }))

/** The least a dispatch handler does: keep the chunks, join them, say when it is done. */
class Collect implements Dispatcher.DispatchHandler {
  chunks: Array<Buffer> = []
  abort: ((error?: Error) => void) | undefined = undefined
  constructor(readonly done: (error?: Error) => void) {}
  onConnect(abort: (error?: Error) => void): void {
    this.abort = abort
  }
  onHeaders(): boolean {
    return true
  }
  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk)
    return true
  }
  onComplete(): void {
    Buffer.concat(this.chunks)
    this.done()
  }
  onError(error: Error): void {
    this.done(error)
  }
}

const dispatch = (i: number, handler: Collect): void => {
  agent.dispatch({ origin, path: `/item/${i}`, method: "GET", headers: {}, headersTimeout: 0, bodyTimeout: 0 }, handler)
}

/** One dispatch in an `Effect.async`, with or without the canceler that aborts it. */
const viaAsync = (i: number, canceler: boolean) =>
  Effect.async<void, Error>((resume) => {
    const handler = new Collect((error) => resume(error === undefined ? Effect.void : Effect.fail(error)))
    dispatch(i, handler)
    return canceler ? Effect.sync(() => handler.abort?.()) : undefined
  })

/** 64 promise workers over one counter. */
const promisePool = async (n: number, one: (i: number) => Promise<void>): Promise<void> => {
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await one(next++)
    })
  )
}

/** 64 fibers over one counter, each running its items one after another. */
const fiberPool = (
  n: number,
  one: (i: number) => Effect.Effect<unknown, unknown, HttpClient.HttpClient>
): Promise<void> => {
  let next = 0
  const loop: Effect.Effect<void, unknown, HttpClient.HttpClient> = Effect.suspend(() =>
    next < n ? Effect.zipRight(one(next++), loop) : Effect.void
  )
  return runtime.runPromise(
    Effect.flatMap(
      Effect.forEach(Array.from({ length: CONCURRENCY }), () => Effect.fork(loop)),
      (fibers: ReadonlyArray<Fiber.RuntimeFiber<void, unknown>>) =>
        Effect.forEach(fibers, (f) => f.await, { discard: true })
    )
  )
}

const url = (i: number) => `${origin}/item/${i}`
function* urls(n: number): Generator<string> {
  for (let i = 0; i < n; i++) yield url(i)
}

const variants: Record<string, (n: number) => Promise<unknown>> = {
  "undici.request + arrayBuffer": (n) =>
    promisePool(n, async (i) => {
      const { body } = await agent.request({ origin, method: "GET", path: `/item/${i}` })
      await body.arrayBuffer()
    }),
  "dispatch handler in a promise": (n) =>
    promisePool(
      n,
      (i) => new Promise<void>((resolve, reject) => dispatch(i, new Collect((e) => (e ? reject(e) : resolve()))))
    ),
  "dispatch handler in Effect.async": (n) => fiberPool(n, (i) => viaAsync(i, false)),
  "Effect.async with a canceler": (n) => fiberPool(n, (i) => viaAsync(i, true)),
  "Download.get": (n) => fiberPool(n, (i) => Download.get(url(i))),
  "Download.interleaved": (n) =>
    runtime.runPromise(
      Download.interleaved(urls(n), { concurrency: CONCURRENCY }).pipe(
        Stream.runForEach((done) => (done.exit._tag === "Success" ? Effect.void : Effect.die(done.exit.cause)))
      )
    )
}

const names = (process.argv[2] || Object.keys(variants).join(",")).split(",")
const rounds = Number(process.argv[3] ?? 7)
const n = Number(process.argv[4] ?? 20_000)
for (const name of names) if (variants[name] === undefined) throw new Error(`unknown variant: ${name}`)
await runtime.runtime()
for (const name of names) await variants[name]!(n / 4)
const cpu = new Map<string, Array<number>>(names.map((name) => [name, []]))
const gc = (globalThis as { gc?: () => void }).gc
for (let round = 0; round < rounds; round++) {
  for (let j = 0; j < names.length; j++) {
    const name = names[(j + round) % names.length]!
    gc?.()
    const start = process.cpuUsage()
    await variants[name]!(n)
    const used = process.cpuUsage(start)
    cpu.get(name)!.push((used.user + used.system) / n)
  }
}
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
for (const name of names) console.log(`${name.padEnd(32)} ${median(cpu.get(name)!).toFixed(1).padStart(6)} µs/download`)
await runtime.dispose()
