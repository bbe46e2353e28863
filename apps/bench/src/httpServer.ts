/**
 * The HTTP bench's server: a plain `node:http` server on 127.0.0.1 (ephemeral port) answering every
 * request with the same body (`BODY_BYTES`, default 16 KiB) and keep-alive. It runs in a process of
 * its own, so every client in the bench measures against the same server and none shares its
 * event loop. Its first stdout line is `HTTP_BENCH_URL=http://127.0.0.1:PORT`.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

const size = Number(process.env.BODY_BYTES ?? 16 * 1024)
const body = Buffer.alloc(size, 120)
const headers = { "content-type": "application/octet-stream", "content-length": String(size) }

const server = Http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  req.resume()
  res.writeHead(200, headers)
  res.end(body)
})
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`HTTP_BENCH_URL=http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
const stop = () => {
  server.close()
  server.closeAllConnections()
  process.exit(0)
}
process.on("SIGTERM", stop)
process.on("SIGINT", stop)
// The bench dies: so do we.
process.stdin.on("end", stop)
process.stdin.resume()
