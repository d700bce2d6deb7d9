import { checkTestLogin } from "./test-login";
import { client } from "./fixtures";
import { TYPES } from "./define";

const realm = "http://auth0.com/oauth/grant-type/password-realm";

describe("auth0-test-login-ephemeral-only", () => {
  it("refuses the password-realm and password grants outside an ephemeral stack", () => {
    expect(checkTestLogin(client("dashboard", { grantTypes: ["authorization_code", realm] }), {})).toEqual([
      expect.stringMatching(
        /^Client "dashboard" allows the test-only grant http:\/\/auth0.com\/oauth\/grant-type\/password-realm outside an ephemeral stack\. Fix: /,
      ),
    ]);
    expect(checkTestLogin(client("dashboard", { grantTypes: ["password"] }), { ephemeral: false })).toHaveLength(1);
  });

  it("refuses test users, their roles and a test connection outside an ephemeral stack", () => {
    const user = { type: TYPES.user, name: "test-login-viewer-free", props: { email: "v@example.invalid" } };
    const roles = { type: TYPES.userRoles, name: "test-login-viewer-free-roles", props: {} };
    const connection = { type: TYPES.connection, name: "test-login-connection", props: { metadata: { purpose: "ephemeral-tests" } } };
    for (const resource of [user, roles, connection])
      expect(checkTestLogin(resource, {})).toEqual([expect.stringContaining("outside an ephemeral stack")]);
  });

  it("leaves other connections and clients alone, and allows everything in an ephemeral stack", () => {
    expect(checkTestLogin({ type: TYPES.connection, name: "google", props: { metadata: {} } }, {})).toEqual([]);
    expect(checkTestLogin(client("dashboard"), {})).toEqual([]);
    expect(checkTestLogin(client("dashboard", { grantTypes: [realm] }), { ephemeral: true })).toEqual([]);
    expect(checkTestLogin({ type: TYPES.user, name: "u", props: {} }, { ephemeral: true })).toEqual([]);
  });
});
