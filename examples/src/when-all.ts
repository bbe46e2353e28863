/**
 * `Task.WhenAll`: send mail to several customers at once and learn about EVERY failure, each with its
 * position — where .NET's `await` rethrows one exception out of an `AggregateException`.
 */
import { Task } from "@tapestry/core"
import { Console, Data, Effect } from "effect"
import { runExample } from "./runExample.js"

class MailRejected extends Data.TaggedError("MailRejected")<{ readonly address: string }> {}

const sendMail = (address: string) =>
  address.endsWith("@invalid")
    ? Effect.fail(new MailRejected({ address })).pipe(Effect.delay("20 millis"))
    : Console.log(`sent to ${address}`).pipe(Effect.delay("10 millis"))

export const program = Effect.gen(function* () {
  // Homogeneous tasks: an array in, an array out (in input order, whatever the completion order).
  const lengths = yield* Task.whenAll(["a.txt", "bb.txt", "ccc.txt"].map((f) => Effect.succeed(f.length)))
  yield* Console.log(`lengths: ${lengths.join(", ")}`)

  // Heterogeneous tasks in a record: each result keeps its own type and its key.
  const { user, orders } = yield* Task.whenAll({
    user: Effect.succeed({ name: "Ada" }),
    orders: Effect.succeed([1, 2, 3])
  })
  yield* Console.log(`${user.name} has ${orders.length} orders`)

  // Failures: every one of them, in index order, typed — never just the first.
  const addresses = ["ada@example.com", "bob@invalid", "cy@example.com", "dee@invalid"]
  yield* Task.whenAll(addresses.map(sendMail)).pipe(
    Effect.catchTag("TaskFailures", (e) =>
      Console.log(`${e.failures.length} failed: ${e.failures.map((f) => `#${f.index} ${f.error.address}`).join(", ")}`)
    )
  )
})

runExample(import.meta.url, program)

// Output:
// lengths: 5, 6, 7
// Ada has 3 orders
// sent to ada@example.com
// sent to cy@example.com
// 2 failed: #1 bob@invalid, #3 dee@invalid
