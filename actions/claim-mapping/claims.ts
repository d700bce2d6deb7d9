// Pure claim mapping: from a post-login event and the stack's settings to the claims to set or the
// reason to deny. No `api` here, so every rule is a plain unit test away.
import type { AuthorizationClaim, ClaimMappingSettings, ClientMetadata, Tier } from "./settings";
import type { PostLoginEvent } from "../types";
import { MAX_CLAIM_STRING_LENGTH, planOf, tenantIdOf } from "./values";

/** A claim value we copy into a token: a string or an array of strings, nothing else. */
export type ClaimValue = string | string[];

export type LoginDecision =
  | { kind: "deny"; reason: string }
  | { kind: "allow"; idToken: Record<string, ClaimValue>; accessToken: Record<string, ClaimValue> };

/** Longest string copied from metadata into a token; longer values are left out (huge values). */
export { MAX_CLAIM_STRING_LENGTH };
/** Most roles taken from app_metadata.roles; a longer list is treated as malformed and ignored. */
export const MAX_METADATA_ROLES = 100;

/**
 * Messages shown to the user: actionable, and they name no internal data. unreadablePolicy: the
 * application declares a policy this Action cannot read (for example a plan it does not know).
 * (No comments inside: esbuild keeps those in the bundle.)
 */
export const DENY_REASONS = {
  minimumPlan: (plan: string) =>
    `This application requires the ${plan} plan or higher. Ask your account administrator to upgrade your plan.`,
  requiresTenant: "Your account is not assigned to an organization yet. Ask your administrator to add you, then sign in again.",
  unreadablePolicy: "This application's sign-in policy could not be checked. Please contact your administrator.",
} as const;

export function decideLogin(event: PostLoginEvent, settings: ClaimMappingSettings): LoginDecision {
  const { namespace: ns, plans } = settings;
  const app = asRecord(event.user?.app_metadata);
  const client = asRecord<ClientMetadata>(event.client?.metadata);
  const tenant = tenantIdOf(app.tenant_id);
  const plan = planOf(app.plan, plans);

  // A policy that is set but unreadable (a plan renamed in config, a typo in the dashboard) fails closed.
  const minimum = client.minimum_plan;
  const requiresTenant = client.requires_tenant;
  if ((minimum !== undefined && !plans.includes(minimum as string)) || ![undefined, "true", "false"].includes(requiresTenant as string))
    return { kind: "deny", reason: DENY_REASONS.unreadablePolicy };
  if (minimum !== undefined && !meetsPlan(plan, minimum as string, plans))
    return { kind: "deny", reason: DENY_REASONS.minimumPlan(minimum as string) };
  if (requiresTenant === "true" && tenant === undefined) return { kind: "deny", reason: DENY_REASONS.requiresTenant };

  // The same claims go on both tokens; user preferences on the ID token only.
  const claims: Record<string, ClaimValue> = {};
  const roles = rolesOf(event.authorization?.roles, app.roles);
  const tier = tierOf(client.tier, settings);
  const features = tier && settings.tierFeatures[tier];
  if (tenant) claims[ns + ("tenant" satisfies AuthorizationClaim)] = tenant;
  if (roles.length > 0) claims[ns + ("roles" satisfies AuthorizationClaim)] = roles;
  if (plan) claims[ns + ("plan" satisfies AuthorizationClaim)] = plan;
  if (tier) claims[ns + ("tier" satisfies AuthorizationClaim)] = tier;
  if (features && features.length > 0) claims[ns + ("features" satisfies AuthorizationClaim)] = features.slice();
  const idToken = { ...claims };
  const preferences = asRecord(event.user?.user_metadata);
  for (const key of settings.idTokenPreferences) {
    const value = boundedString(preferences[key]);
    if (value !== undefined) idToken[ns + key] = value;
  }
  return { kind: "allow", idToken, accessToken: claims };
}

/** Does a user's plan (maybe none) reach the required plan's rank? */
export function meetsPlan(plan: string | undefined, required: string, plans: readonly string[]): boolean {
  return plans.indexOf(plan as string) >= plans.indexOf(required); // no plan: -1, below every declared plan
}

/** RBAC roles plus app_metadata.roles (only when it is an array of strings), deduplicated and sorted. */
export function rolesOf(rbacRoles: unknown, metadataRoles: unknown): string[] {
  const roles = new Set<string>();
  for (const role of Array.isArray(rbacRoles) ? rbacRoles : []) if (boundedString(role)) roles.add(role);
  if (
    Array.isArray(metadataRoles) &&
    metadataRoles.length <= MAX_METADATA_ROLES &&
    metadataRoles.every((role) => typeof role === "string")
  ) {
    for (const role of metadataRoles) if (boundedString(role)) roles.add(role);
  }
  return [...roles].sort();
}

/** A tier the stack configures (tenant:claims.tierFeatures has exactly the tiers TIERS lists). */
export function tierOf(value: unknown, settings: Pick<ClaimMappingSettings, "tierFeatures">): Tier | undefined {
  return typeof value === "string" && Object.hasOwn(settings.tierFeatures, value) ? (value as Tier) : undefined;
}

function boundedString(value: unknown): string | undefined {
  return typeof value === "string" && value.length <= MAX_CLAIM_STRING_LENGTH ? value : undefined;
}

/** An object (typed as T, for example ClientMetadata), or {} for anything else. */
export function asRecord<T = Record<string, unknown>>(value: unknown): T {
  return (value !== null && typeof value === "object" && !Array.isArray(value) ? value : {}) as T;
}
