/**
 * The real command in a real terminal (tmux, on a server of its own that the tests start and remove):
 * a 60×12 screen gets a live block that fits and leaves nothing behind in the scrollback, the cursor
 * is hidden while it draws and back afterwards, a key press cancels `bailout`, and Ctrl-C interrupts,
 * names what was cancelled and exits 130.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"

const appDir = fileURLToPath(new URL("..", import.meta.url))
const hasTmux = spawnSync("tmux", ["-V"]).status === 0
if (!hasTmux) console.warn("skipping the terminal tests: tmux is not installed (apt-get install -y tmux)")

// A server of our own: never the user's default one, no user configuration, removed at the end.
const socket = `tapestry-demo-test-${process.pid}`
const tmux = (...args: ReadonlyArray<string>) =>
  spawnSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" })
const dir = mkdtempSync(join(tmpdir(), "tapestry-demo-"))
let socketPath: string | undefined

afterAll(() => {
  tmux("kill-server")
  if (socketPath !== undefined) rmSync(socketPath, { force: true })
  rmSync(dir, { recursive: true, force: true })
})

const waitFor = async <A>(what: string, probe: () => A | undefined, timeoutMs: number): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Starts `demo ...args` in a `columns` × `rows` terminal; the session stays open after it exits. */
const start = (name: string, columns: number, rows: number, args: string) => {
  const exitFile = join(dir, `${name}.exit`)
  const script = `cd '${appDir}' && node --import tsx src/bin.ts ${args}; echo "EXIT=$?" > '${exitFile}'; sleep 60`
  const started = tmux("new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows), "bash", "-c", script)
  expect(started.status).toBe(0)
  tmux("set-option", "-t", name, "status", "off")
  socketPath ??= tmux("display-message", "-p", "#{socket_path}").stdout.trim()
  return {
    screen: () => tmux("capture-pane", "-p", "-t", name).stdout,
    /** The scrollback and the screen. */
    everything: () => tmux("capture-pane", "-p", "-t", name, "-S", "-", "-E", "-").stdout,
    cursorVisible: () => tmux("display-message", "-p", "-t", name, "#{cursor_flag}").stdout.trim() === "1",
    keys: (...keys: ReadonlyArray<string>) => tmux("send-keys", "-t", name, ...keys),
    exit: () =>
      waitFor(
        "the exit status",
        () => (existsSync(exitFile) ? readFileSync(exitFile, "utf8").trim() : undefined),
        60_000
      )
  }
}

describe.skipIf(!hasTmux)("demo in a terminal", () => {
  it("in 60×12 the live block fits the screen, the cursor hides while it draws, and the scrollback keeps only the lines", async () => {
    const term = start("small", 60, 12, "throttle --concurrency 4")
    const busy = await waitFor(
      "a full live block",
      () => {
        const text = term.screen()
        return /more downloads?/.test(text) && / total /.test(text) ? text : undefined
      },
      60_000
    )
    expect(term.cursorVisible()).toBe(false)
    const lines = busy.split("\n")
    expect(lines.filter((line) => /[█░▒·]{4}| total | more download/.test(line)).length).toBeLessThanOrEqual(11)
    for (const line of lines) expect(line.length).toBeLessThan(60)
    expect(await term.exit()).toBe("EXIT=0")
    expect(term.cursorVisible()).toBe(true)
    const all = term.everything()
    // Every download is told once, by its line; no frame was left behind, on the screen or above it.
    for (let n = 1; n <= 12; n++) expect(all.split(`[${String(n).padStart(2)}/12]`)).toHaveLength(2)
    expect(all).not.toMatch(/[█░▒]/)
    expect(all).toContain("peak in flight: 4 (cap 4)")
    expect(all).toMatch(/LocalWeb: 12 requests started, 12 finished, 0 aborted by the\s*client, 0 in flight/)
  }, 120_000)

  it("bailout waits for a key press and a key cancels the long download", async () => {
    const term = start("key", 120, 30, "bailout --timeout 300ms")
    await waitFor("the prompt", () => (term.screen().includes("press any key to cancel") ? true : undefined), 60_000)
    await waitFor("bytes of the video", () => (/\/long-video .*KiB \//.test(term.screen()) ? true : undefined), 30_000)
    term.keys("x")
    expect(await term.exit()).toBe("EXIT=0")
    const all = term.everything()
    expect(all).toContain("/long-video: cancelled by a key press; the download was interrupted")
    expect(all).toMatch(/LocalWeb: 2 requests started, 0 finished, 2 aborted by the client, 0 in flight/)
    expect(term.cursorVisible()).toBe(true)
  }, 120_000)

  it("Ctrl-C cancels, names the cancelled downloads, shows the cursor again and exits 130", async () => {
    const term = start("ctrl-c", 140, 40, "throttle --concurrency 1")
    const screen = await waitFor(
      "progress bars",
      () => {
        const text = term.screen()
        return /\/photo-02 .*█/.test(text) && / total /.test(text) ? text : undefined
      },
      60_000
    )
    expect(screen).toMatch(/ total +[\d.]+ (B|KiB|MiB) · [\d.]+ (B|KiB|MiB)\/s · \d+ downloads?: 1 running/)
    expect(term.cursorVisible()).toBe(false)
    term.keys("C-c")
    expect(await term.exit()).toBe("EXIT=130")
    const after = term.everything()
    expect(after).toMatch(/interrupted: cancelled 1 unfinished download: \/photo-\d\d/)
    expect(after).toMatch(/LocalWeb: .* 0 in flight/)
    expect(after).toContain("demo: interrupted — every download was cancelled")
    expect(term.cursorVisible()).toBe(true)
  }, 120_000)
})
