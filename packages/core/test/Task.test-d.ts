import type { Effect } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import { Task } from "../src/index.js"

describe("Task.fromResult", () => {
  it("is an effect that cannot fail and needs nothing", () => {
    expectTypeOf(Task.fromResult(1)).toEqualTypeOf<Effect.Effect<number>>()
  })
})
