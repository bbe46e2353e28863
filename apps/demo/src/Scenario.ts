/**
 * What every scenario shares: a header, a board of progress bars, downloads that show a bar and
 * record their typed failures, the failure table, and LocalWeb's counters at the end — also when the
 * scenario is interrupted, so Ctrl-C shows that nothing was left in flight.
 */
import type { HttpClient } from "@effect/platform"
import type { Progress } from "@tapestry/core"
import { Download, type DownloadError, type LocalWeb } from "@tapestry/platform"
import { Effect, Option, Ref } from "effect"
import * as Failures from "./Failures.js"
import * as Format from "./Format.js"
import type { Keyboard } from "./Keyboard.js"
import { Renderer } from "./Renderer.js"
import { Screen } from "./Screen.js"
import { describeStats, settledStats, type Target, Web } from "./Web.js"

/**
 * A scenario's name, what it shows, the .NET construct it comes from (`dotnet`, named as the TAP
 * names it) and what stands for it here (`tapestry`), and the LocalWeb sites it downloads.
 */
export interface Spec {
  readonly name: string
  readonly summary: string
  readonly dotnet: string
  readonly tapestry: string
  readonly sites: Readonly<Record<string, LocalWeb.Site>>
}

/** The typed failures of the scenario being run, per address, in the order they happened. */
export class FailureLog extends Effect.Service<FailureLog>()("@tapestry/demo/FailureLog", {
  effect: Effect.map(Ref.make<ReadonlyArray<Failures.Row>>([]), (rows) => ({
    record: (row: Failures.Row) => Ref.update(rows, (all) => [...all, row]),
    rows: Ref.get(rows)
  }))
}) {}

/** What a scenario's body may use. */
export type Env = Web | Renderer | Screen | Keyboard | FailureLog | HttpClient.HttpClient

/** Prints a line (above the bars, on a terminal). */
export const say = (line: string): Effect.Effect<void, never, Renderer> =>
  Effect.flatMap(Renderer, (renderer) => renderer.log(line))

/** The addresses a scenario downloads: the `--url`s, or LocalWeb's `paths`. */
export const targets = (paths: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<Target>, never, Web> =>
  Effect.map(Web, (web) => web.targets(paths))

/** Whether the scenario runs against the embedded LocalWeb. */
export const isLocal: Effect.Effect<boolean, never, Web> = Effect.map(Web, (web) => Option.isSome(web.local))

/**
 * Downloads `target` with a progress bar; a typed failure is recorded for the failure table (and
 * still fails the effect, for the combinator to see).
 */
export const download = (
  target: Target,
  options: { readonly maxBytes?: number } = {}
): Effect.Effect<Download.Downloaded, DownloadError.DownloadError, Renderer | FailureLog | HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const renderer = yield* Renderer
    const failures = yield* FailureLog
    return yield* renderer
      .track(target.label, (progress: Progress.Progress<Download.DownloadProgress>) =>
        Download.get(target.url, { ...options, progress })
      )
      .pipe(Effect.tapError((error) => failures.record({ label: target.label, error })))
  })

/**
 * Runs a scenario: header, body under a board of bars, the failure table, then LocalWeb's counters
 * (read once every request has ended on the server).
 */
export const run = <R>(
  spec: Spec,
  urls: ReadonlyArray<string>,
  body: Effect.Effect<void, never, R>
): Effect.Effect<void, never, Exclude<R, Web | FailureLog> | Renderer | Screen> =>
  Effect.gen(function* () {
    const screen = yield* Screen
    const renderer = yield* Renderer
    yield* screen.line(`── ${spec.name}: ${spec.summary}`)
    yield* screen.line(`   .NET: ${spec.dotnet} · here: ${spec.tapestry}`)
    const program = Effect.gen(function* () {
      const web = yield* Web
      const failures = yield* FailureLog
      yield* renderer.show(spec.name, body).pipe(
        Effect.ensuring(
          Effect.gen(function* () {
            const rows = yield* failures.rows
            if (rows.length > 0) {
              yield* screen.line(`typed failures (${rows.length}):`)
              for (const line of Failures.table(rows)) yield* screen.line(`  ${line}`)
            }
            // Nobody reads any more (`| head -1`): no waiting for counters nobody will see.
            if (Option.isNone(web.local) || screen.isClosed()) return
            const stats = yield* settledStats(web.local.value)
            yield* screen.line(describeStats(stats))
            const board = yield* renderer.lastBoard
            const cancelled = board?.bars.filter((bar) => bar.state === "cancelled").length ?? 0
            if (cancelled > stats.aborted) {
              const others = cancelled - stats.aborted
              yield* screen.line(
                `   (${Format.plural(cancelled, "download was", "downloads were")} cancelled; LocalWeb saw ${stats.aborted} cut off on the wire — ` +
                  `the other ${others === 1 ? "one" : others} had not reached it yet or had been sent in full)`
              )
            }
          })
        )
      )
    })
    yield* program.pipe(Effect.provide([Web.Default(urls, spec.sites), FailureLog.Default]))
    yield* screen.line("")
  }) as Effect.Effect<void, never, Exclude<R, Web | FailureLog> | Renderer | Screen>
