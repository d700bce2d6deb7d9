// Fills a missing tenant or plan from the system of record during login: api.cache first, then one HTTPS
// request with a hard timeout; what it finds is persisted with api.user.setAppMetadata so the next login
// needs no call. Never throws: every failure becomes an outcome the handler acts on.
import { planOf, tenantIdOf } from "./values";
import { ENRICHMENT_SECRET, type ClaimMappingSettings, type EnrichmentSettings } from "./settings";
import type { PostLoginApi, PostLoginEvent } from "../types";

export type EnrichmentOutcome =
  | { kind: "not-needed" }
  | { kind: "found"; values: { tenant_id?: string; plan?: string }; source: "cache" | "system-of-record" }
  | { kind: "unknown-user" }
  | { kind: "failed"; reason: string };

/** Shown on a denied login when config says a failed lookup denies: actionable, no internal detail. */
export const ENRICHMENT_DENY_REASON = "We could not load your account details right now. Please try again in a few minutes.";

/**
 * api.cache is shared by every Action of the trigger and limited to 20 entries and 8 kB in all (keys up to
 * 64 bytes, values up to 4 kB; AUTH0_FACTS.md): our keys carry the Action's name, and a write that does not
 * fit is simply not cached. Nothing decides on a hit: an entry is a copy of the system of record's answer,
 * so an evicted or refused entry costs one more request, never a different decision.
 */
const CACHE_PREFIX = "claim-mapping:sor:";
/** The largest answer read: { tenant_id, plan } fits many times over (a tenant id is at most 255 characters). */
export const MAX_BODY_BYTES = 4096;

/** event.transaction.protocol when a refresh token is exchanged (Auth0's post-login event object). */
export const REFRESH_PROTOCOL = "oauth2-refresh-token";

/**
 * A login that lacks a tenant or a declared plan. Never a refresh token exchange: a refresh decides from
 * what the user's profile holds (the login's lookup persisted what it found), so it makes no request and
 * reads no cache, and an outage or an evicted entry cannot end a session that is already open.
 * docs/action.md, "Refresh token exchanges", gives the reasons and sources.
 */
export function needsEnrichment(event: PostLoginEvent, settings: ClaimMappingSettings): boolean {
  if (event.transaction?.protocol === REFRESH_PROTOCOL) return false;
  const metadata = (event.user?.app_metadata ?? {}) as Record<string, unknown>;
  return tenantIdOf(metadata.tenant_id) === undefined || planOf(metadata.plan, settings.plans) === undefined;
}

export async function enrich(event: PostLoginEvent, api: PostLoginApi, settings: ClaimMappingSettings): Promise<EnrichmentOutcome> {
  const config = settings.enrichment;
  if (!config || !needsEnrichment(event, settings)) return { kind: "not-needed" };
  const userId = event.user.user_id;
  const key = cacheKey(userId);

  const cached = readCache(api, key, userId);
  if (cached === "unknown-user") return { kind: "unknown-user" };
  if (cached) return persist(api, event, settings, cached, "cache");

  const fetched = await lookup(config, userId, event.secrets?.[ENRICHMENT_SECRET]);
  if (fetched.kind === "unknown-user") {
    // Remembered too, so a user the system of record does not know costs one call per cache period.
    api.cache.set(key, JSON.stringify({ user_id: userId, unknown: true }), { ttl: config.cacheTtlMs });
    return fetched;
  }
  if (fetched.kind !== "found") return fetched;
  api.cache.set(key, JSON.stringify({ user_id: userId, ...fetched.values }), { ttl: config.cacheTtlMs });
  return persist(api, event, settings, fetched.values, "system-of-record");
}

/** Writes only what app_metadata lacks, and only values the Action would accept. */
function persist(
  api: PostLoginApi,
  event: PostLoginEvent,
  settings: ClaimMappingSettings,
  values: { tenant_id?: string; plan?: string },
  source: "cache" | "system-of-record",
): EnrichmentOutcome {
  const metadata = (event.user.app_metadata ?? {}) as Record<string, unknown>;
  const filled: { tenant_id?: string; plan?: string } = {};
  if (tenantIdOf(metadata.tenant_id) === undefined && values.tenant_id !== undefined) filled.tenant_id = values.tenant_id;
  // A plan the stack does not declare is never written: the claim would not use it, and every login
  // would ask again.
  if (planOf(metadata.plan, settings.plans) === undefined && planOf(values.plan, settings.plans) !== undefined) filled.plan = values.plan;
  for (const [name, value] of Object.entries(filled)) api.user.setAppMetadata(name, value);
  return { kind: "found", values: filled, source };
}

async function lookup(config: EnrichmentSettings, userId: string, apiKey: string | undefined): Promise<EnrichmentOutcome> {
  if (!apiKey) return { kind: "failed", reason: `the Action secret ${ENRICHMENT_SECRET} is not set` };
  let text: string | undefined;
  try {
    // The timeout covers the body too: the signal aborts a body that trickles in.
    const signal = AbortSignal.timeout(config.timeoutMs);
    const response = await fetch(`${config.url}${encodeURIComponent(userId)}`, {
      headers: { authorization: `Bearer ${apiKey}`, accept: "application/json" },
      signal,
      redirect: "error",
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      return response.status === 404 ? { kind: "unknown-user" } : { kind: "failed", reason: `status ${response.status}` };
    }
    text = await readBounded(response, MAX_BODY_BYTES);
  } catch (error) {
    const name = (error as { name?: string })?.name;
    return {
      kind: "failed",
      reason: name === "TimeoutError" || name === "AbortError" ? `no answer within ${config.timeoutMs} ms` : "the request failed",
    };
  }
  if (text === undefined) return { kind: "failed", reason: `the answer is larger than ${MAX_BODY_BYTES} bytes` };
  const values = parseAnswer(text);
  return values
    ? { kind: "found", values, source: "system-of-record" }
    : { kind: "failed", reason: "the answer is not { tenant_id, plan }" };
}

/**
 * The body as UTF-8 text, or undefined once it passes `limit` bytes: reading stops there and the rest is
 * cancelled, so a hostile or broken server costs at most `limit` bytes (plus one chunk) of memory.
 */
export async function readBounded(response: Response, limit: number): Promise<string | undefined> {
  const body = response.body;
  if (body === null) return "";
  if (Number(response.headers.get("content-length")) > limit) {
    await body.cancel().catch(() => undefined);
    return undefined;
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** { tenant_id?: string | number, plan?: string }; anything else is malformed. */
export function parseAnswer(text: string): { tenant_id?: string; plan?: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const { tenant_id, plan } = body as Record<string, unknown>;
  const tenant = tenant_id === undefined || tenant_id === null ? undefined : tenantIdOf(tenant_id);
  if (tenant_id !== undefined && tenant_id !== null && tenant === undefined) return undefined;
  if (plan !== undefined && plan !== null && typeof plan !== "string") return undefined;
  return { ...(tenant !== undefined && { tenant_id: tenant }), ...(typeof plan === "string" && { plan }) };
}

function readCache(api: PostLoginApi, key: string, userId: string): { tenant_id?: string; plan?: string } | "unknown-user" | undefined {
  const entry = api.cache.get(key);
  if (!entry) return undefined;
  try {
    const stored = JSON.parse(entry.value) as { user_id?: unknown; unknown?: unknown };
    // The key is a hash: the entry names its user, so a collision is a miss, never another user's data.
    if (stored.user_id !== userId) return undefined;
    return stored.unknown === true ? "unknown-user" : parseAnswer(entry.value);
  } catch {
    return undefined;
  }
}

/** "claim-mapping:sor:" + a 64-bit FNV-1a hash of the user id: fits the 64-byte key limit whatever the id's length. */
export function cacheKey(userId: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(userId)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `${CACHE_PREFIX}${hash.toString(16).padStart(16, "0")}`;
}
