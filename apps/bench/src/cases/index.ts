import type { Case } from "../Bench.js"
import { asyncCacheHit, asyncCacheMiss } from "./asyncCache.js"
import { asyncQueueAddTake, asyncQueuePipe } from "./asyncQueue.js"
import { forEach64 } from "./forEach.js"

/** Every case `pnpm bench` knows, in the order it runs them. */
export const cases: ReadonlyArray<Case> = [forEach64, asyncCacheHit, asyncCacheMiss, asyncQueueAddTake, asyncQueuePipe]
