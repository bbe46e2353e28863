/**
 * What every scenario shares: a header, a board of progress bars, downloads that show a bar and
 * record their typed failures, the failure table, and LocalWeb's counters at the end — also when the
 * scenario is interrupted, so Ctrl-C shows that nothing was left in flight.
 */
import type { HttpClient } from "@effect/platform"
import { Progress } from "@tapestry/core"
import { Download, type DownloadError } from "@tapestry/platform"
import { Cause, type Context, Effect, type Exit, Option, Ref, Tracer } from "effect"
import * as Failures from "./Failures.js"
import * as Format from "./Format.js"
import type { Keyboard } from "./Keyboard.js"
import { type Bar, type BarHandle, Renderer } from "./Renderer.js"
import { Screen } from "./Screen.js"
import { describeStats, type Sites, settledStats, type Target, Web } from "./Web.js"

/**
 * A scenario's name, what it shows, the .NET construct it comes from (`dotnet`, named as the TAP
 * names it) and what stands for it here (`tapestry`), and the LocalWeb sites it downloads.
 */
export interface Spec {
  readonly name: string
  readonly summary: string
  readonly dotnet: string
  readonly tapestry: string
  readonly sites: Sites
  /** More hosts, each a LocalWeb of its own, by name (`web.others`; their counters are printed too). */
  readonly otherHosts?: Readonly<Record<string, Sites>>
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

/** What {@link watch} gives: the tracer to run the stream under, and the reporter to pass it. */
export interface Watch {
  readonly tracer: Tracer.Tracer
  readonly progress: Progress.Progress<Download.DownloadProgress>
}

/** A span that says when it learns its URL and when it ends, and otherwise is `span`. */
class WatchedSpan implements Tracer.Span {
  readonly _tag = "Span"
  constructor(
    readonly span: Tracer.Span,
    readonly onUrl: (url: string) => void,
    readonly onEnd: (exit: Exit.Exit<unknown, unknown>) => void
  ) {}
  get name(): string {
    return this.span.name
  }
  get spanId(): string {
    return this.span.spanId
  }
  get traceId(): string {
    return this.span.traceId
  }
  get parent(): Option.Option<Tracer.AnySpan> {
    return this.span.parent
  }
  get context(): Context.Context<never> {
    return this.span.context
  }
  get status(): Tracer.SpanStatus {
    return this.span.status
  }
  get attributes(): ReadonlyMap<string, unknown> {
    return this.span.attributes
  }
  get links(): ReadonlyArray<Tracer.SpanLink> {
    return this.span.links
  }
  get sampled(): boolean {
    return this.span.sampled
  }
  get kind(): Tracer.SpanKind {
    return this.span.kind
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.span.end(endTime, exit)
    this.onEnd(exit)
  }
  attribute(key: string, value: unknown): void {
    this.span.attribute(key, value)
    if (key === "url.full" && typeof value === "string") this.onUrl(value)
  }
  event(name: string, startTime: bigint, attributes?: Record<string, unknown>): void {
    this.span.event(name, startTime, attributes)
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.span.addLinks(links)
  }
}

/**
 * Bars and failure-table rows for downloads that a stream starts by itself (`Download.interleaved`),
 * the same as {@link download} gives: each download runs in a `Download.get` span naming its URL,
 * so `tracer` opens the bar of that target when the span starts and ends it (recording a typed
 * failure) when the span ends; `progress`, passed as the stream's `progress` option, fills the bars.
 * A download that never started has no bar, so an interruption names only those under way.
 */
export const watch = (targets: ReadonlyArray<Target>): Effect.Effect<Watch, never, Renderer | FailureLog> =>
  Effect.gen(function* () {
    const renderer = yield* Renderer
    const failures = yield* FailureLog
    const inner = yield* Effect.tracer
    // Spans and reports name a URL as `Download.redactUrl` shows it; the same URL twice is taken in turn.
    const notStarted = new Map<string, Array<Target>>()
    for (const target of targets) {
      const key = Download.redactUrl(target.url)
      notStarted.set(key, [...(notStarted.get(key) ?? []), target])
    }
    const running = new Map<string, Array<BarHandle>>()
    const start = (url: string): ((exit: Exit.Exit<unknown, unknown>) => void) => {
      const target = notStarted.get(url)?.shift() ?? { label: url, url }
      const bar = Effect.runSync(renderer.open(target.label))
      running.set(url, [...(running.get(url) ?? []), bar])
      return (exit) => {
        running.set(
          url,
          (running.get(url) ?? []).filter((b) => b !== bar)
        )
        // A `Download.get` span fails with what the download failed with: a DownloadError.
        const failure = exit._tag === "Failure" ? Cause.failureOption(exit.cause) : Option.none()
        const record = Option.isSome(failure)
          ? failures.record({ label: target.label, error: failure.value as DownloadError.DownloadError })
          : Effect.void
        Effect.runSync(Effect.zipRight(bar.end(exit), record))
      }
    }
    const tracer = Tracer.make({
      context: (f, fiber) => inner.context(f, fiber),
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = inner.span(name, parent, context, links, startTime, kind, options)
        if (name !== "Download.get") return span
        let ended: ((exit: Exit.Exit<unknown, unknown>) => void) | undefined
        return new WatchedSpan(
          span,
          (url) => {
            ended ??= start(url)
          },
          (exit) => ended?.(exit)
        )
      }
    })
    const progress = Progress.make(
      (p: Download.DownloadProgress) => running.get(p.url)?.[0]?.progress.report(p) ?? Effect.void
    )
    return { tracer, progress }
  })

/**
 * When more downloads were cancelled than LocalWeb saw aborted, why: some had not reached it yet
 * (each bar is one request, so the bars beyond the requests it saw start), the others had been
 * sent in full but not yet read. Nothing when the counts match.
 */
export const cancelledNote = (bars: ReadonlyArray<Bar>, started: number, aborted: number): string | undefined => {
  const cancelled = bars.filter((bar) => bar.state === "cancelled").length
  if (cancelled <= aborted) return undefined
  const notSent = Math.min(cancelled - aborted, Math.max(0, bars.length - started))
  const unread = cancelled - aborted - notSent
  const why = [
    ...(notSent > 0 ? [`${notSent} had not reached it yet`] : []),
    ...(unread > 0 ? [`${unread} had been sent in full but not read yet`] : [])
  ]
  return `   (${Format.plural(cancelled, "download was", "downloads were")} cancelled and LocalWeb saw ${aborted} cut off on the wire: ${why.join(", ")})`
}

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
            const others = yield* Effect.forEach(web.others, ({ name, web }) =>
              Effect.map(settledStats(web), (stats) => ({ name, stats }))
            )
            const stats = yield* settledStats(web.local.value)
            for (const other of others) yield* screen.line(describeStats(other.stats, other.name))
            yield* screen.line(describeStats(stats))
            const all = [stats, ...others.map((other) => other.stats)]
            const note = cancelledNote(
              (yield* renderer.lastBoard)?.bars ?? [],
              all.reduce((sum, s) => sum + s.started, 0),
              all.reduce((sum, s) => sum + s.aborted, 0)
            )
            if (note !== undefined) yield* screen.line(note)
          })
        )
      )
    })
    yield* program.pipe(Effect.provide([Web.Default(urls, spec.sites, spec.otherHosts), FailureLog.Default]))
    yield* screen.line("")
  }) as Effect.Effect<void, never, Exclude<R, Web | FailureLog> | Renderer | Screen>
