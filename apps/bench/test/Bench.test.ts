import { describe, expect, it } from "vitest"
import { type Case, median, runCase, table } from "../src/Bench.js"

const sleepCase = (oursMs: number, peerMs: number): Case => ({
  name: "sleep",
  title: "sleeps",
  n: { full: 1, quick: 1 },
  targets: { peer: 1 },
  contenders: [
    { name: "ours", ours: true, run: () => new Promise((r) => setTimeout(r, oursMs)) },
    { name: "peer", run: () => new Promise((r) => setTimeout(r, peerMs)) }
  ]
})

describe("Bench", () => {
  it("median picks the middle sample, and the mean of the middle two for even counts", () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it("runCase reports ours ÷ theirs and whether the target is met", async () => {
    const rows = await runCase(sleepCase(5, 40), { quick: true, rounds: 3 })
    const peer = rows.find((r) => r.contender === "peer")!
    expect(peer.samplesMs).toHaveLength(3)
    expect(peer.ratio).toBeLessThan(1)
    expect(peer.met).toBe(true)
    expect(table(rows)).toContain("| sleep | 1 | **ours** |")
  })

  it("runCase refuses a case with no contender of ours", async () => {
    const c = sleepCase(1, 1)
    await expect(runCase({ ...c, contenders: c.contenders.slice(1) }, { quick: true, rounds: 3 })).rejects.toThrow(
      "no contender is marked ours"
    )
  })

  it("table shows live heap, and whether ours is within the case's limit", () => {
    const row = {
      case: "heap",
      title: "heap",
      n: 1,
      samplesMs: [1],
      medianMs: 1,
      perOpUs: 1000,
      ratio: 1
    }
    const text = table([
      { ...row, contender: "ours", ours: true, liveHeapMiB: 3.2, liveHeapMet: true },
      { ...row, contender: "peer", ours: false, liveHeapMiB: 20 }
    ])
    expect(text).toContain("live heap MiB")
    expect(text).toContain("| 3.2 ✅ |")
    expect(text).toContain("| 20.0 |")
  })
})
