import { AsyncQueue } from "@tapestry/core"
import { Effect, Fiber, Queue } from "effect"
import type { Case } from "../Bench.js"

const CAPACITY = 64

/** One fiber: add an item, take it back, N times (the queue's fast paths). */
export const asyncQueueAddTake: Case = {
  name: "asyncQueue-addTake",
  title: `N add+take pairs on a queue of capacity ${CAPACITY}, one fiber`,
  n: { full: 1_000_000, quick: 50_000 },
  targets: { "Effect Queue.bounded": 1.0 },
  contenders: [
    {
      name: "AsyncQueue",
      ours: true,
      run: (n) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const queue = yield* AsyncQueue.make<number>({ capacity: CAPACITY })
            let sum = 0
            for (let i = 0; i < n; i++) {
              yield* queue.add(i)
              sum += yield* queue.take
            }
            return sum
          })
        )
    },
    {
      name: "Effect Queue.bounded",
      run: (n) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const queue = yield* Queue.bounded<number>(CAPACITY)
            let sum = 0
            for (let i = 0; i < n; i++) {
              yield* Queue.offer(queue, i)
              sum += yield* Queue.take(queue)
            }
            return sum
          })
        )
    }
  ]
}

/** A producer fiber and a consumer fiber: back-pressure and waiter hand-off on both sides. */
export const asyncQueuePipe: Case = {
  name: "asyncQueue-pipe",
  title: `N items from a producer fiber to a consumer fiber, capacity ${CAPACITY}`,
  n: { full: 500_000, quick: 25_000 },
  targets: { "Effect Queue.bounded": 1.0 },
  contenders: [
    {
      name: "AsyncQueue",
      ours: true,
      run: (n) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const queue = yield* AsyncQueue.make<number>({ capacity: CAPACITY })
            const consumer = yield* Effect.fork(
              Effect.gen(function* () {
                let sum = 0
                for (let i = 0; i < n; i++) sum += yield* queue.take
                return sum
              })
            )
            for (let i = 0; i < n; i++) yield* queue.add(i)
            return yield* Fiber.join(consumer)
          })
        )
    },
    {
      name: "Effect Queue.bounded",
      run: (n) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const queue = yield* Queue.bounded<number>(CAPACITY)
            const consumer = yield* Effect.fork(
              Effect.gen(function* () {
                let sum = 0
                for (let i = 0; i < n; i++) sum += yield* Queue.take(queue)
                return sum
              })
            )
            for (let i = 0; i < n; i++) yield* Queue.offer(queue, i)
            return yield* Fiber.join(consumer)
          })
        )
    }
  ]
}
