/**
 * `interleave` — interleaving (002, Interleaving and Interleaved): start every download, handle each
 * page as soon as it completes, in completion order rather than input order.
 */

import { Task } from "@tapestry/core"
import { Effect, Exit, Stream } from "effect"
import * as Failures from "../Failures.js"
import * as Format from "../Format.js"
import * as Scenario from "../Scenario.js"
import * as Command from "./Command.js"
import * as Options from "./Options.js"

const KiB = 1024

/** Eight pages whose speeds are the reverse of their order, and one that resets mid-body. */
export const spec: Scenario.Spec = {
  name: "interleave",
  summary: "start every download, handle each page as it completes (completion order, not input order)",
  dotnet: "Task.WhenAny in a loop (Interleaved)",
  tapestry: "Task.interleaved",
  sites: {
    "/image-1": { delay: "420 millis", size: 24 * KiB, bytesPerSecond: 256 * KiB },
    "/image-2": { delay: "60 millis", size: 96 * KiB, bytesPerSecond: 256 * KiB },
    "/image-3": { delay: "300 millis", size: 8 * KiB },
    "/image-4": { delay: "20 millis", size: 16 * KiB, bytesPerSecond: 512 * KiB },
    "/image-5": { delay: "200 millis", size: 32 * KiB, bytesPerSecond: 256 * KiB },
    "/image-6": { delay: "100 millis", size: 64 * KiB, resetAfterBytes: 16 * KiB },
    "/image-7": { delay: "150 millis", size: 12 * KiB },
    "/image-8": { delay: "250 millis", size: 48 * KiB, bytesPerSecond: 512 * KiB }
  }
}

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`

/** The scenario against LocalWeb, or the given `urls`. */
export const scenario = (urls: ReadonlyArray<string>) =>
  Scenario.run(
    spec,
    urls,
    Effect.gen(function* () {
      const targets = yield* Scenario.targets(Object.keys(spec.sites))
      yield* Scenario.say(`input order: ${targets.map((t) => t.label).join(", ")}`)
      let handled = 0
      const order: Array<string> = []
      yield* Task.interleaved(targets.map((target) => Scenario.download(target))).pipe(
        Stream.runForEach(({ exit, index }) =>
          Effect.suspend(() => {
            const target = targets[index]
            const label = target?.label ?? `#${index}`
            order.push(label)
            handled++
            return Exit.match(exit, {
              onSuccess: (page) =>
                Scenario.say(
                  `handled ${ordinal(handled)}: ${label} — ${Format.bytes(page.bytes)} in ${Format.duration(page.elapsed)}`
                ),
              onFailure: (cause) =>
                Failures.handle(cause, (error) =>
                  Scenario.say(`handled ${ordinal(handled)}: ${label} — failed (${Failures.summary(error)})`)
                )
            })
          })
        )
      )
      yield* Scenario.say(`completion order: ${order.join(", ")}`)
    })
  )

/** `demo interleave [--url U]…` */
export const command = Command.make("interleave", { urls: Options.urls }, ({ urls }) => scenario(urls)).pipe(
  Command.withDescription("interleaving: handle each page as it completes")
)
