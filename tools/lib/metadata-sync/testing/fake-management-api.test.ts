// The fake tenant behaves as Auth0 documents the endpoints the sync uses; each check runs the real SDK
// over HTTPS, so the tests of the sync prove something about Auth0, not about a lenient stand-in.
import { gunzipSync } from "node:zlib";
import { ManagementClient, ManagementError } from "auth0";
import { CREDENTIALS, DOMAIN, EXPORT_HOST, startFakeTenant, type FakeTenant } from "./harness";
import { loopbackFetch } from "./loopback-fetch";
import { makeTestTls } from "./tls";

let tenant: FakeTenant | undefined;
afterEach(async () => {
  await tenant?.close();
  tenant = undefined;
});

function client(t: FakeTenant): ManagementClient {
  return new ManagementClient({ ...CREDENTIALS, fetch: t.transport, maxRetries: 0 });
}

async function statusOf(request: Promise<unknown>): Promise<{ status?: number; body?: unknown; headers?: Headers }> {
  try {
    await request;
    return {};
  } catch (error) {
    if (!(error instanceof ManagementError)) throw error;
    return { status: error.statusCode, body: error.body, headers: error.rawResponse?.headers };
  }
}

const manyUsers = (count: number) => Array.from({ length: count }, (_, i) => ({ user_id: `auth0|${String(i).padStart(5, "0")}` }));

describe("the fake Management API", () => {
  it("stops listing users at 1,000, as GET /api/v2/users does", async () => {
    tenant = await startFakeTenant({ users: manyUsers(1200) });
    const sdk = client(tenant);
    const page9 = await sdk.users.list({ page: 9, per_page: 100, include_totals: true });
    expect(page9.data.at(-1)?.user_id).toBe("auth0|00999");
    expect(await statusOf(sdk.users.list({ page: 10, per_page: 100 }))).toMatchObject({
      status: 400,
      body: { errorCode: "invalid_paging" },
    });
  });

  it("exports every user as gzipped NDJSON at the job's location, which refuses a bearer token", async () => {
    tenant = await startFakeTenant({ users: [{ user_id: "auth0|a", app_metadata: { plan: "free" } }, { user_id: "auth0|b" }] });
    const sdk = client(tenant);
    const job = await sdk.jobs.usersExports.create({ format: "json", fields: [{ name: "user_id" }, { name: "app_metadata" }] });
    expect(job).toMatchObject({ type: "users_export", status: "pending" });
    expect((await sdk.jobs.get(job.id)).status).toBe("processing");
    const done = await sdk.jobs.get(job.id);
    expect(done.status).toBe("completed");
    expect(new URL(done.location!).hostname).toBe(EXPORT_HOST);

    const file = await tenant.transport(done.location!);
    expect(gunzipSync(Buffer.from(await file.arrayBuffer())).toString("utf8")).toBe(
      '{"user_id":"auth0|a","app_metadata":{"plan":"free"}}\n{"user_id":"auth0|b"}\n',
    );
    expect((await tenant.transport(done.location!, { headers: { authorization: "Bearer x" } })).status).toBe(400);
  });

  it("merges app_metadata shallowly on update: keys sent replace, null deletes, the others remain", async () => {
    tenant = await startFakeTenant({
      users: [{ user_id: "auth0|a", app_metadata: { plan: "free", prefs: { a: 1, b: 2 }, roles: ["x"], gone: true } }],
    });
    await client(tenant).users.update("auth0|a", { app_metadata: { plan: "premium", prefs: { a: 3 }, gone: null } });
    expect(tenant.api.user("auth0|a").app_metadata).toEqual({ plan: "premium", prefs: { a: 3 }, roles: ["x"] });
  });

  it("reads one user back with GET /api/v2/users/{id}, keeping only the fields asked for", async () => {
    tenant = await startFakeTenant({ users: [{ user_id: "auth0|a", email: "a@x.test", app_metadata: { plan: "free" } }] });
    const user = await client(tenant).users.get("auth0|a", { fields: "app_metadata", include_fields: true });
    expect(user).toEqual({ user_id: "auth0|a", app_metadata: { plan: "free" } });
    expect(await statusOf(client(tenant).users.get("auth0|nobody"))).toMatchObject({ status: 404 });
  });

  it("can commit a write and then drop the connection: the client sees a reset, the tenant holds the write", async () => {
    tenant = await startFakeTenant({
      users: [{ user_id: "auth0|a", app_metadata: { plan: "free" } }],
      fault: (request) => (request.route === "user-update" ? "commit-then-drop" : undefined),
    });
    // A short SDK timeout: the SDK leaves its timer running after a request that failed without an answer.
    const error = await new ManagementClient({ ...CREDENTIALS, fetch: tenant.transport, maxRetries: 0, timeoutInSeconds: 1 }).users
      .update("auth0|a", { app_metadata: { plan: "premium" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as ManagementError).statusCode).toBeUndefined();
    expect(JSON.stringify((error as { cause?: { cause?: { code?: string } } }).cause?.cause?.code)).toBe('"ECONNRESET"');
    expect(tenant.api.user("auth0|a").app_metadata).toEqual({ plan: "premium" });
    expect(tenant.api.log.filter((r) => r.route === "user-update")).toEqual([expect.objectContaining({ status: 200, answerLost: true })]);
  });

  it("can commit a write and answer 5xx instead, or leave a request unanswered", async () => {
    tenant = await startFakeTenant({
      users: [{ user_id: "auth0|a" }],
      fault: (request) =>
        request.route === "user-roles-assign" ? { status: 504, committed: true } : request.route === "roles-list" ? "hang" : undefined,
    });
    expect(await statusOf(client(tenant).users.roles.assign("auth0|a", { roles: ["rol_editor"] }))).toMatchObject({ status: 504 });
    expect(tenant.api.user("auth0|a").roles).toEqual(["editor"]);
    const unanswered = new ManagementClient({ ...CREDENTIALS, fetch: tenant.transport, maxRetries: 0, timeoutInSeconds: 0.2 });
    await expect(unanswered.roles.list()).rejects.toThrow();
    expect(tenant.api.log.filter((r) => r.route === "roles-list").map((r) => r.status)).toEqual(["hung"]);
  });

  it("lists a role's members past 1,000 with checkpoint pagination only", async () => {
    tenant = await startFakeTenant({ users: manyUsers(1050).map((u) => ({ ...u, roles: ["viewer"] })) });
    const sdk = client(tenant);
    let members = 0;
    for await (const _ of await sdk.roles.users.list("rol_viewer", { take: 100 })) members++;
    expect(members).toBe(1050);
    // The SDK always sends `take`; offset pagination is checked on the wire.
    const token = (await (
      await tenant.transport(`https://${DOMAIN}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: CREDENTIALS.clientId,
          client_secret: CREDENTIALS.clientSecret,
          audience: `https://${DOMAIN}/api/v2/`,
        }).toString(),
      })
    ).json()) as { access_token: string };
    const offset = await tenant.transport(`https://${DOMAIN}/api/v2/roles/rol_viewer/users?page=20&per_page=50`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(offset.status).toBe(400);
  });

  it("answers 429 with X-RateLimit-Limit, -Remaining and -Reset (Unix seconds) once the window's limit is spent", async () => {
    tenant = await startFakeTenant({ users: [], rateLimit: { limit: 2, windowMs: 60_000 } });
    const sdk = client(tenant);
    await sdk.jobs.usersExports.create({ format: "json", fields: [{ name: "user_id" }] });
    await sdk.jobs.usersExports.create({ format: "json", fields: [{ name: "user_id" }] });
    const limited = await statusOf(sdk.jobs.usersExports.create({ format: "json", fields: [{ name: "user_id" }] }));
    expect(limited.status).toBe(429);
    expect(limited.headers?.get("x-ratelimit-limit")).toBe("2");
    expect(limited.headers?.get("x-ratelimit-remaining")).toBe("0");
    const reset = Number(limited.headers?.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it("serves HTTPS the SDK verifies: a client that does not trust the test CA is refused", async () => {
    tenant = await startFakeTenant({ users: [] });
    const stranger = loopbackFetch({ port: tenant.port, hosts: [DOMAIN], ca: makeTestTls([DOMAIN]).ca });
    try {
      const sdk = new ManagementClient({ ...CREDENTIALS, fetch: stranger.fetch, maxRetries: 0 });
      await expect(sdk.roles.list()).rejects.toThrow();
      const direct = await stranger.fetch(`https://${DOMAIN}/oauth/token`, { method: "POST", body: "" }).catch((e: Error) => e);
      expect((direct as Error).cause).toMatchObject({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
    } finally {
      stranger.close();
    }
  });
});
