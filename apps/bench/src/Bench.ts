/**
 * The bench harness: runs every contender of a case on the same work, alternating, and reports
 * medians and ratios against our own contender.
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

/** One implementation of a case's work. */
export interface Contender {
  /** Shown in the table, e.g. `Task.throttled` or `p-map`. */
  readonly name: string
  /** Exactly one contender per case is ours: the others are compared with it. */
  readonly ours?: boolean
  /** Does the whole work for `n` items once. Resolves when it is done. */
  readonly run: (n: number) => Promise<unknown>
  /**
   * The same work as `run`, calling `sample()` now and then (e.g. every few thousand results): used
   * to measure live heap in a child process (see `Case.liveHeapMiB`).
   */
  readonly sampled?: (n: number, sample: () => void) => Promise<unknown>
  /** Optional: also set up/tear down around all runs (servers, pools). */
  readonly setup?: () => Promise<void>
  readonly teardown?: () => Promise<void>
}

/** A unit of work measured for every contender. */
export interface Case {
  /** Selects the case on the command line, e.g. `throttle-64`. */
  readonly name: string
  /** One line on what the work is. */
  readonly title: string
  /** How many items a run does, in full and `--quick` mode. */
  readonly n: { readonly full: number; readonly quick: number }
  /** The targets, as `{ contenderName: maxRatio }` of ours ÷ theirs. */
  readonly targets?: Readonly<Record<string, number>>
  /** Measure peak memory (max RSS) of each contender in a child process of its own. */
  readonly memory?: boolean
  /**
   * Measure live heap: in a child process run with `--expose-gc`, the largest `heapUsed` after a full GC
   * at each `sample()` of the contender's `sampled` run, above the heap before the run. A number is the
   * most our contender may hold, in MiB.
   */
  readonly liveHeapMiB?: number
  /** Case-wide set-up/tear-down (e.g. a server process). */
  readonly setup?: () => Promise<void>
  readonly teardown?: () => Promise<void>
  readonly contenders: ReadonlyArray<Contender>
}

export interface Options {
  readonly quick: boolean
  readonly rounds: number
}

export interface Row {
  readonly case: string
  readonly title: string
  readonly contender: string
  readonly ours: boolean
  readonly n: number
  readonly samplesMs: ReadonlyArray<number>
  readonly medianMs: number
  readonly perOpUs: number
  /** ours ÷ this contender (median time): below 1 means ours is faster. */
  readonly ratio: number
  readonly target?: number
  readonly met?: boolean
  readonly peakRssMiB?: number
  /** Live heap above the baseline (see `Case.liveHeapMiB`), and whether ours is within the case's limit. */
  readonly liveHeapMiB?: number
  readonly liveHeapMet?: boolean
}

const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc
  if (g !== undefined) g()
}

export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const time = async (contender: Contender, n: number): Promise<number> => {
  gc()
  const start = process.hrtime.bigint()
  await contender.run(n)
  return Number(process.hrtime.bigint() - start) / 1e6
}

const childEntry = fileURLToPath(new URL("./child.ts", import.meta.url))

/** What a child process measures: peak RSS (`rss`) or live heap (`heap`). */
export type ChildMode = "rss" | "heap"

/** Runs one contender once in a fresh child process and returns what it measured, in MiB. */
const inChild = (mode: ChildMode, caseName: string, contender: string, n: number): number | undefined => {
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", childEntry, caseName, contender, String(n), mode],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
  )
  const line = child.stdout.trim().split("\n").pop() ?? ""
  try {
    const parsed = JSON.parse(line) as { readonly MiB: number }
    return Math.round(parsed.MiB * 10) / 10
  } catch {
    return undefined
  }
}

/** Runs a case: set-up, one warm-up per contender, then alternating rounds; the median of each. */
export const runCase = async (c: Case, options: Options): Promise<ReadonlyArray<Row>> => {
  const n = options.quick ? c.n.quick : c.n.full
  const ours = c.contenders.find((x) => x.ours)
  if (ours === undefined) throw new Error(`case ${c.name}: no contender is marked ours`)
  await c.setup?.()
  try {
    for (const x of c.contenders) await x.setup?.()
    const samples = new Map<string, Array<number>>(c.contenders.map((x) => [x.name, []]))
    for (const x of c.contenders) await time(x, Math.max(1, Math.ceil(n / 4)))
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order each round so no contender always runs first (or right after a GC-heavy one).
      for (let i = 0; i < c.contenders.length; i++) {
        const x = c.contenders[(i + round) % c.contenders.length]!
        samples.get(x.name)!.push(await time(x, n))
      }
    }
    for (const x of c.contenders) await x.teardown?.()
    const oursMedian = median(samples.get(ours.name)!)
    return c.contenders.map((x): Row => {
      const ms = median(samples.get(x.name)!)
      const target = c.targets?.[x.name]
      const ratio = oursMedian / ms
      const rss = c.memory === true ? inChild("rss", c.name, x.name, n) : undefined
      const heap =
        c.liveHeapMiB !== undefined && x.sampled !== undefined ? inChild("heap", c.name, x.name, n) : undefined
      return {
        case: c.name,
        title: c.title,
        contender: x.name,
        ours: x.ours === true,
        n,
        samplesMs: samples.get(x.name)!,
        medianMs: ms,
        perOpUs: (ms * 1000) / n,
        ratio,
        ...(target !== undefined ? { target, met: ratio <= target } : {}),
        ...(rss !== undefined ? { peakRssMiB: rss } : {}),
        ...(heap !== undefined ? { liveHeapMiB: heap } : {}),
        ...(heap !== undefined && x.ours === true ? { liveHeapMet: heap <= c.liveHeapMiB! } : {})
      }
    })
  } finally {
    await c.teardown?.()
  }
}

const fmt = (x: number, digits = 2): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits))

const heapCell = (r: Row): string =>
  r.liveHeapMiB === undefined
    ? ""
    : `${fmt(r.liveHeapMiB, 1)}${r.liveHeapMet === undefined ? "" : r.liveHeapMet ? " ✅" : " ❌"}`

/** The markdown table: one row per contender, grouped by case. */
export const table = (rows: ReadonlyArray<Row>): string => {
  const hasMemory = rows.some((r) => r.peakRssMiB !== undefined)
  const hasHeap = rows.some((r) => r.liveHeapMiB !== undefined)
  const head = [
    "case",
    "n",
    "contender",
    "median ms",
    "µs/op",
    "ours ÷ this",
    "target",
    ...(hasMemory ? ["peak RSS MiB"] : []),
    ...(hasHeap ? ["live heap MiB"] : [])
  ]
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map((_, i) => (i < 3 ? "---" : "---:")).join(" | ")} |`]
  for (const r of rows) {
    const target = r.target === undefined ? "" : `≤ ${r.target}× ${r.met === true ? "✅" : "❌"}`
    const cells = [
      r.case,
      String(r.n),
      r.ours ? `**${r.contender}**` : r.contender,
      fmt(r.medianMs),
      fmt(r.perOpUs),
      r.ours ? "1.00" : fmt(r.ratio),
      target,
      ...(hasMemory ? [r.peakRssMiB === undefined ? "" : fmt(r.peakRssMiB, 1)] : []),
      ...(hasHeap ? [heapCell(r)] : [])
    ]
    lines.push(`| ${cells.join(" | ")} |`)
  }
  return lines.join("\n")
}
