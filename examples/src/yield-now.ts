/**
 * `Task.Yield`: every fiber runs on the one JavaScript thread, so a long run of synchronous steps keeps
 * the others waiting; `Task.yieldNow()` between steps lets them take turns, as `await Task.Yield()`
 * forks a .NET continuation into a separate work item.
 */
import { Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

const crunch = (name: string, trace: Array<string>, yieldBetween: boolean) =>
  Effect.gen(function* () {
    for (let step = 1; step <= 3; step++) {
      trace.push(`${name}${step}`) // a slice of CPU-bound work
      if (yieldBetween) yield* Task.yieldNow()
    }
  })

export const program = Effect.gen(function* () {
  const greedy: Array<string> = []
  yield* Task.whenAll([crunch("a", greedy, false), crunch("b", greedy, false)])
  yield* Console.log(`without yieldNow: ${greedy.join(" ")}`)

  const polite: Array<string> = []
  yield* Task.whenAll([crunch("a", polite, true), crunch("b", polite, true)])
  yield* Console.log(`with yieldNow:    ${polite.join(" ")}`)
})

runExample(import.meta.url, program)

// Output:
// without yieldNow: a1 a2 a3 b1 b2 b3
// with yieldNow:    a1 b1 a2 b2 a3 b3
