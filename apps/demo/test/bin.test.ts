import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

describe("demo", () => {
  it("runs its example and exits 0", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", bin], { encoding: "utf8" })
    expect(out).toContain("Task.fromResult(42) → 42")
  })
})
