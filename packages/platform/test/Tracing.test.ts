import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { type Context, Effect, type Exit, Option, type Scope, Tracer } from "effect"
import * as Download from "../src/Download.js"
import { clients } from "./helpers.js"
import { serve } from "./servers.js"

const hex = (length: number) => Array.from({ length }, () => Math.floor(Math.random() * 16).toString(16)).join("")

/** A span the recording tracer keeps. */
class Recorded implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = hex(16)
  readonly traceId: string
  readonly sampled = true
  status: Tracer.SpanStatus
  readonly attributes = new Map<string, unknown>()
  ended = false

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    readonly links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.traceId = Option.isSome(parent) ? parent.value.traceId : hex(32)
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.ended = true
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(): void {}
  addLinks(): void {}
}

/** Runs `effect` under a tracer that records every span. */
const traced = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const spans: Array<Recorded> = []
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind) => {
        const span = new Recorded(name, parent, context, links, startTime, kind)
        spans.push(span)
        return span
      },
      context: (f) => f()
    })
    return Effect.map(Effect.withTracer(effect, tracer), (value) => ({ value, spans }))
  })

const parentId = (span: Recorded) => (Option.isSome(span.parent) ? span.parent.value.spanId : undefined)

for (const [clientName, clientLayer] of clients) {
  const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient | Scope.Scope>) =>
    Effect.scoped(Effect.provide(effect, clientLayer))

  describe(`Download spans on ${clientName}`, () => {
    it.live("a download runs in Download.get (child of the caller) with an http.client GET per request", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((req, res) => {
            if (req.url === "/moved") res.writeHead(302, { location: "/final" })
            res.end(req.url === "/final" ? "12345" : "")
          })
          const url = `${server.base.replace("http://", "http://alice:s3cr3t@")}/moved`
          const { spans } = yield* traced(
            Download.get(url, { headers: { "x-secret-header": "header-value" } }).pipe(Effect.withSpan("caller"))
          )
          const caller = spans.find((s) => s.name === "caller")!
          const download = spans.find((s) => s.name === "Download.get")!
          const requests = spans.filter((s) => s.name === "http.client GET")
          expect(parentId(download)).toBe(caller.spanId)
          expect(requests.length).toBe(2)
          for (const request of requests) {
            expect(parentId(request)).toBe(download.spanId)
            expect(request.kind).toBe("client")
            expect(request.ended).toBe(true)
          }
          expect(Object.fromEntries(download.attributes)).toMatchObject({
            "http.request.method": "GET",
            "url.full": `${server.base.replace("http://", "http://alice:***@")}/moved`,
            "http.response.status_code": 200,
            "tapestry.download.bytes": 5,
            "tapestry.download.redirects": 1
          })
          expect(requests.map((r) => r.attributes.get("http.response.status_code"))).toEqual([302, 200])
          expect(requests[1]!.attributes.get("url.full")).toBe(`${server.base}/final`)
          // Nothing secret in any attribute: neither the password nor a header value.
          const everything = JSON.stringify(spans.map((s) => [...s.attributes]))
          expect(everything).not.toContain("s3cr3t")
          expect(everything).not.toContain("header-value")
          // Each request carried the trace context of its own client span.
          for (const [i, request] of requests.entries()) {
            expect(server.seen[i]!.headers.traceparent).toBe(`00-${request.traceId}-${request.spanId}-01`)
          }
        })
      )
    )

    it.live("a failed download ends its span with the status it got", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((_, res) => {
            res.statusCode = 503
            res.end()
          })
          const { spans } = yield* traced(Effect.exit(Download.get(`${server.base}/busy`)))
          const download = spans.find((s) => s.name === "Download.get")!
          expect(download.attributes.get("http.response.status_code")).toBe(503)
          expect(download.status._tag === "Ended" && download.status.exit._tag).toBe("Failure")
        })
      )
    )
  })
}

describe("FastHttpClient spans", () => {
  it.live("as a plain HttpClient it makes a client span and propagates traceparent", () =>
    Effect.gen(function* () {
      const server = yield* serve((_, res) => res.end("ok"))
      const { spans } = yield* traced(
        Effect.flatMap(HttpClient.get(`${server.base}/plain`), (r) => r.text).pipe(Effect.withSpan("caller"))
      )
      const request = spans.find((s) => s.name === "http.client GET")!
      expect(parentId(request)).toBe(spans.find((s) => s.name === "caller")!.spanId)
      expect(request.attributes.get("http.response.status_code")).toBe(200)
      expect(server.seen[0]!.headers.traceparent).toBe(`00-${request.traceId}-${request.spanId}-01`)
    }).pipe(Effect.scoped, Effect.provide(clients[0]![1]))
  )

  it.live("under Effect's built-in tracer downloads make no span work and send no trace headers", () =>
    Effect.gen(function* () {
      const server = yield* serve((_, res) => res.end("ok"))
      yield* Download.get(`${server.base}/untraced`).pipe(Effect.withSpan("caller"))
      expect(server.seen[0]!.headers.traceparent).toBeUndefined()
    }).pipe(Effect.scoped, Effect.provide(clients[0]![1]))
  )
})
