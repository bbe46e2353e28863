import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, FiberRef, Ref, Scope, Stream } from "effect"
import { Task } from "../../src/index.js"
import { type GroupOptions, withGroup } from "../../src/internal/task/group.js"

// The engine's contract (src/internal/task/group.ts): how children start, what ends them, detaching
// into a scope, and that children's FiberRefs are not merged back.

const modes = [
  ["unbounded", "unbounded"],
  ["bounded", 2]
] as const

/** A group over `n` children that never end on their own, counting starts and ends. */
const never = (n: number, concurrency: number | "unbounded") =>
  Effect.gen(function* () {
    const started = yield* Ref.make(0)
    const ended = yield* Ref.make(0)
    const exits: Array<Exit.Exit<unknown, unknown>> = []
    const options: GroupOptions<number, never, never, never> = {
      items: Array.from({ length: n }, (_, i) => i)[Symbol.iterator](),
      f: () =>
        Effect.ensuring(
          Effect.zipRight(
            Ref.update(started, (k) => k + 1),
            Effect.never
          ),
          Ref.update(ended, (k) => k + 1)
        ),
      concurrency,
      onExit: (_, __, exit) => {
        exits.push(exit)
      }
    }
    return { started, ended, exits, options }
  })

describe("Group", () => {
  for (const [name, concurrency] of modes) {
    it.effect(`Group_${name}_ShutdownWhenTheCombinatorEnds_EndsEveryChild`, () =>
      Effect.gen(function* () {
        const { ended, options, started } = yield* never(3, concurrency)
        const running = yield* Effect.fork(
          withGroup(options, (group, restore) => {
            group.start()
            return Effect.ensuring(restore(group.await), group.shutdown)
          })
        )
        yield* Effect.yieldNow()
        const expected = concurrency === "unbounded" ? 3 : concurrency
        expect(yield* Ref.get(started)).toBe(expected)
        yield* Fiber.interrupt(running)
        // interrupting the combinator returned only after every child had ended
        expect(yield* Ref.get(ended)).toBe(expected)
      })
    )

    it.effect(`Group_${name}_Detach_LeavesChildrenRunningUntilTheScopeCloses`, () =>
      Effect.gen(function* () {
        const { ended, options, started } = yield* never(2, concurrency)
        const scope = yield* Scope.make()
        yield* withGroup(options, (group) => {
          group.start()
          return Effect.zipRight(
            group.detach(scope),
            Effect.sync(() => expect(group.idle).toBe(false))
          )
        })
        yield* Effect.yieldNow()
        expect(yield* Ref.get(started)).toBe(2)
        expect(yield* Ref.get(ended)).toBe(0)
        yield* Scope.close(scope, Exit.void)
        expect(yield* Ref.get(ended)).toBe(2)
      })
    )

    it.effect(`Group_${name}_InputThrows_IsTheDefect_AndInterruptsWhatStarted`, () =>
      Effect.gen(function* () {
        const { ended, exits, options } = yield* never(1, concurrency)
        function* throwing() {
          yield 0
          throw new Error("input")
        }
        const defect = yield* withGroup({ ...options, items: throwing() }, (group, restore) => {
          group.start()
          return Effect.as(Effect.ensuring(restore(group.await), group.shutdown), group.defect)
        })
        expect(defect).toEqual({ error: new Error("input") })
        expect(yield* Ref.get(ended)).toBe(1)
        expect(exits.every(Exit.isInterrupted)).toBe(concurrency === "unbounded" ? true : exits.length === 0)
      })
    )
  }

  it.effect("Group_StartOne_StartsExactlyOneChild", () =>
    Effect.gen(function* () {
      const { options, started } = yield* never(3, "unbounded")
      yield* withGroup(options, (group) =>
        Effect.gen(function* () {
          expect(group.startOne()).toBe(true)
          yield* Effect.yieldNow()
          expect([yield* Ref.get(started), group.started, group.running]).toEqual([1, 1, 1])
          yield* group.shutdown
        })
      )
    })
  )
})

describe("FiberRefs of children", () => {
  const ref = FiberRef.unsafeMake("caller")
  /** Reports the value it started with, then sets its own. */
  const child = (i: number) =>
    Effect.gen(function* () {
      const seen = yield* FiberRef.get(ref)
      yield* FiberRef.set(ref, `child ${i}`)
      return seen
    })

  for (const [name, concurrency] of modes) {
    it.effect(`Task_${name}_ChildrenStartWithTheCallersFiberRefs_AndDoNotMergeThemBack`, () =>
      Effect.gen(function* () {
        const seen = yield* Effect.locally(
          Effect.gen(function* () {
            const all = yield* Task.whenAll([child(0), child(1), child(2)], { concurrency })
            return { all, after: yield* FiberRef.get(ref) }
          }),
          ref,
          "outer"
        )
        expect(seen.all).toEqual(["outer", "outer", "outer"])
        // unlike Effect.forEach, which would leave `child 2` here (inheritAll in order)
        expect(seen.after).toBe("outer")
      })
    )
  }

  it.effect("Task_bounded_ANextItemOfTheSameWorker_StartsFromTheCallersFiberRefs", () =>
    Effect.gen(function* () {
      // one worker runs every item in turn: each still sees the caller's value
      const seen = yield* Stream.runCollect(Task.throttled([0, 1, 2], child, { concurrency: 1 }))
      expect([...seen].map((c) => (Exit.isSuccess(c.exit) ? c.exit.value : "failed"))).toEqual([
        "caller",
        "caller",
        "caller"
      ])
      expect(yield* FiberRef.get(ref)).toBe("caller")
    })
  )

  it.effect("Task_interleaved_ChildrenSeeTheFiberRefsOfWhereTheStreamRuns", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const seen = yield* Effect.locally(
        Stream.runCollect(Task.interleaved([Effect.zipRight(Deferred.succeed(gate, undefined), FiberRef.get(ref))])),
        ref,
        "consumer"
      )
      expect([...seen].map((c) => c.exit)).toEqual([Exit.succeed("consumer")])
    })
  )
})
