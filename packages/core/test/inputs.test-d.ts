import { Effect, Stream } from "effect"
import { pipe } from "effect/Function"
import { describe, expectTypeOf, it } from "vitest"
import { Task } from "../src/index.js"

class A extends Effect.Tag("A")<A, number>() {}
class S extends Effect.Tag("S")<S, string>() {}
declare const task: Effect.Effect<number, "E1", A>

describe("asynchronous inputs of interleaved and throttled", () => {
  it("an AsyncIterable adds no error and no requirement", () => {
    const tasks: AsyncIterable<typeof task> = (async function* () {
      yield task
    })()
    expectTypeOf(Task.interleaved(tasks, { concurrency: 2 })).toEqualTypeOf<
      Stream.Stream<Task.Completed<number, "E1">, never, A>
    >()
    expectTypeOf(pipe(tasks, Task.interleaved())).toEqualTypeOf<Stream.Stream<Task.Completed<number, "E1">, never, A>>()
  })
  it("a Stream's error and requirements reach the result", () => {
    const tasks: Stream.Stream<typeof task, "Closed", S> = Stream.make(task)
    expectTypeOf(Task.interleaved(tasks)).toEqualTypeOf<Stream.Stream<Task.Completed<number, "E1">, "Closed", A | S>>()
    expectTypeOf(pipe(tasks, Task.interleaved({ concurrency: 3 }))).toEqualTypeOf<
      Stream.Stream<Task.Completed<number, "E1">, "Closed", A | S>
    >()
  })
  it("throttled over a Stream of items, data-first and data-last", () => {
    const items: Stream.Stream<string, "Closed", S> = Stream.make("a")
    const f = (s: string) => Effect.as(task, s.length)
    expectTypeOf(Task.throttled(items, f, { concurrency: 2 })).toEqualTypeOf<
      Stream.Stream<Task.ThrottledCompleted<string, number, "E1">, "Closed", A | S>
    >()
    expectTypeOf(pipe(items, Task.throttled(f, { concurrency: 2, ordered: true }))).toEqualTypeOf<
      Stream.Stream<Task.ThrottledCompleted<string, number, "E1">, "Closed", A | S>
    >()
  })
  it("an item type that does not fit f is rejected", () => {
    const numbers: Stream.Stream<number> = Stream.make(1)
    // @ts-expect-error f takes strings
    Task.throttled(numbers, (s: string) => Effect.succeed(s), { concurrency: 1 })
  })
})
