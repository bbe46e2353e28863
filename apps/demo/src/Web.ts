/**
 * Where a scenario downloads from: an embedded `LocalWeb` with the scenario's own sites (no network,
 * no set-up), or the addresses given with `--url`.
 */
import { Download, LocalWeb } from "@tapestry/platform"
import { Context, Effect, Layer, Option } from "effect"

/** One address to download, with the short name the output shows. */
export interface Target {
  readonly label: string
  readonly url: string
}

/** The shape of {@link Web}. */
export interface WebShape {
  /** The embedded server, when the scenario runs against it (no `--url`). */
  readonly local: Option.Option<LocalWeb.LocalWeb>
  /** The given `--url`s, or LocalWeb's `paths`. */
  readonly targets: (paths: ReadonlyArray<string>) => ReadonlyArray<Target>
  /** More embedded hosts beside `local`, by name (none with `--url`). */
  readonly others: ReadonlyArray<{ readonly name: string; readonly web: LocalWeb.LocalWeb }>
}

/** The sites of one embedded LocalWeb, by path. */
export type Sites = Readonly<Record<string, LocalWeb.Site>>

const remote = (urls: ReadonlyArray<string>): WebShape => ({
  local: Option.none(),
  others: [],
  // Labels are shown: a password in a URL never is.
  targets: () => urls.map((url) => ({ label: Download.redactUrl(url), url }))
})

const start = (sites: Sites) =>
  Layer.build(LocalWeb.layer(sites)).pipe(Effect.map((context) => Context.get(context, LocalWeb.LocalWeb)))

/**
 * The scenario's web: `Web.Default(urls, sites, others)` starts a LocalWeb serving `sites`, and one
 * more per entry of `others` (a host of its own), unless `urls` were given.
 */
export class Web extends Effect.Service<Web>()("@tapestry/demo/Web", {
  scoped: (urls: ReadonlyArray<string>, sites: Sites, others: Readonly<Record<string, Sites>> = {}) =>
    urls.length > 0
      ? Effect.succeed(remote(urls))
      : Effect.gen(function* () {
          const web = yield* start(sites)
          const more = yield* Effect.forEach(Object.entries(others), ([name, sites]) =>
            Effect.map(start(sites), (web) => ({ name, web }))
          )
          return {
            local: Option.some(web),
            others: more,
            targets: (paths) => paths.map((path) => ({ label: path, url: web.url(path) }))
          } satisfies WebShape
        })
}) {}

/**
 * LocalWeb's counters once the server has seen every request end (aborts reach it a moment after the
 * client let go), or as they are after `within` if something is still in flight.
 */
export const settledStats = (web: LocalWeb.LocalWeb, within = 2_000): Effect.Effect<LocalWeb.Stats> =>
  Effect.gen(function* () {
    const deadline = Date.now() + within
    let stats = yield* web.stats
    while (stats.inFlight > 0 && Date.now() < deadline) {
      yield* Effect.sleep("10 millis")
      stats = yield* web.stats
    }
    return stats
  })

/** LocalWeb's counters in one line (`LocalWeb (calm host): …` for one of the other hosts). */
export const describeStats = (stats: LocalWeb.Stats, host?: string): string =>
  `LocalWeb${host === undefined ? "" : ` (${host} host)`}: ${stats.started} requests started, ${stats.finished} finished, ` +
  `${stats.reset === 0 ? "" : `${stats.reset} cut off by its script, `}${stats.aborted} aborted by the client, ` +
  `${stats.inFlight} in flight (peak ${stats.peakInFlight})`
