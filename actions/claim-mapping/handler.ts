// Applies a login decision through Auth0's `api`. Thin on purpose: the rules live in claims.ts.
import { decideLogin, ownsLogin } from "./claims";
import { enrich, ENRICHMENT_DENY_REASON } from "./enrichment";
import { CLIENT_METADATA_KEYS, type ClaimMappingSettings } from "./settings";
import type { PostLoginApi, PostLoginEvent } from "../types";

/** Shown when the Action itself fails on an application that enforces a policy: fail closed, say little. */
export const INTERNAL_ERROR_REASON = "We could not verify your access right now. Please try again in a few minutes.";

export async function handlePostLogin(event: PostLoginEvent, api: PostLoginApi, settings: ClaimMappingSettings): Promise<void> {
  try {
    if (!ownsLogin(event, settings)) return;
    const enrichment = await enrich(event, api, settings);
    if (enrichment.kind === "failed") {
      console.log(`claim-mapping: system of record lookup failed: ${enrichment.reason}`);
      if (settings.enrichment?.onFailure === "deny") {
        api.access.deny(ENRICHMENT_DENY_REASON);
        return;
      }
    }
    const enriched = enrichment.kind === "found" ? withAppMetadata(event, enrichment.values) : event;
    const decision = decideLogin(enriched, settings);
    if (decision.kind === "skip") return;
    if (decision.kind === "deny") {
      api.access.deny(decision.reason);
      return;
    }
    for (const [name, value] of Object.entries(decision.idToken)) api.idToken.setCustomClaim(name, value);
    for (const [name, value] of Object.entries(decision.accessToken)) api.accessToken.setCustomClaim(name, value);
  } catch (error) {
    // An uncaught throw fails the login (docs/auth0-facts.md, "Action code"). Never throw: log, and deny only
    // where the application enforces a policy, so a bug cannot open a gated application.
    console.log(`claim-mapping: skipped claims after an internal error: ${String(error)}`);
    if (enforcesPolicy(event, settings)) api.access.deny(INTERNAL_ERROR_REASON);
  }
}

/** The event as the next login will see it, once the enrichment's metadata writes have landed. */
function withAppMetadata(event: PostLoginEvent, values: Record<string, unknown>): PostLoginEvent {
  return { ...event, user: { ...event.user, app_metadata: { ...(event.user.app_metadata ?? {}), ...values } } };
}

function enforcesPolicy(event: PostLoginEvent, settings: ClaimMappingSettings): boolean {
  try {
    const metadata = event.client?.metadata ?? {};
    if (!ownsLogin(event, settings)) return false;
    return metadata[CLIENT_METADATA_KEYS.minimumPlan] !== undefined || metadata[CLIENT_METADATA_KEYS.requiresTenant] === "true";
  } catch {
    return true;
  }
}
