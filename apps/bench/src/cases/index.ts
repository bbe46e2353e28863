import type { Case } from "../Bench.js"
import { asyncCacheHit, asyncCacheMiss } from "./asyncCache.js"
import { asyncQueueAddTake, asyncQueuePipe } from "./asyncQueue.js"
import { http64 } from "./http.js"
import { cancelLatency } from "./httpCancel.js"
import { keyedLimiterWeighted } from "./keyedLimiter.js"
import { rateLimiterFree, rateLimiterPaced } from "./rateLimiter.js"
import { taskCases } from "./task.js"

/** Every case `pnpm bench` knows, in the order it runs them. */
export const cases: ReadonlyArray<Case> = [
  http64,
  cancelLatency,
  ...taskCases,
  asyncCacheHit,
  asyncCacheMiss,
  asyncQueueAddTake,
  asyncQueuePipe,
  keyedLimiterWeighted,
  rateLimiterFree,
  rateLimiterPaced
]
