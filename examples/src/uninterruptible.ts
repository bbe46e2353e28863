/**
 * `CancellationToken.None`: work that must not be cancelled. The article downloads with the token and
 * saves with `CancellationToken.None`; here the save is `Effect.uninterruptible`, and so is any subset of
 * a `whenAll`'s tasks. Interrupting waits for that work to finish, then the interruption goes on.
 */
import { Task } from "@tapestry/core"
import { Console, Effect, Fiber } from "effect"
import { runExample } from "./runExample.js"

const downloadData = (url: string) =>
  Effect.succeed(new Uint8Array(1024)).pipe(
    Effect.delay("50 millis"),
    Effect.onInterrupt(() => Console.log(`${url}: download interrupted`))
  )
const saveToDisk = (path: string, data: Uint8Array) =>
  Console.log(`${path}: saving ${data.length} bytes`).pipe(
    Effect.zipRight(Effect.sleep("50 millis")),
    Effect.zipRight(Console.log(`${path}: saved`))
  )

// byte[] data = await DownloadDataAsync(url, cts.Token);
// await SaveToDiskAsync(outputPath, data, CancellationToken.None);
const job = Effect.gen(function* () {
  const data = yield* downloadData("/report")
  yield* Effect.uninterruptible(saveToDisk("report.bin", data))
})

export const program = Effect.gen(function* () {
  const early = yield* Effect.fork(job)
  yield* Effect.sleep("20 millis") // while it downloads
  yield* Fiber.interrupt(early)
  yield* Console.log("cancelled while downloading: nothing saved")

  const late = yield* Effect.fork(job)
  yield* Effect.sleep("70 millis") // while it saves
  yield* Fiber.interrupt(late) // waits for the save
  yield* Console.log("cancelled while saving: the save finished first")

  // An uninterruptible subset of a whenAll: the audit entry is written even if the batch is cancelled.
  const batch = yield* Effect.fork(
    Task.whenAll([
      downloadData("/a"),
      downloadData("/b"),
      Effect.uninterruptible(saveToDisk("audit.log", new Uint8Array(64)))
    ])
  )
  yield* Effect.sleep("20 millis")
  yield* Fiber.interrupt(batch)
  yield* Console.log("batch cancelled")
})

runExample(import.meta.url, program)

// Output:
// /report: download interrupted
// cancelled while downloading: nothing saved
// report.bin: saving 1024 bytes
// report.bin: saved
// cancelled while saving: the save finished first
// audit.log: saving 64 bytes
// /a: download interrupted
// /b: download interrupted
// audit.log: saved
// batch cancelled
