// Sums vitest's "Tests  N failed | M passed (T)" lines in a log into one "N passed, N failed" line.
import { readFileSync } from "node:fs"

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours from the log
const text = readFileSync(process.argv[2], "utf8").replace(/\u001b\[[0-9;]*m/g, "")
let passed = 0
let failed = 0
let skipped = 0
for (const line of text.split("\n")) {
  const m = /^\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line)
  if (m === null) continue
  for (const [, n, what] of m[1].matchAll(/(\d+) (passed|failed|skipped)/g)) {
    if (what === "passed") passed += Number(n)
    else if (what === "failed") failed += Number(n)
    else skipped += Number(n)
  }
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`)
