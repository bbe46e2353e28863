/**
 * The demo's entry point (a placeholder until the demo issue lands: it runs one real core example).
 */
import { Task } from "@tapestry/core"
import { Console, Effect } from "effect"

const program = Effect.gen(function* () {
  const answer = yield* Task.fromResult(42)
  yield* Console.log(`Task.fromResult(42) → ${answer}`)
})

Effect.runPromise(program).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
