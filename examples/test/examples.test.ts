import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { format } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { Console, Effect, Logger } from "effect"

/**
 * Runs a program as `pnpm example` does (`NodeRuntime.runMain` logs with Effect's pretty logger,
 * uncoloured when the output is not a terminal), with a Console that records every line printed —
 * by `Console.log` and by the logger, indented as Node's `console.group` indents.
 */
const capture = <A, E>(program: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const lines: Array<string> = []
    let depth = 0
    const print = (...args: ReadonlyArray<unknown>) => {
      for (const line of format(...args).split("\n")) lines.push(`${"  ".repeat(depth)}${line}`)
    }
    const console = yield* Console.consoleWith((c) => Effect.succeed(c))
    const recording: Console.Console = {
      ...console,
      log: (...args) => Effect.sync(() => print(...args)),
      unsafe: {
        ...console.unsafe,
        log: print,
        group: () => {
          depth++
        },
        groupEnd: () => {
          depth = Math.max(0, depth - 1)
        }
      }
    }
    yield* Effect.withConsole(program, recording).pipe(
      Effect.provide(Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ colors: false })))
    )
    return lines
  })

const dir = fileURLToPath(new URL("../src/", import.meta.url))
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "runExample.ts")
  .map((f) => f.slice(0, -3))

/**
 * What an example prints, as recorded at the end of its file (and so shown in the guide): the comment
 * lines after `// Output:`. Undefined when the file records none.
 */
const recordedOutput = (name: string): ReadonlyArray<string> | undefined => {
  const lines = readFileSync(`${dir}${name}.ts`, "utf8").trimEnd().split("\n")
  const start = lines.lastIndexOf("// Output:")
  if (start < 0) return undefined
  return lines.slice(start + 1).map((line) => {
    if (!line.startsWith("//")) throw new Error(`${name}.ts: a line after "// Output:" is not a comment: ${line}`)
    return line.replace(/^\/\/ ?/, "")
  })
}

/** What differs from run to run: the log lines' clock time and fiber ids, the test server's port. */
const normalise = (line: string): string =>
  line
    .replace(/^(\s*)\[\d{2}:\d{2}:\d{2}\.\d{3}\]/, "$1[hh:mm:ss.mmm]")
    .replace(/\(#\d+\)/g, "(#n)")
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:port")

describe("guide examples", () => {
  it("every example file records what it prints (a `// Output:` block at its end)", () => {
    expect(names.filter((name) => recordedOutput(name) === undefined)).toEqual([])
  })

  for (const name of names) {
    it.live(`${name} prints exactly the output its file (and the guide) shows`, () =>
      Effect.gen(function* () {
        const mod = (yield* Effect.promise(() => import(`../src/${name}.ts`))) as {
          program: Effect.Effect<unknown, unknown>
        }
        const lines = yield* capture(mod.program)
        expect(lines.map(normalise).join("\n")).toBe((recordedOutput(name) ?? []).map(normalise).join("\n"))
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
