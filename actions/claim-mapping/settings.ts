// The per-environment settings baked into the claim-mapping bundle (infra/bundle.ts writes them from the
// stack's config), so the code in Pulumi state is exactly the code that runs.

/** The Action's name: its folder under actions/, its bundle's settings module, its Auth0 name and logical name. */
export const CLAIM_MAPPING = "claim-mapping";

/** The claims (after the namespace) the Action sets from authorization data, in both tokens. */
export const AUTHORIZATION_CLAIMS = {
  tenant: "tenant",
  roles: "roles",
  plan: "plan",
  tier: "tier",
  features: "features",
} as const;
/** A claim name (after the namespace) from AUTHORIZATION_CLAIMS. */
export type AuthorizationClaim = (typeof AUTHORIZATION_CLAIMS)[keyof typeof AUTHORIZATION_CLAIMS];

export const TIERS = ["free", "pro", "enterprise"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * Client metadata keys the Action reads (event.client.metadata); infra writes them on each application.
 * stackMarker is set on an ephemeral stack's clients; its Action acts only where the marker matches its own.
 * (No comments inside: esbuild keeps those in the bundle.)
 */
export const CLIENT_METADATA_KEYS = {
  tier: "tier",
  minimumPlan: "minimum_plan",
  requiresTenant: "requires_tenant",
  stackMarker: "stack_marker",
} as const;

/**
 * Client metadata as the Action reads it: only the keys CLIENT_METADATA_KEYS names type-check, so the
 * Action writes them literally (client.minimum_plan) and the bundle needs no lookup table.
 */
export type ClientMetadata = Partial<Record<(typeof CLIENT_METADATA_KEYS)[keyof typeof CLIENT_METADATA_KEYS], unknown>>;

export interface ClaimMappingSettings {
  /** Prefix of every claim name, for example "https://myapp.com/". */
  namespace: string;
  /** Declared plans, lowest rank first. */
  plans: string[];
  /** The features each application tier enables. */
  tierFeatures: Record<Tier, string[]>;
  /** user_metadata keys copied to the ID token only (preferences, never authorization). */
  idTokenPreferences: string[];
  /**
   * Ephemeral stacks only: the stack marker its clients carry. Logins of any other client are left
   * untouched, because a binding in a shared tenant runs on every login.
   */
  marker?: string;
  /** Ephemeral stacks only: RBAC role names carry this prefix; others' roles are ignored. */
  rolePrefix?: string;
  /** Opt-in: fetch a missing tenant or plan from the system of record during login. */
  enrichment?: EnrichmentSettings;
}

/** The Action secret holding the system of record's API key (set from tenant:enrichmentApiKey). */
export const ENRICHMENT_SECRET = "SOR_API_KEY";

export interface EnrichmentSettings {
  /** Base URL; the URL-encoded user_id is appended. GET returns { tenant_id?, plan? }. */
  url: string;
  /** Hard limit for the whole request, body included; well inside the trigger's 20 s. */
  timeoutMs: number;
  /** When the system of record fails: log in without the missing claims, or deny. */
  onFailure: "proceed" | "deny";
  /** How long a lookup stays in api.cache (Auth0 keeps entries at most 24 h). */
  cacheTtlMs: number;
}
