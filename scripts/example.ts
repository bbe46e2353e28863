/**
 * `pnpm example <name>`: runs `examples/src/<name>.ts` (the guide's runnable examples).
 */
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"

const dir = fileURLToPath(new URL("../examples/src/", import.meta.url))
const names = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && f !== "runExample.ts")
      .map((f) => f.slice(0, -3))
  : []
const name = process.argv[2]
if (name === undefined || !names.includes(name)) {
  console.error(`usage: pnpm example <name>\nexamples: ${names.join(", ") || "(none yet)"}`)
  process.exit(2)
}
const child = spawnSync(process.execPath, ["--import", "tsx", `${dir}${name}.ts`, ...process.argv.slice(3)], {
  stdio: "inherit"
})
process.exit(child.status ?? 1)
