// Fills a missing tenant or plan from the system of record during login: api.cache first, then one HTTPS
// request with a hard timeout; what it finds is persisted with api.user.setAppMetadata so the next login
// needs no call. Never throws: every failure is logged and either proceeds or denies (onFailure).
// Bundled only for stacks with tenant:enrichment (infra/bundle.ts, OPTIONAL_PARTS).
import { type Enrichment, INTERNAL_ERROR_REASON } from "./handler";
import { ENRICHMENT_SECRET, type ClaimMappingSettings, type EnrichmentSettings } from "./settings";
import { planOf, tenantIdOf } from "./values";
import type { PostLoginEvent } from "../types";

/** What the system of record says of a user; {} for a user it does not know (404). */
export interface Answer {
  tenant_id?: string;
  plan?: string;
}

/** Shown on a denied login when config says a failed lookup denies: try again later, no internal detail. */
export const ENRICHMENT_DENY_REASON = INTERNAL_ERROR_REASON;

/** The largest answer read: { tenant_id, plan } fits many times over (a tenant id is at most 255 characters). */
export const MAX_BODY_BYTES = 4096;

/**
 * A login that lacks a tenant or a declared plan. Never a refresh token exchange (transaction.protocol
 * "oauth2-refresh-token", Auth0's post-login event object): a refresh decides from
 * what the user's profile holds (the login's lookup persisted what it found), so it makes no request and
 * reads no cache, and an outage or an evicted entry cannot end a session that is already open.
 * docs/action.md, "Refresh token exchanges", gives the reasons and sources.
 */
export function needsEnrichment(event: PostLoginEvent, settings: ClaimMappingSettings): boolean {
  const app = (event.user?.app_metadata ?? {}) as Record<string, unknown>;
  return event.transaction?.protocol !== "oauth2-refresh-token" && (!tenantIdOf(app.tenant_id) || !planOf(app.plan, settings.plans));
}

/**
 * apply: the event with what the lookup found; undefined when a failed lookup denied the login. Unknown
 * users are cached too, so one costs one call per cache period. A write the cache refuses (Auth0 keeps 20
 * entries and 8 kB per trigger) only costs the next login a call: nothing decides on a hit.
 */
export const enrichment: Enrichment = {
  needed: needsEnrichment,
  async apply(event, api, settings) {
    const config = settings.enrichment as EnrichmentSettings;
    const userId = event.user.user_id;
    const key = cacheKey(userId);
    let answer = key && parseAnswer(api.cache.get(key)?.value ?? "");
    if (!answer) {
      const fetched = await lookup(config, userId, event.secrets?.[ENRICHMENT_SECRET]);
      if (typeof fetched === "string") {
        console.log(`claim-mapping: lookup failed: ${fetched}`);
        return config.onFailure === "deny" ? void api.access.deny(INTERNAL_ERROR_REASON) : event;
      }
      answer = fetched;
      if (key) api.cache.set(key, JSON.stringify(answer), { ttl: config.cacheTtlMs });
    }
    // Persist only what app_metadata lacks, and only values the Action accepts: never a plan the stack
    // does not declare (the claim would not use it, and every login would ask again).
    const app = { ...event.user.app_metadata };
    if (!tenantIdOf(app.tenant_id) && answer.tenant_id) api.user.setAppMetadata("tenant_id", (app.tenant_id = answer.tenant_id));
    if (!planOf(app.plan, settings.plans) && planOf(answer.plan, settings.plans)) api.user.setAppMetadata("plan", (app.plan = answer.plan));
    return { ...event, user: { ...event.user, app_metadata: app } };
  },
};

/** The answer, or why there is none. */
async function lookup(config: EnrichmentSettings, userId: string, apiKey: string | undefined): Promise<Answer | string> {
  if (!apiKey) return `no Action secret ${ENRICHMENT_SECRET}`;
  try {
    // The timeout covers the body too: the signal aborts a body that trickles in.
    const response = await fetch(`${config.url}${encodeURIComponent(userId)}`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(config.timeoutMs),
      redirect: "error",
    });
    if (response.status !== 200) {
      response.body?.cancel().catch(() => undefined);
      return response.status === 404 ? {} : `status ${response.status}`;
    }
    const text = await readBounded(response, MAX_BODY_BYTES);
    if (text === undefined) return `answer over ${MAX_BODY_BYTES} bytes`;
    return parseAnswer(text) ?? "answer not { tenant_id, plan }";
  } catch (error) {
    // AbortSignal.timeout rejects the request, or the body's read, with a TimeoutError.
    return (error as Error)?.name === "TimeoutError" ? `no answer within ${config.timeoutMs} ms` : "request failed";
  }
}

/**
 * The body as UTF-8 text, or undefined once it passes `limit` bytes: reading stops there and the rest is
 * cancelled (leaving a stream's for-await loop cancels it), so a hostile or broken server costs at most
 * `limit` bytes plus one chunk of memory. A declared length over the limit is refused before any read.
 */
export async function readBounded(response: Response, limit: number): Promise<string | undefined> {
  if (Number(response.headers.get("content-length")) > limit) return void response.body?.cancel().catch(() => undefined);
  let size = 0;
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** { tenant_id?: string | number, plan?: string }, null meaning absent; anything else is malformed. */
export function parseAnswer(text: string): Answer | undefined {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const { tenant_id = null, plan = null } = body;
  const tenant = tenantIdOf(tenant_id);
  if ((tenant_id !== null && !tenant) || (plan !== null && typeof plan !== "string")) return undefined;
  return { tenant_id: tenant, plan: plan ?? undefined };
}

/**
 * The user's api.cache key: the user id itself, under the Action's name (api.cache is shared by every
 * Action of the trigger). Undefined, so never cached, for an id too long for Auth0's 64-byte keys.
 */
export function cacheKey(userId: string): string | undefined {
  const key = `claim-mapping:sor:${userId}`;
  return Buffer.byteLength(key) <= 64 ? key : undefined;
}
