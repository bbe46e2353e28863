/**
 * The demo's commands, run in-process against LocalWeb: what they print, how they exit, and that
 * nothing is left in flight afterwards (every scenario prints LocalWeb's counters once the server has
 * seen every request end).
 */
import { describe, expect, it } from "@effect/vitest"
import { DownloadError, LocalWeb } from "@tapestry/platform"
import { Effect, Exit, FiberId, Layer } from "effect"
import * as Cli from "../src/Cli.js"
import * as Failures from "../src/Failures.js"
import { closeReaderOf, counterLines, escapeCode, interruptDemo, runDemo } from "./harness.js"

const nothingInFlight = (stdout: string) => {
  const lines = counterLines(stdout)
  expect(lines.length).toBeGreaterThan(0)
  for (const line of lines) expect(line).toContain(" 0 in flight")
}

describe("demo first", () => {
  it.live("prints the length of the first successful download; a fast 404 does not win; the rest are aborted", () =>
    Effect.gen(function* () {
      const { code, stderr, stdout } = yield* runDemo(["first"])
      expect(code).toBe(0)
      expect(stdout).toContain("Length of the downloaded website: 49152 bytes")
      expect(stdout).toContain("from /mirror-fast")
      expect(stdout).toMatch(/\/mirror-missing\s+HttpStatusError\s+status 404/)
      expect(stdout).toContain("LocalWeb: 5 requests started, 2 finished, 3 aborted by the client, 0 in flight")
      expect(stdout).not.toMatch(escapeCode)
      expect(stderr).not.toContain("    at ")
    })
  )

  it.live("--url downloads the given addresses instead of the embedded LocalWeb", () =>
    Effect.gen(function* () {
      const web = yield* LocalWeb.LocalWeb
      const { code, stdout } = yield* runDemo(["first", "--url", web.url("/not-found"), "--url", web.url("/fast")])
      expect(code).toBe(0)
      expect(stdout).toContain(`Length of the downloaded website: 1024 bytes (1.0 KiB, from ${web.url("/fast")}`)
      expect(counterLines(stdout)).toEqual([])
      const stats = yield* web.stats
      expect(stats.started).toBe(2)
    }).pipe(Effect.provide(Layer.fresh(LocalWeb.layer())))
  )
})

describe("demo interleave", () => {
  it.live("handles each page as it completes, failures included, in completion order", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["interleave"])
      expect(code).toBe(0)
      const handled = stdout.split("\n").filter((line) => line.startsWith("handled "))
      expect(handled).toHaveLength(8)
      expect(handled[0]).toContain("handled 1st: /image-4")
      expect(stdout).toMatch(/handled \d+(st|nd|rd|th): \/image-6 — failed/)
      // The socket's own words, not the HTTP client's wrapper ("Decode error (200 GET …)").
      expect(stdout).toMatch(
        /\/image-6\s+BodyError\s+body cut short: connection closed by the server \(UND_ERR_SOCKET\)/
      )
      expect(stdout).not.toContain("Decode error")
      const order = /completion order: (.*)/.exec(stdout)?.[1]?.split(", ")
      expect(order).toHaveLength(8)
      expect(order).not.toEqual([
        "/image-1",
        "/image-2",
        "/image-3",
        "/image-4",
        "/image-5",
        "/image-6",
        "/image-7",
        "/image-8"
      ])
      expect(stdout).toMatch(/\/image-6\s+\w+Error/)
      nothingInFlight(stdout)
    })
  )
})

describe("demo throttle", () => {
  it.live("keeps at most --concurrency downloads in flight and finishes them all", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["throttle", "--concurrency", "2"])
      expect(code).toBe(0)
      expect(stdout).toContain("12 downloads, at most 2 at a time")
      expect(stdout).toContain("[12/12]")
      expect(stdout).toContain("peak in flight: 2 (cap 2)\n")
      expect(stdout).toContain("total: 12 downloads, 0 running, 12 done, 0 failed, 0 cancelled")
      nothingInFlight(stdout)
    })
  )

  it.live("on a terminal: draws progress bars with the cursor hidden, then leaves only the plain total line", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["throttle", "--concurrency", "6"], {
        isTTY: true,
        columns: 60,
        rows: 12
      })
      expect(code).toBe(0)
      expect(stdout).toContain("█")
      expect(stdout).toMatch(/ total +[\d.]+ (B|KiB|MiB) · 12 downloads: /)
      // Escape codes made visible, so the patterns below can name them.
      const text = stdout.replaceAll("\u001b", "⎋")
      const hide = text.indexOf("⎋[?25l")
      const show = text.lastIndexOf("⎋[?25h")
      expect(hide).toBeGreaterThan(text.indexOf("── throttle"))
      expect(show).toBeGreaterThan(text.lastIndexOf("█"))
      // The last frame is overwritten by the total line; every line drawn fits in 59 columns and 11 rows.
      expect(text.slice(text.lastIndexOf("█"))).toMatch(/⎋\[\d+Ftotal: 12 downloads, 0 running, 12 done/)
      const frames = text.split(/⎋\[\d+F/).slice(1)
      expect(frames.length).toBeGreaterThan(3)
      for (const f of frames) {
        const drawn = f.split("\n").filter((line) => line.includes("█") || line.startsWith(" total"))
        expect(drawn.length).toBeLessThanOrEqual(11)
        for (const line of drawn) expect(line.replace(/⎋\[[0-9;?]*[A-Za-z]/g, "").length).toBeLessThan(60)
      }
      // Never an erase of the whole screen from its top-left corner (tmux would keep the old frame in its history).
      expect(text).not.toMatch(/⎋\[\d+F⎋\[0?J/)
    })
  )
})

describe("demo bailout", () => {
  it.live("gives up after --timeout, then cancels on the scripted signal; both requests aborted on the wire", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["bailout", "--timeout", "300ms"])
      expect(code).toBe(0)
      expect(stdout).toContain("/slow-report: timed out after 300 ms; the download was cancelled")
      expect(stdout).toContain("/long-video: downloading — no terminal to press a key on: cancelling after 700 ms")
      expect(stdout).toContain("/long-video: cancelled after 700 ms; the download was interrupted")
      expect(stdout).toContain("2 requests started, 0 finished, 2 aborted by the client, 0 in flight")
    })
  )

  it.live("a time-out longer than the download lets it finish", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["bailout", "--timeout", "5s"])
      expect(code).toBe(0)
      expect(stdout).toContain("/slow-report: finished in time — 160.0 KiB")
      nothingInFlight(stdout)
    })
  )
})

describe("demo retry", () => {
  it.live("retries the flaky site until it answers and waits the busy site's Retry-After", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["retry"])
      expect(code).toBe(0)
      expect(stdout).toContain("/flaky: answered on attempt 3: 32.0 KiB")
      expect(stdout).toContain("/busy: attempt 1 failed: HttpStatusError: status 503, Retry-After 1 s")
      const waited = /\/busy: attempt 2\/3 after waiting ([\d.]+) (ms|s)/.exec(stdout)
      expect(waited?.[2]).toBe("s")
      expect(Number(waited?.[1])).toBeGreaterThanOrEqual(0.95)
      expect(stdout).toContain("/busy: answered on attempt 2")
      // The 503s are answered whole: the client reads no error body, but nothing is cut off on the wire.
      expect(stdout).toContain("LocalWeb: 5 requests started, 5 finished, 0 aborted by the client, 0 in flight")
    })
  )

  it.live("--tries 2 gives up on the flaky site with RetriesExhausted and still exits 0", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["retry", "--tries", "2"])
      expect(code).toBe(0)
      expect(stdout).toContain("/flaky: gave up after 2 attempts (RetriesExhausted)")
      expect(stdout).toMatch(/\/flaky\s+HttpStatusError\s+status 503/)
    })
  )
})

describe("demo cache", () => {
  it.live(
    "serves 30 concurrent requests for 3 pages with 3 downloads, then from the cache; each round counts its own",
    () =>
      Effect.gen(function* () {
        const { code, stdout } = yield* runDemo(["cache"])
        expect(code).toBe(0)
        expect(stdout).toMatch(
          /round 1: 30\/30 answered \([\d.]+ MiB\) · 0 hits, 30 misses \(3 downloads, 27 joined one under way\) · LocalWeb: 3 new requests, 3 in all\n/
        )
        expect(stdout).toMatch(
          /round 2: 30\/30 answered \([\d.]+ MiB\) · 30 hits, 0 misses · LocalWeb: 0 new requests, 3 in all\n/
        )
        nothingInFlight(stdout)
      })
  )
})

describe("demo backoff", () => {
  it.live("holds only the host that answered 429 Retry-After: the other host's pages come meanwhile", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["backoff"])
      expect(code).toBe(0)
      const lines = stdout.split("\n")
      const at = (line: string) => {
        const [, n, unit] = /^\+([\d.]+) (ms|s)/.exec(line) ?? []
        return unit === "s" ? Number(n) * 1000 : Number(n)
      }
      const limited = lines.find((line) => line.includes("busy /limited: status 429, Retry-After 1 s"))
      expect(limited).toContain("its host is held until")
      const calm = lines.filter((line) => /calm \/page-\d: 16\.0 KiB/.test(line))
      const busy = lines.filter((line) => /busy \/feed-\d: 24\.0 KiB/.test(line))
      expect([calm.length, busy.length]).toEqual([8, 4])
      // calm pages came during the hold (all 8 take about 0.4 s of its 1 s; a loaded machine may take longer);
      // at least three feeds waited for it (one may have been in flight)
      const heldFrom = at(limited!)
      expect(calm.filter((line) => at(line) < heldFrom + 1000).length).toBeGreaterThanOrEqual(2)
      expect(busy.filter((line) => at(line) >= heldFrom + 1000).length).toBeGreaterThanOrEqual(3)
      expect(stdout).toContain(
        "peak in flight per host: busy 2, calm 2 (perHost 2); the 429 was not retried: 1 request"
      )
      expect(stdout).toMatch(
        /LocalWeb \(calm host\): 8 requests started, 8 finished, 0 aborted by the client, 0 in flight/
      )
      nothingInFlight(stdout)
    })
  )
})

describe("demo backoff interrupted", () => {
  it.live("names the downloads under way on either host, as many as the two LocalWebs saw cut off", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* interruptDemo(["backoff"], (out) => out.includes("calm /page-2: 16.0 KiB"))
      expect(code).toBe(130)
      const named = /interrupted: cancelled (\d+) unfinished downloads?: (.*)/.exec(stdout)
      expect(named).not.toBeNull()
      expect(named![2]).toMatch(/calm \/page-\d/)
      const calm =
        /LocalWeb \(calm host\): \d+ requests started, \d+ finished, (\d+) aborted by the client, 0 in flight/.exec(
          stdout
        )
      const busy = /LocalWeb: \d+ requests started, \d+ finished, (\d+) aborted by the client, 0 in flight/.exec(stdout)
      expect(calm).not.toBeNull()
      expect(busy).not.toBeNull()
      const aborted = Number(calm![1]) + Number(busy![1])
      // Every cancelled download was cut off on the wire, or the note says which ones were not.
      if (Number(named![1]) !== aborted) expect(stdout).toMatch(/downloads? (was|were) cancelled and LocalWeb saw/)
      else expect(stdout).not.toContain("cut off on the wire:")
    })
  )
})

describe("demo all", () => {
  it.live("runs every scenario in turn and exits 0 (also with no command at all)", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo([])
      expect(code).toBe(0)
      for (const name of ["first", "interleave", "throttle", "bailout", "retry", "cache", "backoff"]) {
        expect(stdout).toContain(`── ${name}: `)
      }
      expect(counterLines(stdout)).toHaveLength(7)
      nothingInFlight(stdout)
      expect(stdout).not.toMatch(escapeCode)
    })
  )
})

describe("demo with --url", () => {
  const withWeb = <A, E>(body: (web: LocalWeb.LocalWeb) => Effect.Effect<A, E>) =>
    Effect.flatMap(LocalWeb.LocalWeb, body).pipe(Effect.provide(Layer.fresh(LocalWeb.layer())))

  it.live("a URL's password never shows: labels, lines and the failure table say user:***@", () =>
    withWeb((web) =>
      Effect.gen(function* () {
        const secret = (path: string) => web.url(path).replace("http://", "http://alice:s3cr3t@")
        const { code, stderr, stdout } = yield* runDemo([
          "first",
          "--url",
          secret("/not-found"),
          "--url",
          secret("/fast")
        ])
        expect(code).toBe(0)
        expect(stdout).toContain(`from ${web.url("/fast").replace("http://", "http://alice:***@")}`)
        expect(stdout).toMatch(/http:\/\/alice:\*\*\*@127\.0\.0\.1:\d+\/not-found\s+HttpStatusError\s+status 404/)
        expect(`${stdout}${stderr}`).not.toContain("s3cr3t")
      })
    )
  )

  it.live("one URL is one download (no 'starting 1 downloads')", () =>
    withWeb((web) =>
      Effect.gen(function* () {
        const { stdout } = yield* runDemo(["first", "--url", web.url("/fast")])
        expect(stdout).toContain(`starting 1 download: ${web.url("/fast")}\n`)
        expect(stdout).not.toContain("the other downloads were cancelled")
      })
    )
  )

  it.live("throttle counts its own peak in flight when no LocalWeb counts it", () =>
    withWeb((web) =>
      Effect.gen(function* () {
        const urls = ["/slow", "/medium", "/slow", "/trickle"].flatMap((path) => ["--url", web.url(path)])
        const { code, stdout } = yield* runDemo(["throttle", "--concurrency", "2", ...urls])
        expect(code).toBe(0)
        expect(stdout).toContain("4 downloads, at most 2 at a time")
        expect(stdout).toContain("peak in flight: 2 (cap 2; counted by the demo, not by the servers)")
        expect((yield* web.stats).peakInFlight).toBe(2)
      })
    )
  )

  it.live("backoff gives every given URL its bar and its row in the failure table, the same URL twice included", () =>
    withWeb((web) =>
      Effect.gen(function* () {
        const secret = web.url("/not-found").replace("http://", "http://alice:s3cr3t@")
        const { code, stdout } = yield* runDemo([
          "backoff",
          "--url",
          web.url("/fast"),
          "--url",
          secret,
          "--url",
          secret
        ])
        expect(code).toBe(0)
        expect(stdout).toMatch(/^total: 3 downloads, 0 running, 1 done, 2 failed, 0 cancelled/m)
        const rows = stdout.split("\n").filter((line) => /HttpStatusError\s+status 404$/.test(line))
        expect(rows).toHaveLength(2)
        for (const row of rows) expect(row).toContain("http://alice:***@")
        expect(stdout).not.toContain("s3cr3t")
      })
    )
  )

  it.live("bailout uses every URL: the first is timed, all the others are cancelled", () =>
    withWeb((web) =>
      Effect.gen(function* () {
        const { code, stdout } = yield* runDemo([
          "bailout",
          "--timeout",
          "2s",
          ...["/fast", "/hang", "/hang-body"].flatMap((path) => ["--url", web.url(path)])
        ])
        expect(code).toBe(0)
        expect(stdout).toContain(`${web.url("/fast")}: finished in time — 1.0 KiB`)
        expect(stdout).toContain(`${web.url("/hang")}, ${web.url("/hang-body")}: downloading`)
        expect(stdout).toContain(`${web.url("/hang")}: cancelled after 700 ms; the download was interrupted`)
        expect(stdout).toContain(`${web.url("/hang-body")}: cancelled after 700 ms; the download was interrupted`)
      })
    )
  )

  it.live("retry says a 404 was not retried rather than that it gave up after retrying", () =>
    withWeb((web) =>
      Effect.gen(function* () {
        const { code, stdout } = yield* runDemo(["retry", "--url", web.url("/not-found")])
        expect(code).toBe(0)
        expect(stdout).toContain(
          `${web.url("/not-found")}: not retried — HttpStatusError: status 404 is not worth another attempt (RetriesExhausted after 1 attempt)`
        )
        expect(stdout).not.toContain("gave up")
      })
    )
  )
})

describe("demo command line", () => {
  it.live("--help prints the title once, every command, and a real description for every option", () =>
    Effect.gen(function* () {
      const { code, stderr, stdout } = yield* runDemo(["--help"])
      expect(code).toBe(0)
      expect(stderr).toBe("")
      expect(stdout.match(/Tapestry demo/g)).toHaveLength(1)
      for (const name of ["first", "interleave", "throttle", "bailout", "retry", "cache", "all"]) {
        expect(stdout).toMatch(new RegExp(`\\n  ${name} +\\S`))
      }
      expect(stdout).toContain("usage: demo [command] [--url URL]… [--concurrency N] [--timeout DURATION] [--tries N]")
      for (const option of [
        "--url URL",
        "--concurrency N",
        "--timeout DURATION",
        "--tries N",
        "-h, --help",
        "--version"
      ]) {
        expect(stdout).toMatch(new RegExp(`\\n  ${option} +\\w`))
      }
      expect(stdout).toContain("(default 3)")
      expect(stdout).not.toContain("A user-defined piece of text")
      expect(stdout).not.toContain("This setting is optional")
      expect(stdout).not.toMatch(escapeCode)
    })
  )

  it.live("COMMAND --help shows that command's usage and options only", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["throttle", "--help"])
      expect(code).toBe(0)
      expect(stdout.startsWith("demo throttle — throttling:")).toBe(true)
      expect(stdout).toContain("usage: demo throttle [--url URL]… [--concurrency N]\n")
      expect(stdout).not.toContain("--tries")
      expect(stdout).not.toContain("COMMANDS")
    })
  )

  it.live("--version prints the version", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runDemo(["--version"])
      expect(code).toBe(0)
      expect(stdout).toBe("Tapestry demo 0.1.0\n")
    })
  )

  const badFlags: ReadonlyArray<readonly [ReadonlyArray<string>, string, string]> = [
    [["throttle", "--concurrency", "0"], '--concurrency must be a positive integer, got "0"', "demo throttle"],
    [["retry", "--tries", "-1"], '--tries must be a positive integer, got "-1"', "demo retry"],
    [["bailout", "--timeout", "soon"], '--timeout must be a duration such as 250ms or 2s, got "soon"', "demo bailout"],
    [["throttle", "--concurrency", "many"], '--concurrency must be a positive integer, got "many"', "demo throttle"],
    [["first", "--url", "not-a-url"], '--url must be an http:// or https:// address, got "not-a-url"', "demo first"],
    [["first", "--url", "ftp://bob:pw@host/x"], 'got "ftp://bob:***@host/x"', "demo first"],
    [["first", "--url"], "option '--url' needs a value (URL)", "demo first"],
    [
      ["frist"],
      "unknown subcommand 'frist' (did you mean 'first'?); the subcommands are first, interleave",
      "demo [command]"
    ],
    [["first", "--bogus"], "unknown option '--bogus' for 'demo first'; its options are --url", "demo first"],
    [
      ["throttle", "--concurency", "2"],
      "unknown option '--concurency' for 'demo throttle' (did you mean '--concurrency'?)",
      "demo throttle"
    ],
    [
      ["throttle", "--concurrency", "1", "--concurrency", "2"],
      "option '--concurrency' was given twice",
      "demo throttle"
    ],
    [["first", "extra"], "unexpected argument 'extra': 'demo first' takes only options", "demo first"],
    [
      ["--concurrency", "2", "throttle"],
      "the subcommand 'throttle' must come first: demo throttle --concurrency 2",
      "demo [command]"
    ]
  ]
  it.live.each(badFlags)(
    "bad command line %j: exit 2, one 'demo:' line naming the problem, then the usage once",
    ([args, message, usage]) =>
      Effect.gen(function* () {
        const { code, stderr, stdout } = yield* runDemo(args)
        expect(code).toBe(2)
        expect(stdout).toBe("")
        const lines = stderr.trimEnd().split("\n")
        expect(lines).toHaveLength(2)
        expect(lines[0]).toMatch(/^demo: /)
        expect(lines[0]).toContain(message)
        expect(lines[1]).toMatch(new RegExp(`^usage: ${usage.replace(/[[\]]/g, "\\$&")}`))
        expect(stderr).not.toContain("pw@")
        expect(stderr).not.toMatch(escapeCode)
      })
  )

  it.live("interruption cancels the downloads in flight, names them, leaves nothing in flight and maps to 130", () =>
    Effect.gen(function* () {
      const { code, stderr, stdout } = yield* interruptDemo(["throttle", "--concurrency", "1"], (out) =>
        out.includes("[ 2/12]")
      )
      expect(code).toBe(130)
      expect(stdout).toMatch(/interrupted: cancelled 1 unfinished download: \/photo-03/)
      expect(stderr).toContain("demo: interrupted")
      nothingInFlight(stdout)
      // The third download was cancelled either on the wire (the server saw it start, then the client abort
      // it) or before its request reached the server: both are clean, and every start is accounted for.
      const counters = /LocalWeb: (\d+) requests started, 2 finished, (\d+) aborted by the client, 0 in flight/.exec(
        stdout
      )
      expect(counters).not.toBeNull()
      const [started, aborted] = [Number(counters![1]), Number(counters![2])]
      expect([2, 3]).toContain(started)
      expect(started).toBe(2 + aborted)
      // When the cancelled download never reached LocalWeb, a note says why the counts differ.
      if (aborted === 0) {
        expect(stdout).toContain(
          "1 download was cancelled and LocalWeb saw 0 cut off on the wire: 1 had not reached it yet"
        )
      }
    })
  )

  it.live("when the reader goes away (| head -1) the run stops at once, quietly, with exit 0", () =>
    Effect.gen(function* () {
      const { code, millisToEnd, stderr, stdout, written } = yield* closeReaderOf(["bailout"], (out) =>
        out.includes("/long-video: downloading")
      )
      expect(code).toBe(0)
      expect(stderr).toBe("")
      expect(written).toBe(stdout)
      expect(millisToEnd).toBeLessThan(1_000)
    })
  )

  it("the failure table says what a socket error means in words, keeping its code", () => {
    const url = "http://127.0.0.1/x"
    const socket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" })
    expect(Failures.detail(new DownloadError.BodyError({ url, cause: socket }))).toBe(
      "body cut short: connection closed by the server (UND_ERR_SOCKET)"
    )
    const refused = Object.assign(new Error("connect"), { code: "ECONNREFUSED" })
    expect(Failures.detail(new DownloadError.ConnectionFailed({ url, cause: refused }))).toBe(
      "connection refused (ECONNREFUSED)"
    )
    expect(Failures.detail(new DownloadError.BodyError({ url }))).toBe("body cut short")
  })

  it("exit codes: 0 success, 130 interrupted, 2 usage error, 1 anything else", () => {
    expect(Cli.exitCode(Exit.void)).toBe(0)
    expect(Cli.exitCode(Exit.interrupt(FiberId.none))).toBe(130)
    expect(Cli.exitCode(Exit.fail(new Cli.UsageError({ message: "x" })))).toBe(2)
    expect(Cli.exitCode(Exit.fail(new Cli.UnexpectedError({ message: "x" })))).toBe(1)
    expect(Cli.exitCode(Exit.die(new Error("boom")))).toBe(1)
  })
})
