// The loopback sandbox behaves as Auth0 documents the routes the ephemeral stacks use, so that the tests
// built on it cannot pass on behaviour Auth0 does not have.
import { PASSWORD_REALM_GRANT } from "../../../../infra/resource-types";
import { type Loopback, SANDBOX_DOMAIN, startLoopback } from "./harness";

let loopback: Loopback;
beforeAll(async () => {
  loopback = await startLoopback();
});
afterAll(async () => {
  await loopback.stop();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "succeeded",
    (error: Error) => error.message,
  );

describe("the loopback sandbox's Management API", () => {
  it("refuses a call without a token from the client-credentials grant", async () => {
    const response = await loopback.fetch(`https://${SANDBOX_DOMAIN}/api/v2/connections`);
    expect(response.status).toBe(401);
  });

  it("keeps connection names unique, and deletes a connection's users with it", async () => {
    const connection = (await loopback.call("POST", "connections", { name: "tests-fake-1", strategy: "auth0" })) as { id: string };
    expect(await failure(loopback.call("POST", "connections", { name: "tests-fake-1", strategy: "auth0" }))).toMatch(/409 .*same name/);
    const user = (await loopback.call("POST", "users", {
      connection: "tests-fake-1",
      email: "a@example.invalid",
      password: "Abcdefgh12",
    })) as {
      user_id: string;
    };
    expect(
      await failure(loopback.call("POST", "users", { connection: "tests-fake-1", email: "A@example.invalid", password: "Abcdefgh12" })),
    ).toMatch(/409 .*The user already exists/);
    await loopback.call("DELETE", `connections/${connection.id}`);
    expect(await failure(loopback.call("GET", `users/${encodeURIComponent(user.user_id)}`))).toMatch(/404/);
  });

  it("applies the connection's password policy and refuses a user in a connection that does not exist", async () => {
    await loopback.call("POST", "connections", { name: "tests-fake-2", strategy: "auth0" });
    expect(
      await failure(loopback.call("POST", "users", { connection: "tests-fake-2", email: "b@example.invalid", password: "short" })),
    ).toMatch(/400 .*PasswordStrengthError/);
    expect(
      await failure(loopback.call("POST", "users", { connection: "nope", email: "b@example.invalid", password: "Abcdefgh12" })),
    ).toMatch(/400 .*The connection does not exist/);
  });

  it("refuses to delete an Action that is still bound", async () => {
    const action = (await loopback.call("POST", "actions/actions", { name: "fake-bound", code: "" })) as { id: string };
    const { bindings } = (await loopback.call("GET", "actions/triggers/post-login/bindings")) as { bindings: unknown[] };
    await loopback.call("PATCH", "actions/triggers/post-login/bindings", {
      bindings: [
        ...(bindings as { action: { id: string }; display_name: string }[]).map((b) => ({
          ref: { type: "action_id", value: b.action.id },
          display_name: b.display_name,
        })),
        { ref: { type: "action_id", value: action.id }, display_name: "fake-bound" },
      ],
    });
    expect(await failure(loopback.call("DELETE", `actions/actions/${action.id}`))).toMatch(/409/);
    await loopback.call("PATCH", "actions/triggers/post-login/bindings", { bindings });
    await loopback.call("DELETE", `actions/actions/${action.id}`);
  });
});

describe("the loopback sandbox's token endpoint", () => {
  const post = async (form: Record<string, string>) => {
    const response = await loopback.fetch(`https://${SANDBOX_DOMAIN}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    return [response.status, await response.json()];
  };

  it("refuses the password-realm grant to a client that does not allow it, and a wrong password", async () => {
    const plain = (await loopback.call("POST", "clients", {
      name: "fake-plain",
      app_type: "spa",
      grant_types: ["authorization_code"],
    })) as {
      client_id: string;
    };
    await loopback.call("PATCH", `clients/${plain.client_id}`, { token_endpoint_auth_method: "none" });
    expect(await post({ grant_type: PASSWORD_REALM_GRANT, client_id: plain.client_id, username: "x", password: "y", realm: "z" })).toEqual([
      403,
      { error: "unauthorized_client", error_description: `Grant type '${PASSWORD_REALM_GRANT}' not allowed for the client.` },
    ]);

    const client = (await loopback.call("POST", "clients", {
      name: "fake-realm",
      app_type: "spa",
      grant_types: [PASSWORD_REALM_GRANT],
    })) as {
      client_id: string;
    };
    await loopback.call("PATCH", `clients/${client.client_id}`, { token_endpoint_auth_method: "none" });
    const connection = (await loopback.call("POST", "connections", { name: "tests-fake-3", strategy: "auth0" })) as { id: string };
    await loopback.call("PATCH", `connections/${connection.id}/clients`, [{ client_id: client.client_id, status: true }]);
    await loopback.call("POST", "users", { connection: "tests-fake-3", email: "c@example.invalid", password: "Abcdefgh12" });
    const login = {
      grant_type: PASSWORD_REALM_GRANT,
      client_id: client.client_id,
      username: "c@example.invalid",
      realm: "tests-fake-3",
      scope: "openid",
    };
    expect(await post({ ...login, password: "Wrong12345" })).toEqual([
      403,
      { error: "invalid_grant", error_description: "Wrong email or password." },
    ]);
    const [status, body] = await post({ ...login, password: "Abcdefgh12" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id_token: expect.any(String), access_token: expect.any(String), token_type: "Bearer" });
    expect(body).not.toHaveProperty("refresh_token");
  });

  it("refuses a confidential client without its secret", async () => {
    const client = (await loopback.call("POST", "clients", {
      name: "fake-web",
      app_type: "regular_web",
      grant_types: [PASSWORD_REALM_GRANT],
    })) as {
      client_id: string;
    };
    expect(await post({ grant_type: PASSWORD_REALM_GRANT, client_id: client.client_id, username: "x", password: "y", realm: "z" })).toEqual(
      [401, { error: "access_denied", error_description: "Unauthorized" }],
    );
  });
});
