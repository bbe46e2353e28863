import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Equal from "effect/Equal"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Hash from "effect/Hash"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import type * as AsyncCache from "../AsyncCache.js"
import * as Validate from "./validate.js"

// ---------------------------------------------------------------------------------------------
// Flight: one shared run of an effect, in an owner's scope, awaited by any number of waiters.
// ---------------------------------------------------------------------------------------------

/** @internal */
export class Flight<A, E> {
  exit: Exit.Exit<A, E> | undefined = undefined
  fiber: Fiber.RuntimeFiber<A, E> | undefined = undefined
  readonly waiters = new Set<(exit: Exit.Exit<A, E>) => void>()
  constructor(
    /** Called when the last waiter leaves before the run ended (the run is then interrupted). */
    readonly onAbandon: () => void
  ) {}
}

/**
 * The fibers an owner (a cache, a lazy value) runs, interrupted together when its scope closes.
 *
 * @internal
 */
export class Owner<R> {
  closed = false
  readonly running = new Set<Fiber.RuntimeFiber<unknown, unknown>>()
  constructor(readonly runtime: Runtime.Runtime<R>) {}

  /** Marks the owner closed and interrupts (and awaits) every run in progress. */
  readonly close = Effect.suspend(() => {
    this.closed = true
    const fibers = [...this.running]
    this.running.clear()
    return fibers.length === 0 ? Effect.void : Fiber.interruptAll(fibers)
  })
}

/**
 * Makes an owner with the current runtime whose runs are interrupted when the current `Scope`
 * closes.
 *
 * @internal
 */
export const makeOwner = <R>(): Effect.Effect<Owner<R>, never, R | Scope.Scope> =>
  Effect.flatMap(Effect.runtime<R>(), (runtime) => {
    const owner = new Owner(runtime)
    return Effect.as(
      Effect.addFinalizer(() => owner.close),
      owner
    )
  })

/**
 * Starts `effect` as a fiber of its own (not a child of the caller) with the owner's runtime;
 * `onExit` runs when it ends, before the waiters resume.
 *
 * @internal
 */
export const startFlight = <A, E, R>(
  owner: Owner<R>,
  effect: Effect.Effect<A, E, R>,
  onAbandon: () => void,
  onExit: (exit: Exit.Exit<A, E>) => void
): Flight<A, E> => {
  const flight = new Flight<A, E>(onAbandon)
  const fiber = Runtime.runFork(owner.runtime)(effect)
  flight.fiber = fiber
  if (fiber.unsafePoll() === null) owner.running.add(fiber)
  fiber.addObserver((exit) => {
    owner.running.delete(fiber)
    flight.exit = exit
    onExit(exit)
    const waiters = [...flight.waiters]
    flight.waiters.clear()
    for (const waiter of waiters) waiter(exit)
  })
  return flight
}

/**
 * Joins `flight` from inside an `Effect.async` registration: `resume` gets its exit. The returned
 * canceller removes the waiter; the last one to leave interrupts the run and awaits its end.
 *
 * @internal
 */
export const joinFlight = <A, E>(
  flight: Flight<A, E>,
  resume: (effect: Effect.Effect<A, E>) => void
): Effect.Effect<void> | undefined => {
  if (flight.exit !== undefined) {
    resume(flight.exit)
    return undefined
  }
  const waiter = (exit: Exit.Exit<A, E>) => resume(exit)
  flight.waiters.add(waiter)
  return Effect.suspend(() => {
    flight.waiters.delete(waiter)
    if (flight.waiters.size > 0 || flight.exit !== undefined) return Effect.void
    flight.onAbandon()
    return Fiber.interrupt(flight.fiber!)
  })
}

// ---------------------------------------------------------------------------------------------
// KeyIndex: a map whose keys compare with `Equal` (a JS Map for the rest, as fast path).
// ---------------------------------------------------------------------------------------------

const isStructural = (key: unknown): boolean =>
  key !== null &&
  (typeof key === "object" || typeof key === "function") &&
  (Equal.isEqual(key) || key instanceof Date || key instanceof URL)

/** @internal */
export class KeyIndex<K, V> {
  readonly plain = new Map<unknown, V>()
  readonly buckets = new Map<number, Array<{ readonly key: K; value: V }>>()
  structuralSize = 0

  get size(): number {
    return this.plain.size + this.structuralSize
  }

  get(key: K): V | undefined {
    if (!isStructural(key)) return this.plain.get(key)
    const bucket = this.buckets.get(Hash.hash(key))
    if (bucket === undefined) return undefined
    for (const entry of bucket) if (Equal.equals(key, entry.key)) return entry.value
    return undefined
  }

  set(key: K, value: V): void {
    if (!isStructural(key)) {
      this.plain.set(key, value)
      return
    }
    const hash = Hash.hash(key)
    const bucket = this.buckets.get(hash)
    if (bucket === undefined) {
      this.buckets.set(hash, [{ key, value }])
      this.structuralSize++
      return
    }
    for (const entry of bucket) {
      if (Equal.equals(key, entry.key)) {
        entry.value = value
        return
      }
    }
    bucket.push({ key, value })
    this.structuralSize++
  }

  delete(key: K): void {
    if (!isStructural(key)) {
      this.plain.delete(key)
      return
    }
    const hash = Hash.hash(key)
    const bucket = this.buckets.get(hash)
    if (bucket === undefined) return
    const i = bucket.findIndex((entry) => Equal.equals(key, entry.key))
    if (i < 0) return
    bucket.splice(i, 1)
    this.structuralSize--
    if (bucket.length === 0) this.buckets.delete(hash)
  }

  clear(): void {
    this.plain.clear()
    this.buckets.clear()
    this.structuralSize = 0
  }

  *values(): Generator<V> {
    yield* this.plain.values()
    for (const bucket of this.buckets.values()) for (const entry of bucket) yield entry.value
  }
}

// ---------------------------------------------------------------------------------------------
// The cache
// ---------------------------------------------------------------------------------------------

class Entry<K, V, E> {
  flight: Flight<V, E> | undefined = undefined
  /** Set once the lookup ended and its result is stored. */
  exit: Exit.Exit<V, E> | undefined = undefined
  expiresAt = Number.POSITIVE_INFINITY
  /** Least-recently-used order among stored entries (only with a finite capacity). */
  prev: Entry<K, V, E> | undefined = undefined
  next: Entry<K, V, E> | undefined = undefined
  constructor(readonly key: K) {}
}

class Cache<K, V, E, R> implements AsyncCache.AsyncCache<K, V, E> {
  readonly index = new KeyIndex<K, Entry<K, V, E>>()
  // LRU list of stored entries: `oldest` is evicted first
  oldest: Entry<K, V, E> | undefined = undefined
  newest: Entry<K, V, E> | undefined = undefined
  stored = 0
  hits = 0
  misses = 0
  loads = 0
  evictions = 0
  readonly lru: boolean

  constructor(
    readonly lookup: (key: K) => Effect.Effect<V, E, R>,
    readonly owner: Owner<R>,
    readonly capacity: number,
    readonly ttl: number,
    readonly cacheFailures: boolean,
    readonly now: () => number
  ) {
    this.lru = capacity !== Number.POSITIVE_INFINITY
  }

  unlink(entry: Entry<K, V, E>): void {
    if (entry.prev === undefined) this.oldest = entry.next
    else entry.prev.next = entry.next
    if (entry.next === undefined) this.newest = entry.prev
    else entry.next.prev = entry.prev
    entry.prev = entry.next = undefined
  }

  append(entry: Entry<K, V, E>): void {
    entry.prev = this.newest
    entry.next = undefined
    if (this.newest === undefined) this.oldest = entry
    else this.newest.next = entry
    this.newest = entry
  }

  /** Drops an entry from the index (and the LRU list if it was stored). */
  drop(entry: Entry<K, V, E>): void {
    this.index.delete(entry.key)
    if (entry.exit !== undefined) {
      this.stored--
      if (this.lru) this.unlink(entry)
    }
  }

  store(entry: Entry<K, V, E>, exit: Exit.Exit<V, E>): void {
    entry.flight = undefined
    entry.exit = exit
    if (this.ttl !== Number.POSITIVE_INFINITY) entry.expiresAt = this.now() + this.ttl
    this.stored++
    if (this.lru) {
      this.append(entry)
      while (this.stored > this.capacity) {
        this.drop(this.oldest!)
        this.evictions++
      }
    }
  }

  /** Starts the lookup for `key` in the cache's scope and indexes it as in flight. */
  load(key: K): Flight<V, E> {
    const entry = new Entry<K, V, E>(key)
    this.index.set(key, entry)
    this.loads++
    const current = () => entry.exit === undefined && this.index.get(key) === entry
    const flight = startFlight(
      this.owner,
      Effect.suspend(() => this.lookup(key)),
      () => {
        if (current()) this.index.delete(key)
      },
      (exit) => {
        if (!current()) return
        if (Exit.isSuccess(exit) || (this.cacheFailures && !Exit.isInterrupted(exit))) {
          this.store(entry, exit)
        } else {
          this.index.delete(key)
        }
      }
    )
    if (current()) entry.flight = flight
    return flight
  }

  readonly get = (key: K): Effect.Effect<V, E> =>
    Effect.suspend(() => {
      const entry = this.index.get(key)
      if (entry !== undefined && entry.exit !== undefined) {
        if (entry.expiresAt === Number.POSITIVE_INFINITY || entry.expiresAt > this.now()) {
          this.hits++
          if (this.lru && entry !== this.newest) {
            this.unlink(entry)
            this.append(entry)
          }
          return entry.exit
        }
      }
      return this.miss(key)
    })

  miss(key: K): Effect.Effect<V, E> {
    return Effect.async<V, E>((resume) => {
      if (this.owner.closed) {
        resume(Effect.interrupt)
        return
      }
      this.misses++
      let entry = this.index.get(key)
      if (entry !== undefined && entry.exit !== undefined) {
        // stored but expired (a fresh stored value would have been a hit)
        this.drop(entry)
        this.evictions++
        entry = undefined
      }
      const flight = entry?.flight ?? this.load(key)
      return joinFlight(flight, resume)
    })
  }

  readonly invalidate = (key: K): Effect.Effect<void> =>
    Effect.sync(() => {
      const entry = this.index.get(key)
      if (entry !== undefined) this.drop(entry)
    })

  readonly invalidateAll = Effect.sync(() => this.clear())

  clear(): void {
    this.index.clear()
    this.oldest = this.newest = undefined
    this.stored = 0
  }

  readonly stats = Effect.sync((): AsyncCache.CacheStats => {
    if (this.ttl !== Number.POSITIVE_INFINITY) {
      const now = this.now()
      for (const entry of [...this.index.values()]) {
        if (entry.exit !== undefined && entry.expiresAt <= now) {
          this.drop(entry)
          this.evictions++
        }
      }
    }
    return {
      hits: this.hits,
      misses: this.misses,
      loads: this.loads,
      evictions: this.evictions,
      size: this.index.size
    }
  })
}

/** @internal */
export const make = <K, V, E = never, R = never>(
  options: AsyncCache.Options<K, V, E, R>
): Effect.Effect<AsyncCache.AsyncCache<K, V, E>, never, R | Scope.Scope> =>
  Validate.suspend(() => {
    const where = "AsyncCache.make"
    Validate.options(where, options)
    const lookup = Validate.fn<(key: K) => Effect.Effect<V, E, R>>(where, "lookup", options.lookup)
    const capacity =
      options.capacity === undefined
        ? Number.POSITIVE_INFINITY
        : Validate.positiveIntegerOrInfinity(where, "capacity", options.capacity)
    const ttl =
      options.timeToLive === undefined
        ? Number.POSITIVE_INFINITY
        : Duration.toMillis(Validate.duration(where, "timeToLive", options.timeToLive, { infinite: true }))
    const cacheFailures = Validate.flag(where, "cacheFailures", options.cacheFailures)
    return Effect.gen(function* () {
      const clock = yield* Effect.clock
      // added before the owner's finalizer, so it runs after the lookups are interrupted
      yield* Effect.addFinalizer(() => Effect.sync(() => cache.clear()))
      const owner = yield* makeOwner<R>()
      const cache: Cache<K, V, E, R> = new Cache<K, V, E, R>(lookup, owner, capacity, ttl, cacheFailures, () =>
        clock.unsafeCurrentTimeMillis()
      )
      return cache
    })
  })
