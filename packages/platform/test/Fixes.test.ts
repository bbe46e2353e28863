import * as Zlib from "node:zlib"
import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Task } from "@tapestry/core"
import { Cause, Duration, Effect, Exit, Layer, type Scope, Stream } from "effect"
import * as Download from "../src/Download.js"
import * as DownloadErrors from "../src/DownloadError.js"
import * as FastHttpClient from "../src/FastHttpClient.js"
import { parseRetryAfter } from "../src/internal/rules.js"
import * as LocalWeb from "../src/LocalWeb.js"
import { clients, defectOf, failureOf, refusedUrl, withWarnings } from "./helpers.js"
import { serve, tunnelProxy } from "./servers.js"

const basic = `Basic ${Buffer.from("alice:s3cr3t").toString("base64")}`

/** `base` with alice's credentials in it. */
const withCredentials = (base: string) => base.replace("http://", "http://alice:s3cr3t@")

for (const [clientName, clientLayer] of clients) {
  const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient | Scope.Scope>) =>
    Effect.scoped(Effect.provide(effect, clientLayer))

  describe(`Download fixes on ${clientName}`, () => {
    it.live("credentials in the URL are sent as Basic authorization and never shown", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((req, res) => {
            if (req.url === "/missing") res.statusCode = 404
            else if (req.headers.authorization !== basic) res.statusCode = 401
            res.end("ok")
          })
          const page = yield* Download.get(`${withCredentials(server.base)}/private`)
          expect(page.status).toBe(200)
          expect(server.seen[0]!.headers.authorization).toBe(basic)
          expect(server.seen[0]!.url).toBe("/private")
          expect(page.url).toBe(`${server.base.replace("http://", "http://alice:***@")}/private`)
          expect(page.finalUrl).toBe(page.url)
          expect(JSON.stringify(page)).not.toContain("s3cr3t")
          const error = failureOf(yield* Effect.exit(Download.get(`${withCredentials(server.base)}/missing`)))
          expect(error.url).toContain("alice:***@")
          for (const shown of [error.message, JSON.stringify(error), String(error)]) {
            expect(shown).not.toContain("s3cr3t")
          }
          const all = yield* Effect.exit(
            Download.first([`${withCredentials(server.base)}/missing`, "http://bob:hunter2@127.0.0.1:1/"])
          )
          const pretty = Exit.isFailure(all) ? Cause.pretty(all.cause) : ""
          expect(pretty).toContain("TaskFailures")
          expect(pretty).not.toContain("s3cr3t")
          expect(pretty).not.toContain("hunter2")
          const listed = yield* Stream.runCollect(Download.interleaved([`${withCredentials(server.base)}/private`]))
          expect([...listed][0]!.url).not.toContain("s3cr3t")
          expect(Download.redactUrl("https://tok3n@127.0.0.1/")).toBe("https://***@127.0.0.1/")
        })
      )
    )

    it.live("a failed connection or body shows no credentials, header values or whole long URL (JSON included)", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((_, res) => {
            res.writeHead(200, { "content-length": 1000 })
            res.write("partial")
            setTimeout(() => res.destroy(), 10)
          })
          const refused = yield* refusedUrl
          const headers = { "x-api-key": "hunter2", "X-Custom": "tok123" }
          const failures = [
            failureOf(yield* Effect.exit(Download.get(withCredentials(refused), { headers }))),
            failureOf(yield* Effect.exit(Download.get(`${withCredentials(server.base)}/cut`, { headers })))
          ]
          expect(failures.map((e) => e._tag)).toEqual(["ConnectionFailed", "BodyError"])
          for (const error of failures) {
            for (const shown of [
              error.message,
              String(error),
              JSON.stringify(error),
              Cause.pretty(Cause.fail(error))
            ]) {
              for (const secret of ["s3cr3t", basic.slice("Basic ".length), "hunter2", "tok123"]) {
                expect(shown).not.toContain(secret)
              }
            }
          }
          const long = `${refused}${"x".repeat(200_000)}`
          const error = failureOf(yield* Effect.exit(Download.get(long)))
          expect(error.url).toBe(long)
          expect(error.message.length).toBeLessThan(400)
        })
      )
    )

    it.live("credentials are sent and masked in every spelling the URL parser reads them", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((_, res) => res.end())
          const hostAndPort = server.base.slice("http://".length)
          for (const spelling of ["http:", "http:/", "http:///", "\u0001 http://", "ht\ttp://", "http:\\\\"]) {
            const page = yield* Download.get(`${spelling}alice:s3cr3t@${hostAndPort}/p`)
            expect(server.seen.at(-1)!.headers.authorization).toBe(basic)
            expect(page.url).toBe(`${spelling}alice:***@${hostAndPort}/p`)
            expect(page.finalUrl).toBe(`http://alice:***@${hostAndPort}/p`)
          }
          // a % that starts no escape is itself (as curl reads it), not a defect
          yield* Download.get(`http://al%ZZ:s3%cr3t@${hostAndPort}/p`)
          expect(server.seen.at(-1)!.headers.authorization).toBe(
            `Basic ${Buffer.from("al%ZZ:s3%cr3t").toString("base64")}`
          )
          yield* Download.get(`http://al%C3%A9:p%C3%A9@${hostAndPort}/p`)
          expect(server.seen.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from("alé:pé").toString("base64")}`)
        })
      )
    )

    it.live("credentials follow a same-origin redirect but never go to another origin", () =>
      run(
        Effect.gen(function* () {
          const other = yield* serve((_, res) => res.end("elsewhere"))
          const server = yield* serve((req, res) => {
            if (req.url === "/away") res.writeHead(302, { location: `${other.base}/landing` })
            else if (req.url === "/here") res.writeHead(301, { location: "/private" })
            else if (req.headers.authorization !== basic) res.statusCode = 401
            res.end()
          })
          const same = yield* Download.get(`${withCredentials(server.base)}/here`)
          expect(same.status).toBe(200)
          expect(same.finalUrl).toBe(`${server.base.replace("http://", "http://alice:***@")}/private`)
          const away = yield* Download.get(`${withCredentials(server.base)}/away`, {
            headers: { "x-kept": "yes", cookie: "session=1" }
          })
          expect(new TextDecoder().decode(away.body)).toBe("elsewhere")
          expect(away.finalUrl).toBe(`${other.base}/landing`)
          expect(other.seen[0]!.headers.authorization).toBeUndefined()
          expect(other.seen[0]!.headers.cookie).toBeUndefined()
          expect(other.seen[0]!.headers["x-kept"]).toBe("yes")
        })
      )
    )

    it.live("103 Early Hints is skipped: the final 200 and its body are the answer", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((_, res) => {
            res.writeEarlyHints({ link: "</style.css>; rel=preload; as=style" })
            setTimeout(() => res.end("final body"), 10)
          })
          const page = yield* Download.get(`${server.base}/hinted`)
          expect(page.status).toBe(200)
          expect(new TextDecoder().decode(page.body)).toBe("final body")
          const response = yield* HttpClient.get(`${server.base}/hinted`)
          expect(response.status).toBe(200)
          expect(yield* response.text).toBe("final body")
        })
      )
    )

    it.live("Retry-After: only whole seconds or an HTTP-date count; -5, 1.5 and words are ignored", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((req, res) => {
            const value = decodeURIComponent(req.url!.slice(1))
            res.writeHead(req.url === "/404" ? 404 : 503, { "retry-after": value })
            res.end()
          })
          const retryAfterOf = (value: string) =>
            Effect.map(Effect.flip(Download.get(`${server.base}/${encodeURIComponent(value)}`)), (e) =>
              e._tag === "HttpStatusError" ? e.retryAfter : "not a status error"
            )
          for (const value of ["-5", "1.5", "soon", "", "5s"]) expect(yield* retryAfterOf(value)).toBeUndefined()
          expect(yield* retryAfterOf("7")).toEqual(Duration.seconds(7))
          expect(yield* retryAfterOf("1000000000")).toEqual(Duration.seconds(1_000_000_000))
          // A 404 with a bogus Retry-After is not made retryable by it.
          const policy = Download.retryPolicy({ maxTries: 3 })
          const notFound = failureOf(yield* Effect.exit(Download.get(`${server.base}/404`)))
          expect(policy.while(notFound)).toBe(false)
        })
      )
    )

    it.live("a Retry-After over maxRetryAfter ends the retries at once, even with cap", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((_, res) => {
            res.writeHead(503, { "retry-after": "1000000000" })
            res.end()
          })
          const start = Date.now()
          const error = failureOf(
            yield* Effect.exit(
              Task.retryOnFault(
                Download.get(`${server.base}/busy`),
                Download.retryPolicy({ maxTries: 5, cap: "1 second" })
              )
            )
          )
          expect(Date.now() - start).toBeLessThan(2_000)
          expect(error._tag).toBe("RetriesExhausted")
          expect(error._tag === "RetriesExhausted" && error.errors.length).toBe(1)
          expect(server.seen.length).toBe(1)
        })
      )
    )

    it.live("by default no Accept-Encoding is sent and a compressed body is returned as sent", () =>
      run(
        Effect.gen(function* () {
          const plain = "hello ".repeat(1000)
          const gzipped = Zlib.gzipSync(plain)
          const server = yield* serve((_, res) => {
            res.writeHead(200, { "content-encoding": "gzip", "content-length": gzipped.length })
            res.end(gzipped)
          })
          const page = yield* Download.get(`${server.base}/gz`, { maxBytes: gzipped.length })
          expect(server.seen[0]!.headers["accept-encoding"] ?? "").not.toMatch(/gzip|br|deflate/)
          expect(page.bytes).toBe(gzipped.length)
          expect(page.headers["content-encoding"]).toBe("gzip")
          expect(Zlib.gunzipSync(page.body).toString()).toBe(plain)
        })
      )
    )

    it.live("the headers option is sent; an authorization header wins over URL credentials", () =>
      run(
        Effect.gen(function* () {
          const server = yield* serve((_, res) => res.end())
          yield* Download.get(`${withCredentials(server.base)}/h`, {
            headers: { "User-Agent": "tapestry-test/1.0", Authorization: "Bearer abc" }
          })
          expect(server.seen[0]!.headers["user-agent"]).toBe("tapestry-test/1.0")
          expect(server.seen[0]!.headers.authorization).toBe("Bearer abc")
          expect(yield* Download.contentLength(`${server.base}/h`, { headers: { "x-a": "1" } })).toBe(0)
          const bad = defectOf(
            yield* Effect.exit(
              Download.get(server.base, { headers: { "x-n": 1 } as unknown as Record<string, string> })
            )
          )
          expect(String((bad as Error).message)).toContain(
            'Download.get: headers["x-n"] must be a string, got "number"'
          )
        })
      )
    )
  })
}

describe("Download fixes (any client)", () => {
  const withWeb = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient | LocalWeb.LocalWeb>) =>
    Effect.provide(effect, Layer.merge(FastHttpClient.layer, LocalWeb.layer()))

  it("parses HTTP-dates in all three forms, and nothing else", () => {
    const now = Date.parse("Sun, 06 Nov 1994 08:49:30 GMT")
    for (const date of [
      "Sun, 06 Nov 1994 08:49:37 GMT",
      "Sunday, 06-Nov-94 08:49:37 GMT",
      "Sun Nov  6 08:49:37 1994"
    ]) {
      expect(parseRetryAfter(date, now)).toEqual(Duration.millis(7_000))
    }
    for (const bad of ["-5", "1.5", "1e3", "Nov 6 1994", " 0x10 "]) expect(parseRetryAfter(bad, now)).toBeUndefined()
    expect(parseRetryAfter(" 0 ", now)).toEqual(Duration.seconds(0))
  })

  it.live("a URL the parser refuses is masked up to its last @: a raw / or # in a password is not shown", () =>
    withWeb(
      Effect.gen(function* () {
        for (const [given, shown] of [
          ["http://alice:s3/cr3t@127.0.0.1/p", "http://alice:***@127.0.0.1/p"],
          ["http://alice:s3#cr3t@127.0.0.1/p", "http://alice:***@127.0.0.1/p"],
          ["http://alice:s3cr3t@[::1/p", "http://alice:***@[::1/p"]
        ] as const) {
          const error = failureOf(yield* Effect.exit(Download.get(given)))
          expect([error._tag, error.url]).toEqual(["InvalidUrl", shown])
          expect(JSON.stringify(error) + error.message).not.toContain("cr3t")
          expect(Download.redactUrl(given)).toBe(shown)
        }
        // an @ elsewhere than in the userinfo is no credential
        expect(Download.redactUrl("http://127.0.0.1/p@q?mail=a@b")).toBe("http://127.0.0.1/p@q?mail=a@b")
        expect(Download.redactUrl("http://a@b:pw@127.0.0.1/")).toBe("http://a%40b:***@127.0.0.1/")
      })
    )
  )

  it.live("first pulls its URLs lazily: an endless generator with a stagger works", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        let pulled = 0
        function* mirrors(): Generator<string> {
          for (;;) {
            pulled++
            yield web.url(pulled < 3 ? "/not-found" : "/fast")
          }
        }
        const { result: page, warnings } = yield* withWarnings(Download.first(mirrors(), { stagger: "20 millis" }))
        expect(warnings).toEqual(
          Array.from({ length: 2 }, () =>
            expect.stringContaining("Task.needOnlyOne: a losing task failed (HttpStatusError")
          )
        )
        expect(page.bytes).toBe(1024)
        expect(pulled).toBeLessThanOrEqual(4)
      })
    )
  )

  it.live("a single string instead of a list of URLs is a defect (and a type error)", () =>
    withWeb(
      Effect.gen(function* () {
        const url = (yield* LocalWeb.LocalWeb).url("/fast")
        // @ts-expect-error a string is not a list of URLs
        const first = defectOf(yield* Effect.exit(Download.first(url)))
        expect(first).toBeInstanceOf(Cause.IllegalArgumentException)
        expect(String((first as Error).message)).toContain("Download.first: urls must be an iterable")
        // @ts-expect-error a string is not a list of URLs
        const stream = defectOf(yield* Effect.exit(Stream.runDrain(Download.interleaved(url))))
        expect(String((stream as Error).message)).toContain("Download.interleaved: urls must be an iterable")
        // the string is shown as every URL is: redacted
        const secret = "http://alice:s3cr3t@127.0.0.1/"
        // @ts-expect-error a string is not a list of URLs
        const shown = String((defectOf(yield* Effect.exit(Download.first(secret))) as Error).message)
        expect(shown).toBe('Download.first: urls must be an iterable, got "http://alice:***@127.0.0.1/"')
        expect((yield* (yield* LocalWeb.LocalWeb).stats).started).toBe(0)
      })
    )
  )

  it.live("a redirect's final URL is reported; a 200,000-character URL is cut in messages, kept in fields", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        const page = yield* Download.get(web.url("/redirect"))
        expect(page.url).toBe(web.url("/redirect"))
        expect(page.finalUrl).toBe(web.url("/fast"))
        const long = web.url(`/not-found?${"x".repeat(200_000)}`)
        const error = failureOf(yield* Effect.exit(Download.get(long)))
        expect(error.url).toBe(long)
        expect(error.message.length).toBeLessThan(300)
        expect(error.message).toContain("characters)")
      })
    )
  )

  it.live("a download's time-out is RequestTimeout, told apart from Task.timeout's TimeoutError", () =>
    withWeb(
      Effect.gen(function* () {
        const web = yield* LocalWeb.LocalWeb
        const which = (inner: Duration.DurationInput, outer: Duration.DurationInput) =>
          Task.timeout(Download.get(web.url("/hang"), { timeout: inner }), outer).pipe(
            Effect.map(() => "done"),
            Effect.catchTags({
              RequestTimeout: (e) => Effect.succeed(`RequestTimeout ${Duration.toMillis(e.timeout)}`),
              TimeoutError: () => Effect.succeed("TimeoutError")
            }),
            Effect.catchAll(() => Effect.succeed("other"))
          )
        expect(yield* which("50 millis", "5 seconds")).toBe("RequestTimeout 50")
        expect(yield* which("5 seconds", "50 millis")).toBe("TimeoutError")
        const never = yield* Effect.exit(
          Task.timeout(Download.get(web.url("/hang"), { timeout: Number.POSITIVE_INFINITY }), "100 millis")
        )
        expect(failureOf(never)._tag).toBe("TimeoutError")
        expect(new DownloadErrors.RequestTimeout({ url: "http://a:b@x/", timeout: Duration.seconds(1) }).message).toBe(
          "Download of http://a:***@x/ timed out after 1s"
        )
      })
    )
  )
})

describe("FastHttpClient options", () => {
  it.live("proxy: a proxy URL tunnels every request through it", () =>
    Effect.gen(function* () {
      const proxy = yield* tunnelProxy
      const server = yield* serve((_, res) => res.end("via proxy"))
      const page = yield* Download.get(`${server.base}/p`).pipe(
        Effect.provide(FastHttpClient.layerWith({ proxy: proxy.url }))
      )
      expect(new TextDecoder().decode(page.body)).toBe("via proxy")
      expect(proxy.connects).toEqual([server.base.slice("http://".length)])
    }).pipe(Effect.scoped)
  )

  it.live('proxy: "env" honours HTTP_PROXY and NO_PROXY', () =>
    Effect.gen(function* () {
      const proxy = yield* tunnelProxy
      const server = yield* serve((_, res) => res.end("ok"))
      const host = server.base.slice("http://".length)
      const withEnv = (env: Record<string, string | undefined>) =>
        Effect.acquireUseRelease(
          Effect.sync(() => {
            // Lower-case names win in undici: clear them so that the upper-case ones count.
            const all = { http_proxy: undefined, no_proxy: undefined, ...env }
            const saved = Object.fromEntries(Object.keys(all).map((k) => [k, process.env[k]]))
            for (const [k, v] of Object.entries(all)) {
              if (v === undefined) delete process.env[k]
              else process.env[k] = v
            }
            return saved
          }),
          // The agent reads the environment when the layer is built.
          () => Download.get(`${server.base}/e`).pipe(Effect.provide(FastHttpClient.layerWith({ proxy: "env" }))),
          (saved) =>
            Effect.sync(() => {
              for (const [k, v] of Object.entries(saved)) {
                if (v === undefined) delete process.env[k]
                else process.env[k] = v
              }
            })
        )
      yield* withEnv({ HTTP_PROXY: proxy.url, NO_PROXY: undefined })
      expect(proxy.connects).toEqual([host])
      yield* withEnv({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" })
      expect(proxy.connects).toEqual([host])
      expect(server.seen.length).toBe(2)
    }).pipe(Effect.scoped)
  )

  it.live("keepAliveTimeout takes a Duration; bad values throw IllegalArgumentException naming the option", () =>
    Effect.gen(function* () {
      const server = yield* serve((_, res) => res.end("ok"))
      const page = yield* Download.get(server.base).pipe(
        Effect.provide(FastHttpClient.layerWith({ keepAliveTimeout: "2 seconds" }))
      )
      expect(page.status).toBe(200)
      for (const [options, name] of [
        [{ keepAliveTimeout: "-1 seconds" }, "keepAliveTimeout"],
        [{ keepAliveTimeout: 0 }, "keepAliveTimeout"],
        [{ keepAliveTimeout: Number.POSITIVE_INFINITY }, "keepAliveTimeout"],
        [{ proxy: "socks://127.0.0.1:1" }, "proxy"]
      ] as const) {
        // a function returning a plain value (a Layer) throws when called
        expect(() => FastHttpClient.layerWith(options)).toThrow(`FastHttpClient.layerWith: ${name}`)
      }
    }).pipe(Effect.scoped)
  )
})
