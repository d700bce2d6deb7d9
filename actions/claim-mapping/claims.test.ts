import { decideLogin, DENY_REASONS, meetsPlan, rolesOf, MAX_CLAIM_STRING_LENGTH } from "./claims";
import { tenantIdOf as tenantOf } from "./values";
import { isolation } from "./isolation";
import type { ClaimMappingSettings } from "./settings";
import { loginEvent } from "../../test/support/events";

const NS = "https://myapp.com/";
const settings: ClaimMappingSettings = {
  namespace: NS,
  plans: ["free", "premium", "enterprise"],
  tierFeatures: { free: ["reports"], pro: ["reports", "export"], enterprise: ["reports", "export", "sso"] },
  idTokenPreferences: ["theme"],
};

function allowed(decision: ReturnType<typeof decideLogin>) {
  if (decision.kind !== "allow") throw new Error(`expected an allowed login, got: ${JSON.stringify(decision)}`);
  return decision;
}

describe("the tenant claim", () => {
  it("comes from app_metadata.tenant_id", () => {
    expect(allowed(decideLogin(loginEvent({ appMetadata: { tenant_id: "t-42" } }), settings)).accessToken[`${NS}tenant`]).toBe("t-42");
  });
  it("turns a finite number into its decimal string, and refuses exponent notation", () => {
    expect(tenantOf(42)).toBe("42");
    expect(tenantOf(1.5)).toBe("1.5");
    expect(tenantOf(1e21)).toBeUndefined();
    expect(tenantOf(Number.NaN)).toBeUndefined();
    expect(tenantOf(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
  it("is omitted when tenant_id is empty, blank, null, an object or huge", () => {
    for (const value of ["", "   ", null, { id: 1 }, ["t"], "x".repeat(MAX_CLAIM_STRING_LENGTH + 1)]) {
      expect(tenantOf(value)).toBeUndefined();
    }
  });
  it("never comes from user_metadata, which the user can edit", () => {
    const decision = allowed(decideLogin(loginEvent({ appMetadata: {}, userMetadata: { tenant_id: "t-evil" } }), settings));
    expect(decision.idToken[`${NS}tenant`]).toBeUndefined();
    expect(decision.accessToken[`${NS}tenant`]).toBeUndefined();
  });
});

describe("the roles claim", () => {
  it("joins RBAC roles and app_metadata.roles, deduplicated and sorted", () => {
    expect(rolesOf(["editor", "admin"], ["viewer", "admin"])).toEqual(["admin", "editor", "viewer"]);
  });
  it("ignores app_metadata.roles unless it is an array of strings", () => {
    expect(rolesOf(["editor"], "admin")).toEqual(["editor"]);
    expect(rolesOf(["editor"], ["admin", 7])).toEqual(["editor"]);
    expect(rolesOf([], { 0: "admin" })).toEqual([]);
  });
  it("is omitted when there are no roles", () => {
    const decision = allowed(decideLogin(loginEvent({ roles: [], appMetadata: {} }), settings));
    expect(Object.keys(decision.accessToken)).not.toContain(`${NS}roles`);
  });
  it("survives a missing event.authorization", () => {
    const event = loginEvent({ appMetadata: { roles: ["viewer"] } });
    delete event.authorization;
    expect(allowed(decideLogin(event, settings)).accessToken[`${NS}roles`]).toEqual(["viewer"]);
  });
});

describe("the plan claim", () => {
  it("is set for a declared plan only", () => {
    expect(allowed(decideLogin(loginEvent({ appMetadata: { plan: "premium" } }), settings)).idToken[`${NS}plan`]).toBe("premium");
    expect(allowed(decideLogin(loginEvent({ appMetadata: { plan: "platinum" } }), settings)).idToken[`${NS}plan`]).toBeUndefined();
  });
  it("ranks plans in the order config declares them", () => {
    expect(meetsPlan("enterprise", "premium", settings.plans)).toBe(true);
    expect(meetsPlan("premium", "premium", settings.plans)).toBe(true);
    expect(meetsPlan("free", "premium", settings.plans)).toBe(false);
    expect(meetsPlan(undefined, "free", settings.plans)).toBe(false);
  });
});

describe("tier and features", () => {
  it("come from the application's client metadata and the tier table", () => {
    const decision = allowed(decideLogin(loginEvent({ clientMetadata: { tier: "pro" } }), settings));
    expect(decision.accessToken[`${NS}tier`]).toBe("pro");
    expect(decision.accessToken[`${NS}features`]).toEqual(["reports", "export"]);
  });
  it("are omitted for an unknown tier", () => {
    const decision = allowed(decideLogin(loginEvent({ clientMetadata: { tier: "gold" } }), settings));
    expect(decision.accessToken).toEqual({});
  });
});

describe("preferences", () => {
  it("go on the ID token only", () => {
    const decision = allowed(decideLogin(loginEvent({ userMetadata: { theme: "dark" } }), settings));
    expect(decision.idToken[`${NS}theme`]).toBe("dark");
    expect(decision.accessToken[`${NS}theme`]).toBeUndefined();
  });
  it("are left out unless they are strings", () => {
    const decision = allowed(decideLogin(loginEvent({ userMetadata: { theme: { color: "red" } } }), settings));
    expect(decision.idToken[`${NS}theme`]).toBeUndefined();
  });
});

describe("login policies", () => {
  it("deny a user below the application's minimum plan, with an actionable reason", () => {
    const decision = decideLogin(
      loginEvent({ appMetadata: { plan: "free" }, clientMetadata: { tier: "enterprise", minimum_plan: "premium" } }),
      settings,
    );
    expect(decision).toEqual({ kind: "deny", reason: DENY_REASONS.minimumPlan("premium") });
  });
  it("deny a user without a plan when a minimum plan is required", () => {
    expect(decideLogin(loginEvent({ appMetadata: {}, clientMetadata: { minimum_plan: "free" } }), settings).kind).toBe("deny");
  });
  it("allow a user at or above the minimum plan", () => {
    expect(
      decideLogin(loginEvent({ appMetadata: { plan: "enterprise" }, clientMetadata: { minimum_plan: "premium" } }), settings).kind,
    ).toBe("allow");
  });
  it("deny a user without a tenant when the application requires one", () => {
    const decision = decideLogin(loginEvent({ appMetadata: { plan: "premium" }, clientMetadata: { requires_tenant: "true" } }), settings);
    expect(decision).toEqual({ kind: "deny", reason: DENY_REASONS.requiresTenant });
  });
  it("fail closed when the application's policy cannot be read", () => {
    const unreadable: Record<string, string>[] = [{ minimum_plan: "Enterprise" }, { minimum_plan: "gold" }, { requires_tenant: "yes" }];
    for (const clientMetadata of unreadable) {
      expect(decideLogin(loginEvent({ appMetadata: { plan: "enterprise", tenant_id: "t" }, clientMetadata }), settings)).toEqual({
        kind: "deny",
        reason: DENY_REASONS.unreadablePolicy,
      });
    }
  });
  it("name no internal data in a denial", () => {
    const decision = decideLogin(
      loginEvent({ appMetadata: { plan: "free", tenant_id: "t-secret-7" }, clientMetadata: { minimum_plan: "enterprise" } }),
      settings,
    );
    expect(decision.kind === "deny" && decision.reason).not.toMatch(/t-secret-7|free|app_metadata|client/);
  });
});

describe("malformed metadata", () => {
  it("leaves claims out and lets the login proceed", () => {
    for (const appMetadata of [null, "text", 42, [], { tenant_id: { nested: true }, plan: ["premium"], roles: "admin" }]) {
      const decision = allowed(decideLogin(loginEvent({ appMetadata }), settings));
      expect(decision.accessToken).toEqual({});
    }
  });
});

describe("an ephemeral stack's Action (marker and role prefix, isolation.ts)", () => {
  const ephemeral: ClaimMappingSettings = { ...settings, marker: "eph-pr-1", rolePrefix: "eph-pr-1:" };
  it("skips logins of clients without its marker, even where a policy would deny", () => {
    expect(isolation.scope(loginEvent({ clientMetadata: { tier: "pro", minimum_plan: "enterprise" } }), ephemeral)).toBeUndefined();
    expect(isolation.scope(loginEvent({ clientMetadata: { tier: "pro", stack_marker: "eph-pr-2" } }), ephemeral)).toBeUndefined();
  });
  it("acts for its own clients", () => {
    const scoped = isolation.scope(loginEvent({ clientMetadata: { tier: "pro", stack_marker: "eph-pr-1" } }), ephemeral);
    expect(allowed(decideLogin(scoped!, ephemeral)).accessToken[`${NS}tier`]).toBe("pro");
  });
  it("keeps only RBAC roles with its prefix, under their plain names, and no app_metadata.roles", () => {
    const event = loginEvent({ clientMetadata: { stack_marker: "eph-pr-1" }, roles: ["eph-pr-1:admin", "eph-pr-2:editor", "viewer"] });
    event.user.app_metadata = { roles: ["support"], tenant_id: "t-1" };
    const decision = allowed(decideLogin(isolation.scope(event, ephemeral)!, ephemeral));
    expect(decision.accessToken[`${NS}roles`]).toEqual(["admin"]);
    expect(decision.accessToken[`${NS}tenant`]).toBe("t-1");
  });
});
