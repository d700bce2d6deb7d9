// Auth0's post-login runtime for one Action: the `api` recorder and the rules Auth0 applies to what an
// Action does, each traceable to docs/auth0-facts.md. `simulate`, the tests and the benchmark use this one model.
import type { PostLoginApi, PostLoginEvent, PostLoginHandler } from "../actions/types";
import { CLAIMS_MAX_BYTES_PER_TOKEN, TRIGGER_TIMEOUT_MS, claimDropReason } from "../auth0/rules";

export interface LoginResult {
  /** Custom claims on the ID token, after Auth0 drops restricted names. Empty when no token is issued. */
  idToken: Record<string, unknown>;
  accessToken: Record<string, unknown>;
  /** The reason given to api.access.deny, or null. */
  denied: string | null;
  /** Why the login fails (an uncaught throw, the claim budget, the time limit), or null. */
  failed: string | null;
  /** Claim names Auth0 would drop silently. */
  dropped: string[];
  /** app_metadata writes (null deletes a key), persisted once at the end of the trigger. */
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
  /** Scopes added to and removed from the access token. */
  scopes: { added: string[]; removed: string[] };
}

/** Cache limits ("The post-login event and api"): key 64 bytes, value 4 KB, 20 entries, 24 h. */
const CACHE_MAX_KEY_BYTES = 64;
const CACHE_MAX_VALUE_BYTES = 4096;
const CACHE_MAX_ENTRIES = 20;
const CACHE_MAX_TTL_MS = 24 * 3600 * 1000;
const CACHE_DEFAULT_TTL_MS = 15 * 60 * 1000;

export interface RunOptions {
  /** The trigger's time budget; Auth0's is 20 s. */
  timeoutMs?: number;
  /** The Action cache as it stands before this login (shared across logins to model a warm instance). */
  cache?: Map<string, { value: string; expires_at: number }>;
  now?: () => number;
}

export async function runPostLogin(handler: PostLoginHandler, event: PostLoginEvent, options: RunOptions = {}): Promise<LoginResult> {
  const now = options.now ?? Date.now;
  const recorder = new ApiRecorder(options.cache ?? new Map(), now);
  let failed: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = options.timeoutMs ?? TRIGGER_TIMEOUT_MS;
  // Rejected with by the timer alone, so it is told apart from anything the Action throws.
  const timedOut = new Error(`the trigger ran longer than ${timeoutMs} ms, Auth0's limit`);
  try {
    await Promise.race([
      handler(event, recorder.api),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut), timeoutMs);
      }),
    ]);
  } catch (error) {
    failed = error === timedOut ? timedOut.message : `the Action threw (actions_execution_failed): ${describe(error)}`;
  } finally {
    clearTimeout(timer);
  }
  return recorder.result(failed, event.resource_server?.identifier);
}

/** The thrown value's message. Duck-typed: code compiled by the loader may throw another realm's Error. */
function describe(error: unknown): string {
  if (error !== null && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  return String(error);
}

class ApiRecorder {
  private readonly idClaims: Record<string, unknown> = {};
  private readonly accessClaims: Record<string, unknown> = {};
  private readonly appMetadata: Record<string, unknown> = {};
  private readonly userMetadata: Record<string, unknown> = {};
  private readonly added: string[] = [];
  private readonly removed: string[] = [];
  private denied: string | null = null;
  private cacheWrites = 0;
  readonly api: PostLoginApi;

  constructor(
    private readonly cache: Map<string, { value: string; expires_at: number }>,
    private readonly now: () => number,
  ) {
    const api: PostLoginApi = {
      access: { deny: (reason) => ((this.denied ??= String(reason)), api) },
      idToken: { setCustomClaim: (name, value) => (this.claim(this.idClaims, name, value), api) },
      accessToken: {
        setCustomClaim: (name, value) => (this.claim(this.accessClaims, name, value), api),
        addScope: (scope) => (this.added.push(scope), api),
        removeScope: (scope) => (this.removed.push(scope), api),
      },
      user: {
        setAppMetadata: (key, value) => ((this.appMetadata[key] = value), api),
        setUserMetadata: (key, value) => ((this.userMetadata[key] = value), api),
      },
      cache: {
        get: (key) => {
          const entry = this.cache.get(key);
          if (!entry || entry.expires_at <= this.now()) return undefined;
          return { ...entry };
        },
        set: (key, value, options = {}) => {
          if (
            Buffer.byteLength(key) > CACHE_MAX_KEY_BYTES ||
            Buffer.byteLength(value) > CACHE_MAX_VALUE_BYTES ||
            this.cacheWrites >= CACHE_MAX_ENTRIES
          ) {
            return { type: "error" };
          }
          const ttl = Math.min(options.ttl ?? CACHE_DEFAULT_TTL_MS, CACHE_MAX_TTL_MS);
          const expires = Math.min(options.expires_at ?? this.now() + ttl, this.now() + CACHE_MAX_TTL_MS);
          this.cacheWrites += 1;
          this.cache.set(key, { value, expires_at: expires });
          return { type: "success" };
        },
        delete: (key) => (this.cache.delete(key), { type: "success" }),
      },
    };
    this.api = api;
  }

  /** setCustomClaim("scope", …) throws synchronously, as Auth0's does. */
  private claim(into: Record<string, unknown>, name: string, value: unknown): void {
    if (name === "scope") throw new Error('Cannot set the "scope" claim with setCustomClaim; use api.accessToken.addScope');
    into[name] = value;
  }

  result(failed: string | null, audience: string | undefined): LoginResult {
    const dropped = new Set<string>();
    const keep = (claims: Record<string, unknown>, aud?: string) => {
      const kept: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(claims)) {
        if (claimDropReason(name, aud) === null) kept[name] = value;
        else dropped.add(name);
      }
      return kept;
    };
    const idToken = keep(this.idClaims);
    const accessToken = keep(this.accessClaims, audience);
    for (const [label, claims] of [
      ["ID", idToken],
      ["access", accessToken],
    ] as const) {
      const bytes = Buffer.byteLength(JSON.stringify(claims));
      if (failed === null && bytes > CLAIMS_MAX_BYTES_PER_TOKEN) {
        failed = `the ${label} token's custom claims total ${bytes} bytes; Auth0 allows ${CLAIMS_MAX_BYTES_PER_TOKEN}`;
      }
    }
    const issued = failed === null && this.denied === null;
    return {
      idToken: issued ? idToken : {},
      accessToken: issued ? accessToken : {},
      denied: failed === null ? this.denied : null,
      failed,
      dropped: [...dropped].sort(),
      appMetadata: failed === null ? { ...this.appMetadata } : {},
      userMetadata: failed === null ? { ...this.userMetadata } : {},
      scopes: { added: [...this.added], removed: [...this.removed] },
    };
  }
}
