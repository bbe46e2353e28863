/**
 * `retry --tries N` — RetryOnFault (002): a site that fails twice then answers, retried with
 * exponential back-off; and a 503 whose `Retry-After` is honoured before the next attempt.
 */

import { Task } from "@tapestry/core"
import { Download } from "@tapestry/platform"
import { Effect } from "effect"
import * as Failures from "../Failures.js"
import * as Format from "../Format.js"
import * as Scenario from "../Scenario.js"
import type { Target } from "../Web.js"
import * as Command from "./Command.js"
import * as Options from "./Options.js"

const KiB = 1024

/**
 * A flaky site (two 503s, then 200) and a busy one (one 503 with `Retry-After: 1`, then 200). Their
 * answers are sent whole, at once: a 503 trickled out would be cut off by the client, which reads no
 * error body, and LocalWeb would count it as aborted.
 */
export const spec: Scenario.Spec = {
  name: "retry",
  summary: "retry a failing download: back-off between attempts, or the server's Retry-After",
  dotnet: "RetryOnFault with Task.Delay between attempts",
  tapestry: "Task.retryOnFault + Download.retryPolicy",
  sites: {
    "/flaky": { failFirst: 2, size: 32 * KiB },
    "/busy": { failFirst: 1, retryAfter: 1, size: 32 * KiB }
  }
}

const attempt = (target: Target, tries: number) =>
  Effect.gen(function* () {
    let attempts = 0
    let failedAt = Date.now()
    const once = Effect.suspend(() => {
      attempts++
      const n = attempts
      const waited = n > 1 ? ` after waiting ${Format.millis(Date.now() - failedAt)}` : ""
      return Scenario.say(`${target.label}: attempt ${n}/${tries}${waited}`).pipe(
        Effect.zipRight(Scenario.download(target)),
        Effect.tapError((error) =>
          Effect.zipRight(
            Effect.sync(() => void (failedAt = Date.now())),
            Scenario.say(`${target.label}: attempt ${n} failed: ${Failures.summary(error)}`)
          )
        )
      )
    })
    const policy = Download.retryPolicy({ maxTries: tries, base: "50 millis" })
    const result = yield* Task.retryOnFault(once, policy).pipe(Effect.either)
    if (result._tag === "Right") {
      yield* Scenario.say(`${target.label}: answered on attempt ${attempts}: ${Format.bytes(result.right.bytes)}`)
      return
    }
    const last = result.left.errors[result.left.errors.length - 1]
    if (last !== undefined && !policy.while(last)) {
      // The policy would not try again: a 404 will not get better.
      yield* Scenario.say(
        `${target.label}: not retried — ${Failures.summary(last)} is not worth another attempt (RetriesExhausted after ${Format.plural(result.left.attempts, "attempt")})`
      )
    } else {
      yield* Scenario.say(
        `${target.label}: gave up after ${Format.plural(result.left.attempts, "attempt")} (RetriesExhausted)`
      )
    }
  })

/** The scenario against LocalWeb, or the given `urls`. */
export const scenario = (urls: ReadonlyArray<string>, tries: number) =>
  Scenario.run(
    spec,
    urls,
    Effect.gen(function* () {
      const targets = yield* Scenario.targets(Object.keys(spec.sites))
      for (const target of targets) yield* attempt(target, tries)
    })
  )

/** `demo retry [--tries N] [--url U]…` */
export const command = Command.make("retry", { urls: Options.urls, tries: Options.tries }, ({ tries, urls }) =>
  scenario(urls, tries)
).pipe(Command.withDescription("RetryOnFault: back-off between attempts, Retry-After honoured"))
