// The same program from CommonJS: `require` of the ESM-only packages (Node >= 20.19).
const Http = require("node:http")
const { Effect } = require("effect")
const { Task, TaskFailures } = require("@tapestry/core")
const { Download, FastHttpClient } = require("@tapestry/platform")

const server = Effect.acquireRelease(
  Effect.async((resume) => {
    const server = Http.createServer((req, res) => {
      res.writeHead(req.url === "/ok" ? 200 : 404).end(req.url === "/ok" ? "hello" : "")
    })
    server.listen(0, "127.0.0.1", () =>
      resume(Effect.succeed({ server, base: `http://127.0.0.1:${server.address().port}` }))
    )
  }),
  ({ server }) =>
    Effect.async((resume) => {
      server.close(() => resume(Effect.void))
    })
)

const program = Effect.gen(function* () {
  const { base } = yield* server
  const ok = yield* Download.get(`${base}/ok`)
  const missing = yield* Download.get(`${base}/missing`).pipe(
    Effect.as("unexpected success"),
    Effect.catchTag("HttpStatusError", (error) => Effect.succeed(`HttpStatusError ${error.status}`))
  )
  const [one, two] = yield* Task.whenAll([Effect.succeed(1), Effect.succeed("two")])
  const failures = yield* Effect.flip(Download.first([`${base}/missing`, `${base}/gone`]))
  console.log(
    `consumer (cjs): ${ok.bytes} bytes; ${missing}; whenAll ${one},${two}; ` +
      `first failed ${failures.failures.length}; one core: ${failures instanceof TaskFailures}`
  )
})

Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(FastHttpClient.layer))).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
