/**
 * Pure text formatting for the demo's output: sizes, rates, durations, bars and tables.
 * Nothing here writes anywhere or reads the clock.
 */
import { Duration } from "effect"

const units = ["B", "KiB", "MiB", "GiB"] as const

/** `1536` → `"1.5 KiB"`; whole bytes below 1 KiB. */
export const bytes = (n: number): string => {
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** Bytes per second from a byte count and elapsed milliseconds. */
export const rate = (n: number, millis: number): string =>
  millis <= 0 ? "—" : `${bytes(Math.round((n * 1000) / millis))}/s`

/** `412` → `"412 ms"`, `1530` → `"1.53 s"`, `3000` → `"3 s"`. */
export const millis = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(2)} s`

/** A `Duration` as {@link millis} does. */
export const duration = (d: Duration.Duration): string => millis(Duration.toMillis(d))

/**
 * A progress bar `width` cells wide: `received` of `total` filled. When the total is unknown a
 * running download draws a short block that sweeps to and fro with the clock (`now`, in ms), so
 * the bar never looks full before it is; a finished one is full, a failed or cancelled one empty.
 */
export const bar = (
  received: number,
  total: number | undefined,
  width: number,
  state: "running" | "done" | "failed" | "cancelled" = "running",
  now = 0
): string => {
  if (width <= 0) return ""
  if (total !== undefined && total > 0) {
    const filled = Math.min(width, Math.floor((received / total) * width))
    return "█".repeat(filled) + "░".repeat(width - filled)
  }
  if (state === "done") return "█".repeat(width)
  if (state !== "running") return "░".repeat(width)
  const block = Math.min(3, width)
  const span = width - block
  const step = span === 0 ? 0 : Math.floor(now / 80) % (2 * span)
  const at = step <= span ? step : 2 * span - step
  return "░".repeat(at) + "▒".repeat(block) + "░".repeat(width - at - block)
}

/** `1 download`, `2 downloads`. */
export const plural = (n: number, noun: string, nouns = `${noun}s`): string => `${n} ${n === 1 ? noun : nouns}`

/** Pads or cuts `text` to exactly `width` characters (a cut ends with `…`). */
export const fit = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width)

/**
 * Pads or cuts `text` to exactly `width` characters, cutting in the middle: the start and the
 * (longer) end stay, so long addresses that share a prefix stay distinct (`http://…/mirror-fast`).
 */
export const fitMiddle = (text: string, width: number): string => {
  if (text.length <= width) return text.padEnd(width)
  if (width <= 1) return "…".slice(0, width)
  const keep = width - 1
  const head = Math.max(1, Math.floor(keep / 4))
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`
}

/** A plain-text table: a header row, a rule, then the rows, columns padded to their widest cell. */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd()
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)]
}

/** Accepts `250ms`, `2s`, `1.5s`, `1m`, or anything `Duration.decode` reads (`"500 millis"`). */
export const parseDuration = (input: string): Duration.Duration | undefined => {
  const text = input.trim()
  const short = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(text)
  if (short !== null) {
    const value = Number(short[1])
    const unit = short[2]
    return Duration.millis(unit === "ms" ? value : unit === "s" ? value * 1000 : value * 60_000)
  }
  try {
    return Duration.decode(text as Duration.DurationInput)
  } catch {
    return undefined
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]/g

/** Removes ANSI escape sequences (for output that is not a terminal). */
export const stripAnsi = (text: string): string => text.replace(ansi, "")
