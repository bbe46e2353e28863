/**
 * Stop waiting, keep the task: `onTimeout: "detach"` (and `onCancel: "detach"` for
 * `untilCompletionOrCancellation`) gives the caller its answer at once and leaves the task running in
 * the caller's `Scope`. Its later failure is logged, never lost; the scope's end interrupts what is
 * still running.
 */
import { Task } from "@tapestry/core"
import { Console, Data, Effect } from "effect"
import { runExample } from "./runExample.js"

class UploadFailed extends Data.TaggedError("UploadFailed")<{ readonly file: string }> {
  override get message() {
    return `${this.file} was refused`
  }
}

const upload = (file: string, millis: number, refused = false) =>
  (refused ? Effect.fail(new UploadFailed({ file })) : Console.log(`${file}: uploaded in the background`)).pipe(
    Effect.delay(`${millis} millis`),
    Effect.onInterrupt(() => Console.log(`${file}: interrupted when the scope closed`))
  )

const waitBriefly = (file: string, millis: number, refused = false) =>
  Task.timeout(upload(file, millis, refused), "50 millis", { onTimeout: "detach" }).pipe(
    Effect.catchTag("TimeoutError", (e) => Console.log(`${file}: stopped waiting (${e.message})`))
  )

export const program = Effect.scoped(
  Effect.gen(function* () {
    yield* waitBriefly("photo.jpg", 80)
    yield* waitBriefly("video.mp4", 80, true) // fails later: logged as one WARN line
    yield* waitBriefly("backup.iso", 60_000)
    yield* Effect.sleep("100 millis")
    yield* Console.log("closing the scope")
  })
)

runExample(import.meta.url, program)

// Output:
// photo.jpg: stopped waiting (timed out after 50ms)
// photo.jpg: uploaded in the background
// video.mp4: stopped waiting (timed out after 50ms)
// [07:02:40.196] WARN (#5): Task.timeout: a timed-out task failed (UploadFailed: video.mp4 was refused)
// backup.iso: stopped waiting (timed out after 50ms)
// closing the scope
// backup.iso: interrupted when the scope closed
