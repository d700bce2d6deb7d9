// Auth0 platform rules the project must honour, each traceable to a section of docs/auth0-facts.md.
// The settings parser, the emulator and the tests all read them from here, so a rule is stated once.

/** Client metadata ("Metadata: three different things"): strings only, 10 keys, 255 characters. */
export const CLIENT_METADATA_MAX_KEYS = 10;
export const CLIENT_METADATA_MAX_LENGTH = 255;
/** Key characters Auth0 accepts in client metadata: alphanumerics plus :,-+=_*?"/\()<>@, tab and space. */
export const CLIENT_METADATA_KEY_PATTERN = /^[A-Za-z0-9:,\-+=_*?"/\\()<>@\t ]+$/;

/** Action code, limits and runtime: 100 kB per Action, the whole trigger 20 s. */
export const ACTION_CODE_MAX_BYTES = 100 * 1024;
export const TRIGGER_TIMEOUT_MS = 20_000;
export const ACTION_RUNTIME = "node22";
export const ACTIONS_PER_TRIGGER_MAX = 20;
export const POST_LOGIN_TRIGGER = { id: "post-login", version: "v3" } as const;

/** Custom claims: all custom claims of one token together may total 100 KB; above that the login fails. */
export const CLAIMS_MAX_BYTES_PER_TOKEN = 100 * 1024;

/** Custom claims: names Auth0 silently drops from tokens. */
export const RESTRICTED_CLAIM_NAMES: ReadonlySet<string> = new Set([
  "acr",
  "act",
  "active",
  "amr",
  "at_hash",
  "ath",
  "attest",
  "aud",
  "auth_time",
  "authorization_details",
  "azp",
  "c_hash",
  "client_id",
  "cnf",
  "cty",
  "dest",
  "entitlements",
  "events",
  "exp",
  "groups",
  "gty",
  "htm",
  "htu",
  "iat",
  "internalService",
  "iss",
  "jcard",
  "jku",
  "jti",
  "jwe",
  "jwk",
  "kid",
  "may_act",
  "mky",
  "nbf",
  "nonce",
  "object_id",
  "org_id",
  "org_name",
  "orig",
  "origid",
  "permissions",
  "roles",
  "rph",
  "s_hash",
  "sid",
  "sip_callid",
  "sip_cseq_num",
  "sip_date",
  "sip_from_tag",
  "sip_via_branch",
  "sub",
  "sub_jwk",
  "toe",
  "txn",
  "typ",
  "uuid",
  "vot",
  "vtm",
  "x5t#S256",
]);

/** Custom claims: namespaces on these hosts are dropped. */
export const AUTH0_NAMESPACE_HOSTS = ["auth0.com", "webtask.io", "webtask.run"] as const;

/** Why Auth0 would drop a claim with this name from a token, or null when it keeps it. */
export function claimDropReason(name: string, audience?: string): string | null {
  if (RESTRICTED_CLAIM_NAMES.has(name)) return `"${name}" is a restricted claim name`;
  if (name.toLowerCase().startsWith("urn:auth0")) return `"${name}" uses the reserved urn:auth0 namespace`;
  const host = namespaceHost(name);
  if (host && AUTH0_NAMESPACE_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))) {
    return `"${name}" is namespaced on an Auth0 domain (${host})`;
  }
  if (audience !== undefined && !isNamespaced(name) && isAuth0ApiAudience(audience)) {
    return `"${name}" is not namespaced and the token is for Auth0's own API (${audience})`;
  }
  return null;
}

/** The host of a URL-style claim namespace, lower-cased, or null when the name is not a URL. */
export function namespaceHost(name: string): string | null {
  const match = /^https?:\/\/([^/?#]+)/i.exec(name);
  if (!match) return null;
  return match[1].toLowerCase().replace(/:\d+$/, "").replace(/\.+$/, "");
}

function isNamespaced(name: string): boolean {
  return namespaceHost(name) !== null || name.startsWith("urn:");
}

/** Auth0's own APIs (Management API `/api/v2`, MFA `/mfa`), on which non-namespaced claims are dropped. */
export function isAuth0ApiAudience(audience: string): boolean {
  return /\/api\/v2\/?$/.test(audience) || /\/mfa\/?$/.test(audience);
}

/** Why Auth0 would refuse this client metadata at apply time, one message per problem. */
export function clientMetadataProblems(metadata: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(metadata);
  if (keys.length > CLIENT_METADATA_MAX_KEYS) {
    problems.push(`has ${keys.length} keys; Auth0 allows at most ${CLIENT_METADATA_MAX_KEYS} (${keys.join(", ")})`);
  }
  for (const key of keys) {
    const value = metadata[key];
    if (key.length > CLIENT_METADATA_MAX_LENGTH) {
      problems.push(`key "${key.slice(0, 40)}…" is longer than ${CLIENT_METADATA_MAX_LENGTH} characters`);
    }
    if (!CLIENT_METADATA_KEY_PATTERN.test(key)) {
      problems.push(`key "${key}" has characters Auth0 does not accept (allowed: letters, digits, :,-+=_*?"/\\()<>@, tab, space)`);
    }
    if (typeof value !== "string") {
      problems.push(`"${key}" must be a string (got ${value === null ? "null" : typeof value})`);
    } else if (value.length > CLIENT_METADATA_MAX_LENGTH) {
      problems.push(`"${key}" is ${value.length} characters long; Auth0 allows at most ${CLIENT_METADATA_MAX_LENGTH}`);
    }
  }
  return problems;
}
