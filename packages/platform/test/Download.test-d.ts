import type { HttpClient } from "@effect/platform"
import { type Progress, Task } from "@tapestry/core"
import type { Duration, Effect, Exit, Stream } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import * as Download from "../src/Download.js"
import type * as DownloadError from "../src/DownloadError.js"

describe("Download types", () => {
  it("get lists exactly the download errors and needs an HttpClient", () => {
    expectTypeOf(Download.get("http://127.0.0.1/")).toEqualTypeOf<
      Effect.Effect<Download.Downloaded, DownloadError.DownloadError, HttpClient.HttpClient>
    >()
    expectTypeOf(Download.contentLength("http://127.0.0.1/")).toEqualTypeOf<
      Effect.Effect<number, DownloadError.DownloadError, HttpClient.HttpClient>
    >()
  })

  it("first fails with TaskFailures of download errors", () => {
    expectTypeOf(Download.first(["http://127.0.0.1/"])).toEqualTypeOf<
      Effect.Effect<Download.Downloaded, Task.TaskFailures<DownloadError.DownloadError>, HttpClient.HttpClient>
    >()
  })

  it("interleaved never fails: each element carries its Exit", () => {
    expectTypeOf(Download.interleaved(["http://127.0.0.1/"], { concurrency: 4 })).toEqualTypeOf<
      Stream.Stream<Download.Interleaved, never, HttpClient.HttpClient>
    >()
    expectTypeOf<Download.Interleaved["exit"]>().toEqualTypeOf<
      Exit.Exit<Download.Downloaded, DownloadError.DownloadError>
    >()
  })

  it("retryPolicy plugs into Task.retryOnFault", () => {
    const retried = Task.retryOnFault(Download.get("http://127.0.0.1/"), Download.retryPolicy({ maxTries: 4 }))
    expectTypeOf(retried).toEqualTypeOf<
      Effect.Effect<Download.Downloaded, Task.RetriesExhausted<DownloadError.DownloadError>, HttpClient.HttpClient>
    >()
  })

  it("progress takes a reporter of DownloadProgress (or of anything wider)", () => {
    expectTypeOf<Progress.Progress<unknown>>().toMatchTypeOf<NonNullable<Download.GetOptions["progress"]>>()
    // @ts-expect-error a reporter of numbers cannot receive DownloadProgress
    const bad: Download.GetOptions = { progress: {} as Progress.Progress<number> }
    void bad
  })

  it("decompress is a boolean on every download; perHost and maxRetryAfter are interleaved's", () => {
    expectTypeOf<Download.GetOptions["decompress"]>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<Download.FirstOptions["decompress"]>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<Download.InterleavedOptions["perHost"]>().toEqualTypeOf<number | undefined>()
    expectTypeOf<Download.InterleavedOptions["maxRetryAfter"]>().toEqualTypeOf<Duration.DurationInput | undefined>()
    // @ts-expect-error decompress is a flag
    const yes: Download.GetOptions = { decompress: "yes" }
    // @ts-expect-error perHost belongs to interleaved
    const get: Download.GetOptions = { perHost: 2 }
    void [yes, get]
  })
})
