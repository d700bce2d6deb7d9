// Hostile logins: what a hostile or broken back office (or a user editing their own profile) can put in
// an event, as fast-check arbitraries, and what a login's result must never show. Shared by the bundle's
// property tests (actions/claim-mapping/bundle.test.ts) and `npm run faults` (tools/faults.ts), so that the
// figures the script prints are those of the tested property.
import fc from "fast-check";
import type { PostLoginEvent } from "../../actions/types";
import { loginEvent } from "./events";

/** Values a hostile or broken back office could put in metadata. */
export const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.double(),
  fc.string(),
  fc.string({ minLength: 300, maxLength: 2000 }),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 200 }),
  fc.dictionary(fc.string(), fc.jsonValue()),
  fc.constantFrom("free", "premium", "enterprise", "t-42", ["admin", "editor"]),
);
export const metadata = fc.oneof(junk, fc.record({ tenant_id: junk, plan: junk, roles: junk, theme: junk }, { requiredKeys: [] }));
/** Client metadata is strings when Auth0 sends it, but the Action must not depend on that. */
export const clientMetadata = fc.oneof(
  fc.record(
    {
      tier: fc.oneof(fc.constantFrom("free", "pro", "enterprise"), fc.string()),
      minimum_plan: fc.oneof(fc.constantFrom("free", "premium", "enterprise"), fc.string()),
      requires_tenant: fc.constantFrom("true", "false", ""),
    },
    { requiredKeys: [] },
  ),
  fc.record({ tier: junk, minimum_plan: junk, requires_tenant: junk }, { requiredKeys: [] }),
);
/** RBAC roles: strings from Auth0, anything from a broken event. */
export const rbacRoles = fc.option(fc.oneof(fc.array(fc.string()), fc.array(junk, { maxLength: 5 }), junk), { nil: undefined });

/** The login event these values make (no `event.authorization` when roles is undefined). */
export function hostileEvent(app: unknown, user: unknown, roles: unknown, client: unknown): PostLoginEvent {
  const event = loginEvent({ appMetadata: app, userMetadata: user, clientMetadata: client as Record<string, string> });
  if (roles === undefined) delete event.authorization;
  else event.authorization = { roles: roles as string[] };
  return event;
}

export function isClaimValue(value: unknown): boolean {
  return typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
}
