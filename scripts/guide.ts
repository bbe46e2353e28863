/**
 * Keeps `docs/guide.md` in step with `examples/src`: every `<!-- example: NAME -->` … `<!-- /example -->`
 * block is rewritten with the code of `examples/src/NAME.ts` (minus its header comment and the runner
 * lines), which ends with the `// Output:` lines its test checks it prints. `tsx scripts/guide.ts`
 * writes the guide; `--check` exits 1 if it is out of date (the examples' tests run that).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const guidePath = fileURLToPath(new URL("../docs/guide.md", import.meta.url))
const examplesDir = fileURLToPath(new URL("../examples/src/", import.meta.url))

/** The example's code as a reader should see it: no file header, no runner plumbing. */
const exampleCode = (name: string): string => {
  const file = `${examplesDir}${name}.ts`
  if (!existsSync(file)) throw new Error(`docs/guide.md names example "${name}", but ${file} does not exist`)
  return readFileSync(file, "utf8")
    .replace(/^\/\*\*[\s\S]*?\*\/\n/, "")
    .split("\n")
    .filter((line) => !line.includes("runExample"))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n") // where the runner line was
    .trim()
}

const render = (guide: string): string =>
  guide.replace(
    /<!-- example: ([a-z0-9-]+) -->\n[\s\S]*?<!-- \/example -->/g,
    (_, name: string) =>
      `<!-- example: ${name} -->\n\`pnpm example ${name}\` ([examples/src/${name}.ts](../examples/src/${name}.ts)):\n\n\`\`\`ts\n${exampleCode(name)}\n\`\`\`\n<!-- /example -->`
  )

const current = readFileSync(guidePath, "utf8")
const next = render(current)
if (process.argv.includes("--check")) {
  if (next !== current) {
    console.error("docs/guide.md is out of date with examples/src: run `pnpm guide` and commit the result")
    process.exit(1)
  }
  console.log("docs/guide.md is up to date")
} else {
  writeFileSync(guidePath, next)
  console.log("docs/guide.md written")
}
