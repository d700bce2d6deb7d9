// The emulator's rules, each one from docs/auth0-facts.md, exercised with small hand-written Actions.
import { loadPostLoginHandler } from "./loader";
import { buildEvent, defaultEvent, isRefreshExchange, REFRESH_PROTOCOL } from "./event";
import { runPostLogin } from "./runtime";
import { loginEvent } from "../test/support/events";
import { UserError } from "../infra/errors";

/** Loads an Action whose onExecutePostLogin body is `body`, as esbuild would export it. */
function action(body: string) {
  return loadPostLoginHandler(`module.exports = { onExecutePostLogin: async (event, api) => { ${body} } };`);
}

describe("the loader", () => {
  it("reads the handler from module.exports after the code runs", () => {
    expect(action("").constructor.name).toBe("AsyncFunction");
  });
  it("accepts handlers assigned to the exports parameter", () => {
    expect(() => loadPostLoginHandler("exports.onExecutePostLogin = async () => {};")).not.toThrow();
  });
  it("refuses a handler whose async was down-levelled", () => {
    expect(() => loadPostLoginHandler("exports.onExecutePostLogin = function () { return Promise.resolve(); };")).toThrow(
      /must be a native async function/,
    );
  });
  it("refuses code without the handler, or with exports that are not an object", () => {
    expect(() => loadPostLoginHandler("exports.other = async () => {};")).toThrow(/does not export onExecutePostLogin/);
    expect(() => loadPostLoginHandler("module.exports = 5;")).toThrow(UserError);
  });
  it("gives the code no require: a bundle must be self-contained", () => {
    expect(() => loadPostLoginHandler("require('fs'); exports.onExecutePostLogin = async () => {};")).toThrow(/require is not defined/);
  });
});

describe("a login", () => {
  it("puts claims on the tokens the Action sets them on", async () => {
    const result = await runPostLogin(
      action(`api.idToken.setCustomClaim("https://a.example/x", "1").accessToken.setCustomClaim("https://a.example/y", ["2"]);`),
      loginEvent(),
    );
    expect(result.idToken).toEqual({ "https://a.example/x": "1" });
    expect(result.accessToken).toEqual({ "https://a.example/y": ["2"] });
  });
  it("fails when the Action sets the scope claim (setCustomClaim throws)", async () => {
    const result = await runPostLogin(action(`api.accessToken.setCustomClaim("scope", "admin");`), loginEvent());
    expect(result.failed).toMatch(/actions_execution_failed.*scope/);
    expect(result.accessToken).toEqual({});
  });
  it("drops restricted names and Auth0 namespaces silently", async () => {
    const result = await runPostLogin(
      action(
        `for (const n of ["roles", "permissions", "https://x.auth0.com/t", "https://a.webtask.io/t", "urn:auth0:x", "https://ok.example/roles"]) api.idToken.setCustomClaim(n, "v");`,
      ),
      loginEvent(),
    );
    expect(result.failed).toBeNull();
    expect(result.idToken).toEqual({ "https://ok.example/roles": "v" });
    expect(result.dropped).toEqual(["https://a.webtask.io/t", "https://x.auth0.com/t", "permissions", "roles", "urn:auth0:x"]);
  });
  it("drops non-namespaced access-token claims for Auth0's own APIs only", async () => {
    const set = action(`api.accessToken.setCustomClaim("plan", "p"); api.idToken.setCustomClaim("plan", "p");`);
    const mgmt = await runPostLogin(set, loginEvent({ audience: "https://example-tenant.auth0.com/api/v2/" }));
    expect(mgmt.accessToken).toEqual({});
    expect(mgmt.idToken).toEqual({ plan: "p" });
    const own = await runPostLogin(set, loginEvent({ audience: "https://api.example/" }));
    expect(own.accessToken).toEqual({ plan: "p" });
  });
  it("fails when one token's claims exceed 100 KB", async () => {
    const result = await runPostLogin(action(`api.idToken.setCustomClaim("https://a.example/big", "x".repeat(110 * 1024));`), loginEvent());
    expect(result.failed).toMatch(/ID token's custom claims total \d+ bytes; Auth0 allows 102400/);
  });
  it("fails the login on an uncaught throw", async () => {
    const result = await runPostLogin(action(`throw new Error("boom");`), loginEvent());
    expect(result.failed).toBe("the Action threw (actions_execution_failed): boom");
  });
  it("runs code after deny, issues no token and reports the reason", async () => {
    const result = await runPostLogin(
      action(
        `api.idToken.setCustomClaim("https://a.example/x", "1"); api.access.deny("Upgrade your plan."); api.user.setAppMetadata("denied_at", "now");`,
      ),
      loginEvent(),
    );
    expect(result).toMatchObject({ denied: "Upgrade your plan.", failed: null, idToken: {}, appMetadata: { denied_at: "now" } });
  });
  it("fails a trigger that outruns its time budget", async () => {
    const result = await runPostLogin(action(`await new Promise((r) => setTimeout(r, 200));`), loginEvent(), { timeoutMs: 20 });
    expect(result.failed).toMatch(/longer than 20 ms/);
  });
  it("keeps Auth0's cache limits", async () => {
    const cache = new Map();
    const result = await runPostLogin(
      action(
        `api.user.setAppMetadata("long_key", api.cache.set("k".repeat(65), "v").type); api.user.setAppMetadata("ok", api.cache.set("k", "v").type); api.user.setAppMetadata("read", api.cache.get("k").value);`,
      ),
      loginEvent(),
      { cache },
    );
    expect(result.appMetadata).toEqual({ long_key: "error", ok: "success", read: "v" });
    expect(cache.get("k").value).toBe("v");
  });
});

describe("events", () => {
  it("start from Auth0's default test event", () => {
    const event = defaultEvent();
    expect(event.client.name).toBe("All Applications");
    expect(event.authorization).toEqual({ roles: [] });
  });
  it("carry the user profile, client, roles and audience of the login", () => {
    const event = buildEvent({
      user: { user_id: "auth0|1", email: "a@example.com", logins_count: 3, last_ip: "203.0.113.1", app_metadata: { plan: "free" } },
      client: { client_id: "c1", name: "App", metadata: { tier: "pro" } },
      roles: ["admin"],
      audience: "https://api.example/",
      domain: "dev-x.eu.auth0.com",
    });
    expect(event.user).toMatchObject({ user_id: "auth0|1", app_metadata: { plan: "free" }, user_metadata: {} });
    expect(event.user).not.toHaveProperty("last_ip");
    expect(event.client).toEqual({ client_id: "c1", name: "App", metadata: { tier: "pro" } });
    expect(event.authorization).toEqual({ roles: ["admin"] });
    expect(event.resource_server).toEqual({ identifier: "https://api.example/" });
    expect(event.stats).toEqual({ logins_count: 4 });
    expect(event.tenant).toEqual({ id: "dev-x" });
  });
  it("model a refresh token exchange as Auth0 documents it", () => {
    const input = {
      user: { user_id: "auth0|1", logins_count: 3, app_metadata: { plan: "free" } },
      client: { client_id: "c1", name: "App", metadata: { tier: "pro" } },
      roles: ["admin"],
      audience: "https://api.example/",
    };
    const login = buildEvent(input);
    const refresh = buildEvent({ ...input, exchange: "refresh" });
    // post-login-event-object.mdx: transaction.protocol "oauth2-refresh-token" on a refresh exchange.
    expect(refresh.transaction?.protocol).toBe("oauth2-refresh-token");
    expect(REFRESH_PROTOCOL).toBe("oauth2-refresh-token");
    expect(isRefreshExchange(refresh)).toBe(true);
    expect(isRefreshExchange(login)).toBe(false);
    expect(login.transaction?.protocol).toBe("oidc-basic-profile");
    // refresh-token.mdx: POST /oauth/token, grant_type=refresh_token in the body, no /authorize parameters.
    expect(refresh.request).toMatchObject({ method: "POST", query: {}, body: { grant_type: "refresh_token", client_id: "c1" } });
    expect(JSON.stringify(refresh.request)).not.toContain('refresh_token":"');
    for (const field of ["redirect_uri", "state", "prompt", "response_type"]) expect(refresh.transaction).not.toHaveProperty(field);
    expect(refresh.refresh_token).toMatchObject({ client_id: "c1", user_id: "auth0|1" });
    // The user, roles, client and audience are read afresh, as on a login; a refresh is not a login.
    for (const field of ["user", "client", "authorization", "resource_server", "tenant"] as const)
      expect(refresh[field]).toEqual(login[field]);
    expect(refresh.stats).toEqual({ logins_count: 3 });
    expect(login.stats).toEqual({ logins_count: 4 });
  });
  it("refuse a user without a user_id", () => {
    expect(() => buildEvent({ user: { email: "a@example.com" }, client: { client_id: "c", name: "n", metadata: {} } })).toThrow(UserError);
  });
});
