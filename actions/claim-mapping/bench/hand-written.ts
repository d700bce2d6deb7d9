// The floor of the per-login benchmark (issue 13, target 4: the Action's p50 at most 2x this): the
// claim-mapping Action as a person would write it by hand in Auth0's editor, straight-line code with the same
// settings, claims and denials for well-formed logins. It is not deployed. It skips what the real Action
// adds for safety (fail-closed error handling, bounds on hostile metadata, invisible-character checks), so it
// is a floor, not a replacement. harness/action-speed.ts bundles it like the real one (bundleHandWritten) and
// times both through the same events; actions/claim-mapping/bench/hand-written.test.ts checks that both give
// the same tokens and denials on those events.
import settings from "claim-mapping:settings";
import type { PostLoginApi, PostLoginEvent } from "../../types";
import type { Tier } from "../settings";

export const onExecutePostLogin = async (event: PostLoginEvent, api: PostLoginApi): Promise<void> => {
  const ns = settings.namespace;
  const plans = settings.plans;
  const app = event.user.app_metadata ?? {};
  const client = event.client.metadata ?? {};

  const plan = typeof app.plan === "string" && plans.includes(app.plan) ? app.plan : undefined;
  const tenantId = app.tenant_id;
  const tenant = typeof tenantId === "number" ? String(tenantId) : typeof tenantId === "string" && tenantId !== "" ? tenantId : undefined;

  const minimum = client.minimum_plan;
  if (minimum !== undefined && (plan === undefined || plans.indexOf(plan) < plans.indexOf(minimum))) {
    api.access.deny(`This application requires the ${minimum} plan or higher. Ask your account administrator to upgrade your plan.`);
    return;
  }
  if (client.requires_tenant === "true" && tenant === undefined) {
    api.access.deny("Your account is not assigned to an organization yet. Ask your administrator to add you, then sign in again.");
    return;
  }

  const roles = new Set<string>(Array.isArray(event.authorization?.roles) ? (event.authorization.roles as string[]) : []);
  if (Array.isArray(app.roles)) for (const role of app.roles) roles.add(role);
  const tier = client.tier as Tier | undefined;

  const set = (name: string, value: string | string[]) => {
    api.idToken.setCustomClaim(ns + name, value);
    api.accessToken.setCustomClaim(ns + name, value);
  };
  if (tenant !== undefined) set("tenant", tenant);
  if (roles.size > 0) set("roles", [...roles].sort());
  if (plan !== undefined) set("plan", plan);
  if (tier !== undefined && settings.tierFeatures[tier]) {
    set("tier", tier);
    if (settings.tierFeatures[tier].length > 0) set("features", settings.tierFeatures[tier]);
  }
  const preferences = event.user.user_metadata ?? {};
  for (const key of settings.idTokenPreferences) {
    if (typeof preferences[key] === "string") api.idToken.setCustomClaim(ns + key, preferences[key]);
  }
};
