/** The unit of work every scheduling case shares: one turn of the event loop. */
export const immediate = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve))

/** A lazy iterable of `0 … n-1`, so no contender gets a pre-built array the others lack. */
export function* indices(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i
}
