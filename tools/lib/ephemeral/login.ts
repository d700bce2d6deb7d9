// Real logins to an ephemeral stack: the password-realm grant against the sandbox tenant's token endpoint,
// the refresh-token exchange, signature checks against the tenant's JWKS (jose, never hand-written crypto),
// and the comparison of what Auth0 issued with the offline simulation of the same login.
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import type { LoginResult } from "../../../emulator/runtime";
import { PASSWORD_REALM_GRANT } from "../../../infra/settings/test-login";
import { UserError } from "../../../infra/errors";
import { ephemeralId } from "../../../harness/stack-file";
import { TEMPLATE_FILE } from "./stack-file";

type Json = Record<string, unknown>;

/** What tests ask for: an ID token with the profile and email, an access token for the API. */
export const LOGIN_SCOPE = "openid profile email";
/** The signing algorithm of the stack's API and clients (infra/components/api.ts, application.ts). */
const ALGORITHMS = ["RS256"];

/**
 * Claims Auth0 sets itself (JWT and OIDC registered claims, the profile claims of the scopes we ask for,
 * and Auth0's own: gty, azp, permissions). Every other claim in a token was set by an Action.
 * https://auth0.com/docs/secure/tokens/json-web-tokens/json-web-token-claims
 */
export const AUTH0_CLAIMS: ReadonlySet<string> = new Set([
  "iss",
  "sub",
  "aud",
  "exp",
  "nbf",
  "iat",
  "jti",
  "azp",
  "scope",
  "gty",
  "permissions",
  "auth_time",
  "nonce",
  "at_hash",
  "c_hash",
  "sid",
  "org_id",
  "org_name",
  "name",
  "given_name",
  "family_name",
  "nickname",
  "picture",
  "updated_at",
  "email",
  "email_verified",
  "locale",
]);

/** Who logs in where: everything the token endpoint needs, from the stack's outputs. */
export interface LoginTarget {
  domain: string;
  audience: string;
  connection: string;
  clientId: string;
  /** Confidential clients (regular_web) only. */
  clientSecret?: string;
  username: string;
  password: string;
}

export type LoginOutcome =
  | { kind: "tokens"; idToken: Json; accessToken: Json; refreshToken?: string }
  | { kind: "refused"; status: number; error: string; description: string };

/**
 * A token that failed verification (signature, issuer, audience, expiry): never printed as trusted. A
 * user error (one message, exit 2): the tenant, the stack or the clock is not what the stack file says.
 */
export class TokenVerificationError extends UserError {}

/** The tenant's signing keys (GET /.well-known/jwks.json). */
export async function tenantKeys(fetchImpl: typeof fetch, domain: string): Promise<JSONWebKeySet> {
  const response = await fetchImpl(`https://${domain}/.well-known/jwks.json`);
  if (!response.ok) throw new TokenVerificationError(`https://${domain}/.well-known/jwks.json answered ${response.status}`);
  return (await response.json()) as JSONWebKeySet;
}

/** Verifies one JWT against the tenant's keys: RS256, issuer https://<domain>/, the audience, not expired. */
export async function verifyToken(
  token: string,
  keys: JSONWebKeySet,
  expected: { domain: string; audience: string; what: string; now?: Date },
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys), {
      issuer: `https://${expected.domain}/`,
      audience: expected.audience,
      algorithms: ALGORITHMS,
      currentDate: expected.now,
    });
    return payload;
  } catch (error) {
    throw new TokenVerificationError(
      `the ${expected.what} does not verify against https://${expected.domain}/.well-known/jwks.json: ${(error as Error).message}`,
    );
  }
}

/** The password-realm grant (realm = the stack's connection), then both tokens verified. */
export async function passwordRealmLogin(
  fetchImpl: typeof fetch,
  target: LoginTarget,
  options: { offline?: boolean } = {},
): Promise<LoginOutcome> {
  return tokenRequest(fetchImpl, target, {
    grant_type: PASSWORD_REALM_GRANT,
    username: target.username,
    password: target.password,
    realm: target.connection,
    audience: target.audience,
    scope: options.offline ? `${LOGIN_SCOPE} offline_access` : LOGIN_SCOPE,
  });
}

/** The refresh-token grant; post-login runs again with transaction.protocol oauth2-refresh-token. */
export async function refreshLogin(fetchImpl: typeof fetch, target: LoginTarget, refreshToken: string): Promise<LoginOutcome> {
  return tokenRequest(fetchImpl, target, { grant_type: "refresh_token", refresh_token: refreshToken });
}

async function tokenRequest(fetchImpl: typeof fetch, target: LoginTarget, grant: Record<string, string>): Promise<LoginOutcome> {
  const form = new URLSearchParams({
    ...grant,
    client_id: target.clientId,
    ...(target.clientSecret ? { client_secret: target.clientSecret } : {}),
  });
  const response = await fetchImpl(`https://${target.domain}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Json;
  if (!response.ok) {
    return {
      kind: "refused",
      status: response.status,
      error: String(body.error ?? "unknown"),
      description: String(body.error_description ?? ""),
    };
  }
  if (typeof body.id_token !== "string" || typeof body.access_token !== "string") {
    throw new TokenVerificationError(`https://${target.domain}/oauth/token answered without an ID token and an access token`);
  }
  const keys = await tenantKeys(fetchImpl, target.domain);
  const idToken = await verifyToken(body.id_token, keys, { domain: target.domain, audience: target.clientId, what: "ID token" });
  const accessToken = await verifyToken(body.access_token, keys, {
    domain: target.domain,
    audience: target.audience,
    what: "access token",
  });
  return {
    kind: "tokens",
    idToken,
    accessToken,
    ...(typeof body.refresh_token === "string" && { refreshToken: body.refresh_token }),
  };
}

/** The claims an Action set: everything Auth0 does not set itself. */
export function customClaims(payload: Json): Json {
  return Object.fromEntries(Object.entries(payload).filter(([name]) => !AUTH0_CLAIMS.has(name)));
}

/**
 * Differences between a live login and its simulation, one line each, naming the claim: the same custom
 * claims with the same values on both tokens, or the same denial (Auth0's error is access_denied and its
 * description is the reason the Action gave).
 */
export function compareWithSimulation(live: LoginOutcome, simulated: LoginResult): string[] {
  const simulatedRefusal = simulated.denied ?? simulated.failed;
  if (live.kind === "refused") {
    if (simulatedRefusal === null) return [`login: Auth0 refused it (${live.error}: ${live.description}); the simulation issues tokens`];
    const differences: string[] = [];
    if (live.error !== "access_denied") differences.push(`error: Auth0 answered ${live.error}, the simulation denies with access_denied`);
    if (live.description !== simulatedRefusal) {
      differences.push(
        `error_description: Auth0 said ${JSON.stringify(live.description)}, the simulation ${JSON.stringify(simulatedRefusal)}`,
      );
    }
    return differences;
  }
  if (simulatedRefusal !== null) return [`login: Auth0 issued tokens; the simulation refuses it (${simulatedRefusal})`];
  return [
    ...claimDifferences("ID token", customClaims(live.idToken), simulated.idToken),
    ...claimDifferences("access token", customClaims(live.accessToken), simulated.accessToken),
  ];
}

function claimDifferences(token: string, live: Json, simulated: Json): string[] {
  const names = [...new Set([...Object.keys(live), ...Object.keys(simulated)])].sort();
  return names.flatMap((name) => {
    if (!(name in simulated)) return [`${token} claim ${name}: Auth0 set ${JSON.stringify(live[name])}, the simulation does not set it`];
    if (!(name in live)) return [`${token} claim ${name}: the simulation sets ${JSON.stringify(simulated[name])}, Auth0 did not`];
    return JSON.stringify(live[name]) === JSON.stringify(simulated[name])
      ? []
      : [`${token} claim ${name}: Auth0 ${JSON.stringify(live[name])}, simulation ${JSON.stringify(simulated[name])}`];
  });
}

/** Reads a required output of the stack, or says how to get it. */
export function requireOutput<T>(outputs: Record<string, { value: unknown } | undefined>, name: string, stack: string): T {
  const value = outputs[name]?.value;
  if (value === undefined || value === null) {
    throw new UserError(
      `the stack ${stack} has no output ${name}: deploy it with \`npm run ephemeral -- up ${ephemeralId(stack)}\` (tenant:testLogin in ${TEMPLATE_FILE})`,
    );
  }
  return value as T;
}
