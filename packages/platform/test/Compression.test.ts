import type * as Http from "node:http"
import type { Transform } from "node:stream"
import * as Zlib from "node:zlib"
import type { HttpClient } from "@effect/platform"
import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { Progress } from "@tapestry/core"
import { Cause, Effect, Fiber, type Scope } from "effect"
import { vi } from "vitest"
import * as Download from "../src/Download.js"
import { clients, defectOf, eventually, failureOf } from "./helpers.js"
import { serve } from "./servers.js"

/** Every decoder the pipeline made (node:zlib is wrapped to record them), and the bytes each put out. */
const decoders = vi.hoisted(() => [] as Array<{ readonly stream: Transform; out: number }>)

vi.mock("node:zlib", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:zlib")>()
  const tracked =
    <A extends Array<unknown>>(make: (...args: A) => Transform) =>
    (...args: A) => {
      const stream = make(...args)
      const entry = { stream, out: 0 }
      stream.on("data", (b: Buffer) => void (entry.out += b.length))
      decoders.push(entry)
      return stream
    }
  return {
    ...real,
    createGunzip: tracked(real.createGunzip),
    createInflate: tracked(real.createInflate),
    createInflateRaw: tracked(real.createInflateRaw),
    createBrotliDecompress: tracked(real.createBrotliDecompress)
  }
})

// A text that compresses well, and random bytes that do not.
const plain = Buffer.from("the quick brown fox jumps over the lazy dog\n".repeat(2_000))
const noise = Buffer.from(Array.from({ length: 4_000 }, (_, i) => (i * 7919 + ((i * i) % 251)) % 256))

const encodings: Record<string, (b: Buffer) => Buffer> = {
  gzip: (b) => Zlib.gzipSync(b),
  deflate: (b) => Zlib.deflateSync(b),
  "deflate-raw": (b) => Zlib.deflateRawSync(b),
  br: (b) => Zlib.brotliCompressSync(b)
}

const KiB = 1024
const MiB = 1024 * KiB

/** 1 GiB of zeros as 64 gzip members of 16 MiB each: about 1 MiB on the wire. */
const bomb = (() => {
  const member = Zlib.gzipSync(Buffer.alloc(16 * MiB), { level: 9 })
  return Buffer.concat(Array.from({ length: 64 }, () => member))
})()

/** What a test server answers: `/gzip/...`, `/br/...` etc. send `body` with that encoding. */
interface Answer {
  readonly encoding?: string
  readonly body: Buffer
  /** Leave out `content-length` (chunked). */
  readonly chunked?: boolean
  /** Send this many bytes of the body, then keep the response open. */
  readonly hangAfter?: number
}

const answer = (res: Http.ServerResponse, a: Answer): void => {
  const headers: Record<string, string | number> = { "content-type": "text/plain" }
  if (a.encoding !== undefined) headers["content-encoding"] = a.encoding
  if (a.chunked !== true && a.hangAfter === undefined) headers["content-length"] = a.body.length
  res.writeHead(200, headers)
  if (a.hangAfter === undefined) res.end(a.body)
  else res.write(a.body.subarray(0, a.hangAfter))
}

/** A server answering each path with its `Answer`, recording which responses the client closed early. */
const server = (answers: Record<string, Answer>) =>
  Effect.gen(function* () {
    const closedEarly: Array<string> = []
    const s = yield* serve((req, res) => {
      const path = req.url ?? "/"
      res.on("close", () => {
        if (!res.writableFinished) closedEarly.push(path)
      })
      const a = answers[path]
      if (a === undefined) {
        res.statusCode = 404
        res.end()
      } else answer(res, a)
    })
    return { ...s, closedEarly }
  })

beforeEach(() => {
  decoders.length = 0
})

afterEach(async () => {
  // however a download ended, its decoder is done: ended, or destroyed
  await new Promise((resolve) => setTimeout(resolve, 20))
  for (const { stream } of decoders) expect(stream.destroyed).toBe(true)
})

for (const [clientName, clientLayer] of clients) {
  const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient | Scope.Scope>) =>
    Effect.scoped(Effect.provide(effect, clientLayer))

  describe(`decompress on ${clientName}`, () => {
    it.live(
      "gzip, deflate (zlib-wrapped or raw) and br bodies are decoded; bytes and progress count decoded bytes",
      () =>
        run(
          Effect.gen(function* () {
            const answers: Record<string, Answer> = {}
            for (const [name, encode] of Object.entries(encodings)) {
              const encoding = name.split("-")[0]!
              answers[`/${name}`] = { encoding, body: encode(plain) }
              answers[`/${name}/chunked`] = { encoding, body: encode(plain), chunked: true }
            }
            const s = yield* server(answers)
            for (const path of Object.keys(answers)) {
              const seen: Array<Download.DownloadProgress> = []
              const progress = Progress.make((p: Download.DownloadProgress) => Effect.sync(() => seen.push(p)))
              const url = `${s.base}${path}`
              const page = yield* Download.get(url, { decompress: true })
              expect([path, Buffer.from(page.body).equals(plain), page.bytes]).toEqual([path, true, plain.length])
              expect(page.headers["content-encoding"]).toBe(answers[path]!.encoding)
              const reported = yield* Download.get(url, { decompress: true, progress })
              expect(reported.bytes).toBe(plain.length)
              expect(seen[0]!.received).toBe(0)
              expect(seen.at(-1)!.received).toBe(plain.length)
              expect(seen.every((p) => p.total === undefined)).toBe(true)
              expect(yield* Download.contentLength(url, { decompress: true })).toBe(plain.length)
            }
            expect(s.seen.every((r) => r.headers["accept-encoding"] === "gzip, deflate, br")).toBe(true)
          })
        )
    )

    it.live("without decompress nothing is asked for and the body is the bytes as sent", () =>
      run(
        Effect.gen(function* () {
          const br = encodings.br!(plain)
          const s = yield* server({ "/br": { encoding: "br", body: br } })
          const page = yield* Download.get(`${s.base}/br`, { maxBytes: br.length })
          expect(s.seen[0]!.headers["accept-encoding"]).toBeUndefined()
          expect(Buffer.from(page.body).equals(br)).toBe(true)
          expect(page.bytes).toBe(br.length)
          // a header of the caller's own wins, and a body without content-encoding is taken as it is
          const plainServer = yield* server({ "/plain": { body: plain } })
          const own = yield* Download.get(`${plainServer.base}/plain`, {
            decompress: true,
            headers: { "Accept-Encoding": "gzip" }
          })
          expect(plainServer.seen[0]!.headers["accept-encoding"]).toBe("gzip")
          expect(own.bytes).toBe(plain.length)
          expect(decoders.length).toBe(0)
        })
      )
    )

    it.live("maxBytes bounds the decoded body, whatever content-length says about the encoded one", () =>
      run(
        Effect.gen(function* () {
          const gz = Zlib.gzipSync(plain)
          const noisy = Zlib.gzipSync(noise)
          expect(noisy.length).toBeGreaterThan(noise.length)
          const s = yield* server({
            "/text": { encoding: "gzip", body: gz },
            "/noise": { encoding: "gzip", body: noisy }
          })
          const over = failureOf(
            yield* Effect.exit(Download.get(`${s.base}/text`, { decompress: true, maxBytes: plain.length - 1 }))
          )
          expect(over).toMatchObject({ _tag: "TooLarge", maxBytes: plain.length - 1 })
          const exact = yield* Download.get(`${s.base}/text`, { decompress: true, maxBytes: plain.length })
          expect(exact.bytes).toBe(plain.length)
          // the encoded body is larger than maxBytes, the decoded one is not
          const fits = yield* Download.get(`${s.base}/noise`, { decompress: true, maxBytes: noise.length })
          expect(Buffer.from(fits.body).equals(noise)).toBe(true)
        })
      )
    )

    it.live("a zip bomb (1 MiB → 1 GiB) fails with TooLarge: the decoder is stopped and the request aborted", () =>
      run(
        Effect.gen(function* () {
          const s = yield* server({ "/bomb": { encoding: "gzip", body: bomb, hangAfter: bomb.length } })
          const error = failureOf(
            yield* Effect.exit(Download.get(`${s.base}/bomb`, { decompress: true, maxBytes: MiB }))
          )
          expect(error).toMatchObject({ _tag: "TooLarge", maxBytes: MiB })
          yield* eventually(() => s.closedEarly.includes("/bomb"))
          // decoded: about maxBytes, not the gigabyte
          expect(decoders.length).toBe(1)
          expect(decoders[0]!.out).toBeLessThan(2 * MiB)
        })
      )
    )

    it.live("corrupt, truncated, unknown or stacked encodings fail with BodyError saying why", () =>
      run(
        Effect.gen(function* () {
          const gz = Zlib.gzipSync(plain)
          const s = yield* server({
            "/corrupt": { encoding: "gzip", body: Buffer.from("this is not gzip at all") },
            "/corrupt-br": { encoding: "br", body: Buffer.from("nor is this brotli") },
            "/truncated": { encoding: "gzip", body: gz.subarray(0, gz.length - 8), chunked: true },
            "/zstd": { encoding: "zstd", body: plain, hangAfter: 100 },
            "/stacked": { encoding: "gzip, br", body: plain, hangAfter: 100 }
          })
          const messageOf = (path: string) =>
            Effect.map(Effect.flip(Download.get(`${s.base}${path}`, { decompress: true })), (e) => [e._tag, e.message])
          expect(yield* messageOf("/corrupt")).toEqual([
            "BodyError",
            `Response body failed: ${s.base}/corrupt (the gzip body could not be decoded: incorrect header check)`
          ])
          expect((yield* messageOf("/corrupt-br"))[1]).toContain("the br body could not be decoded")
          expect((yield* messageOf("/truncated"))[1]).toContain(
            "the gzip body could not be decoded: unexpected end of file"
          )
          expect(yield* messageOf("/zstd")).toEqual([
            "BodyError",
            `Response body failed: ${s.base}/zstd (content-encoding "zstd" is not supported (gzip, deflate or br are))`
          ])
          expect((yield* messageOf("/stacked"))[1]).toContain('content-encoding "gzip, br" stacks codings')
          // the unsupported bodies were not read: their requests were aborted
          yield* eventually(() => s.closedEarly.includes("/zstd") && s.closedEarly.includes("/stacked"))
        })
      )
    )

    it.live("an empty encoded body is empty; identity is no encoding", () =>
      run(
        Effect.gen(function* () {
          const s = yield* server({
            "/empty": { encoding: "gzip", body: Buffer.alloc(0) },
            "/identity": { encoding: "identity", body: plain }
          })
          expect((yield* Download.get(`${s.base}/empty`, { decompress: true })).bytes).toBe(0)
          expect((yield* Download.get(`${s.base}/identity`, { decompress: true })).bytes).toBe(plain.length)
        })
      )
    )

    it.live("interrupting mid-body closes the connection and destroys the decoder", () =>
      run(
        Effect.gen(function* () {
          const gz = Zlib.gzipSync(noise)
          const s = yield* server({ "/half": { encoding: "gzip", body: gz, hangAfter: gz.length >> 1 } })
          let received = 0
          const progress = Progress.make((p: Download.DownloadProgress) => Effect.sync(() => (received = p.received)))
          const fiber = yield* Effect.fork(Download.get(`${s.base}/half`, { decompress: true, progress }))
          yield* eventually(() => received > 0)
          expect(decoders.length).toBe(1)
          expect(decoders[0]!.stream.destroyed).toBe(false)
          yield* Fiber.interrupt(fiber)
          yield* eventually(() => s.closedEarly.includes("/half"))
          expect(decoders[0]!.stream.destroyed).toBe(true)
          // the same without progress (the fast transport on FastHttpClient)
          decoders.length = 0
          const quiet = yield* Effect.fork(Download.get(`${s.base}/half`, { decompress: true }))
          yield* eventually(() => decoders.length === 1 && decoders[0]!.out > 0)
          yield* Fiber.interrupt(quiet)
          yield* eventually(() => s.closedEarly.filter((p) => p === "/half").length === 2)
          expect(decoders[0]!.stream.destroyed).toBe(true)
        })
      )
    )
  })
}

describe("decompress (any client)", () => {
  it.effect("anything but a boolean is a defect naming Download.get, decompress and the value", () =>
    Effect.gen(function* () {
      for (const bad of ["yes", 1, null]) {
        const defect = defectOf(
          yield* Effect.exit(Download.get("http://127.0.0.1:1/", { decompress: bad as unknown as boolean }))
        )
        expect(defect).toBeInstanceOf(Cause.IllegalArgumentException)
        expect((defect as Error).message).toBe(
          `Download.get: decompress must be one of true, false, got ${bad === "yes" ? '"yes"' : String(bad)}`
        )
      }
    }).pipe(Effect.provide(clients[0]![1]))
  )
})
