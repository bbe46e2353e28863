/**
 * `pnpm --filter @tapestry/platform local-web`: serves LocalWeb's default sites on 127.0.0.1 until
 * Ctrl-C. The first stdout line is `LOCAL_WEB_URL=http://127.0.0.1:PORT` (for other processes to
 * read); the list of sites follows.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Effect, Exit } from "effect"
import * as LocalWeb from "../LocalWeb.js"

const program = Effect.gen(function* () {
  const web = yield* LocalWeb.LocalWeb
  process.stdout.write(`LOCAL_WEB_URL=${web.baseUrl}\n`)
  for (const [path, site] of Object.entries(web.sites)) {
    process.stdout.write(`  ${web.url(path)}  ${JSON.stringify(site)}\n`)
  }
  process.stdout.write("serving until Ctrl-C\n")
  return yield* Effect.never
})

// Ctrl-C interrupts the program, which closes the server: that is a clean exit (130, as shells expect).
NodeRuntime.runMain(program.pipe(Effect.provide(LocalWeb.layer())), {
  teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? 0 : Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
})
