// A small per-container cache of in-flight or settled lookups with a time to live, on Powertools'
// LRU cache. Caching the promise (not the value) means concurrent misses share one service call;
// a failed lookup is dropped at once so the next request retries.
import { LRUCache } from '@aws-lambda-powertools/commons/utils/lru-cache';

export class TtlCache<V> {
  readonly #entries: LRUCache<string, { value: Promise<V>; expiresAt: number }>;

  constructor(
    readonly ttlMs: number,
    maxSize = 1000,
    readonly now: () => number = Date.now,
  ) {
    this.#entries = new LRUCache({ maxSize });
  }

  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const value = load();
    this.#entries.add(key, { value, expiresAt: this.now() + this.ttlMs });
    value.catch(() => this.#entries.remove(key));
    return value;
  }
}
