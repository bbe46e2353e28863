import * as Http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { Validate } from "@tapestry/core"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as LocalWeb from "../LocalWeb.js"

/** @internal */
export const LocalWebTag = Context.GenericTag<LocalWeb.LocalWeb, LocalWeb.LocalWeb>("@tapestry/platform/LocalWeb")

/** @internal */
export const defaultSites: Readonly<Record<string, LocalWeb.Site>> = {
  "/fast": { size: 1024 },
  "/medium": { delay: "100 millis", size: 1024 },
  "/slow": { delay: "500 millis", size: 1024 },
  "/big": { size: 4 * 1024 * 1024 },
  "/chunked": { size: 64 * 1024, chunked: true },
  "/trickle": { size: 64 * 1024, bytesPerSecond: 64 * 1024 },
  "/not-found": { status: 404, size: 9 },
  "/unavailable": { status: 503, retryAfter: 1, size: 11 },
  "/flaky": { failFirst: 2, retryAfter: 0, size: 1024 },
  "/hang": { hang: true },
  "/hang-body": { size: 64 * 1024, hangAfterBytes: 1024 },
  "/reset": { size: 64 * 1024, resetAfterBytes: 1024 },
  "/reset-before-headers": { resetBeforeHeaders: true },
  "/truncated": { size: 64 * 1024, truncateAfterBytes: 1024 },
  "/redirect": { redirectTo: "/fast" },
  "/redirect-loop": { redirectTo: "/redirect-loop" }
}

interface MutableCounters {
  started: number
  finished: number
  aborted: number
  reset: number
}

const zero = (): MutableCounters => ({ started: 0, finished: 0, aborted: 0, reset: 0 })

/** Deterministic body bytes: `i % 251`, so a truncated or shifted body is detectable. */
const pattern = (size: number): Buffer => {
  const b = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) b[i] = i % 251
  return b
}

/** Throws `IllegalArgumentException` naming the site and the field. */
const validateSite = (path: string, site: LocalWeb.Site): void => {
  const where = "LocalWeb.layer"
  if (!path.startsWith("/")) Validate.raise(Validate.message(where, "a site path", 'a path starting with "/"', path))
  const at = (field: string) => `${Validate.element("sites", path)}.${field}`
  Validate.options(where, site, Validate.element("sites", path))
  for (const field of ["size", "resetAfterBytes", "truncateAfterBytes", "hangAfterBytes", "failFirst"] as const) {
    if (site[field] !== undefined) Validate.nonNegativeInteger(where, at(field), site[field])
  }
  if (site.bytesPerSecond !== undefined) {
    Validate.satisfies(where, at("bytesPerSecond"), site.bytesPerSecond, (b) => b > 0, "a positive number")
  }
  if (site.status !== undefined) {
    Validate.satisfies(
      where,
      at("status"),
      site.status,
      (s) => Number.isInteger(s) && s >= 200 && s <= 599,
      "an integer in 200…599"
    )
  }
  if (site.delay !== undefined) Validate.duration(where, at("delay"), site.delay)
}

/** Every site, validated: throws `IllegalArgumentException` naming the site and the field. */
const validateSites = (sites: Readonly<Record<string, LocalWeb.Site>> | undefined): void => {
  if (sites === undefined) return
  Validate.options("LocalWeb.layer", sites, "sites")
  for (const [path, site] of Object.entries(sites)) validateSite(path, site)
}

interface Compiled {
  readonly site: LocalWeb.Site
  readonly body: Buffer
  readonly delayMs: number
  served: number
}

/** @internal */
export const make = (sites?: Readonly<Record<string, LocalWeb.Site>>) =>
  Effect.gen(function* () {
    const all = { ...defaultSites, ...sites }
    const compiled = new Map<string, Compiled>()
    for (const [path, site] of Object.entries(all)) {
      compiled.set(path, {
        site,
        body: pattern(site.size ?? 0),
        delayMs: site.delay === undefined ? 0 : Duration.toMillis(Duration.decode(site.delay)),
        served: 0
      })
    }

    let total = zero()
    let byPath = new Map<string, MutableCounters>()
    let inFlight = 0
    let peakInFlight = 0
    let connections = 0
    const sockets = new Set<Socket>()

    const snapshotOf = (c: MutableCounters) => ({ ...c })
    const snapshot = (): LocalWeb.Stats => ({
      ...snapshotOf(total),
      inFlight,
      peakInFlight,
      openConnections: sockets.size,
      connections,
      byPath: Object.fromEntries([...byPath].map(([k, v]) => [k, snapshotOf(v)]))
    })

    const counterOf = (path: string): MutableCounters => {
      let c = byPath.get(path)
      if (c === undefined) {
        c = zero()
        byPath.set(path, c)
      }
      return c
    }

    const handle = (req: Http.IncomingMessage, res: Http.ServerResponse): void => {
      const path = (req.url ?? "/").split("?")[0]!
      if (path === "/_stats") {
        // The counters for other processes (e.g. the bench); not counted themselves.
        req.resume()
        const body = JSON.stringify(snapshot())
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
        res.end(body)
        return
      }
      const counters = counterOf(path)
      total.started++
      counters.started++
      inFlight++
      if (inFlight > peakInFlight) peakInFlight = inFlight
      let ended = false
      let serverReset = false
      const timers = new Set<NodeJS.Timeout>()
      const later = (ms: number, f: () => void) => {
        const t = setTimeout(() => {
          timers.delete(t)
          f()
        }, ms)
        timers.add(t)
      }
      const end = (kind: "finished" | "aborted" | "reset") => {
        if (ended) return
        ended = true
        inFlight--
        total[kind]++
        counters[kind]++
        for (const t of timers) clearTimeout(t)
        timers.clear()
      }
      res.on("finish", () => end("finished"))
      res.on("close", () => end(serverReset ? "reset" : "aborted"))
      // Drain any request body so the connection can be reused.
      req.resume()

      const entry = compiled.get(path)
      if (entry === undefined) {
        const body = `no site at ${path}\n`
        res.writeHead(404, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) })
        res.end(body)
        return
      }
      const site = entry.site
      const serial = entry.served++
      const socket = req.socket
      const destroy = (graceful: boolean) => {
        serverReset = true
        if (graceful) socket.end()
        else if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy()
        else socket.destroy()
      }

      const respond = (): void => {
        if (site.resetBeforeHeaders === true) {
          destroy(false)
          return
        }
        if (site.hang === true) return
        if (site.redirectTo !== undefined) {
          const body = `see ${site.redirectTo}\n`
          res.writeHead(site.status ?? 302, { location: site.redirectTo, "content-length": Buffer.byteLength(body) })
          res.end(body)
          return
        }
        const failing = site.failFirst !== undefined && serial < site.failFirst
        const status = failing ? 503 : (site.status ?? 200)
        const headers: Record<string, string | number> = { "content-type": "application/octet-stream" }
        if (site.retryAfter !== undefined && (failing || status >= 400)) {
          headers["retry-after"] = typeof site.retryAfter === "number" ? String(site.retryAfter) : site.retryAfter
        }
        const body = failing ? Buffer.from("unavailable") : entry.body
        if (site.chunked !== true) headers["content-length"] = body.length
        res.writeHead(status, headers)
        const cut = failing ? undefined : (site.resetAfterBytes ?? site.truncateAfterBytes ?? site.hangAfterBytes)
        const limit = cut === undefined ? body.length : Math.min(cut, body.length)
        const whenSent = (): void => {
          if (failing || cut === undefined) {
            res.end()
          } else if (site.hangAfterBytes === undefined) {
            destroy(site.truncateAfterBytes !== undefined)
          }
        }
        if (site.bytesPerSecond === undefined) {
          if (limit === body.length && (failing || cut === undefined)) {
            res.end(body)
          } else {
            res.write(body.subarray(0, limit), () => whenSent())
            if (limit === 0) res.flushHeaders()
          }
          return
        }
        const tickMs = 20
        const perTick = Math.max(1, Math.floor((site.bytesPerSecond * tickMs) / 1000))
        let offset = 0
        const tick = (): void => {
          if (ended) return
          const next = Math.min(limit, offset + perTick)
          if (next > offset) res.write(body.subarray(offset, next))
          offset = next
          if (offset >= limit) whenSent()
          else later(tickMs, tick)
        }
        res.flushHeaders()
        later(tickMs, tick)
      }
      if (entry.delayMs > 0) later(entry.delayMs, respond)
      else respond()
    }

    const server = Http.createServer({ keepAliveTimeout: 5_000 }, handle)
    server.on("connection", (socket: Socket) => {
      connections++
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })
    server.on("clientError", (_err, socket) => socket.destroy())

    const port = yield* Effect.async<number, never>((resume) => {
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
    })
    yield* Effect.addFinalizer(() =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
        for (const s of sockets) s.destroy()
      })
    )

    const baseUrl = `http://127.0.0.1:${port}`
    const service: LocalWeb.LocalWeb = {
      baseUrl,
      url: (path: string) => `${baseUrl}${path.startsWith("/") ? path : `/${path}`}`,
      sites: all,
      stats: Effect.sync(snapshot),
      resetStats: Effect.sync(() => {
        total = zero()
        byPath = new Map()
        peakInFlight = inFlight
        connections = sockets.size
        for (const c of compiled.values()) c.served = 0
      })
    }
    return service
  })

/** @internal */
export const layer = (sites?: Readonly<Record<string, LocalWeb.Site>>): Layer.Layer<LocalWeb.LocalWeb> => {
  validateSites(sites)
  return Layer.scoped(LocalWebTag, make(sites))
}
