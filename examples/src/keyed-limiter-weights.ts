/**
 * Weighted permits and caps that change while running: `withPermits(key, n)` counts a big download for more
 * than a thumbnail, `resize` raises (or lowers) the caps at once, and `keyStats(key)` shows a host's permits in
 * use and callers waiting. A heavy caller is not overtaken by lighter ones that came after it; a caller that
 * gives up waiting takes nothing; a weight that can never fit is a programmer error (a defect).
 */
import { KeyedLimiter, Task } from "@tapestry/core"
import { Console, Deferred, Effect, Fiber } from "effect"
import { runExample } from "./runExample.js"

export const program = Effect.scoped(
  Effect.gen(function* () {
    const limiter = yield* KeyedLimiter.make<string>({ perKey: 4 })
    const finish = yield* Deferred.make<void>() // the downloads run until this completes
    const download = (name: string, permits: number) =>
      limiter.withPermits(
        "cdn.example",
        permits
      )(
        Effect.zipRight(
          Console.log(`${name} starts (${permits} ${permits === 1 ? "permit" : "permits"})`),
          Deferred.await(finish)
        )
      )
    const show = Effect.flatMap(limiter.keyStats("cdn.example"), (s) =>
      Console.log(`cdn.example: ${s.active} permits in use, ${s.waiting} waiting`)
    )
    const settle = Effect.sleep("10 millis") // let the forked downloads reach the limiter

    const running = [
      yield* Task.run(download("thumb-1", 1)),
      yield* Task.run(download("thumb-2", 1)),
      yield* Task.run(download("video", 3)), // 2 + 3 > 4: waits
      yield* Task.run(download("thumb-3", 1)) // would fit, but queues behind the video
    ]
    yield* settle
    yield* show

    yield* limiter.resize({ perKey: 6 }) // the video and thumb-3 start at once
    yield* settle
    yield* show

    // A caller that gives up waiting leaves the queue and takes nothing.
    yield* download("thumb-4", 1).pipe(
      Task.timeout("50 millis"),
      Effect.catchTag("TimeoutError", () => Console.log("thumb-4 gave up waiting"))
    )
    yield* show

    // 8 permits can never fit a cap of 6: a defect, not a wait for ever.
    yield* download("4k-video", 8).pipe(Effect.catchAllDefect((defect) => Console.log(`4k-video: ${defect}`)))

    yield* Deferred.succeed(finish, undefined)
    yield* Fiber.joinAll(running)
    yield* Console.log(`all done: ${JSON.stringify(yield* limiter.stats)}`)
  })
)

runExample(import.meta.url, program)

// Output:
// thumb-1 starts (1 permit)
// thumb-2 starts (1 permit)
// cdn.example: 2 permits in use, 2 waiting
// video starts (3 permits)
// thumb-3 starts (1 permit)
// cdn.example: 6 permits in use, 0 waiting
// thumb-4 gave up waiting
// cdn.example: 6 permits in use, 0 waiting
// 4k-video: IllegalArgumentException: KeyedLimiter.withPermits: permits must be at most perKey (6), got 8
// all done: {"active":0,"waiting":0,"keys":0}
