/**
 * `pnpm run docs`: turns docgen's pages (`packages/<pkg>/docs/modules`, git-ignored, written by `pnpm run docgen`,
 * which also type-checks and runs every example) into the API reference committed under `docs/api/`: one page per
 * public module, valid front matter, `{@link …}` rendered as Markdown links, and a home page for both packages.
 *
 * `--check` writes nothing: it fails when `docs/api/` differs from what the sources generate, so the committed
 * reference cannot go stale (`pnpm test` runs it).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../", import.meta.url))
const out = join(root, "docs", "api")
const packages = ["core", "platform"] as const

interface Page {
  readonly pkg: string
  readonly module: string
  /** docgen's Markdown, front matter removed. */
  readonly body: string
  /** Heading text → GitHub anchor, for every `#`/`##` heading outside code blocks. */
  readonly anchors: ReadonlyMap<string, string>
  readonly summary: string
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-")

/** Applies `f` to the Markdown outside fenced code blocks only. */
const outsideCode = (markdown: string, f: (text: string) => string): string =>
  markdown
    .split(/(^```[\s\S]*?^```$)/m)
    .map((part, i) => (i % 2 === 1 ? part : f(part)))
    .join("")

const readPage = (pkg: string, file: string): Page => {
  const raw = readFileSync(join(root, "packages", pkg, "docs", "modules", file), "utf8")
  // docgen's front matter, whose opening `---` its formatter turns into a `***` rule.
  const body = raw.replace(/^(\*\*\*|---)\n[\s\S]*?\n---\n+/, "")
  const anchors = new Map<string, string>()
  outsideCode(body, (text) => {
    for (const m of text.matchAll(/^#{1,3} (.+)$/gm)) anchors.set(m[1], slug(m[1]))
    return text
  })
  const module = file.replace(/\.ts\.md$/, "")
  // The overview's first sentence.
  const overview = body.split(`## ${module} overview\n\n`)[1]?.split("\n\n")[0] ?? ""
  const summary = overview
    .replace(/\s+/g, " ")
    .replace(/\{@link ([^}|\s]+)[^}]*\}/g, "`$1`")
    .replace(/^(.*?\.)\s.*$/, "$1")
  return { pkg, module, body, anchors, summary }
}

const pages: ReadonlyArray<Page> = packages.flatMap((pkg) => {
  const dir = join(root, "packages", pkg, "docs", "modules")
  if (!existsSync(dir)) {
    console.error(`api-docs: ${dir} is missing: run \`pnpm run docgen\` first`)
    process.exit(1)
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts.md"))
    .sort()
    .map((f) => readPage(pkg, f))
})

/** Where an export's heading is: `Name`, `Name (interface)`, `Name (class)`, … */
const anchorOf = (page: Page, name: string): string | undefined => {
  for (const [heading, anchor] of page.anchors) {
    if (heading === name || heading.startsWith(`${name} (`)) return anchor
  }
  return undefined
}

/**
 * A `{@link target}` as a Markdown link: an export of this page, `Module.export` of either package, or an export of
 * another page. A member (`AsyncLock.withLock`) links to its interface; what is not ours stays code.
 */
const resolve = (page: Page, target: string): string | undefined => {
  const href = (to: Page, anchor: string | undefined) =>
    `${to === page ? "" : to.pkg === page.pkg ? `${to.module}.md` : `../${to.pkg}/${to.module}.md`}${anchor === undefined ? "" : `#${anchor}`}`
  const own = anchorOf(page, target)
  if (own !== undefined) return href(page, own)
  const [head, ...rest] = target.split(".")
  const member = rest.join(".")
  // a module of this package first, then of the other
  const module = pages.find((p) => p.module === head && p.pkg === page.pkg) ?? pages.find((p) => p.module === head)
  if (module !== undefined) {
    return href(module, member === "" ? undefined : (anchorOf(module, member) ?? anchorOf(module, head)))
  }
  if (member !== "") {
    const owner = anchorOf(page, head)
    if (owner !== undefined) return href(page, owner)
  }
  for (const to of pages) {
    const anchor = anchorOf(to, target)
    if (anchor !== undefined) return href(to, anchor)
  }
  return undefined
}

const unresolved: Array<string> = []

const render = (page: Page): string => {
  const body = outsideCode(page.body, (text) =>
    text.replace(/\{@link\s+([^}|\s]+)(?:\s*\|\s*|\s+)?([^}]*)\}/g, (_, target: string, label: string) => {
      const text = label.trim() === "" ? `\`${target}\`` : label.trim()
      if (/^https?:/.test(target)) return `[${label.trim() || target}](${target})`
      const link = resolve(page, target)
      if (link === undefined) {
        unresolved.push(`${page.pkg}/${page.module}: {@link ${target}}`)
        return text
      }
      return `[${text}](${link})`
    })
  )
  return [
    "---",
    `title: ${page.module}`,
    `parent: "@tapestry/${page.pkg}"`,
    "---",
    "",
    `[API reference](../README.md) › \`@tapestry/${page.pkg}\` › \`${page.module}\` · source: [\`packages/${page.pkg}/src/${page.module}.ts\`](../../../packages/${page.pkg}/src/${page.module}.ts)`,
    "",
    `# ${page.module}`,
    "",
    body.replace(/\n+$/, ""),
    ""
  ].join("\n")
}

const home = (): string => {
  const lines = [
    "---",
    "title: API reference",
    "---",
    "",
    "# API reference",
    "",
    "Generated from the TSDoc of the sources by `pnpm run docs`; every example on these pages is type-checked and run",
    "by `pnpm test`, which also fails when these pages are stale. Start with the [guide](../guide.md) for the ideas;",
    "come here for every export's signature, options, failures and examples.",
    ""
  ]
  for (const pkg of packages) {
    lines.push(`## \`@tapestry/${pkg}\``, "", "| module | what it is |", "| --- | --- |")
    for (const page of pages.filter((p) => p.pkg === pkg)) {
      lines.push(`| [\`${page.module}\`](${pkg}/${page.module}.md) | ${page.summary.replace(/\|/g, "\\|")} |`)
    }
    lines.push("")
  }
  return lines.join("\n")
}

const files = new Map<string, string>([["README.md", home()]])
for (const page of pages) files.set(join(page.pkg, `${page.module}.md`), render(page))

if (unresolved.length > 0) {
  console.error(`api-docs: links that name nothing we export:\n  ${unresolved.join("\n  ")}`)
  process.exit(1)
}

const listing = (dir: string, prefix = ""): Array<string> =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? listing(join(dir, e.name), join(prefix, e.name)) : [join(prefix, e.name)]
      )
    : []

if (process.argv.includes("--check")) {
  const stale = [
    ...[...files].filter(([f, text]) => !existsSync(join(out, f)) || readFileSync(join(out, f), "utf8") !== text),
    ...listing(out)
      .filter((f) => !files.has(f))
      .map((f) => [f, ""] as const)
  ].map(([f]) => `docs/api/${f}`)
  if (stale.length > 0) {
    console.error(`api-docs: the committed API reference is stale (${stale.join(", ")}): run \`pnpm run docs\``)
    process.exit(1)
  }
  console.log(`api-docs: docs/api is up to date (${files.size} pages)`)
} else {
  rmSync(out, { recursive: true, force: true })
  for (const [f, text] of files) {
    mkdirSync(join(out, f, ".."), { recursive: true })
    writeFileSync(join(out, f), text)
  }
  console.log(`api-docs: wrote ${files.size} pages to docs/api`)
}
