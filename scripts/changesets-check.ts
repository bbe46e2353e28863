/**
 * Checks that every changeset in `.changeset/` starts with the front matter `changeset` reads
 * (`---`, one `"package": bump` line per package, `---`): a Markdown formatter once turned the closing
 * `---` into a heading, and `changeset version` would have refused them all at release time.
 */
import { readdirSync, readFileSync } from "node:fs"

const frontMatter = /^---\n(?:"@tapestry\/(?:core|platform)": (?:major|minor|patch)\n)+---\n\n\S/
const bad = readdirSync(".changeset")
  .filter((f) => f.endsWith(".md") && f !== "README.md")
  .filter((f) => !frontMatter.test(readFileSync(`.changeset/${f}`, "utf8")))
if (bad.length > 0) {
  console.error(`changesets without valid front matter: ${bad.join(", ")}`)
  process.exit(1)
}
console.log("changesets: front matter ok")
