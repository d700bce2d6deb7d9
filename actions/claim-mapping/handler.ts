// Applies a login decision through Auth0's `api`. Thin on purpose: the rules live in claims.ts, the
// system-of-record lookup in enrichment.ts (bundled only for stacks that use it).
import { asRecord, decideLogin } from "./claims";
import type { ClaimMappingSettings, ClientMetadata } from "./settings";
import type { PostLoginApi, PostLoginEvent, PostLoginHandler } from "../types";

/** Shown when the Action itself fails on an application that enforces a policy: fail closed, say little. */
export const INTERNAL_ERROR_REASON = "We could not verify your access right now. Please try again in a few minutes.";

/** The optional lookup step (enrichment.ts): the handler awaits it only for logins that need it. */
export interface Enrichment {
  /** Does this login lack what the lookup provides? Synchronous, so other logins never wait. */
  needed(event: PostLoginEvent, settings: ClaimMappingSettings): boolean;
  /** The event to decide on, with what the lookup found; undefined when it denied the login itself. */
  apply(event: PostLoginEvent, api: PostLoginApi, settings: ClaimMappingSettings): Promise<PostLoginEvent | undefined>;
}

/** The optional scoping step of ephemeral stacks (isolation.ts). */
export interface Isolation {
  /** The login as this stack sees it (its own roles only), or undefined when it is another stack's login. */
  scope(event: PostLoginEvent, settings: ClaimMappingSettings): PostLoginEvent | undefined;
}

/** The Action's onExecutePostLogin for these settings: a native async function, as Auth0 requires. */
export function postLoginHandler(settings: ClaimMappingSettings, lookup?: Enrichment, scoping?: Isolation): PostLoginHandler {
  return async (event, api) => {
    // Outside the try, so that the catch below knows the login is this stack's (scope reads plain data
    // and does not throw; if it ever did, the login would fail, which is closed too).
    let subject = scoping ? scoping.scope(event, settings) : event;
    if (!subject) return;
    try {
      if (lookup?.needed(subject, settings)) subject = await lookup.apply(subject, api, settings);
      if (!subject) return;
      const decision = decideLogin(subject, settings);
      if (decision.kind === "deny") return void api.access.deny(decision.reason);
      for (const name in decision.idToken) api.idToken.setCustomClaim(name, decision.idToken[name]);
      for (const name in decision.accessToken) api.accessToken.setCustomClaim(name, decision.accessToken[name]);
    } catch (error) {
      // An uncaught throw fails the login (docs/auth0-facts.md, "Action code"). Never throw: log, and deny
      // only where the application declares a policy, so a bug cannot open a gated application.
      console.log(`claim-mapping: skipped claims after an internal error: ${String(error)}`);
      const client = asRecord<ClientMetadata>(event.client?.metadata);
      if (client.minimum_plan !== undefined || (client.requires_tenant ?? "false") !== "false") api.access.deny(INTERNAL_ERROR_REASON);
    }
  };
}
