/**
 * Content codings under `decompress: true`: what is asked for (`Accept-Encoding`), which
 * `Content-Encoding` values are understood, and the decoder that turns the bytes on the wire into
 * the body, one chunk at a time (node:zlib's streaming decoders, so a small compressed body never
 * has to be decoded whole: the reader stops it). Used by the rules' `Reception`, for both transports.
 */
import * as Zlib from "node:zlib"

/** The `Accept-Encoding` sent under `decompress: true`. @internal */
export const acceptEncoding = "gzip, deflate, br"

/** A content coding the decoder understands. @internal */
export type Encoding = "gzip" | "deflate" | "br"

/** A `Content-Encoding` that cannot be decoded, and why. @internal */
export class Unsupported {
  readonly _tag = "Unsupported"
  constructor(readonly reason: string) {}
}

const known: Readonly<Record<string, Encoding>> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate", br: "br" }

/**
 * The coding of a body from its `Content-Encoding`: `undefined` for none (absent, empty or `identity`),
 * else the one coding applied, or why it cannot be decoded (an unknown coding, or several). @internal
 */
export const contentEncoding = (value: string | undefined): Encoding | Unsupported | undefined => {
  if (value === undefined) return undefined
  const codings = value
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity")
  if (codings.length === 0) return undefined
  const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  if (codings.length > 1) return new Unsupported(`content-encoding ${shown} stacks codings; one is supported`)
  const coding = known[codings[0]!]
  return coding ?? new Unsupported(`content-encoding ${shown} is not supported (gzip, deflate or br are)`)
}

/** Whether two bytes start a zlib stream (RFC 1950: deflate method, and a header checksum that holds). */
const zlibHeader = (b0: number, b1: number): boolean => (b0 & 0x0f) === 8 && b0 >> 4 <= 7 && ((b0 << 8) | b1) % 31 === 0

/** Where a decoder's output goes. @internal */
export interface DecoderSink {
  /** Decoded bytes; `false` stops decoding at once (the decoder is destroyed, nothing more arrives). */
  data(bytes: Uint8Array): boolean
  /** The encoded bytes are corrupt or truncated; nothing more arrives. */
  failed(cause: Error): void
  /** Every byte was decoded. */
  ended(): void
}

/**
 * Decodes one body. `write` hands it a chunk from the wire and calls `drained` (always later, never
 * synchronously) once the chunk was decoded, its output given to the sink — unless the decoder stopped
 * meanwhile (then `drained` is never called). `end` says the wire is done. `destroy` stops it (the
 * output of what it was decoding is dropped). `deflate` is decoded whether it is zlib-wrapped (as the
 * RFC says) or raw (as some servers send it), told apart by its first two bytes. An empty body is
 * empty, not an error. @internal
 */
export class Decoder {
  private stream: Zlib.Gunzip | Zlib.Inflate | Zlib.InflateRaw | Zlib.BrotliDecompress | undefined = undefined
  /** `deflate`'s first byte, while the second (which tells zlib from raw) has not come. */
  private first: Buffer | undefined = undefined
  private stopped = false

  constructor(
    readonly encoding: Encoding,
    readonly sink: DecoderSink
  ) {}

  write(bytes: Uint8Array, drained: () => void): void {
    if (this.stopped) return
    let chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (this.stream === undefined) {
      if (this.encoding === "deflate") {
        if (this.first !== undefined) chunk = Buffer.concat([this.first, chunk])
        if (chunk.length < 2) {
          this.first = chunk
          process.nextTick(() => this.stopped || drained())
          return
        }
        this.first = undefined
      }
      this.stream = this.open(chunk)
    }
    this.stream.write(chunk, () => this.stopped || drained())
  }

  end(): void {
    if (this.stopped) return
    if (this.stream === undefined) {
      if (this.first === undefined) {
        // nothing came: an empty body (zlib would call it truncated)
        this.stopped = true
        process.nextTick(() => this.sink.ended())
        return
      }
      this.stream = this.open(this.first)
      this.stream.write(this.first)
    }
    this.stream.end()
  }

  destroy(): void {
    if (this.stopped) return
    this.stopped = true
    this.stream?.destroy()
  }

  private open(head: Buffer) {
    const stream =
      this.encoding === "gzip"
        ? Zlib.createGunzip()
        : this.encoding === "br"
          ? Zlib.createBrotliDecompress()
          : zlibHeader(head[0]!, head[1] ?? 0)
            ? Zlib.createInflate()
            : Zlib.createInflateRaw()
    stream.on("data", (out: Buffer) => {
      if (!this.stopped && !this.sink.data(out)) this.destroy()
    })
    stream.on("error", (cause: Error) => {
      if (this.stopped) return
      this.destroy()
      this.sink.failed(cause)
    })
    stream.on("end", () => {
      if (this.stopped) return
      this.stopped = true
      this.sink.ended()
    })
    return stream
  }
}
