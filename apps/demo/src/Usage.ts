/**
 * The demo's command line before `@effect/cli` runs it: a pure check of the arguments against the
 * commands and their flags (unknown subcommand or option, a missing value, an option given twice, a
 * stray argument, a bad value), and the help and usage texts. Every problem becomes one message
 * that names the argument and says what is wrong; the help is the demo's own, one description per
 * option.
 */
import type { Flag } from "./commands/Options.js"

/** A command as the help and the check see it. */
export interface Spec {
  readonly name: string
  readonly description: string
  readonly flags: ReadonlyArray<Flag<unknown>>
}

/** The program: its title, version, description, and the options it takes without a command. */
export interface App extends Spec {
  readonly title: string
  readonly version: string
}

/** What the command line asks for. `command` is the subcommand named (none: the app's own options). */
export type Parsed =
  | { readonly _tag: "Run"; readonly command: Spec | undefined }
  | { readonly _tag: "Help"; readonly command: Spec | undefined }
  | { readonly _tag: "Version" }
  | { readonly _tag: "Error"; readonly message: string; readonly command: Spec | undefined }

const quote = (text: string) => `'${text}'`

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length] ?? 0
}

/** ` (did you mean 'first'?)` when one of `known` is close to `given`. */
const suggest = (given: string, known: ReadonlyArray<string>): string => {
  const close = known
    .map((name) => ({ name, d: distance(given.toLowerCase(), name.toLowerCase()) }))
    .filter(({ d, name }) => d <= (name.replace(/^-+/, "").length >= 5 ? 2 : 1))
    .sort((a, b) => a.d - b.d)[0]
  return close === undefined ? "" : ` (did you mean ${quote(close.name)}?)`
}

const isHelp = (arg: string) => arg === "-h" || arg === "--help"

/**
 * Checks `args` (without the runtime and script) against `app` and its `commands`: which command
 * runs, whether help or the version was asked for, or the first problem, worded for a person.
 */
export const check = (args: ReadonlyArray<string>, app: App, commands: ReadonlyArray<Spec>): Parsed => {
  const head = args[0]
  let command: Spec | undefined
  let rest = args
  if (head !== undefined && !head.startsWith("-")) {
    command = commands.find((c) => c.name === head)
    if (command === undefined) {
      const names = commands.map((c) => c.name)
      return {
        _tag: "Error",
        message: `unknown subcommand ${quote(head)}${suggest(head, names)}; the subcommands are ${names.join(", ")}`,
        command: undefined
      }
    }
    rest = args.slice(1)
  }
  if (rest.some(isHelp)) return { _tag: "Help", command }
  if (command === undefined && rest.includes("--version")) return { _tag: "Version" }
  const spec = command ?? app
  const where = quote(command === undefined ? "demo" : `demo ${command.name}`)
  const fail = (message: string): Parsed => ({ _tag: "Error", message, command })
  const seen = new Map<string, string>()
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? ""
    if (!arg.startsWith("-") || arg === "-" || arg === "--") {
      const late = command === undefined && commands.some((c) => c.name === arg)
      return fail(
        late
          ? `the subcommand ${quote(arg)} must come first: demo ${arg} ${rest.filter((a) => a !== arg).join(" ")}`.trimEnd()
          : `unexpected argument ${quote(arg)}: ${where} takes only options`
      )
    }
    const equals = arg.indexOf("=")
    const name = arg.startsWith("--") && equals > 0 ? arg.slice(0, equals) : arg
    const flag = spec.flags.find((f) => `--${f.name}` === name)
    if (flag === undefined) {
      const known = spec.flags.map((f) => `--${f.name}`)
      return fail(
        `unknown option ${quote(name)} for ${where}${suggest(name, known)}; its options are ${known.join(", ")}`
      )
    }
    let value: string | undefined
    if (name !== arg) value = arg.slice(equals + 1)
    else {
      const next = rest[i + 1]
      if (next !== undefined && !next.startsWith("--")) {
        value = next
        i++
      }
    }
    if (value === undefined) return fail(`option ${quote(name)} needs a value (${flag.placeholder})`)
    const before = seen.get(flag.name)
    if (before !== undefined && !flag.repeatable) {
      return fail(
        `option ${quote(name)} was given twice (${JSON.stringify(before)} and ${JSON.stringify(value)}); give it once`
      )
    }
    seen.set(flag.name, value)
    const problem = flag.check(value)
    if (problem !== undefined) return fail(problem)
  }
  return { _tag: "Run", command }
}

/** `usage: demo throttle [--url URL]… [--concurrency N]` (every option is optional). */
export const usage = (command: Spec | undefined, app: App): string => {
  const spec = command ?? app
  const options = spec.flags.map((f) => `[--${f.name} ${f.placeholder}]${f.repeatable ? "…" : ""}`)
  return ["usage: demo", command === undefined ? "[command]" : command.name, ...options].join(" ")
}

/** `text` wrapped at `width` columns, later lines indented by `indent` spaces. */
const wrap = (text: string, width: number, indent: number): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(" ")) {
    const limit = lines.length === 0 ? width : width - indent
    if (line !== "" && line.length + 1 + word.length > limit) {
      lines.push(line)
      line = word
    } else line = line === "" ? word : `${line} ${word}`
  }
  lines.push(line)
  return lines.map((l, i) => (i === 0 ? l : `${" ".repeat(indent)}${l}`))
}

/** Two columns: each name padded, its text wrapped under itself. */
const list = (rows: ReadonlyArray<readonly [string, string]>, width: number): Array<string> => {
  const left = Math.max(...rows.map(([name]) => name.length)) + 4
  return rows.flatMap(([name, text]) => {
    const [first = "", ...more] = wrap(text, width - left, 0)
    return [`  ${name.padEnd(left - 2)}${first}`, ...more.map((line) => `${" ".repeat(left)}${line}`)]
  })
}

const options = (spec: Spec, root: boolean): ReadonlyArray<readonly [string, string]> => [
  ...spec.flags.map(
    (f) =>
      [
        `--${f.name} ${f.placeholder}`,
        `${f.description}${f.fallback === undefined ? "" : ` (default ${f.fallback})`}`
      ] as const
  ),
  ["-h, --help", root ? "show this help; demo COMMAND --help shows a command's" : "show this help"] as const,
  ...(root ? [["--version", "show the version"] as const] : [])
]

/** The help of `command` (or of the whole app), at most `width` columns wide. */
export const help = (app: App, commands: ReadonlyArray<Spec>, command: Spec | undefined, width = 100): string => {
  const lines =
    command === undefined
      ? [
          ...wrap(`${app.title} ${app.version} — ${app.description}`, width, 0),
          "",
          usage(undefined, app),
          "  (from the repository: pnpm -s demo [command] [options]; with no command every scenario runs)",
          "",
          "commands:",
          ...list(
            commands.map((c) => [c.name, c.description] as const),
            width
          ),
          "",
          "options (each command takes the ones it uses):",
          ...list(options(app, true), width),
          "",
          ...wrap(
            "exit codes: 0 when the scenarios ran (their scripted failures included), 2 for a bad command line, 130 when interrupted (Ctrl-C), 1 for anything unexpected.",
            width,
            0
          )
        ]
      : [
          ...wrap(`demo ${command.name} — ${command.description}`, width, 0),
          "",
          usage(command, app),
          "",
          "options:",
          ...list(options(command, false), width)
        ]
  return lines.join("\n")
}
