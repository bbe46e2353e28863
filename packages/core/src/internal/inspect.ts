/**
 * What the data structures share for their `toJSON` / inspection.
 *
 * @internal
 */

/** A cap as JSON shows it: `Infinity` (no limit) would print as `null`, so it is the string `"Infinity"`. */
export const limitJSON = (n: number): number | "Infinity" => (n === Number.POSITIVE_INFINITY ? "Infinity" : n)
