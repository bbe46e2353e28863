import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Task } from "../src/index.js"

describe("Task.fromResult", () => {
  it.effect("succeeds with the given value at once", () =>
    Effect.gen(function* () {
      expect(yield* Task.fromResult(42)).toBe(42)
    })
  )
})
