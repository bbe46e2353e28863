/**
 * The live block as a terminal of a given size receives it: never taller than the screen, never wider
 * than a row, labels that stay distinct, and an honest bar for a download of unknown size.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Format from "../src/Format.js"
import { type Bar, type Board, frame } from "../src/Renderer.js"

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
