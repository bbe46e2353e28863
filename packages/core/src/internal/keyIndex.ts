/**
 * A map whose keys compare with `Equal` (structural keys: `Data` values, `Date`, `URL`, anything
 * implementing `Equal`), with a plain JS `Map` for every other key as the fast path. Used by
 * `AsyncCache` (entries by key) and `KeyedLimiter` (per-key state).
 *
 * @internal
 */
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"

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
