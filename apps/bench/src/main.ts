/**
 * `pnpm bench [--quick] [--json] [--rounds N] [case…]`: runs the named cases (all by default) and
 * prints a markdown table of medians and ratios (ours ÷ theirs, below 1 is faster), or JSON.
 */
import { type Row, runCase, table } from "./Bench.js"
import { cases } from "./cases/index.js"

const args = process.argv.slice(2)
const quick = args.includes("--quick")
const json = args.includes("--json")
const roundsAt = args.indexOf("--rounds")
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : quick ? 3 : 5
if (!Number.isInteger(rounds) || rounds < 3) {
  console.error("--rounds must be an integer ≥ 3 (the table reports a median)")
  process.exit(2)
}
const names = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--rounds")
const unknown = names.filter((n) => !cases.some((c) => c.name === n || c.name.startsWith(`${n}-`)))
if (unknown.length > 0) {
  console.error(`unknown case(s): ${unknown.join(", ")}\nknown cases: ${cases.map((c) => c.name).join(", ")}`)
  process.exit(2)
}
const selected =
  names.length === 0 ? cases : cases.filter((c) => names.some((n) => c.name === n || c.name.startsWith(`${n}-`)))

const rows: Array<Row> = []
for (const c of selected) {
  if (!json) process.stderr.write(`running ${c.name}: ${c.title}\n`)
  const caseRows = await runCase(c, { quick, rounds })
  rows.push(...caseRows)
}
if (json) {
  console.log(JSON.stringify({ node: process.version, quick, rounds, rows }, null, 2))
} else {
  console.log(`Node ${process.version}, ${quick ? "quick" : "full"} mode, median of ${rounds} alternating rounds.\n`)
  console.log(table(rows))
}
