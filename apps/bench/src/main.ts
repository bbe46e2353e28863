/**
 * `pnpm bench [--quick] [--json] [--rounds N] [case…]`: runs the named cases (all by default) and
 * prints a markdown table of medians and ratios (ours ÷ theirs, below 1 is faster), or JSON.
 */

import { parse, select, usage } from "./args.js"
import { type Row, runCase, table } from "./Bench.js"
import { cases } from "./cases/index.js"

const parsed = parse(
  process.argv.slice(2),
  cases.map((c) => c.name)
)
if (parsed._tag === "help") {
  console.log(usage)
  process.exit(0)
}
if (parsed._tag === "error") {
  console.error(`bench: ${parsed.message}`)
  process.exit(2)
}
const { quick, json, rounds } = parsed
const selected = select(cases, parsed.names)

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
  console.log(
    '\n"ours ÷ this": our median time ÷ that contender\'s (below 1 is faster); "target": ✅ met, ❌ missed in this run.'
  )
}
