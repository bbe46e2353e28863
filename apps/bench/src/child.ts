/**
 * Runs one contender of one case once, then prints its peak RSS as JSON: the harness spawns this per
 * case and contender so that each peak memory figure is the process's own.
 */
import { cases } from "./cases/index.js"

const [caseName, contenderName, n] = process.argv.slice(2)
const c = cases.find((x) => x.name === caseName)
const contender = c?.contenders.find((x) => x.name === contenderName)
if (c === undefined || contender === undefined || n === undefined) {
  console.error(`unknown case/contender: ${caseName} / ${contenderName}`)
  process.exit(2)
}
await c.setup?.()
await contender.setup?.()
await contender.run(Number(n))
await contender.teardown?.()
await c.teardown?.()
console.log(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }))
