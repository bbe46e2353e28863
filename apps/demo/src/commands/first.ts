/**
 * `first` — redundancy (000, "Cancel Remaining Async Tasks after One Is Complete"; 002, Redundancy and
 * NeedOnlyOne): start several downloads of the same page, keep the first successful one, cancel the
 * rest. A fast 404 completes first but must not win.
 */

import { Task } from "@tapestry/core"
import { Effect } from "effect"
import * as Format from "../Format.js"
import * as Scenario from "../Scenario.js"
import * as Command from "./Command.js"
import * as Options from "./Options.js"

const KiB = 1024

/** Mirrors of one page: a fast 404, a fast one, a medium one, a slow one and one that never answers. */
export const spec: Scenario.Spec = {
  name: "first",
  summary: "several mirrors of one page; the first successful download wins, the others are cancelled",
  dotnet: "Task.WhenAny + CancellationTokenSource.Cancel (NeedOnlyOne)",
  tapestry: "Task.needOnlyOne",
  sites: {
    "/mirror-missing": { status: 404, size: 9 },
    "/mirror-slow": { delay: "100 millis", size: 512 * KiB, bytesPerSecond: 256 * KiB },
    "/mirror-fast": { delay: "150 millis", size: 48 * KiB, bytesPerSecond: 512 * KiB },
    "/mirror-medium": { delay: "250 millis", size: 96 * KiB, bytesPerSecond: 256 * KiB },
    "/mirror-hang": { hang: true }
  }
}

/** The scenario against LocalWeb, or the given `urls`. */
export const scenario = (urls: ReadonlyArray<string>) =>
  Scenario.run(
    spec,
    urls,
    Effect.gen(function* () {
      const targets = yield* Scenario.targets(Object.keys(spec.sites))
      yield* Scenario.say(
        `starting ${Format.plural(targets.length, "download")}: ${targets.map((t) => t.label).join(", ")}`
      )
      const winner = yield* Task.needOnlyOne(
        targets.map((target) => Effect.map(Scenario.download(target), (page) => ({ target, page })))
      ).pipe(Effect.either)
      if (winner._tag === "Left") {
        yield* Scenario.say(`no download succeeded (${Format.plural(winner.left.failures.length, "failure")})`)
        return
      }
      const { page, target } = winner.right
      yield* Scenario.say(
        `Length of the downloaded website: ${page.bytes} bytes (${Format.bytes(page.bytes)}, from ${target.label} in ${Format.duration(page.elapsed)})`
      )
      if (targets.length > 1) yield* Scenario.say("the other downloads were cancelled as soon as it won")
    })
  )

/** `demo first [--url U]…` */
export const command = Command.make("first", { urls: Options.urls }, ({ urls }) => scenario(urls)).pipe(
  Command.withDescription("redundancy: the first successful download wins, the rest are cancelled")
)
