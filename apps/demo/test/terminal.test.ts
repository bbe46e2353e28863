/**
 * The real command in a real terminal: `demo throttle` under tmux draws progress bars, and Ctrl-C
 * interrupts it, names what was cancelled and exits 130.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const appDir = fileURLToPath(new URL("..", import.meta.url))
const hasTmux = spawnSync("tmux", ["-V"]).status === 0
if (!hasTmux) console.warn("skipping the terminal test: tmux is not installed (apt-get install -y tmux)")

const tmux = (...args: ReadonlyArray<string>) => spawnSync("tmux", args, { encoding: "utf8" })

const waitFor = async <A>(what: string, probe: () => A | undefined, timeoutMs: number): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe("demo in a terminal", () => {
  it.skipIf(!hasTmux)(
    "throttle draws live progress bars under tmux; Ctrl-C cancels, names the cancelled downloads and exits 130",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "tapestry-demo-"))
      const exitFile = join(dir, "exit")
      const session = `tapestry-demo-${process.pid}`
      const script = `cd '${appDir}' && node --import tsx src/bin.ts throttle --concurrency 1; echo "EXIT=$?" > '${exitFile}'; sleep 30`
      try {
        const started = tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "40", "bash", "-c", script)
        expect(started.status).toBe(0)
        const capture = () => tmux("capture-pane", "-p", "-t", session).stdout
        const screen = await waitFor(
          "progress bars",
          () => {
            const text = capture()
            return /█/.test(text) && /\/photo-02 .*█/.test(text) && / total /.test(text) ? text : undefined
          },
          60_000
        )
        expect(screen).toMatch(/\/photo-01 .* done/)
        expect(screen).toMatch(/ total +[\d.]+ (B|KiB|MiB) · [\d.]+ (B|KiB|MiB)\/s/)
        tmux("send-keys", "-t", session, "C-c")
        const status = await waitFor(
          "the exit status",
          () => (existsSync(exitFile) ? readFileSync(exitFile, "utf8").trim() : undefined),
          30_000
        )
        expect(status).toBe("EXIT=130")
        const after = capture()
        expect(after).toMatch(/interrupted: cancelled 1 download in flight: \/photo-\d\d/)
        expect(after).toMatch(/LocalWeb: .* 1 aborted by the client, 0 in flight/)
      } finally {
        tmux("kill-session", "-t", session)
        rmSync(dir, { recursive: true, force: true })
      }
    },
    120_000
  )
})
