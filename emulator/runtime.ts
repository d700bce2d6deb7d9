// Auth0's post-login runtime for one Action: the `api` recorder and the rules Auth0 applies to what an
// Action does, each traceable to docs/auth0-facts.md. `simulate`, the tests and the benchmark use this one model.
import type { PostLoginApi, PostLoginEvent, PostLoginHandler } from "../actions/types";
import { CLAIMS_MAX_BYTES_PER_TOKEN, TRIGGER_TIMEOUT_MS, claimDropReason } from "../auth0/rules";
import { ActionCache, type CacheEntry } from "./cache";

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

export interface RunOptions {
  /** The trigger's time budget; Auth0's is 20 s. */
  timeoutMs?: number;
  /**
   * The trigger's api.cache as it stands before this execution (emulator/cache.ts keeps Auth0's limits).
   * Share one across logins to model a warm cache; a bare Map is wrapped. Fresh and empty by default.
   */
  cache?: ActionCache | Map<string, CacheEntry>;
  now?: () => number;
}

export async function runPostLogin(handler: PostLoginHandler, event: PostLoginEvent, options: RunOptions = {}): Promise<LoginResult> {
  const now = options.now ?? Date.now;
  const cache = options.cache instanceof ActionCache ? options.cache : new ActionCache(options.cache);
  const recorder = new ApiRecorder(cache, now);
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
  readonly api: PostLoginApi;

  constructor(
    private readonly cache: ActionCache,
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
        get: (key) => this.cache.get(key, this.now()),
        set: (key, value, options = {}) => this.cache.set(key, value, options, this.now()),
        delete: (key) => this.cache.delete(key),
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
