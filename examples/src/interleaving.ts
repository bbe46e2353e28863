/**
 * `Task.WhenAny` for interleaving: start every download, handle each image as soon as it arrives.
 * `Task.interleaved` is the O(N) `Interleaved` combinator: a stream in completion order.
 */
import { Task } from "@tapestry/core"
import { Console, Effect, Exit, Stream } from "effect"
import { runExample } from "./runExample.js"

const images = [
  { name: "large.png", millis: 90 },
  { name: "small.png", millis: 10 },
  { name: "medium.png", millis: 50 }
]
const getBitmap = (image: { name: string; millis: number }) =>
  Effect.succeed(`${image.name} (${image.millis} ms)`).pipe(Effect.delay(`${image.millis} millis`))

export const program = Task.interleaved(images.map(getBitmap)).pipe(
  Stream.runForEach(({ exit, index }) =>
    Exit.isSuccess(exit) ? Console.log(`added #${index}: ${exit.value}`) : Console.log(`#${index} failed`)
  )
)

runExample(import.meta.url, program)

// Output:
// added #1: small.png (10 ms)
// added #2: medium.png (50 ms)
// added #0: large.png (90 ms)
