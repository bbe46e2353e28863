// A user's program, compiled with the user's own strict tsconfig against the installed tarballs and run with node.
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { AsyncCache, Task, TaskFailures } from "@tapestry/core"
import * as TaskModule from "@tapestry/core/Task"
import { Download, FastHttpClient } from "@tapestry/platform"
import type { DownloadError } from "@tapestry/platform/DownloadError"
import { Effect } from "effect"

// A loopback server: /ok answers "hello", anything else 404.
const server = Effect.acquireRelease(
  Effect.async<{ readonly server: Http.Server; readonly base: string }>((resume) => {
    const server = Http.createServer((req, res) => {
      res
        .writeHead(req.url === "/ok" ? 200 : 404, { "content-type": "text/plain" })
        .end(req.url === "/ok" ? "hello" : "")
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(Effect.succeed({ server, base: `http://127.0.0.1:${port}` }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.close(() => resume(Effect.void))
    })
)

const program = Effect.gen(function* () {
  const { base } = yield* server
  const ok = yield* Download.get(`${base}/ok`)
  const missing: string = yield* Download.get(`${base}/missing`).pipe(
    Effect.as("unexpected success"),
    Effect.catchTag("HttpStatusError", (error) => Effect.succeed(`HttpStatusError ${error.status}`))
  )
  const [one, two] = yield* Task.whenAll([Effect.succeed(1), Effect.succeed("two")] as const)
  const failures: TaskFailures<DownloadError> = yield* Effect.flip(Download.first([`${base}/missing`, `${base}/gone`]))
  const cache = yield* AsyncCache.make({ lookup: (key: string) => Effect.succeed(key.length) })
  const cached = yield* cache.get("four")
  const oneCore = failures instanceof TaskFailures && failures instanceof TaskModule.TaskFailures
  console.log(
    `consumer: ${ok.bytes} bytes; ${missing}; whenAll ${one},${two}; ` +
      `first failed ${failures.failures.length}; cache ${cached}; one core: ${oneCore}`
  )
})

NodeRuntime.runMain(program.pipe(Effect.scoped, Effect.provide(FastHttpClient.layer)))
