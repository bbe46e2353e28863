import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Net from "node:net"
import { Effect, type Scope } from "effect"

/** What a hand-written test server saw of one request. */
export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
}

/**
 * A `node:http` server on 127.0.0.1 for the faults LocalWeb does not script; closed with the scope.
 * Returns its base URL (`http://127.0.0.1:PORT`) and every request it saw.
 */
export const serve = (
  handler: (req: Http.IncomingMessage, res: Http.ServerResponse) => void
): Effect.Effect<{ readonly base: string; readonly seen: Array<Seen> }, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; base: string; seen: Array<Seen> }>((resume) => {
      const seen: Array<Seen> = []
      const server = Http.createServer((req, res) => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers })
        handler(req, res)
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }))
      )
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/**
 * An HTTP proxy that only tunnels (`CONNECT host:port`), as undici's `ProxyAgent` uses it; closed with
 * the scope. Returns its URL and the targets it was asked to connect to.
 */
export const tunnelProxy: Effect.Effect<
  { readonly url: string; readonly connects: Array<string> },
  never,
  Scope.Scope
> = Effect.acquireRelease(
  Effect.async<{ server: Http.Server; url: string; connects: Array<string>; sockets: Set<Net.Socket> }>((resume) => {
    const connects: Array<string> = []
    const sockets = new Set<Net.Socket>()
    const server = Http.createServer((_, res) => {
      res.statusCode = 405
      res.end()
    })
    server.on("connect", (req: Http.IncomingMessage, socket: Net.Socket, head: Buffer) => {
      const target = req.url ?? ""
      connects.push(target)
      sockets.add(socket)
      const [host, port] = target.split(":")
      const upstream = Net.connect(Number(port), host, () => {
        sockets.add(upstream)
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n")
        upstream.write(head)
        upstream.pipe(socket)
        socket.pipe(upstream)
      })
      upstream.on("error", () => socket.destroy())
      socket.on("error", () => upstream.destroy())
    })
    server.listen(0, "127.0.0.1", () =>
      resume(
        Effect.succeed({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connects, sockets })
      )
    )
  }),
  ({ server, sockets }) =>
    Effect.async<void>((resume) => {
      for (const socket of sockets) socket.destroy()
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)
