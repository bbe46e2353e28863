import { describe, expect, it } from "vitest"
import * as Platform from "../src/index.js"

describe("@tapestry/platform", () => {
  it("loads as a module", () => {
    expect(typeof Platform).toBe("object")
  })
})
