import { describe, expect, it } from "vitest"
import { parse, select } from "../src/args.js"

const cases = ["http-64", "interleave-unbounded", "interleave-race", "throttle-64"]

describe("pnpm bench's command line", () => {
  it("--help and -h ask for the usage, whatever else is given", () => {
    expect(parse(["--help"], cases)).toEqual({ _tag: "help" })
    expect(parse(["throttle-64", "-h"], cases)).toEqual({ _tag: "help" })
  })

  it("an unknown flag is an error naming it, not silently dropped", () => {
    expect(parse(["--quik"], cases)).toEqual({ _tag: "error", message: "unknown flag --quik (--help lists the flags)" })
  })

  it("--rounds takes an integer of at least 3, as --rounds N or --rounds=N", () => {
    expect(parse(["--rounds", "7"], cases)).toMatchObject({ _tag: "run", rounds: 7 })
    expect(parse(["--rounds=4"], cases)).toMatchObject({ _tag: "run", rounds: 4 })
    expect(parse(["--rounds", "2"], cases)).toMatchObject({ _tag: "error" })
    expect(parse(["--rounds"], cases)).toMatchObject({ _tag: "error", message: expect.stringContaining("got nothing") })
  })

  it("defaults: 5 rounds, 3 with --quick; every case", () => {
    expect(parse([], cases)).toEqual({ _tag: "run", quick: false, json: false, rounds: 5, names: [] })
    expect(parse(["--quick", "--json"], cases)).toEqual({ _tag: "run", quick: true, json: true, rounds: 3, names: [] })
  })

  it("case names select cases, a prefix selects a group, an unknown one is an error listing the known", () => {
    const run = parse(["interleave"], cases)
    expect(
      run._tag === "run" &&
        select(
          cases.map((name) => ({ name })),
          run.names
        ).map((c) => c.name)
    ).toEqual(["interleave-unbounded", "interleave-race"])
    expect(parse(["nope"], cases)).toMatchObject({
      _tag: "error",
      message: expect.stringContaining("unknown case(s): nope")
    })
  })
})
