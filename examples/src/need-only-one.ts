/**
 * `NeedOnlyOne`: the first success wins, the others are interrupted. With `stagger`, it is a hedged
 * request: the backup starts only if the first has not answered within the stagger.
 */
import { Task } from "@tapestry/core"
import { Console, Effect } from "effect"
import { runExample } from "./runExample.js"

const replica = (name: string, millis: number) =>
  Console.log(`${name} started`).pipe(Effect.zipRight(Effect.succeed(name).pipe(Effect.delay(`${millis} millis`))))

export const program = Effect.gen(function* () {
  const winner = yield* Task.needOnlyOne([replica("primary", 10), replica("backup", 10)], { stagger: "100 millis" })
  yield* Console.log(`answer from ${winner}`)

  const all = yield* Task.needOnlyOne([Effect.fail("a down"), Effect.fail("b down")]).pipe(Effect.flip)
  yield* Console.log(`every replica failed: ${all.failures.map((f) => f.error).join(", ")}`)
})

runExample(import.meta.url, program)

// Output:
// primary started
// answer from primary
// every replica failed: a down, b down
