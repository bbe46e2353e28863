/**
 * What a failure nobody waits for looks like in the logs: a `needOnlyOne` loser (or a detached task) that
 * failed is one WARN line with the error's tag and message; the full `Cause` is logged at DEBUG, which
 * Effect's default minimum level (INFO) hides. The caller picks the level.
 */
import { Task } from "@tapestry/core"
import { Console, Data, Effect, Logger, LogLevel } from "effect"
import { runExample } from "./runExample.js"

class MirrorDown extends Data.TaggedError("MirrorDown")<{ readonly mirror: string; readonly status: number }> {
  override get message() {
    return `${this.mirror} answered ${this.status}`
  }
}

const mirror = (name: string, millis: number, status?: number) =>
  (status === undefined ? Effect.succeed(name) : Effect.fail(new MirrorDown({ mirror: name, status }))).pipe(
    Effect.delay(`${millis} millis`)
  )
const fetchPackage = Task.needOnlyOne([mirror("eu", 10, 404), mirror("us", 30), mirror("asia", 20, 503)])

export const program = Effect.gen(function* () {
  // The default: one line per failed loser, in input order, with its index.
  yield* Console.log(`served by ${yield* fetchPackage}`)

  // Quieter: only errors and worse reach the loggers, so the losers' lines are dropped.
  const quiet = yield* fetchPackage.pipe(Logger.withMinimumLogLevel(LogLevel.Error))
  yield* Console.log(`served by ${quiet}, nothing logged`)
})

runExample(import.meta.url, program)

// Output:
// [07:03:34.530] WARN (#1): Task.needOnlyOne: a losing task failed (MirrorDown: eu answered 404)
//   index: 0
// [07:03:34.581] WARN (#1): Task.needOnlyOne: a losing task failed (MirrorDown: asia answered 503)
//   index: 2
// served by us
// served by us, nothing logged
