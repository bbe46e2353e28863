import type { Case } from "../Bench.js"
import { asyncCacheHit, asyncCacheMiss } from "./asyncCache.js"
import { asyncQueueAddTake, asyncQueuePipe } from "./asyncQueue.js"
import { forEach64 } from "./forEach.js"
import { taskCases } from "./task.js"

/** Every case `pnpm bench` knows, in the order it runs them. */
export const cases: ReadonlyArray<Case> = [forEach64, ...taskCases, asyncCacheHit, asyncCacheMiss, asyncQueueAddTake, asyncQueuePipe]
