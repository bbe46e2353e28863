import { Task } from "@tapestry/core"
import { Channel, Chunk, Effect, Runtime, Stream } from "effect"
import pAny from "p-any"
import pLimit from "p-limit"
import pMap, { pMapIterable } from "p-map"
import type { Case } from "../Bench.js"
import { immediate, indices } from "./work.js"

/** The same work as an effect: one turn of the event loop. */
const task = (): Effect.Effect<void> => Effect.promise(immediate)

/** `n` effects, made lazily (no contender gets a pre-built array of effects). */
function* tasks(n: number): Generator<Effect.Effect<void>> {
  for (let i = 0; i < n; i++) yield task()
}

/** The floor: `n` promises each awaiting one `setImmediate`, all at once. */
const promiseAllFloor = (n: number): Promise<unknown> => {
  const ps = new Array<Promise<void>>(n)
  for (let i = 0; i < n; i++) ps[i] = immediate()
  return Promise.all(ps)
}

/** The naive interleaving loop of the TAP document: `Promise.race` over the remaining set, O(N²). */
const naiveRaceLoop = async (n: number): Promise<void> => {
  const pending = new Map<number, Promise<number>>()
  for (let i = 0; i < n; i++)
    pending.set(
      i,
      immediate().then(() => i)
    )
  while (pending.size > 0) {
    const done = await Promise.race(pending.values())
    pending.delete(done)
  }
}

/**
 * The architectural floor of one fiber per task in Effect 3: `Runtime.runFork` each task and count
 * exits with `addObserver` (no ordering, no structure, no results).
 */
const rawRunFork = (n: number): Promise<void> =>
  Effect.runPromise(
    Effect.flatMap(Effect.runtime<never>(), (runtime) =>
      Effect.async<void>((resume) => {
        let left = n
        const fork = Runtime.runFork(runtime)
        for (const t of tasks(n)) {
          fork(t).addObserver(() => {
            if (--left === 0) resume(Effect.void)
          })
        }
      })
    )
  )

/**
 * The floor of a bounded pool in Effect 3: `concurrency` fibers started with `Runtime.runFork`, each
 * pulling the next item from one shared iterator and awaiting its task (no results, no structure).
 */
const barePool =
  (concurrency: number) =>
  (n: number): Promise<void> =>
    Effect.runPromise(
      Effect.flatMap(Effect.runtime<never>(), (runtime) =>
        Effect.async<void>((resume) => {
          const items = indices(n)
          const worker: Effect.Effect<void> = Effect.suspend(() =>
            items.next().done === true ? Effect.void : Effect.flatMap(task(), () => worker)
          )
          let left = concurrency
          const fork = Runtime.runFork(runtime)
          for (let i = 0; i < concurrency; i++) {
            fork(worker).addObserver(() => {
              if (--left === 0) resume(Effect.void)
            })
          }
        })
      )
    )

const drain = <A, E>(stream: Stream.Stream<A, E>): Promise<void> => Effect.runPromise(Stream.runDrain(stream))

/**
 * The floor of a bounded pool that streams what completes: the bare pool, plus the cheapest Stream
 * Effect 3 has for it — a channel loop of `fromEffect` + `write` woken once per `concurrency`
 * completions (one chunk per event-loop turn here, as `Task.throttled` emits), each chunk one number
 * — drained by `Stream.runDrain`. Between it and the bare pool is Effect's stream machinery (the
 * consumer's wake and `runDrain`'s channels, per chunk); above it is ours.
 */
const barePoolStream =
  (concurrency: number) =>
  (n: number): Promise<void> =>
    drain(
      Stream.fromChannel(
        Channel.unwrap(
          Effect.map(Effect.runtime<never>(), (runtime) => {
            const items = indices(n)
            let completed = 0
            let workers = concurrency
            let wake: (() => void) | undefined
            const signal = () => {
              const w = wake
              wake = undefined
              if (w !== undefined) w()
            }
            const worker: Effect.Effect<void> = Effect.suspend(() =>
              items.next().done === true
                ? Effect.void
                : Effect.flatMap(task(), () => {
                    if (++completed >= concurrency) signal()
                    return worker
                  })
            )
            const pull: Effect.Effect<number> = Effect.suspend(() => {
              if (completed > 0) {
                const c = completed
                completed = 0
                return Effect.succeed(c)
              }
              if (workers === 0) return Effect.succeed(0)
              return Effect.async<number>((resume) => {
                wake = () => resume(pull)
              })
            })
            const loop: Channel.Channel<Chunk.Chunk<number>> = Channel.flatMap(Channel.fromEffect(pull), (c) =>
              c === 0 ? Channel.void : Channel.zipRight(Channel.write(Chunk.of(c)), loop)
            )
            const fork = Runtime.runFork(runtime)
            for (let i = 0; i < concurrency; i++) {
              fork(worker).addObserver(() => {
                workers--
                signal()
              })
            }
            return loop
          })
        )
      )
    )

const oursInterleaved = (concurrency: Task.Concurrency) => (n: number) =>
  drain(Task.interleaved(tasks(n), { concurrency }))

const mergeAll = (concurrency: number | "unbounded") => (n: number) =>
  drain(
    Stream.mergeAll(
      Array.from(indices(n), () => Stream.fromEffect(task())),
      { concurrency }
    )
  )

/** `Task.interleaved`, unbounded, against the `Promise.all` floor. */
export const interleaveUnbounded: Case = {
  name: "interleave-unbounded",
  title: "Task.interleaved, unbounded: N tasks each awaiting one setImmediate, drained in completion order",
  n: { full: 100_000, quick: 5_000 },
  targets: { "Promise.all floor": 8, "runFork+observer": 1.05 },
  contenders: [
    { name: "Task.interleaved", ours: true, run: oursInterleaved("unbounded") },
    { name: "Promise.all floor", run: promiseAllFloor },
    { name: "runFork+observer", run: rawRunFork }
  ]
}

/** `Task.interleaved` against `Stream.mergeAll` (smaller N: mergeAll costs ~200 µs per element). */
export const interleaveMergeAll: Case = {
  name: "interleave-mergeAll",
  title: "Task.interleaved vs Stream.mergeAll of N single-effect streams, unbounded",
  n: { full: 10_000, quick: 2_000 },
  targets: { "Stream.mergeAll": 0.1 },
  contenders: [
    { name: "Task.interleaved", ours: true, run: oursInterleaved("unbounded") },
    { name: "Stream.mergeAll", run: mergeAll("unbounded") }
  ]
}

/** `Task.interleaved` against the naive `Promise.race` loop, at a size the loop survives. */
export const interleaveRace: Case = {
  name: "interleave-race",
  title: "Task.interleaved vs a naive Promise.race loop (quadratic), unbounded",
  n: { full: 5_000, quick: 1_000 },
  contenders: [
    { name: "Task.interleaved", ours: true, run: oursInterleaved("unbounded") },
    { name: "Promise.race loop", run: naiveRaceLoop }
  ]
}

/** A million lazy inputs at concurrency 64: time and peak memory (bounded buffering). */
export const interleaveLazy64: Case = {
  name: "interleave-lazy-64",
  title: "Task.interleaved over a lazy generator of N tasks at concurrency 64 (peak RSS)",
  n: { full: 1_000_000, quick: 50_000 },
  memory: true,
  contenders: [
    { name: "Task.interleaved", ours: true, run: oursInterleaved(64) },
    { name: "p-map", run: (n) => pMap(indices(n), () => immediate(), { concurrency: 64 }) },
    {
      name: "Effect.forEach",
      run: (n) => Effect.runPromise(Effect.forEach(tasks(n), (t) => t, { concurrency: 64, discard: true }))
    }
  ]
}

/** Calls `sample` every `every` elements of a stream as it is drained. */
const sampling = <A, E>(stream: Stream.Stream<A, E>, sample: () => void, every: number): Stream.Stream<A, E> => {
  let seen = 0
  return Stream.mapChunks(stream, (chunk) => {
    const before = seen
    seen += Chunk.size(chunk)
    if (Math.floor(seen / every) > Math.floor(before / every)) sample()
    return chunk
  })
}

/** The same lazy input at concurrency 64, smaller: live heap (after a full GC) while it runs. */
export const interleaveLazyHeap: Case = {
  name: "interleave-lazy-heap",
  title: "Task.interleaved over a lazy generator of N tasks at concurrency 64 (live heap after GC)",
  n: { full: 300_000, quick: 30_000 },
  liveHeapMiB: 16,
  contenders: [
    {
      name: "Task.interleaved",
      ours: true,
      run: oursInterleaved(64),
      sampled: (n, sample) => drain(sampling(Task.interleaved(tasks(n), { concurrency: 64 }), sample, 10_000))
    },
    {
      name: "p-map",
      run: (n) => pMap(indices(n), () => immediate(), { concurrency: 64 }),
      sampled: (n, sample) =>
        pMap(
          indices(n),
          (i) =>
            immediate().then(() => {
              if (i % 10_000 === 0) sample()
            }),
          { concurrency: 64 }
        )
    }
  ]
}

/** `Task.throttled` at 64 against p-map, p-limit and Effect's bounded `forEach`. */
export const throttle64: Case = {
  name: "throttle-64",
  title: "Task.throttled at concurrency 64: N items, each awaiting one setImmediate",
  n: { full: 100_000, quick: 5_000 },
  targets: { "p-map": 1.5, "bare pool": 1.15, "Effect.forEach": 0.75 },
  contenders: [
    {
      name: "Task.throttled",
      ours: true,
      run: (n) => drain(Task.throttled(indices(n), task, { concurrency: 64 }))
    },
    { name: "bare pool", run: barePool(64) },
    { name: "bare pool → Stream", run: barePoolStream(64) },
    { name: "p-map", run: (n) => pMap(indices(n), () => immediate(), { concurrency: 64 }) },
    {
      name: "p-limit",
      run: (n) => {
        const limit = pLimit(64)
        const ps = new Array<Promise<void>>(n)
        for (let i = 0; i < n; i++) ps[i] = limit(immediate)
        return Promise.all(ps)
      }
    },
    {
      name: "Effect.forEach",
      run: (n) => Effect.runPromise(Effect.forEach(indices(n), task, { concurrency: 64, discard: true }))
    }
  ]
}

/** `Task.whenAll` unbounded against `Effect.forEach` and `Effect.all({ mode: "validate" })`. */
export const whenAllUnbounded: Case = {
  name: "whenAll-unbounded",
  title: "Task.whenAll, unbounded: N tasks each awaiting one setImmediate, results in order",
  n: { full: 100_000, quick: 5_000 },
  targets: { "Effect.forEach": 0.5 },
  contenders: [
    { name: "Task.whenAll", ours: true, run: (n) => Effect.runPromise(Task.whenAll(tasks(n))) },
    {
      name: "Effect.forEach",
      run: (n) => Effect.runPromise(Effect.forEach(indices(n), task, { concurrency: "unbounded" }))
    },
    {
      name: "Effect.all validate",
      run: (n) => Effect.runPromise(Effect.all(tasks(n), { concurrency: "unbounded", mode: "validate" }))
    },
    { name: "Promise.all floor", run: promiseAllFloor }
  ]
}

/** The first of N to complete; the rest interrupted (ours, raceAll) or ignored (p-any). */
export const whenAny100k: Case = {
  name: "whenAny-100k",
  title: "Task.whenAny over N tasks each awaiting one setImmediate; losers interrupted and awaited",
  n: { full: 100_000, quick: 5_000 },
  targets: { "Effect.raceAll": 0.5 },
  contenders: [
    { name: "Task.whenAny", ours: true, run: (n) => Effect.runPromise(Task.whenAny(tasks(n))) },
    { name: "Effect.raceAll", run: (n) => Effect.runPromise(Effect.raceAll(tasks(n))) },
    { name: "p-any", run: (n) => pAny(Array.from(indices(n), () => immediate())) }
  ]
}

/** The first success of N; the rest interrupted (ours, raceAll) or ignored (p-any). */
export const needOnlyOne100k: Case = {
  name: "needOnlyOne-100k",
  title: "Task.needOnlyOne over N tasks each awaiting one setImmediate; losers interrupted and awaited",
  n: { full: 100_000, quick: 5_000 },
  targets: { "Effect.raceAll": 0.5 },
  contenders: [
    { name: "Task.needOnlyOne", ours: true, run: (n) => Effect.runPromise(Task.needOnlyOne(tasks(n))) },
    { name: "Effect.raceAll", run: (n) => Effect.runPromise(Effect.raceAll(tasks(n))) },
    { name: "p-any", run: (n) => pAny(Array.from(indices(n), () => immediate())) }
  ]
}

/** Item `i`'s work: every 8th awaits three turns of the event loop, the rest one (so order must be restored). */
const uneven = async (i: number): Promise<number> => {
  await immediate()
  if (i % 8 === 0) {
    await immediate()
    await immediate()
  }
  return i
}
const unevenTask = (i: number): Effect.Effect<number> => Effect.promise(() => uneven(i))

/** Drains an async iterable. */
const drainAsync = async (xs: AsyncIterable<unknown>): Promise<void> => {
  for await (const _ of xs) {
    //
  }
}

/**
 * `Task.throttled` in input order against p-map's `pMapIterable`. (Effect's `Stream.mapEffect` with
 * `concurrency: 64` took 0.7–1.2 ms per item here — minutes per round — so it is not a contender.)
 */
export const throttleOrdered64: Case = {
  name: "throttle-ordered-64",
  title: "Task.throttled ordered at concurrency 64: N items, every 8th three times slower, results in input order",
  n: { full: 100_000, quick: 5_000 },
  contenders: [
    {
      name: "Task.throttled ordered",
      ours: true,
      run: (n) => drain(Task.throttled(indices(n), unevenTask, { concurrency: 64, ordered: true }))
    },
    { name: "pMapIterable", run: (n) => drainAsync(pMapIterable(indices(n), uneven, { concurrency: 64 })) }
  ]
}

/** An async generator of `0 … n-1`: the input of the async-input case. */
async function* asyncIndices(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i
}

/** `Task.throttled` over an async generator against `pMapIterable` over the same. */
export const throttleAsync64: Case = {
  name: "throttle-async-64",
  title: "Task.throttled at concurrency 64 over an async generator of N items, each awaiting one setImmediate",
  n: { full: 100_000, quick: 5_000 },
  contenders: [
    {
      name: "Task.throttled",
      ours: true,
      run: (n) => drain(Task.throttled(asyncIndices(n), task, { concurrency: 64 }))
    },
    {
      name: "pMapIterable",
      run: (n) => drainAsync(pMapIterable(asyncIndices(n), immediate, { concurrency: 64, preserveOrder: false }))
    }
  ]
}

/** Every `Task` case, in the order they run. */
export const taskCases: ReadonlyArray<Case> = [
  interleaveUnbounded,
  interleaveMergeAll,
  interleaveRace,
  interleaveLazy64,
  interleaveLazyHeap,
  throttle64,
  throttleOrdered64,
  throttleAsync64,
  whenAllUnbounded,
  whenAny100k,
  needOnlyOne100k
]
