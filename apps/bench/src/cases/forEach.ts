import { Effect } from "effect"
import pMap from "p-map"
import type { Case } from "../Bench.js"
import { immediate, indices } from "./work.js"

/** The foundation's case: Effect's own bounded `forEach` against p-map on one `setImmediate` per task. */
export const forEach64: Case = {
  name: "forEach-64",
  title: "N tasks each awaiting one setImmediate, at most 64 at once",
  n: { full: 100_000, quick: 5_000 },
  contenders: [
    {
      name: "Effect.forEach",
      ours: true,
      run: (n) =>
        Effect.runPromise(
          Effect.forEach(indices(n), () => Effect.promise(immediate), { concurrency: 64, discard: true })
        )
    },
    { name: "p-map", run: (n) => pMap(indices(n), () => immediate(), { concurrency: 64 }) }
  ]
}
