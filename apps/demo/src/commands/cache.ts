/**
 * `cache` — AsyncCache (002): many concurrent requests for the same few pages; one download per
 * page, every other request shares it. LocalWeb's request count proves it.
 */

import { AsyncCache, Task } from "@tapestry/core"
import { Effect, Option } from "effect"
import * as Format from "../Format.js"
import * as Scenario from "../Scenario.js"
import { Web } from "../Web.js"
import * as Command from "./Command.js"
import * as Options from "./Options.js"

const KiB = 1024

/** How many requests each page gets per round. */
export const requestsPerPage = 10

/** Three articles, each about 300 ms away. */
export const spec: Scenario.Spec = {
  name: "cache",
  summary: "many concurrent requests for the same pages, one download each",
  dotnet: "AsyncCache<TKey, TValue>, one Task per key",
  tapestry: "AsyncCache.make",
  sites: {
    "/article-1": { delay: "150 millis", size: 48 * KiB, bytesPerSecond: 384 * KiB },
    "/article-2": { delay: "100 millis", size: 64 * KiB, bytesPerSecond: 384 * KiB },
    "/article-3": { delay: "200 millis", size: 32 * KiB, bytesPerSecond: 384 * KiB }
  }
}

/** The scenario against LocalWeb, or the given `urls`. */
export const scenario = (urls: ReadonlyArray<string>) =>
  Scenario.run(
    spec,
    urls,
    Effect.scoped(
      Effect.gen(function* () {
        const web = yield* Web
        const targets = yield* Scenario.targets(Object.keys(spec.sites))
        const byUrl = new Map(targets.map((target) => [target.url, target]))
        const cache = yield* AsyncCache.make({
          lookup: (url: string) => Scenario.download(byUrl.get(url) ?? { label: url, url })
        })
        // The cache's and LocalWeb's counters only grow: each round shows what it added.
        let before = { hits: 0, misses: 0, loads: 0, requests: 0 }
        const round = (n: number) =>
          Effect.gen(function* () {
            const requests = targets.flatMap((target) =>
              Array.from({ length: requestsPerPage }, () => Effect.either(cache.get(target.url)))
            )
            yield* Scenario.say(
              `round ${n}: ${requests.length} concurrent requests for ${Format.plural(targets.length, "page")}`
            )
            const results = yield* Task.whenAll(requests)
            const ok = results.filter((r) => r._tag === "Right")
            const received = ok.reduce((sum, r) => sum + (r._tag === "Right" ? r.right.bytes : 0), 0)
            const stats = yield* cache.stats
            const served = Option.isSome(web.local) ? (yield* web.local.value.stats).started : 0
            const now = { hits: stats.hits, misses: stats.misses, loads: stats.loads, requests: served }
            const hits = now.hits - before.hits
            const misses = now.misses - before.misses
            const loads = now.loads - before.loads
            const joined = misses - loads
            const onTheWire = Option.isSome(web.local)
              ? ` · LocalWeb: ${Format.plural(now.requests - before.requests, "new request")}, ${now.requests} in all`
              : ""
            const how = misses === 0 ? "" : ` (${Format.plural(loads, "download")}, ${joined} joined one under way)`
            before = now
            yield* Scenario.say(
              `round ${n}: ${ok.length}/${results.length} answered (${Format.bytes(received)}) · ` +
                `${Format.plural(hits, "hit")}, ${Format.plural(misses, "miss", "misses")}${how}${onTheWire}`
            )
          })
        yield* round(1)
        yield* round(2)
      })
    )
  )

/** `demo cache [--url U]…` */
export const command = Command.make("cache", { urls: Options.urls }, ({ urls }) => scenario(urls)).pipe(
  Command.withDescription("AsyncCache: concurrent requests for the same pages share one download")
)
