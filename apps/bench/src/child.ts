/**
 * Runs one contender of one case once, then prints what it measured as JSON (`{ MiB }`): its peak RSS
 * (mode `rss`), or its live heap (mode `heap`: the largest `heapUsed` after a full GC at each of the
 * contender's samples, above the heap before the run; needs `--expose-gc`). The harness spawns this per
 * case and contender so that each memory figure is the process's own.
 */
import { cases } from "./cases/index.js"

const [caseName, contenderName, n, mode = "rss"] = process.argv.slice(2)
const c = cases.find((x) => x.name === caseName)
const contender = c?.contenders.find((x) => x.name === contenderName)
if (c === undefined || contender === undefined || n === undefined) {
  console.error(`unknown case/contender: ${caseName} / ${contenderName}`)
  process.exit(2)
}
await c.setup?.()
await contender.setup?.()
let MiB: number
if (mode === "heap") {
  const gc = (globalThis as { gc?: () => void }).gc
  const sampled = contender.sampled
  if (gc === undefined || sampled === undefined) {
    console.error("live heap needs --expose-gc and a contender with `sampled`")
    process.exit(2)
  }
  gc()
  const base = process.memoryUsage().heapUsed
  let peak = 0
  await sampled(Number(n), () => {
    gc()
    peak = Math.max(peak, process.memoryUsage().heapUsed - base)
  })
  MiB = peak / 2 ** 20
} else {
  await contender.run(Number(n))
  MiB = process.resourceUsage().maxRSS / 1024
}
await contender.teardown?.()
await c.teardown?.()
console.log(JSON.stringify({ MiB }))
