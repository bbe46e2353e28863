/**
 * `pnpm run sync-exports`: writes each package's `publishConfig.exports` from its public modules (`src/*.ts`): the
 * root and one `types` + `default` entry per module, pointing at `dist`. The consumer test fails when it is stale.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../", import.meta.url))
const entry = (module: string) => ({ types: `./dist/${module}.d.ts`, default: `./dist/${module}.js` })

for (const name of ["core", "platform"]) {
  const dir = `${root}packages/${name}`
  const file = `${dir}/package.json`
  const manifest = JSON.parse(readFileSync(file, "utf8"))
  const modules = readdirSync(`${dir}/src`)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts")
    .map((f) => f.slice(0, -3))
    .sort()
  manifest.publishConfig.exports = {
    ".": entry("index"),
    ...Object.fromEntries(modules.map((m) => [`./${m}`, entry(m)])),
    "./package.json": "./package.json"
  }
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`)
}
