/**
 * Cancellation latency: `first` over one fast site and two that never answer, against the
 * `local-web` command in a separate process. A round ends when the server itself reports the
 * losers' requests gone (its `/_stats` counters show nothing in flight), so a client that returns
 * the winner but leaves the losers running pays for it here.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import type { HttpClient } from "@effect/platform"
import { Download, FastHttpClient } from "@tapestry/platform"
import { Effect, ManagedRuntime } from "effect"
import { Pool } from "undici"
import type { Case } from "../Bench.js"

const localWebEntry = fileURLToPath(import.meta.resolve("@tapestry/platform/bin/local-web"))

let server: ChildProcess | undefined
let baseUrl = ""
let statsPool: Pool | undefined

const startLocalWeb = async (): Promise<void> => {
  const child = spawn(process.execPath, ["--import", "tsx", localWebEntry], { stdio: ["ignore", "pipe", "inherit"] })
  server = child
  const lines = createInterface({ input: child.stdout! })
  baseUrl = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`local-web exited (${code})`)))
    lines.once("line", (line) => resolve(line.replace(/^LOCAL_WEB_URL=/, "")))
  })
  lines.on("line", () => {})
  statsPool = new Pool(baseUrl, { connections: 1 })
}

const stopLocalWeb = async (): Promise<void> => {
  await statsPool?.destroy()
  statsPool = undefined
  const child = server
  server = undefined
  if (child === undefined || child.exitCode !== null) return
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve())
    child.kill("SIGINT")
  })
}

/** Polls the server's counters until no request is in flight (the losers were aborted). */
const untilServerIdle = async (): Promise<void> => {
  for (;;) {
    const { body } = await statsPool!.request({ method: "GET", path: "/_stats" })
    const stats = (await body.json()) as { inFlight: number }
    if (stats.inFlight === 0) return
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

const mirrors = () => [`${baseUrl}/hang`, `${baseUrl}/fast`, `${baseUrl}/hang`]

let runtime: ManagedRuntime.ManagedRuntime<HttpClient.HttpClient, never> | undefined
const ours = {
  name: "Download.first on FastHttpClient",
  ours: true,
  setup: async () => {
    runtime = ManagedRuntime.make(FastHttpClient.layer)
    await runtime.runPromise(Effect.void)
  },
  teardown: async () => {
    await runtime?.dispose()
    runtime = undefined
  },
  run: async (n: number) => {
    for (let i = 0; i < n; i++) {
      await runtime!.runPromise(Download.first(mirrors()))
      await untilServerIdle()
    }
  }
}

let pool: Pool | undefined
/** The promise way: `Promise.any` over undici requests, aborting the others through AbortControllers. */
const promiseAny = {
  name: "Promise.any + AbortController (undici)",
  setup: async () => {
    pool = new Pool(baseUrl, { connections: 64 })
  },
  teardown: async () => {
    await pool?.destroy()
    pool = undefined
  },
  run: async (n: number) => {
    for (let i = 0; i < n; i++) {
      const controllers = mirrors().map(() => new AbortController())
      const attempts = mirrors().map(async (url, k) => {
        const { statusCode, body } = await pool!.request({
          method: "GET",
          path: new URL(url).pathname,
          signal: controllers[k]!.signal
        })
        const bytes = await body.arrayBuffer()
        if (statusCode !== 200) throw new Error(`status ${statusCode}`)
        return { k, bytes }
      })
      const winner = await Promise.any(attempts)
      for (const [k, controller] of controllers.entries()) if (k !== winner.k) controller.abort()
      await Promise.allSettled(attempts)
      await untilServerIdle()
    }
  }
}

/** `cancel-latency`: the winner is back, how soon are the losers gone from the server? */
export const cancelLatency: Case = {
  name: "cancel-latency",
  title: "first of [hang, fast, hang] until local-web reports the losers aborted (separate process)",
  n: { full: 300, quick: 30 },
  targets: { "Promise.any + AbortController (undici)": 1.25 },
  setup: startLocalWeb,
  teardown: stopLocalWeb,
  contenders: [ours, promiseAny]
}
