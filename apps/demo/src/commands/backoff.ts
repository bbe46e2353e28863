/**
 * `backoff` — per-host limits and back-off (`Download.interleaved` with `perHost`): two hosts, at most
 * two requests in flight to each; one host answers its first request `429 Too Many Requests` with
 * `Retry-After: 1`, and is held — only that host — for that second while the other keeps flowing.
 */

import { Download } from "@tapestry/platform"
import { Duration, Effect, Exit, Option, Stream } from "effect"
import * as Failures from "../Failures.js"
import * as Format from "../Format.js"
import * as Scenario from "../Scenario.js"
import { type Sites, Web } from "../Web.js"
import * as Command from "./Command.js"
import * as Options from "./Options.js"

const KiB = 1024

const perHost = 2
const concurrency = 4

/** The calm host: eight pages, a tenth of a second each. */
const calmSites: Sites = Object.fromEntries(
  [1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`/page-${i}`, { delay: "100 millis", size: 16 * KiB }])
)

/** The busy host (served by the scenario's LocalWeb): a 429 with `Retry-After: 1`, then four feeds. */
export const spec: Scenario.Spec = {
  name: "backoff",
  summary: "at most 2 requests per host; a host's 429 Retry-After holds only that host",
  dotnet: "HttpClient with a SemaphoreSlim per host and Polly's Retry-After handling",
  tapestry: "Download.interleaved({ perHost })",
  sites: {
    "/limited": { status: 429, retryAfter: 1, size: 16 },
    ...Object.fromEntries(
      [1, 2, 3, 4].map((i) => [`/feed-${i}`, { delay: "60 millis", size: 24 * KiB, bytesPerSecond: 512 * KiB }])
    )
  },
  otherHosts: { calm: calmSites }
}

/** The scenario against two LocalWebs, or the given `urls` (then only `perHost` and the holds are shown). */
export const scenario = (urls: ReadonlyArray<string>) =>
  Scenario.run(
    spec,
    urls,
    Effect.gen(function* () {
      const web = yield* Web
      const busy = yield* Scenario.targets(Object.keys(spec.sites))
      const calmWeb = Option.fromNullable(web.others.find((other) => other.name === "calm")?.web)
      const targets = Option.match(calmWeb, {
        onNone: () => busy,
        onSome: (calm) => [
          ...busy.map((t) => ({ label: `busy ${t.label}`, url: t.url })),
          ...Object.keys(calmSites).map((path) => ({ label: `calm ${path}`, url: calm.url(path) }))
        ]
      })
      yield* Scenario.say(
        `${targets.length} downloads, at most ${concurrency} in flight and ${perHost} per host, in this order: ` +
          targets.map((t) => t.label).join(", ")
      )
      const start = Date.now()
      const at = () => `+${Format.millis(Date.now() - start)}`.padEnd(9)
      let heldUntil = 0
      // The stream starts each download itself: its spans give each one its bar as it starts.
      const watched = yield* Scenario.watch(targets)
      yield* Download.interleaved(
        targets.map((t) => t.url),
        { concurrency, perHost, progress: watched.progress }
      ).pipe(
        Stream.runForEach(({ exit, index }) =>
          Effect.suspend(() => {
            const label = targets[index]?.label ?? `#${index}`
            return Exit.match(exit, {
              onSuccess: (page) => Scenario.say(`${at()} ${label}: ${Format.bytes(page.bytes)}`),
              onFailure: (cause) =>
                Failures.handle(cause, (error) => {
                  const wait = error._tag === "HttpStatusError" ? error.retryAfter : undefined
                  if (wait !== undefined) heldUntil = Date.now() - start + Duration.toMillis(wait)
                  const hold =
                    wait === undefined
                      ? ""
                      : ` — its host is held until +${Format.millis(heldUntil)} (what is in flight finishes), the others go on`
                  return Scenario.say(`${at()} ${label}: ${Failures.detail(error)}${hold}`)
                })
            })
          })
        ),
        Effect.withTracer(watched.tracer)
      )
      if (Option.isSome(web.local) && Option.isSome(calmWeb)) {
        const [b, c] = [yield* web.local.value.stats, yield* calmWeb.value.stats]
        yield* Scenario.say(
          `peak in flight per host: busy ${b.peakInFlight}, calm ${c.peakInFlight} (perHost ${perHost}); ` +
            `the 429 was not retried: ${b.byPath["/limited"]?.started ?? 0} request to /limited`
        )
      }
    })
  )

/** `demo backoff [--url U]…` */
export const command = Command.make("backoff", { urls: Options.urls }, ({ urls }) => scenario(urls)).pipe(
  Command.withDescription("per-host limits and back-off: a host's 429 Retry-After holds only that host")
)
