// Management API credentials, read one way for every command that talks to a live tenant.
import { CREDENTIAL_VARIABLES, readCredentials, requireCredentials } from "./management-api";

describe("Management API credentials", () => {
  it("normalise the domain the way the isolation guard compares it: no scheme, path, port or case", () => {
    const env = { AUTH0_DOMAIN: " HTTPS://Dev-MyApp.eu.auth0.com:443/api/v2/ ", AUTH0_CLIENT_ID: " id ", AUTH0_CLIENT_SECRET: "s" };
    expect(readCredentials(env).credentials).toEqual({ domain: "dev-myapp.eu.auth0.com", clientId: "id", clientSecret: "s" });
  });
  it("name every variable that is missing or blank, from the set asked for", () => {
    expect(readCredentials({ AUTH0_DOMAIN: "x.auth0.com", AUTH0_CLIENT_ID: " " }).missing).toEqual([
      "AUTH0_CLIENT_ID",
      "AUTH0_CLIENT_SECRET",
    ]);
    const sandbox = { domain: "AUTH0_SANDBOX_DOMAIN", clientId: "AUTH0_SANDBOX_CLIENT_ID", clientSecret: "AUTH0_SANDBOX_CLIENT_SECRET" };
    expect(readCredentials({ AUTH0_DOMAIN: "x", AUTH0_CLIENT_ID: "y", AUTH0_CLIENT_SECRET: "z" }, sandbox).missing).toEqual(
      Object.values(sandbox),
    );
    expect(() => requireCredentials({}, (missing) => `set ${missing.join(", ")}`)).toThrow(
      `set ${Object.values(CREDENTIAL_VARIABLES).join(", ")}`,
    );
  });
});
