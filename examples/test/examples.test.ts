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
  "from-result": ["fromResult → 42"]
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
