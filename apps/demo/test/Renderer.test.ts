/**
 * The live block as a terminal of a given size receives it: never taller than the screen, never wider
 * than a row, labels that stay distinct, and an honest bar for a download of unknown size.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import * as Format from "../src/Format.js"
import { type Bar, type Board, frame, Renderer } from "../src/Renderer.js"
import { cancelledNote } from "../src/Scenario.js"
import * as Screen from "../src/Screen.js"

const bar = (id: number, overrides: Partial<Bar> = {}): Bar => ({
  id,
  label: `/photo-${String(id + 1).padStart(2, "0")}`,
  received: 20 * 1024,
  total: 40 * 1024,
  answered: true,
  state: "running",
  startedAt: 0,
  endedAt: undefined,
  ...overrides
})

const board = (bars: ReadonlyArray<Bar>): Board => ({ title: "t", startedAt: 0, bars })

describe("Renderer.frame", () => {
  it("in 60×12 twelve downloads take at most 11 lines, each under 60 columns, running ones shown first", () => {
    const bars = Array.from({ length: 12 }, (_, i) => bar(i, { state: i < 8 ? "done" : "running" }))
    const lines = frame(board(bars), 1_000, 60, 12)
    expect(lines.length).toBeLessThanOrEqual(11)
    for (const line of lines) expect(line.length).toBeLessThan(60)
    for (const n of ["09", "10", "11", "12"]) expect(lines.some((line) => line.includes(`/photo-${n} `))).toBe(true)
    expect(lines).toContain(" … 3 more downloads")
    expect(lines.at(-1)).toMatch(/^ total +[\d.]+ KiB · 12 downloads: 4 running, 8 done$/)
    const wide = frame(board(bars), 1_000, 120, 40)
    expect(wide).toHaveLength(13)
    expect(wide.at(-1)).toMatch(/^ total +[\d.]+ KiB · [\d.]+ KiB\/s · 12 downloads: 4 running, 8 done$/)
  })

  it("in 60 columns the total line keeps every state's count whole, dropping the rate and the sum first", () => {
    const bars = Array.from({ length: 10 }, (_, i) =>
      bar(i, { label: `calm /page-${i}`, state: i === 0 ? "failed" : i < 8 ? "done" : "running" })
    )
    const total = frame(board(bars), 1_000, 60, 12).at(-1) ?? ""
    expect(total.length).toBeLessThan(60)
    expect(total).toMatch(/^ total +[\d.]+ KiB · 2 running, 7 done, 1 failed$/)
  })

  it("a screen too small for any bar still gets the total line, and nothing more", () => {
    const lines = frame(board([bar(0), bar(1)]), 1_000, 40, 2)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^ total/)
  })

  it("long URL labels keep their distinguishing ends", () => {
    const base = "http://user:***@mirror.example.org:8080/downloads/releases/2024"
    const bars = ["/alpha-build.tar.gz", "/beta-build.tar.gz"].map((tail, i) => bar(i, { label: `${base}${tail}` }))
    const lines = frame(board(bars), 1_000, 80, 24)
    expect(lines[0]).toContain("alpha-build.tar.gz")
    expect(lines[1]).toContain("beta-build.tar.gz")
    expect(lines[0]).toContain("…")
  })

  it("an unknown size shows '?' and a sweeping block, never a full bar, while running", () => {
    const unknown = bar(0, { total: undefined, received: 0 })
    for (const now of [0, 400, 800, 1_200]) {
      const line = frame(board([unknown]), now, 100, 24)[0] ?? ""
      expect(line).toContain("0 B / ?")
      expect(line).not.toContain("█")
      expect(line).toContain("▒▒▒")
    }
    const positions = [0, 240, 480].map((now) => (frame(board([unknown]), now, 100, 24)[0] ?? "").indexOf("▒"))
    expect(new Set(positions).size).toBeGreaterThan(1)
  })

  it("a download still waiting for its headers says so", () => {
    const line = frame(board([bar(0, { answered: false, received: 0, total: undefined })]), 0, 100, 24)[0] ?? ""
    expect(line).toMatch(/·+ +waiting$/)
  })
})

describe("Renderer on a terminal", () => {
  it.effect("every frame shows the board as it is when drawn: the download count never goes back", () =>
    Effect.gen(function* () {
      const { layer, output } = Screen.capture({ isTTY: true, columns: 100, rows: 40 })
      const program = Effect.gen(function* () {
        const renderer = yield* Renderer
        // Reports in a burst, then a quiet second (a Retry-After wait): only the heartbeat draws.
        const download = (label: string) =>
          renderer.track(label, (progress) =>
            Effect.forEach([4, 8, 12, 16, 20], (received) =>
              Effect.zipRight(progress.report({ url: label, received, total: 20 }), Effect.sleep("20 millis"))
            )
          )
        const body = Effect.zipRight(
          Effect.forEach(["/a", "/b", "/c"], download, { discard: true }),
          Effect.sleep("1 second")
        )
        yield* renderer.show("t", body)
      }).pipe(Effect.provide(Renderer.DefaultWithoutDependencies), Effect.provide(layer))
      const fiber = yield* Effect.fork(program)
      for (let i = 0; i < 150; i++) yield* TestClock.adjust("10 millis")
      yield* Fiber.join(fiber)
      const counts = [...output.stdout().matchAll(/ total .*?(\d+) downloads?:/g)].map((m) => Number(m[1]))
      expect(counts.length).toBeGreaterThan(5)
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] ?? 0)
    })
  )
})

describe("Scenario.cancelledNote", () => {
  const states = (...list: ReadonlyArray<Bar["state"]>) => list.map((state, i) => bar(i, { state }))

  it("says nothing when LocalWeb saw every cancelled download cut off", () => {
    expect(cancelledNote(states("done", "cancelled", "cancelled"), 3, 2)).toBeUndefined()
  })

  it("tells a download that never reached LocalWeb from one it had sent in full", () => {
    // 8 requests reached LocalWeb, 7 were cut off: the 8th cancelled one had been sent whole.
    expect(cancelledNote(states(...Array.from({ length: 8 }, () => "cancelled" as const)), 8, 7)).toBe(
      "   (8 downloads were cancelled and LocalWeb saw 7 cut off on the wire: 1 had been sent in full but not read yet)"
    )
    // 3 bars, 2 requests: the third never got there.
    expect(cancelledNote(states("done", "cancelled", "cancelled"), 2, 1)).toBe(
      "   (2 downloads were cancelled and LocalWeb saw 1 cut off on the wire: 1 had not reached it yet)"
    )
  })
})

describe("Format", () => {
  it("fitMiddle keeps the start and the longer end, exactly width characters", () => {
    expect(Format.fitMiddle("http://127.0.0.1:40285/mirror-missing", 20)).toBe("http…/mirror-missing")
    expect(Format.fitMiddle("http://127.0.0.1:40285/mirror-missing", 20)).toHaveLength(20)
    expect(Format.fitMiddle("short", 8)).toBe("short   ")
  })

  it("bar: a known total fills in proportion; an unknown one is full only when done", () => {
    expect(Format.bar(50, 100, 10)).toBe("█████░░░░░")
    expect(Format.bar(5, undefined, 10, "done")).toBe("██████████")
    expect(Format.bar(5, undefined, 10, "cancelled")).toBe("░░░░░░░░░░")
    expect(Format.bar(5, undefined, 10, "running", 0)).toBe("▒▒▒░░░░░░░")
  })

  it("plural and millis read as English", () => {
    expect(Format.plural(1, "download")).toBe("1 download")
    expect(Format.plural(2, "miss", "misses")).toBe("2 misses")
    expect(Format.millis(3_000)).toBe("3 s")
    expect(Format.millis(1_530)).toBe("1.53 s")
    expect(Format.millis(412)).toBe("412 ms")
  })
})
