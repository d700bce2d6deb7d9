// `npm run adopt -- --export` without a tenant: the official SDK's ManagementClient, with a fetch that answers
// as the Management API does (its paging included) from the fixture, so method names, paging and the shaping
// of responses into the export are all exercised offline.
import { ManagementClient } from "auth0";
import { adoptStack } from "./index";
import { AdoptError } from "./export-format";
import { EXPORT_SCOPES, exportCredentialsFromEnv, readTenant, secretFieldsIn, toExport } from "./live-export";
import { realisticExport, stackFileBefore, workspace, type Workspace } from "./testing";

const DOMAIN = "acme.eu.auth0.com";
const TOKEN = "test-token";

/** The API's responses for the fixture tenant, with the secrets the real API returns. */
function liveTenant() {
  const fixture = realisticExport();
  const api = fixture.resourceServers.find((rs: { name: string }) => rs.name === "Acme API");
  api.signing_secret = "hs256-signing-secret-not-real";
  return {
    fixture,
    clients: fixture.clients,
    "resource-servers": fixture.resourceServers,
    "client-grants": fixture.clientGrants,
    roles: fixture.roles.map(({ permissions: _, ...role }: { permissions: unknown }) => role),
    permissions: Object.fromEntries(
      fixture.roles.map((r: { id: string; permissions: object[] }) => [
        r.id,
        r.permissions.map((p) => ({ ...p, description: "", resource_server_name: "x" })),
      ]),
    ),
    "actions/actions": fixture.actions,
    "actions/triggers/post-login/bindings": fixture.bindings["post-login"],
    rules: fixture.rules,
    connections: fixture.connections.map((c: object) => ({
      ...c,
      options: { client_secret: "google-secret-not-real" },
      enabled_clients: [],
    })),
  };
}

/** Answers GET /api/v2/... like the Management API: offset pages (page, per_page) or checkpoints (from, take). */
function fakeApi(tenant: ReturnType<typeof liveTenant>, requests: { route: string; query: Record<string, string> }[]): typeof fetch {
  const offset = (key: string, items: unknown[], query: URLSearchParams) => {
    const page = Number(query.get("page") ?? 0);
    const per = Number(query.get("per_page") ?? 50);
    return { [key]: items.slice(page * per, (page + 1) * per), start: page * per, limit: per, total: items.length };
  };
  const checkpoint = (key: string, items: unknown[], query: URLSearchParams) => {
    const from = Number(query.get("from") ?? 0);
    const take = Number(query.get("take") ?? 50);
    return { [key]: items.slice(from, from + take), ...(from + take < items.length && { next: String(from + take) }) };
  };
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(input instanceof Request ? input.headers : init?.headers);
    if (headers.get("authorization") !== `Bearer ${TOKEN}`) return new Response("{}", { status: 401 });
    if ((init?.method ?? "GET") !== "GET") throw new Error(`the export must only read, got ${init?.method} ${url.pathname}`);
    const route = url.pathname.replace(/^\/api\/v2\//, "");
    requests.push({ route, query: Object.fromEntries(url.searchParams) });
    const q = url.searchParams;
    const permissions = /^roles\/([^/]+)\/permissions$/.exec(route);
    const body = permissions
      ? offset("permissions", tenant.permissions[permissions[1]] ?? [], q)
      : route === "clients"
        ? offset("clients", tenant.clients, q)
        : route === "resource-servers"
          ? offset("resource_servers", tenant["resource-servers"], q)
          : route === "client-grants"
            ? checkpoint("client_grants", tenant["client-grants"], q)
            : route === "roles"
              ? offset("roles", tenant.roles, q)
              : route === "actions/actions"
                ? offset("actions", tenant["actions/actions"], q)
                : route === "actions/triggers/post-login/bindings"
                  ? offset("bindings", tenant["actions/triggers/post-login/bindings"], q)
                  : route === "rules"
                    ? offset("rules", tenant.rules, q)
                    : route === "connections"
                      ? checkpoint("connections", tenant.connections, q)
                      : undefined;
    if (body === undefined)
      return new Response(JSON.stringify({ message: `no route ${route}` }), {
        status: 404,
        headers: { "content-type": "application/json" },
      });
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

describe("npm run adopt -- --export", () => {
  const tenant = liveTenant();
  const requests: { route: string; query: Record<string, string> }[] = [];
  let shaped: ReturnType<typeof toExport>;
  beforeAll(async () => {
    const client = new ManagementClient({ domain: DOMAIN, token: TOKEN, fetch: fakeApi(tenant, requests) });
    const responses = await readTenant(client, undefined, 2);
    shaped = toExport(DOMAIN, responses, { exportedAt: "2026-01-15T09:30:00.000Z", exportedWith: "AcmeReadOnlyExportClient0000001" });
  });

  it("reads every page of every list through the SDK, and only reads", () => {
    const pages = (route: string, param: string) => requests.filter((r) => r.route === route).map((r) => r.query[param]);
    expect(pages("clients", "page")).toEqual(["0", "1", "2", "3", "4"]);
    expect(pages("client-grants", "from")).toEqual([undefined, "2"]);
    expect(pages("connections", "take")).toEqual(["2"]);
    expect([...new Set(requests.filter((r) => r.route.endsWith("/permissions")).map((r) => r.route))]).toEqual(
      tenant.roles.map((r: { id: string }) => `roles/${r.id}/permissions`),
    );
    expect(pages("actions/triggers/post-login/bindings", "page")).toEqual(["0", "1"]);
    expect(shaped.export.clients).toHaveLength(tenant.clients.length);
    expect(shaped.export.clientGrants).toHaveLength(3);
    expect(shaped.export.connections).toHaveLength(2);
  });

  it("writes the API's own objects, roles with their permissions, and the post-login bindings in order", () => {
    const { fixture } = tenant;
    const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
    const noSecrets = (c: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(c).filter(([k]) => !["client_secret", "signing_keys", "signing_secret"].includes(k)));
    const legacy = fixture.clients.find((c: { name: string }) => c.name === "Legacy Portal");
    const expectedClients = fixture.clients.map((c: Record<string, unknown>) =>
      c === legacy
        ? { ...noSecrets(c), client_metadata: { support_email: "help@acme.example", webhook_secret: "[removed: looks like a secret]" } }
        : noSecrets(c),
    );
    expect(plain(shaped.export.clients)).toEqual(expectedClients);
    expect(plain(shaped.export.resourceServers)).toEqual(fixture.resourceServers.map(noSecrets));
    expect(plain(shaped.export.roles)).toEqual(fixture.roles);
    expect(plain(shaped.export.bindings)).toEqual(fixture.bindings);
    expect(plain(shaped.export.connections)).toEqual(fixture.connections);
    expect(shaped.export.actions.find((a) => a.name === "Sync to CRM")?.secrets).toEqual([{ name: "CRM_TOKEN" }]);
  });

  it("removes every secret before anything is written, and says what it removed", () => {
    expect(secretFieldsIn(shaped.export)).toEqual([]);
    const text = JSON.stringify(shaped.export);
    for (const secret of ["not-real", "not_real", "BEGIN CERTIFICATE"]) expect(text).not.toContain(secret);
    expect(shaped.removed).toEqual([
      "client_secret (clients): 9",
      "options (connections): 2",
      "secret-like client metadata values: 1",
      "signing_keys (clients): 9",
      "signing_secret (resource servers): 1",
    ]);
  });

  it("is an export adoption reads as it reads the fixture", async () => {
    const ws: Workspace = workspace();
    try {
      ws.write("prod", stackFileBefore(DOMAIN, "AcmePulumiDeployClient0000000001"));
      const fromLive = await adoptStack({ stack: "prod", from: ws.json("live.json", shaped.export), dir: ws.dir });
      const fromFixture = await adoptStack({ stack: "prod", from: ws.json("fixture.json", tenant.fixture), dir: ws.dir });
      expect(fromLive.importFile).toEqual(fromFixture.importFile);
      expect(fromLive.stackFileText).toBe(fromFixture.stackFileText);
      expect(fromLive.report).not.toContain("secret fields");
    } finally {
      ws.remove();
    }
  });

  it("never adopts the read-only application it was read with", async () => {
    const data = { ...tenant.fixture, exportedWith: "AcmeWebsiteRegularWebClient00001" };
    const ws: Workspace = workspace();
    try {
      ws.write("prod", stackFileBefore(DOMAIN, "AcmePulumiDeployClient0000000001"));
      const result = await adoptStack({ stack: "prod", from: ws.json("x.json", data), dir: ws.dir });
      expect(result.adoption.leftOut.find((n) => n.subject === 'application "Acme Website"')?.detail).toBe(
        "the read-only application the export was read with",
      );
    } finally {
      ws.remove();
    }
  });

  it("needs the read-only application's credentials, and names its scopes", () => {
    expect(() => exportCredentialsFromEnv({ AUTH0_DOMAIN: DOMAIN })).toThrow(
      new AdoptError(
        `--export reads the tenant with a read-only machine-to-machine application: set AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (its Management API scopes: ${EXPORT_SCOPES.join(" ")})`,
      ),
    );
    expect(EXPORT_SCOPES.every((scope) => scope.startsWith("read:"))).toBe(true);
    expect(exportCredentialsFromEnv({ AUTH0_DOMAIN: `https://${DOMAIN}/`, AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "s" }).domain).toBe(
      DOMAIN,
    );
  });

  it("names the missing scope when the API refuses a read", async () => {
    const refusing = (async () =>
      new Response(JSON.stringify({ statusCode: 403, error: "Forbidden", message: "Insufficient scope, expected any of: read:rules" }), {
        status: 403,
        headers: { "content-type": "application/json" },
      })) as typeof fetch;
    const client = new ManagementClient({ domain: DOMAIN, token: TOKEN, fetch: refusing });
    await expect(readTenant(client)).rejects.toThrow(
      new AdoptError("reading clients failed: Insufficient scope, expected any of: read:rules (the export application needs read:clients)"),
    );
  });
});
