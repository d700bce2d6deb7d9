// Ephemeral stacks as places to log in, end to end against the loopback sandbox: `up` deploys the real
// program (connection, test users, password-realm grant) and compares every login with the simulation;
// `token` logs in, verifies against the JWKS and compares; `env` prints what CI needs; `destroy` and `gc`
// remove one stack's users and connection and nothing of another's.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { destroy, gc, render, up } from "./lifecycle";
import { passwordRealmLogin, refreshLogin, TokenVerificationError, verifyToken } from "./login";
import { parseDuration, TAGS, TEMPLATE_FILE } from "./stack-file";
import { environment, loginTarget, pick, stackLogins, token, toDotenv } from "./test-logins";
import { type Loopback, loopbackDeps, SANDBOX_DOMAIN, startLoopback } from "./testing/harness";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const TEMPLATE = readFileSync(path.join(ROOT, TEMPLATE_FILE), "utf8");
const NS = "https://myapp.com/";

let loopback: Loopback;
beforeAll(async () => {
  loopback = await startLoopback();
});
afterAll(async () => {
  await loopback.stop();
});

/** A fresh sandbox tenant state per test: each test deploys its own stacks into the one server. */
function setup() {
  const files = new Map([[TEMPLATE_FILE, TEMPLATE]]);
  const harness = loopbackDeps(loopback, files);
  return { ...harness, files, settings: (id: string) => render(harness.deps, id).settings };
}

const pickBoth = (settings: ReturnType<ReturnType<typeof setup>["settings"]>, app: string, user: string) => {
  const picked = pick(settings, app, user);
  return [picked.app, picked.user] as const;
};

const passwordsOf = async (h: ReturnType<typeof setup>, name: string) =>
  Object.values(((await (await h.deps.stack(name)).outputs()).testPasswords?.value ?? {}) as Record<string, string>);

describe("up → token --compare → destroy, against the loopback sandbox", () => {
  it("deploys the test logins, agrees with the simulation on every login, and removes them all", async () => {
    const h = setup();
    const result = await up(h.deps, "alpha");

    // Every user × interactive application was logged in and compared; some are denied on both sides.
    expect(result.logins).toHaveLength(5 * 4);
    expect(result.logins.filter((l) => l.differences.length > 0)).toEqual([]);
    expect(result.logins).toContainEqual({ app: "analytics", user: "viewer-free", outcome: "access_denied", differences: [] });
    expect(result.logins).toContainEqual({ app: "dashboard", user: "no-metadata", outcome: "access_denied", differences: [] });
    expect(result.logins).toContainEqual({ app: "analytics", user: "admin-enterprise", outcome: "tokens", differences: [] });
    expect(h.log.filter((l) => l.startsWith("ephemeral:")).at(-1)).toBe("ephemeral: compare-logins");

    const connection = [...loopback.sandbox.connections.values()].find((c) => c.name === "tests-eph-alpha")!;
    expect(connection.enabled_clients.sort()).toEqual(
      Object.values(result.clientIds)
        .filter((id) => id !== result.clientIds["reports-worker"])
        .sort(),
    );
    const editor = [...loopback.sandbox.users.values()].find((u) => u.email === "editor-premium.eph-alpha@example.invalid")!;
    expect(loopback.sandbox.roleNamesOf(editor.user_id)).toEqual(["eph-alpha:editor"]);

    const login = await token(h.deps, h.settings("alpha"), { app: "dashboard", user: "editor-premium", refresh: true, compare: true });
    expect(login.differences).toEqual([]);
    expect(login.login).toMatchObject({
      idToken: { iss: `https://${SANDBOX_DOMAIN}/`, aud: result.clientIds.dashboard, email: "editor-premium.eph-alpha@example.invalid" },
      accessToken: {
        [`${NS}tenant`]: "t-2",
        [`${NS}roles`]: ["editor"],
        [`${NS}plan`]: "premium",
        permissions: ["read:reports", "write:reports"],
      },
    });
    // user_metadata.tenant_id (t-999) never reaches a token.
    expect(JSON.stringify(login)).not.toContain("t-999");
    expect(login.refreshed).toMatchObject({ accessToken: { [`${NS}tenant`]: "t-2", gty: ["refresh_token", "password"] } });

    // No password, client secret or token in anything printed or logged.
    const printed = JSON.stringify([result, login]) + h.log.join("\n");
    for (const password of await passwordsOf(h, "eph-alpha")) expect(printed).not.toContain(password);
    expect(printed).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);

    // The SPA rotates refresh tokens: an exchanged one is refused when used again.
    const settings = h.settings("alpha");
    const target = loginTarget(await stackLogins(h.deps, settings), ...pickBoth(settings, "dashboard", "viewer-free"));
    const first = await passwordRealmLogin(h.deps.fetch, target, { offline: true });
    if (first.kind !== "tokens" || !first.refreshToken) throw new Error("expected a refresh token");
    expect(await refreshLogin(h.deps.fetch, target, first.refreshToken)).toMatchObject({
      kind: "tokens",
      refreshToken: expect.any(String),
    });
    expect(await refreshLogin(h.deps.fetch, target, first.refreshToken)).toEqual({
      kind: "refused",
      status: 403,
      error: "invalid_grant",
      description: "Unknown or invalid refresh token.",
    });
    // A refused login prints Auth0's error, and no claims.
    expect((await token(h.deps, settings, { app: "analytics", user: "viewer-free" })).login).toEqual({
      refused: { error: "access_denied", description: expect.stringMatching(/plan/) },
    });

    await destroy(h.deps, "alpha");
    expect([...loopback.sandbox.users.values()].filter((u) => u.email.includes("eph-alpha"))).toEqual([]);
    expect([...loopback.sandbox.connections.values()].filter((c) => c.name === "tests-eph-alpha")).toEqual([]);
    expect([...loopback.sandbox.clients.values()].filter((c) => c.name.includes("eph-alpha"))).toEqual([]);
    expect(loopback.sandbox.bindings).toEqual([]);
  });

  it("keeps the passwords secret: secret inputs of the users, a secret output", async () => {
    const h = setup();
    await up(h.deps, "sec");
    const stack = h.stacks.get("eph-sec")!;
    expect(stack.last!.secretInputs).toEqual(expect.arrayContaining(["auth0:index/user:User::test-login-viewer-free.password"]));
    const outputs = await stack.outputs();
    expect(outputs.testPasswords.secret).toBe(true);
    expect(outputs.testClientSecrets.secret).toBe(true);
    expect(outputs.clientIds.secret).toBe(false);
    await destroy(h.deps, "sec");
  });

  it("`token --compare` names the claim that differs when the tenant drifts from the committed fixtures", async () => {
    const h = setup();
    await up(h.deps, "drift");
    const user = [...loopback.sandbox.users.values()].find((u) => u.email === "editor-premium.eph-drift@example.invalid")!;
    user.app_metadata = { ...user.app_metadata, plan: "enterprise" };
    const result = await token(h.deps, h.settings("drift"), { app: "marketing-site", user: "editor-premium", compare: true });
    expect(result.differences).toEqual([
      `ID token claim ${NS}plan: Auth0 "enterprise", simulation "premium"`,
      `access token claim ${NS}plan: Auth0 "enterprise", simulation "premium"`,
    ]);

    // A denial that Auth0 no longer gives is a difference too.
    const viewer = [...loopback.sandbox.users.values()].find((u) => u.email === "viewer-free.eph-drift@example.invalid")!;
    viewer.app_metadata = { ...viewer.app_metadata, plan: "enterprise" };
    const analytics = await token(h.deps, h.settings("drift"), { app: "analytics", user: "viewer-free", compare: true });
    expect(analytics.differences).toEqual([expect.stringMatching(/^login: Auth0 issued tokens; the simulation refuses it \(/)]);
    await destroy(h.deps, "drift");
  });

  it("`up` fails at compare-logins, naming user, application and claim, when live and simulated differ", async () => {
    const h = setup();
    // The deployed Action is not the one the stack file builds (someone edited it in the dashboard).
    // Edited where only pro applications notice: the smoke check (a free application) still passes.
    loopback.sandbox.editActionCode = (code) => code.replace(/"export"/g, '"exports"');
    try {
      await expect(up(h.deps, "edited")).rejects.toThrow(
        /step "compare-logins" failed: \d+ of 20 logins differ from the offline simulation:\n {2}viewer-free → dashboard: ID token claim https:\/\/myapp.com\/features: Auth0 \["reports","exports"\], simulation \["reports","export"\]; access token claim https:\/\/myapp.com\/features: Auth0 \["reports","exports"\], simulation \["reports","export"\]/,
      );
    } finally {
      loopback.sandbox.editActionCode = undefined;
    }
    await destroy(h.deps, "edited");
  });
});

describe("two stacks in one sandbox", () => {
  it("cannot log in to each other's applications, and destroy and gc touch nothing of the other", async () => {
    const h = setup();
    const alpha = await up(h.deps, "alpha");
    const beta = await up(h.deps, "beta");
    const betaUsersBefore = [...loopback.sandbox.users.values()].filter((u) => u.email.includes("eph-beta")).length;
    expect(betaUsersBefore).toBe(5);

    // alpha's user, with alpha's password, against beta's client: alpha's connection is not enabled there,
    // and beta's connection does not hold the user.
    const alphaPassword = ((await (await h.deps.stack("eph-alpha")).outputs()).testPasswords.value as Record<string, string>)[
      "viewer-free"
    ];
    const attempt = async (realm: string) => {
      const response = await loopback.fetch(`https://${SANDBOX_DOMAIN}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "http://auth0.com/oauth/grant-type/password-realm",
          client_id: beta.clientIds.dashboard,
          username: "viewer-free.eph-alpha@example.invalid",
          password: alphaPassword,
          realm,
          audience: beta.audience,
          scope: "openid",
        }).toString(),
      });
      return [response.status, ((await response.json()) as { error: string }).error];
    };
    expect(await attempt("tests-eph-alpha")).toEqual([403, "unauthorized_client"]);
    expect(await attempt("tests-eph-beta")).toEqual([403, "invalid_grant"]);
    expect(alpha.audience).not.toBe(beta.audience);

    // gc removes alpha (old) and keeps beta (new); beta still logs in as the simulation says.
    await h.workspace.setTag("eph-alpha", TAGS.createdAt, "2026-11-01T00:00:00Z");
    expect(await gc(h.deps, parseDuration("1d"))).toEqual({ destroyed: ["eph-alpha"], kept: ["eph-beta"], failed: [] });
    expect([...loopback.sandbox.users.values()].filter((u) => u.email.includes("eph-alpha"))).toEqual([]);
    expect([...loopback.sandbox.users.values()].filter((u) => u.email.includes("eph-beta"))).toHaveLength(5);
    const ours = (names: string[]) => names.filter((n) => /eph-(alpha|beta)\b/.test(n)).sort();
    expect(ours([...loopback.sandbox.connections.values()].map((c) => c.name))).toEqual(["tests-eph-beta"]);
    expect(ours(loopback.sandbox.bindings.map((b) => b.display_name))).toEqual(["claim-mapping-eph-beta"]);
    expect(ours([...loopback.sandbox.roles.values()].map((r) => r.name))).toEqual(["eph-beta:admin", "eph-beta:editor", "eph-beta:viewer"]);
    const still = await token(h.deps, h.settings("beta"), { app: "dashboard", user: "admin-enterprise", compare: true });
    expect(still.differences).toEqual([]);

    await destroy(h.deps, "beta");
    const left = [...loopback.sandbox.users.values()].map((u) => u.email).concat([...loopback.sandbox.clients.values()].map((c) => c.name));
    expect(left.filter((n) => /eph-(alpha|beta)\b/.test(n))).toEqual([]);
  });
});

describe("`env`", () => {
  it("prints domain, client ids, audience, connection and each user's email, and how to read the password, never the password", async () => {
    const h = setup();
    const result = await up(h.deps, "ci");
    const env = await environment(h.deps, h.settings("ci"));
    expect(env).toMatchObject({
      stack: "eph-ci",
      domain: SANDBOX_DOMAIN,
      audience: result.audience,
      connection: "tests-eph-ci",
      clients: { dashboard: result.clientIds.dashboard, "marketing-site": result.clientIds["marketing-site"] },
      users: {
        "viewer-free": {
          email: "viewer-free.eph-ci@example.invalid",
          passwordCommand: `pulumi stack output testPasswords --stack eph-ci --show-secrets --json | jq -r '.["viewer-free"]'`,
        },
      },
    });
    expect(env.clients).not.toHaveProperty("reports-worker");
    const dotenv = toDotenv(env);
    expect(dotenv).toContain(`AUTH0_CLIENT_ID_MARKETING_SITE='${result.clientIds["marketing-site"]}'\n`);
    expect(dotenv).toContain("TEST_USER_VIEWER_FREE_EMAIL='viewer-free.eph-ci@example.invalid'\n");
    expect(dotenv).toContain(
      `TEST_USER_VIEWER_FREE_PASSWORD_COMMAND='pulumi stack output testPasswords --stack eph-ci --show-secrets --json | jq -r '\\''.["viewer-free"]'\\'''\n`,
    );
    for (const password of await passwordsOf(h, "eph-ci")) expect(dotenv + JSON.stringify(env)).not.toContain(password);
    await destroy(h.deps, "ci");
  });

  it("says how to create the stack when it does not exist", async () => {
    const h = setup();
    await expect(environment(h.deps, h.settings("nothing"))).rejects.toThrow(
      "there is no stack eph-nothing: create it with `npm run ephemeral -- up nothing`",
    );
  });
});

describe("JWKS verification", () => {
  const domain = "tenant.example.com";
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let other: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwks: { keys: Record<string, unknown>[] };
  beforeAll(async () => {
    keys = await generateKeyPair("RS256");
    other = await generateKeyPair("RS256");
    jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" }] };
  });
  const sign = (key = keys.privateKey, { aud = "client-1", exp = "1h", kid = "k1" } = {}) =>
    new SignJWT({ [`${NS}tenant`]: "t-1" })
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuer(`https://${domain}/`)
      .setSubject("auth0|1")
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(key);
  const verify = async (token: string) => verifyToken(token, jwks as never, { domain, audience: "client-1", what: "ID token" });

  it("accepts a token signed by the tenant's key for the expected audience", async () => {
    await expect(verify(await sign())).resolves.toMatchObject({ [`${NS}tenant`]: "t-1", sub: "auth0|1" });
  });
  it("refuses a token signed by another key, even under the tenant's key id", async () => {
    await expect(verify(await sign(other.privateKey))).rejects.toThrow(TokenVerificationError);
    await expect(verify(await sign(other.privateKey))).rejects.toThrow(/ID token does not verify .*signature verification failed/);
  });
  it("refuses an expired token", async () => {
    await expect(verify(await sign(keys.privateKey, { exp: "-1m" }))).rejects.toThrow(/"exp" claim timestamp check failed/);
  });
  it("refuses a token for another audience", async () => {
    await expect(verify(await sign(keys.privateKey, { aud: "client-2" }))).rejects.toThrow(/unexpected "aud" claim value/);
  });
  it("refuses a login whose tokens the tenant's published keys do not verify", async () => {
    const h = setup();
    await up(h.deps, "keys");
    const served = loopback.sandbox.publishedKeys;
    loopback.sandbox.publishedKeys = jwks.keys as never;
    try {
      await expect(token(h.deps, h.settings("keys"), { app: "dashboard", user: "admin-enterprise" })).rejects.toThrow(
        /the ID token does not verify against https:\/\/sandbox-myapp.eu.auth0.com\/.well-known\/jwks.json/,
      );
    } finally {
      loopback.sandbox.publishedKeys = served;
    }
    await destroy(h.deps, "keys");
  });
});
