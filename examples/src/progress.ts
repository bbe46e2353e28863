/**
 * `IProgress<T>` / `Progress<T>`: the operation reports, the caller decides what a report does.
 * `Progress.latest` coalesces: a slow consumer sees the newest value, never a backlog.
 */
import { Progress } from "@tapestry/core"
import { Console, Effect, Option } from "effect"
import { runExample } from "./runExample.js"

const copyFile = (progress: Progress.Progress<number>) =>
  Effect.forEach([25, 50, 75, 100], (percent) => progress.report(percent), { discard: true })

export const program = Effect.scoped(
  Effect.gen(function* () {
    yield* copyFile(Progress.make((percent) => Console.log(`${percent}%`)))

    const latest = yield* Progress.latest<number>()
    yield* copyFile(latest.progress)
    const current = yield* latest.current
    yield* Console.log(`latest: ${Option.getOrElse(current, () => 0)}%`)
  })
)

runExample(import.meta.url, program)

// Output:
// 25%
// 50%
// 75%
// 100%
// latest: 100%
