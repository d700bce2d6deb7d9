import { diffUser } from "./diff";

const declared = ["admin", "editor", "viewer"];

describe("diffUser", () => {
  it("finds nothing to change for a user already in sync, whatever else app_metadata holds", () => {
    const current = {
      app_metadata: { tenant_id: "acme", plan: "free", roles: ["legacy"], billing: { id: 1 } },
      roles: ["viewer", "support"],
    };
    expect(diffUser(current, { tenant_id: "acme", plan: "free", roles: ["viewer"] }, declared)).toBeNull();
  });

  it("sends only the owned keys that differ, and null to delete one", () => {
    const current = { app_metadata: { tenant_id: "acme", plan: "free", billing_id: "cus_1" }, roles: [] };
    expect(diffUser(current, { tenant_id: null, plan: "premium", roles: [] }, declared)).toEqual({
      appMetadata: { tenant_id: null, plan: "premium" },
      previous: { tenant_id: "acme", plan: "free" },
      assignRoles: [],
      removeRoles: [],
    });
  });

  it("never writes app_metadata.roles, even when the user's roles change", () => {
    const current = { app_metadata: { tenant_id: "acme", plan: "free", roles: ["admin"] }, roles: ["admin"] };
    const change = diffUser(current, { tenant_id: "acme", plan: "free", roles: ["viewer"] }, declared)!;
    expect(change.appMetadata).toEqual({});
    expect(change).toMatchObject({ assignRoles: ["viewer"], removeRoles: ["admin"] });
  });

  it("assigns and removes only roles the stack declares; other roles of the user stay", () => {
    const change = diffUser(
      { app_metadata: {}, roles: ["support", "editor", "viewer"] },
      { tenant_id: null, plan: null, roles: ["admin", "viewer"] },
      declared,
    );
    expect(change).toEqual({ appMetadata: {}, previous: {}, assignRoles: ["admin"], removeRoles: ["editor"] });
  });

  it("treats a missing app_metadata like an empty one", () => {
    expect(diffUser({ roles: [] }, { tenant_id: null, plan: null, roles: [] }, declared)).toBeNull();
    expect(diffUser({ app_metadata: null, roles: [] }, { tenant_id: "acme", plan: null, roles: [] }, declared)?.appMetadata).toEqual({
      tenant_id: "acme",
    });
  });

  it("rewrites a tenant_id stored as a number into the string the system of record states", () => {
    expect(diffUser({ app_metadata: { tenant_id: 42 }, roles: [] }, { tenant_id: "42", plan: null, roles: [] }, declared)).toMatchObject({
      appMetadata: { tenant_id: "42" },
      previous: { tenant_id: 42 },
    });
  });
});
