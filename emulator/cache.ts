// The Actions cache of one trigger (api.cache), with the limits Auth0 documents:
// - auth0/docs-v2 main/docs/customize/actions/limitations.mdx, "Cached data": items live at most 24 hours;
//   at most 20 entries per trigger; a key is at most 64 bytes and a value at most 4 kB; keys and values
//   together at most 8 kB; reliable within one execution, not guaranteed for later executions.
// - main/docs/actions/reference/post-login/post-login-api-object.mdx, api.cache.set: the default lifetime is
//   15 minutes; given both ttl and expires_at, the earlier expiry wins; entries may be evicted earlier,
//   never kept later.
// Auth0 does not document what a write beyond the entry or size budget does; this model refuses it
// ({ type: "error" }), and `evict` models entries that are gone by the next execution. An Action must be
// correct under both, so tests use both.

export interface CacheEntry {
  value: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

export const CACHE_LIMITS = {
  maxKeyBytes: 64,
  maxValueBytes: 4096,
  maxEntries: 20,
  /** Keys and values of all entries together. */
  maxTotalBytes: 8192,
  maxLifeMs: 24 * 3600 * 1000,
  defaultTtlMs: 15 * 60 * 1000,
} as const;

export type CacheWriteResult = { type: "success" } | { type: "error" };

export class ActionCache {
  /** `entries` is the trigger's store; pass a Map to share or inspect it across executions. */
  constructor(readonly entries: Map<string, CacheEntry> = new Map()) {}

  get(key: string, now: number): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires_at <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return { ...entry };
  }

  set(key: string, value: string, options: { ttl?: number; expires_at?: number }, now: number): CacheWriteResult {
    if (typeof key !== "string" || typeof value !== "string") return { type: "error" };
    const keyBytes = Buffer.byteLength(key, "utf8");
    const valueBytes = Buffer.byteLength(value, "utf8");
    if (keyBytes > CACHE_LIMITS.maxKeyBytes || valueBytes > CACHE_LIMITS.maxValueBytes) return { type: "error" };
    this.dropExpired(now);
    const others = [...this.entries].filter(([k]) => k !== key);
    const othersBytes = others.reduce((sum, [k, e]) => sum + Buffer.byteLength(k, "utf8") + Buffer.byteLength(e.value, "utf8"), 0);
    if (others.length >= CACHE_LIMITS.maxEntries || othersBytes + keyBytes + valueBytes > CACHE_LIMITS.maxTotalBytes) {
      return { type: "error" };
    }
    // "If both options are supplied, the earlier expiry of the two will be used"; never beyond 24 h.
    const candidates = [now + CACHE_LIMITS.maxLifeMs];
    if (options.ttl !== undefined) candidates.push(now + options.ttl);
    if (options.expires_at !== undefined) candidates.push(options.expires_at);
    if (options.ttl === undefined && options.expires_at === undefined) candidates.push(now + CACHE_LIMITS.defaultTtlMs);
    this.entries.set(key, { value, expires_at: Math.min(...candidates) });
    return { type: "success" };
  }

  delete(key: string): CacheWriteResult {
    this.entries.delete(key);
    return { type: "success" };
  }

  /** Between executions Auth0 may drop any entry: drop those `gone` picks (all of them by default). */
  evict(gone: (key: string) => boolean = () => true): void {
    for (const key of [...this.entries.keys()]) if (gone(key)) this.entries.delete(key);
  }

  /** Keys and values of the live entries, in bytes (the 8 kB budget). */
  bytes(now: number): number {
    this.dropExpired(now);
    let total = 0;
    for (const [key, entry] of this.entries) total += Buffer.byteLength(key, "utf8") + Buffer.byteLength(entry.value, "utf8");
    return total;
  }

  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expires_at <= now) this.entries.delete(key);
  }
}
