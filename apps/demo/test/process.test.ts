/**
 * The demo as a process, the way a shell runs it: piped it prints plain lines and exits 0; a bad
 * command line exits 2 with one `demo:` line and the usage; and when the reader of its output goes
 * away (`| head -1`) it ends at once, quietly, with no "Unhandled 'error' event".
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const appDir = fileURLToPath(new URL("..", import.meta.url))

interface Ended {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** `node --import tsx src/bin.ts ...args`, what `pnpm demo` runs. */
const demo = (args: ReadonlyArray<string>): { readonly child: ChildProcess; readonly ended: Promise<Ended> } => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/bin.ts", ...args], {
    cwd: appDir,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout?.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
  const ended = new Promise<Ended>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  return { child, ended }
}

describe("demo as a process", () => {
  it("piped, a scenario prints plain lines (no escape codes) and exits 0", async () => {
    const { code, stderr, stdout } = await demo(["first"]).ended
    expect(code).toBe(0)
    expect(stdout).toContain("── first: ")
    expect(stdout).toContain("Length of the downloaded website: 49152 bytes")
    expect(stdout).toContain(" 0 in flight")
    expect(stdout).not.toContain("\u001b")
    expect(stderr).toBe("")
  }, 60_000)

  it("a bad flag exits 2 with one demo: line and the usage on stderr, nothing on stdout", async () => {
    const { code, stderr, stdout } = await demo(["throttle", "--concurrency", "abc"]).ended
    expect(code).toBe(2)
    expect(stdout).toBe("")
    expect(stderr.trimEnd().split("\n")).toEqual([
      'demo: --concurrency must be a positive integer, got "abc"',
      "usage: demo throttle [--url URL]… [--concurrency N]  (--help explains each option)"
    ])
  }, 60_000)

  it("when the reader goes away after the first line (| head -1) it exits 0 at once, quietly", async () => {
    const { child, ended } = demo([])
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        if (!chunk.includes(10)) return
        child.stdout?.off("data", onData)
        resolve()
      }
      child.stdout?.on("data", onData)
    })
    // What `head -1` does once it has its line: close its end of the pipe.
    const closedAt = Date.now()
    child.stdout?.destroy()
    const { code, signal, stderr } = await ended
    expect({ code, signal }).toEqual({ code: 0, signal: null })
    expect(stderr).toBe("")
    // The whole show takes many seconds; it stops well before that, as soon as the next line finds no reader.
    expect(Date.now() - closedAt).toBeLessThan(3_000)
  }, 60_000)
})
