import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import { hasProperty } from "effect/Predicate"
import type * as Scope from "effect/Scope"
import type * as AsyncCache from "../AsyncCache.js"
import { type Flight, joinFlight, makeOwner, type Owner, startFlight } from "./flight.js"
import { limitJSON } from "./inspect.js"
import { KeyIndex } from "./keyIndex.js"
import { LinkedList, type ListNode } from "./linkedList.js"
import * as Validate from "./validate.js"

/** @internal */
export const TypeId: AsyncCache.TypeId = Symbol.for("@tapestry/core/AsyncCache") as AsyncCache.TypeId

const variance = { _K: (_: unknown) => _, _V: (_: never) => _, _E: (_: never) => _ }

/** @internal */
export const isAsyncCache = (u: unknown): u is AsyncCache.AsyncCache<never, unknown, unknown> => hasProperty(u, TypeId)

class Entry<K, V, E> {
  flight: Flight<V, E> | undefined = undefined
  /** Set once the lookup ended and its result is stored. */
  exit: Exit.Exit<V, E> | undefined = undefined
  expiresAt = Number.POSITIVE_INFINITY
  /** Its place in the least-recently-used order of stored entries (only with a finite capacity). */
  node: ListNode<Entry<K, V, E>> | undefined = undefined
  constructor(readonly key: K) {}
}

class Cache<K, V, E, R> extends Inspectable.Class implements AsyncCache.AsyncCache<K, V, E> {
  readonly [TypeId] = variance
  readonly index = new KeyIndex<K, Entry<K, V, E>>()
  /** Stored entries, least recently used first (evicted first); only with a finite capacity. */
  readonly recency = new LinkedList<Entry<K, V, E>>()
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
    super()
    this.lru = capacity !== Number.POSITIVE_INFINITY
  }

  /** Drops an entry from the index (and the LRU list if it was stored). */
  drop(entry: Entry<K, V, E>): void {
    this.index.delete(entry.key)
    if (entry.exit !== undefined) {
      this.stored--
      if (entry.node !== undefined) this.recency.remove(entry.node)
      entry.node = undefined
    }
  }

  store(entry: Entry<K, V, E>, exit: Exit.Exit<V, E>): void {
    entry.flight = undefined
    entry.exit = exit
    if (this.ttl !== Number.POSITIVE_INFINITY) entry.expiresAt = this.now() + this.ttl
    this.stored++
    if (this.lru) {
      entry.node = this.recency.push(entry)
      while (this.stored > this.capacity) {
        this.drop(this.recency.head!.value)
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
          if (entry.node !== undefined) this.recency.moveToTail(entry.node)
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
    this.recency.clear()
    this.stored = 0
  }

  toJSON(): unknown {
    return {
      _id: "AsyncCache",
      size: this.index.size,
      capacity: limitJSON(this.capacity),
      timeToLive: limitJSON(this.ttl),
      hits: this.hits,
      misses: this.misses,
      loads: this.loads,
      evictions: this.evictions
    }
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
