import { spawnSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Console, Effect } from "effect"

/** Runs a program with a Console that records every line it logs. */
const capture = <A, E>(program: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const lines: Array<string> = []
    const console = yield* Console.consoleWith((c) => Effect.succeed(c))
    const recording: Console.Console = {
      ...console,
      log: (...args) => Effect.sync(() => void lines.push(args.map(String).join(" "))),
      unsafe: { ...console.unsafe, log: (...args) => void lines.push(args.map(String).join(" ")) }
    }
    yield* Effect.withConsole(program, recording)
    return lines
  })

const dir = fileURLToPath(new URL("../src/", import.meta.url))
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "runExample.ts")
  .map((f) => f.slice(0, -3))

/** What each example must print: every example is listed, so none can drift from the code unnoticed. */
const expected: Record<string, ReadonlyArray<string | RegExp>> = {
  "when-all": [
    "lengths: 5, 6, 7",
    "Ada has 3 orders",
    "sent to ada@example.com",
    "2 failed: #1 bob@invalid, #3 dee@invalid"
  ],
  redundancy: [
    "slow: interrupted",
    "medium: interrupted",
    "service #1 answered first: 100",
    "first successful quote: 99"
  ],
  interleaving: [/added #1: small.png[\s\S]*added #2: medium.png[\s\S]*added #0: large.png/],
  throttling: [/^40 downloads, at most 15 at once$/m],
  "early-bailout": ["download interrupted\ncancelled", "added bitmap"],
  timeout: ["in time: image", "slow download interrupted", "timed out after"],
  "retry-on-fault": ["page after 3 calls", "gave up after 3 attempts: down, down, down"],
  "need-only-one": ["primary started\nanswer from primary", "every replica failed: a down, b down"],
  "when-all-or-first-failure": ["resize interrupted", "first failure: upload failed"],
  "async-cache": ["6 requests, 2 downloads"],
  "producer-consumer": ["consumed everything: sum 15", "adding after complete fails"],
  progress: ["25%\n50%\n75%\n100%", "latest: 100%"],
  "async-lock": ["without a lock: 1", "with a lock: 2"],
  "async-lazy": ["3 callers, 1 connect"],
  run: ["run + fromResult → 42"],
  "rate-limiter": [
    "call 1 started in window 0\ncall 2 started in window 0\ncall 3 started in window 1\ncall 4 started in window 1\ncall 5 started in window 2"
  ],
  "circuit-breaker": [
    "service down (attempt 3)\nfail fast: the circuit is open, the service was not called",
    "the service was called 3 times, the breaker is open",
    "service down (attempt 4)\nanswer on attempt 5\nthe breaker is closed"
  ],
  "download-first": ["first successful download: /fast, 1024 bytes", "losers aborted on the wire: 2, in flight: 0"]
}

describe("guide examples", () => {
  it("every example file has expectations", () => {
    expect(names.sort()).toEqual(Object.keys(expected).sort())
  })

  for (const name of names) {
    it.live(`${name} runs and prints what the guide shows`, () =>
      Effect.gen(function* () {
        const mod = (yield* Effect.promise(() => import(`../src/${name}.ts`))) as {
          program: Effect.Effect<unknown, unknown>
        }
        const lines = yield* capture(mod.program)
        const out = lines.join("\n")
        for (const e of expected[name] ?? []) {
          if (typeof e === "string") expect(out).toContain(e)
          else expect(out).toMatch(e)
        }
      })
    )
  }
})

describe("docs/guide.md", () => {
  it("shows exactly the code of the examples it names", () => {
    const script = fileURLToPath(new URL("../../scripts/guide.ts", import.meta.url))
    const check = spawnSync(process.execPath, ["--import", "tsx", script, "--check"], { encoding: "utf8" })
    expect(check.stderr).toBe("")
    expect(check.status).toBe(0)
  })
})
