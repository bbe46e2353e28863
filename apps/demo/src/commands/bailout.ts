/**
 * `bailout --timeout D` — early bail-out (Early Bailout and Task.Delay in the TAP): a download raced
 * against a time-out, then the others raced against a cancel signal — a key press on a terminal, or
 * the time running out (soon when nobody can press a key, or when `all` runs unattended). Either way
 * the downloads are interrupted and their requests aborted.
 */
import { Task, TimeoutError } from "@tapestry/core"
import type { Download, DownloadError } from "@tapestry/platform"
import { Duration, Effect, type Either, Option } from "effect"
import * as Failures from "../Failures.js"
import * as Format from "../Format.js"
import { type CancelReason, Keyboard } from "../Keyboard.js"
import * as Scenario from "../Scenario.js"
import type { Target } from "../Web.js"
import * as Command from "./Command.js"
import * as Options from "./Options.js"

const KiB = 1024

/** How long the cancel waits when nobody can press a key (standard input or output is not a terminal). */
export const scriptedCancel = "700 millis"

/** How long it waits on a terminal under `all`: a key press cancels sooner. */
export const unattendedCancel = "3 seconds"

/** How long it waits on a terminal when `bailout` runs on its own: a key press cancels sooner. */
export const patientCancel = "30 seconds"

/** A slow report (about 1.3 s) and a long video that trickles for minutes. */
export const spec: Scenario.Spec = {
  name: "bailout",
  summary: "give up on a slow download after a time-out, and on another when asked to",
  dotnet: "Task.WhenAny with Task.Delay or with a cancel signal",
  tapestry: "Task.timeout, Task.untilCompletionOrCancellation",
  sites: {
    "/slow-report": { delay: "200 millis", size: 160 * KiB, bytesPerSecond: 144 * KiB },
    "/long-video": { size: 64 * 1024 * KiB, bytesPerSecond: 192 * KiB }
  }
}

const names = (targets: ReadonlyArray<Target>) => targets.map((t) => t.label).join(", ")

/**
 * The scenario against LocalWeb, or the given `urls`: the first is timed, every other one is
 * cancelled (a single URL serves both parts). `unattended` (under `all`): on a terminal the cancel
 * comes after {@link unattendedCancel} unless a key comes first.
 */
export const scenario = (
  urls: ReadonlyArray<string>,
  timeout: Duration.Duration,
  options: { readonly unattended?: boolean } = {}
) =>
  Scenario.run(
    spec,
    urls,
    Effect.gen(function* () {
      const keyboard = yield* Keyboard
      const targets = yield* Scenario.targets(Object.keys(spec.sites))
      const timed = targets[0]
      if (timed === undefined) return
      const rest = targets.length > 1 ? targets.slice(1) : targets

      yield* Scenario.say(`${timed.label}: waiting at most ${Format.duration(timeout)}`)
      const first = yield* Task.timeout(Scenario.download(timed), timeout).pipe(Effect.either)
      if (first._tag === "Right") {
        yield* Scenario.say(
          `${timed.label}: finished in time — ${Format.bytes(first.right.bytes)} in ${Format.duration(first.right.elapsed)}`
        )
      } else if (first.left instanceof TimeoutError) {
        yield* Scenario.say(`${timed.label}: timed out after ${Format.duration(timeout)}; the download was cancelled`)
      } else {
        yield* Scenario.say(`${timed.label}: failed before the time-out (${Failures.summary(first.left)})`)
      }

      const after = Duration.decode(
        keyboard.interactive ? (options.unattended === true ? unattendedCancel : patientCancel) : scriptedCancel
      )
      const which = targets.length === 1 ? `${timed.label} (again: the one address serves both parts)` : names(rest)
      yield* Scenario.say(
        keyboard.interactive
          ? `${which}: downloading — press any key to cancel (it cancels by itself after ${Format.duration(after)})`
          : `${which}: downloading — no terminal to press a key on: cancelling after ${Format.duration(after)}`
      )
      const ended = new Map<Target, Either.Either<Download.Downloaded, DownloadError.DownloadError>>()
      const cancel: { reason: CancelReason } = { reason: "time" }
      const second = yield* Task.untilCompletionOrCancellation(
        Task.whenAll(
          rest.map((target) =>
            Scenario.download(target).pipe(
              Effect.either,
              Effect.tap((result) => Effect.sync(() => void ended.set(target, result)))
            )
          )
        ),
        keyboard.cancelSignal(after).pipe(Effect.tap((why) => Effect.sync(() => void (cancel.reason = why))))
      )
      const cancelledBy = cancel.reason === "key" ? "by a key press" : `after ${Format.duration(after)}`
      for (const target of rest) {
        const result = ended.get(target)
        if (result === undefined) {
          yield* Scenario.say(`${target.label}: cancelled ${cancelledBy}; the download was interrupted`)
        } else if (result._tag === "Left") {
          yield* Scenario.say(`${target.label}: failed before the cancel (${Failures.summary(result.left)})`)
        } else {
          yield* Scenario.say(`${target.label}: finished before the cancel — ${Format.bytes(result.right.bytes)}`)
        }
      }
      if (Option.isSome(second)) yield* Scenario.say("nothing was left to cancel")
    })
  )

/** `demo bailout [--timeout D] [--url U]…` */
export const command = Command.make("bailout", { urls: Options.urls, timeout: Options.timeout }, ({ timeout, urls }) =>
  scenario(urls, timeout)
).pipe(
  Command.withDescription(
    "early bail-out: a time-out, then a cancel (a key press on a terminal, or the time running out)"
  )
)
