// Issue 13, target 4's floor, written in the bench because the `action` work had not exported its own by
// the deadline: a hand-written post-login Action, as someone would type it into Auth0's editor, that sets the
// same claims and denies the same logins as actions/claim-mapping for one stack's settings (no enrichment,
// no ephemeral marker or role prefix). tools/bench/action.ts checks that both give the same result for every
// event it times before it compares their speed. The rules it repeats are actions/claim-mapping/claims.ts's.
import { DENY_REASONS, MAX_CLAIM_STRING_LENGTH, MAX_METADATA_ROLES } from "../../actions/claim-mapping/claims";
import { type ClaimMappingSettings, TIERS } from "../../actions/claim-mapping/settings";

/** The hand-written Action's source (CommonJS, as Auth0 loads it) for `settings`. */
export function referenceActionSource(settings: ClaimMappingSettings): string {
  if (settings.marker !== undefined || settings.rolePrefix !== undefined) {
    throw new Error("the reference Action covers stacks without an ephemeral marker or role prefix");
  }
  const constants = {
    NS: settings.namespace,
    PLANS: settings.plans,
    FEATURES: settings.tierFeatures,
    PREFERENCES: settings.idTokenPreferences,
    TIERS,
    MAX: MAX_CLAIM_STRING_LENGTH,
    MAX_ROLES: MAX_METADATA_ROLES,
    UNREADABLE: DENY_REASONS.unreadablePolicy,
    NO_TENANT: DENY_REASONS.requiresTenant,
    // DENY_REASONS.minimumPlan with a placeholder, filled in below.
    MIN_PLAN: DENY_REASONS.minimumPlan("{plan}"),
  };
  const declarations = Object.entries(constants)
    .map(([name, value]) => `const ${name} = ${JSON.stringify(value)};`)
    .join("\n");
  return `${declarations}
const text = (v) => (typeof v === "string" && v.length <= MAX ? v : undefined);
const record = (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? v : {});

exports.onExecutePostLogin = async (event, api) => {
  const app = record(event.user && event.user.app_metadata);
  const client = record(event.client && event.client.metadata);

  let tenant;
  if (typeof app.tenant_id === "number") {
    const t = String(app.tenant_id);
    if (Number.isFinite(app.tenant_id) && /^-?\\d+(\\.\\d+)?$/.test(t)) tenant = t;
  } else {
    const t = text(app.tenant_id);
    if (t !== undefined && t.trim() !== "") tenant = t;
  }
  const plan = typeof app.plan === "string" && PLANS.includes(app.plan) ? app.plan : undefined;

  const minimum = client.minimum_plan;
  const requiresTenant = client.requires_tenant;
  const knownMinimum = typeof minimum === "string" && PLANS.includes(minimum);
  if ((minimum !== undefined && !knownMinimum) || (requiresTenant !== undefined && requiresTenant !== "true" && requiresTenant !== "false")) {
    api.access.deny(UNREADABLE);
    return;
  }
  if (knownMinimum && (plan === undefined || PLANS.indexOf(plan) < PLANS.indexOf(minimum))) {
    api.access.deny(MIN_PLAN.replace("{plan}", minimum));
    return;
  }
  if (requiresTenant === "true" && tenant === undefined) {
    api.access.deny(NO_TENANT);
    return;
  }

  const both = (name, value) => {
    api.idToken.setCustomClaim(NS + name, value);
    api.accessToken.setCustomClaim(NS + name, Array.isArray(value) ? value.slice() : value);
  };
  if (tenant !== undefined) both("tenant", tenant);
  const roles = new Set();
  const rbac = event.authorization && event.authorization.roles;
  if (Array.isArray(rbac)) for (const r of rbac) if (text(r) && r !== "") roles.add(r);
  const extra = app.roles;
  if (Array.isArray(extra) && extra.length <= MAX_ROLES && extra.every((r) => typeof r === "string")) {
    for (const r of extra) if (r !== "" && r.length <= MAX) roles.add(r);
  }
  if (roles.size > 0) both("roles", [...roles].sort());
  if (plan !== undefined) both("plan", plan);
  if (TIERS.includes(client.tier)) {
    both("tier", client.tier);
    const features = FEATURES[client.tier] || [];
    if (features.length > 0) both("features", features.slice());
  }
  const prefs = record(event.user && event.user.user_metadata);
  for (const key of PREFERENCES) {
    const v = text(prefs[key]);
    if (v !== undefined) api.idToken.setCustomClaim(NS + key, v);
  }
};
`;
}
