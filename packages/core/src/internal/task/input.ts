/**
 * The inputs of the engine (`group.ts`): a synchronous `Iterator`, pulled in place (the fast path),
 * or an asynchronous input — an `AsyncIterable` or a `Stream` — behind the same `next()`, which
 * answers `PENDING` when nothing has arrived yet and asks the source for more.
 *
 * The contract of an asynchronous input:
 *
 * - **Lazy.** It pulls its source only when `next()` found nothing buffered: one `next()` of an
 *   async iterator, or one chunk of a stream, per `PENDING` answer (a chunk a stream already made is
 *   buffered whole — that is the stream's own granularity). So it is read no further ahead than the
 *   engine asks, and the engine asks only when it would start a task.
 * - **Wake-ups.** When an item or the end arrives after a `PENDING`, it calls `ready()` once; when
 *   the source fails it calls `fail(cause)` (a stream's typed failure as it is, a throwing iterator
 *   as a defect) and then nothing more.
 * - **Closing.** `close` stops the source: it interrupts a stream's pump fiber (running the stream's
 *   finalizers) and calls an iterator's `return()` when it was not read to its end — at once when no
 *   `next()` is pending, without waiting when one is (an async generator stuck in an `await` must not
 *   hold up an interrupted combinator). A sync iterator stopped early gets its `return()` too, as
 *   `for…of` does on `break`.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Validate from "../validate.js"

/** `next()` has nothing yet; `ready()` follows. @internal */
export const PENDING: unique symbol = Symbol.for("@tapestry/core/Task/pending")

/** What the engine pulls: a sync `Iterator` is one. @internal */
export interface Input<I> {
  next(): IteratorResult<I> | typeof PENDING
  return?(value?: unknown): unknown
}

/** How an asynchronous input reaches the engine. @internal */
export interface Connection<R> {
  readonly ready: () => void
  readonly fail: (cause: Cause.Cause<unknown>) => void
  readonly fork: <X, Y>(effect: Effect.Effect<X, Y, R>) => Fiber.RuntimeFiber<X, Y>
}

/** @internal */
export interface AsyncInput<I, R> extends Input<I> {
  readonly _tag: "AsyncInput"
  connect(connection: Connection<R>): void
  /** How many `next()` calls would answer at once: the items buffered, or all of them at the end. */
  readonly ready: number
  readonly close: Effect.Effect<void>
}

/** @internal */
export const isAsyncInput = <I>(input: Input<I>): input is AsyncInput<I, never> =>
  (input as { readonly _tag?: unknown })._tag === "AsyncInput"

const END: IteratorReturnResult<undefined> = { done: true, value: undefined }

/** The buffer and demand both asynchronous inputs share; `request` pulls the source once. */
abstract class Buffered<I, R> implements AsyncInput<I, R> {
  readonly _tag = "AsyncInput"
  protected items: ReadonlyArray<I> = []
  protected at = 0
  protected done = false
  protected closed = false
  protected connection: Connection<R> | undefined = undefined

  connect(connection: Connection<R>): void {
    this.connection = connection
  }

  get ready(): number {
    return this.done ? Number.POSITIVE_INFINITY : this.items.length - this.at
  }

  next(): IteratorResult<I> | typeof PENDING {
    if (this.at < this.items.length) return { done: false, value: this.items[this.at++]! }
    if (this.done) return END
    if (!this.closed) this.request()
    return PENDING
  }

  /** Hands on what the source gave (`undefined`: its end). */
  protected arrive(items: ReadonlyArray<I> | undefined): void {
    if (this.closed) return
    if (items === undefined) this.done = true
    else {
      this.items = items
      this.at = 0
    }
    this.connection?.ready()
  }

  protected failWith(cause: Cause.Cause<unknown>): void {
    if (this.closed) return
    this.done = true
    this.connection?.fail(cause)
  }

  protected abstract request(): void
  abstract readonly close: Effect.Effect<void>
}

/** An `AsyncIterable`, one `next()` per request; a rejection is a defect. */
class FromAsyncIterable<I> extends Buffered<I, never> {
  private iterator: AsyncIterator<I> | undefined = undefined
  private inFlight = false

  constructor(private readonly iterable: AsyncIterable<I>) {
    super()
  }

  protected request(): void {
    if (this.inFlight) return
    this.inFlight = true
    let promise: Promise<IteratorResult<I>>
    try {
      if (this.iterator === undefined) this.iterator = this.iterable[Symbol.asyncIterator]()
      promise = Promise.resolve(this.iterator.next())
    } catch (error) {
      this.inFlight = false
      this.failWith(Cause.die(error))
      return
    }
    promise.then(
      (result) => {
        this.inFlight = false
        this.arrive(result.done === true ? undefined : [result.value])
      },
      (error: unknown) => {
        this.inFlight = false
        this.failWith(Cause.die(error))
      }
    )
  }

  readonly close: Effect.Effect<void> = Effect.suspend(() => {
    const iterator = this.iterator
    const early = !this.done && !this.closed
    this.closed = true
    if (!early || iterator === undefined || typeof iterator.return !== "function") return Effect.void
    if (this.inFlight) {
      // queued behind the pending next(): let it finish whenever it does
      Promise.resolve(iterator.return()).catch(() => {})
      return Effect.void
    }
    return Effect.promise(() => Promise.resolve(iterator.return!()))
  })
}

/** A `Stream`, one chunk per request, pulled by a fiber on the group's runtime. */
class FromStream<I, E, R> extends Buffered<I, R> {
  private fiber: Fiber.RuntimeFiber<void, never> | undefined = undefined
  private wake: (() => void) | undefined = undefined
  private requested = false

  constructor(private readonly stream: Stream.Stream<I, E, R>) {
    super()
  }

  protected request(): void {
    if (this.requested) return
    this.requested = true
    if (this.fiber === undefined) this.fiber = this.connection?.fork(this.pump())
    else {
      const wake = this.wake
      this.wake = undefined
      if (wake !== undefined) wake()
    }
  }

  private readonly demand: Effect.Effect<void> = Effect.async<void>((resume) => {
    if (this.requested) resume(Effect.void)
    else this.wake = () => resume(Effect.void)
  })

  private pump(): Effect.Effect<void, never, R> {
    return Effect.scoped(
      Effect.flatMap(Stream.toPull(this.stream), (pull) => {
        const loop: Effect.Effect<void, never, R> = Effect.flatMap(this.demand, () =>
          Effect.matchCauseEffect(pull, {
            onSuccess: (chunk) => {
              if (Chunk.isEmpty(chunk)) return loop
              this.requested = false
              this.arrive(Chunk.toReadonlyArray(chunk))
              return loop
            },
            onFailure: (cause) => {
              const failure = Cause.flipCauseOption(cause)
              if (Option.isNone(failure)) this.arrive(undefined)
              else this.failWith(failure.value)
              return Effect.void
            }
          })
        )
        return loop
      })
    )
  }

  readonly close: Effect.Effect<void> = Effect.suspend(() => {
    this.closed = true
    const fiber = this.fiber
    return fiber === undefined ? Effect.void : Fiber.interrupt(fiber)
  })
}

/** A sync iterator's `return()`, for a group stopped before the end (`for…of`'s `break`). @internal */
export const closeIterator = (input: Input<unknown>): Effect.Effect<void> =>
  typeof input.return === "function" ? Effect.sync(() => void input.return!()) : Effect.void

const isStream = (u: object): u is Stream.Stream<unknown, unknown, unknown> => Stream.StreamTypeId in u

const isFunction = (u: unknown): boolean => typeof u === "function"

/**
 * The input of `interleaved` / `throttled`: an `Iterable` (its iterator, the fast path), an
 * `AsyncIterable` or a `Stream`; anything else dies naming `where` and `name`. A string counts as an
 * iterable of characters only with `strings`.
 *
 * @internal
 */
export const fromInput = <I>(
  where: string,
  name: string,
  value: unknown,
  options?: { readonly strings?: boolean | undefined }
): Input<I> => {
  if (typeof value === "object" && value !== null && !Effect.isEffect(value)) {
    if (isStream(value)) return new FromStream(value as Stream.Stream<I, unknown, unknown>)
    const candidate = value as { readonly [Symbol.iterator]?: unknown; readonly [Symbol.asyncIterator]?: unknown }
    if (isFunction(candidate[Symbol.iterator])) return (value as Iterable<I>)[Symbol.iterator]()
    if (isFunction(candidate[Symbol.asyncIterator])) return new FromAsyncIterable(value as AsyncIterable<I>)
  } else if (typeof value === "string" && options?.strings === true) {
    return (value as unknown as Iterable<I>)[Symbol.iterator]()
  }
  return Validate.raise(Validate.message(where, name, "an iterable, an async iterable or a Stream", value))
}
