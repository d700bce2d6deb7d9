// Pure claim mapping: from a post-login event and the stack's settings to the claims to set or the
// reason to deny. No `api` here, so every rule is a plain unit test away.
import { AUTHORIZATION_CLAIMS, CLIENT_METADATA_KEYS, type ClaimMappingSettings, TIERS, type Tier } from "./settings";
import type { PostLoginEvent } from "../types";
import { planOf, tenantIdOf } from "./values";

/** A claim value we copy into a token: a string or an array of strings, nothing else. */
export type ClaimValue = string | string[];

export type LoginDecision =
  | { kind: "skip" }
  | { kind: "deny"; reason: string }
  | { kind: "allow"; idToken: Record<string, ClaimValue>; accessToken: Record<string, ClaimValue> };

/** Longest string copied from metadata into a token; longer values are left out (huge values). */
export const MAX_CLAIM_STRING_LENGTH = 255;
/** Most roles taken from app_metadata.roles; a longer list is treated as malformed and ignored. */
export const MAX_METADATA_ROLES = 100;

/** Messages shown to the user: actionable, and they name no internal data. */
export const DENY_REASONS = {
  minimumPlan: (plan: string) =>
    `This application requires the ${plan} plan or higher. Ask your account administrator to upgrade your plan.`,
  requiresTenant: "Your account is not assigned to an organization yet. Ask your administrator to add you, then sign in again.",
  /** The application declares a policy this Action cannot read (for example a plan it does not know). */
  unreadablePolicy: "This application's sign-in policy could not be checked. Please contact your administrator.",
} as const;

export function decideLogin(event: PostLoginEvent, settings: ClaimMappingSettings): LoginDecision {
  const appMetadata = asRecord(event.user?.app_metadata);
  const clientMetadata = asRecord(event.client?.metadata);
  if (!ownsLogin(event, settings)) return { kind: "skip" };

  const tenant = tenantIdOf(appMetadata.tenant_id);
  const plan = planOf(appMetadata.plan, settings.plans);

  // A policy that is set but unreadable (a plan renamed in config, a typo in the dashboard) fails closed.
  const declaredMinimum = clientMetadata[CLIENT_METADATA_KEYS.minimumPlan];
  const requiresTenant = clientMetadata[CLIENT_METADATA_KEYS.requiresTenant];
  const minimumPlan = planOf(declaredMinimum, settings.plans);
  if (
    (declaredMinimum !== undefined && minimumPlan === undefined) ||
    (requiresTenant !== undefined && requiresTenant !== "true" && requiresTenant !== "false")
  ) {
    return { kind: "deny", reason: DENY_REASONS.unreadablePolicy };
  }
  if (minimumPlan !== undefined && !meetsPlan(plan, minimumPlan, settings.plans)) {
    return { kind: "deny", reason: DENY_REASONS.minimumPlan(minimumPlan) };
  }
  if (requiresTenant === "true" && tenant === undefined) {
    return { kind: "deny", reason: DENY_REASONS.requiresTenant };
  }

  const shared: Record<string, ClaimValue> = {};
  const ns = settings.namespace;
  if (tenant !== undefined) shared[`${ns}${AUTHORIZATION_CLAIMS.tenant}`] = tenant;
  const roles = rolesOf(event.authorization?.roles, appMetadata.roles, settings.rolePrefix);
  if (roles.length > 0) shared[`${ns}${AUTHORIZATION_CLAIMS.roles}`] = roles;
  if (plan !== undefined) shared[`${ns}${AUTHORIZATION_CLAIMS.plan}`] = plan;
  const tier = tierOf(clientMetadata[CLIENT_METADATA_KEYS.tier]);
  if (tier !== undefined) {
    shared[`${ns}${AUTHORIZATION_CLAIMS.tier}`] = tier;
    const features = settings.tierFeatures[tier] ?? [];
    if (features.length > 0) shared[`${ns}${AUTHORIZATION_CLAIMS.features}`] = [...features];
  }

  const idToken: Record<string, ClaimValue> = { ...shared };
  const userMetadata = asRecord(event.user?.user_metadata);
  for (const key of settings.idTokenPreferences) {
    const value = boundedString(userMetadata[key]);
    if (value !== undefined) idToken[`${ns}${key}`] = value;
  }
  return { kind: "allow", idToken, accessToken: { ...shared } };
}

/** In a shared sandbox tenant the binding runs on every login: act only for this stack's own clients. */
export function ownsLogin(event: PostLoginEvent, settings: Pick<ClaimMappingSettings, "marker">): boolean {
  return settings.marker === undefined || asRecord(event.client?.metadata)[CLIENT_METADATA_KEYS.stackMarker] === settings.marker;
}

/** Does a user's plan (maybe none) reach the required plan's rank? */
export function meetsPlan(plan: string | undefined, required: string, plans: readonly string[]): boolean {
  return plan !== undefined && plans.indexOf(plan) >= plans.indexOf(required);
}

/**
 * RBAC roles plus app_metadata.roles (only when it is an array of strings), deduplicated and sorted.
 * With a prefix (ephemeral stacks, whose users share the sandbox), only RBAC roles carrying it count,
 * under their plain names: app_metadata.roles belong to no stack, so they are left out.
 */
export function rolesOf(rbacRoles: unknown, metadataRoles: unknown, prefix?: string): string[] {
  const roles = new Set<string>();
  if (Array.isArray(rbacRoles)) {
    for (const role of rbacRoles) {
      let name = boundedString(role);
      if (name !== undefined && prefix !== undefined) name = name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
      if (name !== undefined && name !== "") roles.add(name);
    }
  }
  if (prefix === undefined && isStringArray(metadataRoles) && metadataRoles.length <= MAX_METADATA_ROLES) {
    for (const role of metadataRoles) {
      if (role !== "" && role.length <= MAX_CLAIM_STRING_LENGTH) roles.add(role);
    }
  }
  return [...roles].sort();
}

export function tierOf(value: unknown): Tier | undefined {
  return (TIERS as readonly unknown[]).includes(value) ? (value as Tier) : undefined;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function boundedString(value: unknown): string | undefined {
  return typeof value === "string" && value.length <= MAX_CLAIM_STRING_LENGTH ? value : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
