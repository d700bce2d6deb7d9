import { checkClientOauth } from "./client-oauth";
import { client } from "./fixtures";

describe("auth0-client-oauth-hardening", () => {
  it("accepts the program's SPA settings", () => {
    expect(checkClientOauth(client("dashboard"))).toEqual([]);
  });

  it("refuses the implicit grant and points to authorization code", () => {
    expect(checkClientOauth(client("dashboard", { grantTypes: ["implicit", "authorization_code"] }))).toEqual([
      'Client "dashboard" (spa) allows the implicit grant. Fix: remove "implicit" from grantTypes; sign in with authorization_code (with PKCE for public clients).',
    ]);
  });

  it("refuses unset grant types on an interactive app, since Auth0's defaults include implicit", () => {
    expect(checkClientOauth(client("site", { appType: "regular_web", grantTypes: undefined }))).toEqual([
      expect.stringContaining(
        'Client "site" (regular_web) leaves grantTypes unset, so Auth0 applies its defaults, which include the implicit grant. Fix: set grantTypes explicitly',
      ),
    ]);
  });

  it("refuses an application that is not OIDC conformant", () => {
    expect(
      checkClientOauth(
        client("worker", {
          appType: "non_interactive",
          grantTypes: ["client_credentials"],
          oidcConformant: false,
          refreshToken: undefined,
        }),
      ),
    ).toEqual(['Client "worker" (non_interactive) is not OIDC conformant (oidcConformant: false). Fix: set oidcConformant: true.']);
  });

  it("treats a missing oidcConformant as not conformant", () => {
    expect(checkClientOauth(client("dashboard", { oidcConformant: undefined }))).toEqual([
      expect.stringContaining("(oidcConformant: undefined). Fix: set oidcConformant: true."),
    ]);
  });

  it.each(["spa", "native"])("requires rotating refresh tokens for %s applications", (appType) => {
    expect(
      checkClientOauth(client("app", { appType, refreshToken: { rotationType: "non-rotating", expirationType: "non-expiring" } })),
    ).toEqual([
      `Client "app" (${appType}) does not rotate refresh tokens (rotationType: non-rotating). ` +
        'Fix: set refreshToken: { rotationType: "rotating", expirationType: "expiring", ... } so a stolen refresh token is detected on reuse.',
    ]);
    expect(checkClientOauth(client("app", { appType, refreshToken: undefined }))).toEqual([
      expect.stringContaining("(rotationType: undefined)"),
    ]);
  });

  it("does not require rotation of confidential or machine-to-machine clients", () => {
    expect(checkClientOauth(client("site", { appType: "regular_web", refreshToken: { rotationType: "non-rotating" } }))).toEqual([]);
    expect(
      checkClientOauth(client("worker", { appType: "non_interactive", grantTypes: ["client_credentials"], refreshToken: undefined })),
    ).toEqual([]);
  });

  it("ignores other resources", () => {
    expect(checkClientOauth({ type: "auth0:index/role:Role", name: "admin", props: {} })).toEqual([]);
  });
});
