import { clientMetadataFor, clientProfileFor } from "./clients";
import { protectFor } from "./options";
import { roleSlug } from "./names";

describe("protectFor", () => {
  it("protects clients, resource servers and Actions when config asks", () => {
    expect(protectFor("auth0:index/client:Client", { protect: true })).toBe(true);
    expect(protectFor("auth0:index/resourceServer:ResourceServer", { protect: true })).toBe(true);
    expect(protectFor("auth0:index/action:Action", { protect: true })).toBe(true);
  });
  it("protects the bindings and the roles too: losing them stops policies or drops role assignments", () => {
    expect(protectFor("auth0:index/triggerActions:TriggerActions", { protect: true })).toBe(true);
    expect(protectFor("auth0:index/triggerAction:TriggerAction", { protect: true })).toBe(true);
    expect(protectFor("auth0:index/role:Role", { protect: true })).toBe(true);
  });
  it("leaves grants, credentials and scopes unprotected, and everything when config does not ask", () => {
    expect(protectFor("auth0:index/clientGrant:ClientGrant", { protect: true })).toBe(false);
    expect(protectFor("auth0:index/clientCredentials:ClientCredentials", { protect: true })).toBe(false);
    expect(protectFor("auth0:index/client:Client", { protect: false })).toBe(false);
  });
});

describe("clientMetadataFor", () => {
  it("writes the tier and the policy flags as strings", () => {
    expect(
      clientMetadataFor({ tier: "pro", policy: { minimumPlan: "premium", requireTenant: true }, metadata: { team: "growth" } }),
    ).toEqual({
      team: "growth",
      tier: "pro",
      minimum_plan: "premium",
      requires_tenant: "true",
    });
  });
  it("omits policy flags that are not set", () => {
    expect(clientMetadataFor({ tier: "free", policy: { requireTenant: false }, metadata: {} })).toEqual({ tier: "free" });
  });
});

describe("clientProfileFor", () => {
  it("makes SPAs and native apps public clients with rotating refresh tokens", () => {
    for (const type of ["spa", "native"] as const) {
      expect(clientProfileFor(type)).toMatchObject({ authenticationMethod: "none", refreshToken: { rotationType: "rotating" } });
    }
  });
  it("gives machine-to-machine apps the client-credentials grant only", () => {
    expect(clientProfileFor("non_interactive").grantTypes).toEqual(["client_credentials"]);
  });
});

describe("roleSlug", () => {
  it("makes a stable kebab-case logical name", () => {
    expect(roleSlug("Support Agent (EU)")).toBe("support-agent-eu");
  });
});
