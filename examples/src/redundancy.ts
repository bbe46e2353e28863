/**
 * `Task.WhenAny` for redundancy: ask several stock-quote services, take the first to answer, and
 * interrupt the others — no `CancellationTokenSource` to thread through.
 */
import { Task } from "@tapestry/core"
import { Console, Effect, Exit } from "effect"
import { runExample } from "./runExample.js"

const quote = (service: string, millis: number, price: number) =>
  Effect.succeed(price).pipe(
    Effect.delay(`${millis} millis`),
    Effect.onInterrupt(() => Console.log(`${service}: interrupted`))
  )

export const program = Effect.gen(function* () {
  const first = yield* Task.whenAny([quote("slow", 300, 101), quote("fast", 10, 100), quote("medium", 200, 102)])
  // whenAny returns the first task to COMPLETE (success or failure) with its index; the losers have
  // already been interrupted AND awaited when it returns.
  if (Exit.isSuccess(first.exit)) yield* Console.log(`service #${first.index} answered first: ${first.exit.value}`)

  // needOnlyOne waits for the first SUCCESS instead: a fast failure does not win.
  const price = yield* Task.needOnlyOne([Effect.fail("overloaded"), quote("backup", 20, 99)])
  yield* Console.log(`first successful quote: ${price}`)
})

runExample(import.meta.url, program)

// Output:
// slow: interrupted
// medium: interrupted
// service #1 answered first: 100
// [07:04:07.292] WARN (#1): Task.needOnlyOne: a losing task failed ("overloaded")
//   index: 0
// first successful quote: 99
