/**
 * The command line of `pnpm bench`, parsed: a pure function, so that its answers (usage, errors) are tested.
 */

/** What `pnpm bench --help` prints. */
export const usage = `usage: pnpm bench [--quick] [--json] [--rounds N] [case…]

Runs our combinators and their peers on the same work, side by side, and prints a markdown table of
medians (alternating rounds after a warm-up) and ratios.

  --quick       smaller inputs and 3 rounds (what CI runs)
  --json        print the rows as JSON instead of the table
  --rounds N    rounds per contender, N >= 3 (default 5; the table reports the median)
  case…         run only these cases (a prefix selects a group: "interleave" runs every interleave-* case)
  --help, -h    this text

Columns: "ours ÷ this" is our median time divided by that contender's (below 1 is faster than it); "target"
is the ratio we hold ourselves to against that contender: ✅ met in this run, ❌ missed. BENCHMARKS.md
explains every case, target and miss.`

/** The parsed command line. */
export type Parsed =
  | { readonly _tag: "help" }
  | { readonly _tag: "error"; readonly message: string }
  | {
      readonly _tag: "run"
      readonly quick: boolean
      readonly json: boolean
      readonly rounds: number
      readonly names: ReadonlyArray<string>
    }

const matches = (name: string, known: string): boolean => known === name || known.startsWith(`${name}-`)

/** Parses `args` against the known case names. */
export const parse = (args: ReadonlyArray<string>, cases: ReadonlyArray<string>): Parsed => {
  let quick = false
  let json = false
  let rounds: number | undefined
  const names: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--help" || arg === "-h") return { _tag: "help" }
    if (arg === "--quick") quick = true
    else if (arg === "--json") json = true
    else if (arg === "--rounds" || arg.startsWith("--rounds=")) {
      const value = arg === "--rounds" ? args[++i] : arg.slice("--rounds=".length)
      const n = Number(value)
      if (value === undefined || value === "" || !Number.isInteger(n) || n < 3) {
        return {
          _tag: "error",
          message: `--rounds must be an integer ≥ 3 (the table reports a median), got ${value ?? "nothing"}`
        }
      }
      rounds = n
    } else if (arg.startsWith("-")) {
      return { _tag: "error", message: `unknown flag ${arg} (--help lists the flags)` }
    } else names.push(arg)
  }
  const unknown = names.filter((n) => !cases.some((c) => matches(n, c)))
  if (unknown.length > 0) {
    return { _tag: "error", message: `unknown case(s): ${unknown.join(", ")}\nknown cases: ${cases.join(", ")}` }
  }
  return { _tag: "run", quick, json, rounds: rounds ?? (quick ? 3 : 5), names }
}

/** The cases `names` select (all when none is given). */
export const select = <C extends { readonly name: string }>(all: ReadonlyArray<C>, names: ReadonlyArray<string>) =>
  names.length === 0 ? all : all.filter((c) => names.some((n) => matches(n, c.name)))
