/**
 * `bailout --timeout D` — early bail-out (002, Early Bailout and Task.Delay): a download raced
 * against a time-out, then one raced against a cancel signal — a key press on a terminal, a scripted
 * cancel after a delay otherwise. Either way the download is interrupted and its request aborted.
 */
import { Command } from "@effect/cli"
import { Task, TimeoutError } from "@tapestry/core"
import { Duration, Effect, Option } from "effect"
import * as Format from "../Format.js"
import { Keyboard } from "../Keyboard.js"
import * as Scenario from "../Scenario.js"
import * as Options from "./Options.js"

const KiB = 1024

/** How long the scripted cancel waits when nobody can press a key. */
export const scriptedCancel = "700 millis"

/** A slow report (about 1.3 s) and a long video that trickles for minutes. */
export const spec: Scenario.Spec = {
  name: "bailout",
  summary: "give up on a slow download after a time-out, and on another when asked to",
  origin: "002 Early Bailout, Task.Delay → Task.timeout, Task.untilCompletionOrCancellation",
  sites: {
    "/slow-report": { delay: "200 millis", size: 160 * KiB, bytesPerSecond: 144 * KiB },
    "/long-video": { size: 64 * 1024 * KiB, bytesPerSecond: 192 * KiB }
  }
}

/** The scenario against LocalWeb, or the given `urls` (the first is timed, the last is cancelled). */
export const scenario = (urls: ReadonlyArray<string>, timeout: Duration.Duration) =>
  Scenario.run(
    spec,
    urls,
    Effect.gen(function* () {
      const keyboard = yield* Keyboard
      const targets = yield* Scenario.targets(Object.keys(spec.sites))
      const timed = targets[0]
      const cancelled = targets[targets.length - 1]
      if (timed === undefined || cancelled === undefined) return

      yield* Scenario.say(`${timed.label}: waiting at most ${Format.duration(timeout)}`)
      const first = yield* Task.timeout(Scenario.download(timed), timeout).pipe(Effect.either)
      if (first._tag === "Right") {
        yield* Scenario.say(
          `${timed.label}: finished in time — ${Format.bytes(first.right.bytes)} in ${Format.duration(first.right.elapsed)}`
        )
      } else if (first.left instanceof TimeoutError) {
        yield* Scenario.say(`${timed.label}: timed out after ${Format.duration(timeout)}; the download was cancelled`)
      } else {
        yield* Scenario.say(`${timed.label}: failed before the time-out (${first.left._tag})`)
      }

      yield* Scenario.say(
        keyboard.interactive
          ? `${cancelled.label}: downloading — press any key to cancel`
          : `${cancelled.label}: downloading — no terminal to press a key on: cancelling after ${Format.duration(Duration.decode(scriptedCancel))}`
      )
      const second = yield* Task.untilCompletionOrCancellation(
        Scenario.download(cancelled),
        keyboard.cancelSignal(scriptedCancel)
      ).pipe(Effect.either)
      if (second._tag === "Left") {
        yield* Scenario.say(`${cancelled.label}: failed before the cancel (${second.left._tag})`)
      } else if (Option.isNone(second.right)) {
        yield* Scenario.say(
          `${cancelled.label}: cancelled ${keyboard.interactive ? "by a key press" : "by the scripted cancel"}; the download was interrupted`
        )
      } else {
        yield* Scenario.say(
          `${cancelled.label}: finished before the cancel — ${Format.bytes(second.right.value.bytes)}`
        )
      }
    })
  )

/** `demo bailout [--timeout D] [--url U]…` */
export const command = Command.make("bailout", { urls: Options.urls, timeout: Options.timeout }, ({ timeout, urls }) =>
  scenario(urls, timeout)
).pipe(
  Command.withDescription("early bail-out: a time-out, and a cancel (a key press, or scripted without a terminal)")
)
