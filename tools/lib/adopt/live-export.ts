// `npm run adopt -- --export`: reads a live tenant through the Management API (official SDK, read-only
// scopes) and writes the JSON export adoption reads. Reading (readTenant) and shaping (toExport) are
// separate: toExport is pure, and removes every secret before anything can reach the disk.
import type { ManagementClient } from "auth0";
import { requireCredentials, type ManagementCredentials } from "../management-api";
import { AdoptError, REMOVED_SECRET, SECRET_FIELDS, SECRET_LIKE_KEY, withoutSecrets, type TenantExport } from "./export-format";

/** The Management API scopes the export needs; none can change the tenant. */
export const EXPORT_SCOPES = [
  "read:clients",
  "read:resource_servers",
  "read:client_grants",
  "read:roles",
  "read:actions",
  "read:rules",
  "read:connections",
] as const;

const PAGE = 50;

/** The API's responses, as the SDK returns them (each list already walked through every page). */
export interface TenantResponses {
  clients: Record<string, unknown>[];
  resourceServers: Record<string, unknown>[];
  clientGrants: Record<string, unknown>[];
  roles: { role: Record<string, unknown>; permissions: Record<string, unknown>[] }[];
  actions: Record<string, unknown>[];
  postLoginBindings: Record<string, unknown>[];
  rules: Record<string, unknown>[];
  connections: Record<string, unknown>[];
}

/** Credentials of the read-only export application, from AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET. */
export function exportCredentialsFromEnv(env: NodeJS.ProcessEnv): ManagementCredentials {
  return requireCredentials(
    env,
    (missing) =>
      `--export reads the tenant with a read-only machine-to-machine application: set ${missing.join(", ")} ` +
      `(its Management API scopes: ${EXPORT_SCOPES.join(" ")})`,
  );
}

/** Walks every page of every list the export needs. Role permissions are read one role at a time. */
export async function readTenant(
  client: ManagementClient,
  progress: (step: string) => void = () => undefined,
  pageSize = PAGE,
): Promise<TenantResponses> {
  const all = async <T>(step: string, scope: string, pages: () => Promise<AsyncIterable<T>>): Promise<T[]> => {
    progress(step);
    try {
      const items: T[] = [];
      for await (const item of await pages()) items.push(item);
      return items;
    } catch (error) {
      const { statusCode, body } = error as { statusCode?: number; body?: { message?: unknown } };
      const hint = statusCode === 403 || statusCode === 401 ? ` (the export application needs ${scope})` : "";
      const message = typeof body?.message === "string" ? body.message : String((error as Error).message).split("\n")[0];
      throw new AdoptError(`reading ${step} failed: ${message}${hint}`);
    }
  };
  const clients = await all("clients", "read:clients", () => client.clients.list({ per_page: pageSize }));
  const resourceServers = await all("resource servers", "read:resource_servers", () => client.resourceServers.list({ per_page: pageSize }));
  const clientGrants = await all("client grants", "read:client_grants", () => client.clientGrants.list({ take: pageSize }));
  const roleList = await all("roles", "read:roles", () => client.roles.list({ per_page: pageSize }));
  const roles: TenantResponses["roles"] = [];
  for (const role of roleList) {
    const permissions = await all(`permissions of role "${role.name}"`, "read:roles", () =>
      client.roles.permissions.list(role.id ?? "", { per_page: pageSize }),
    );
    roles.push({ role: { ...role }, permissions: permissions.map((p) => ({ ...p })) });
  }
  const actions = await all("actions", "read:actions", () => client.actions.list({ per_page: pageSize }));
  const postLoginBindings = await all("post-login bindings", "read:actions", () =>
    client.actions.triggers.bindings.list("post-login", { per_page: pageSize }),
  );
  const rules = await all("rules", "read:rules", () => client.rules.list({ per_page: pageSize }));
  const connections = await all("connections", "read:connections", () => client.connections.list({ take: pageSize }));
  const plain = (items: object[]) => items.map((item) => ({ ...item }) as Record<string, unknown>);
  return {
    clients: plain(clients),
    resourceServers: plain(resourceServers),
    clientGrants: plain(clientGrants),
    roles,
    actions: plain(actions),
    postLoginBindings: plain(postLoginBindings),
    rules: plain(rules),
    connections: plain(connections),
  };
}

export interface ShapedExport {
  export: TenantExport;
  /** What was removed as secret, for the report: "client_secret (5 clients)". */
  removed: string[];
}

/**
 * The export document from the API's responses. Secrets are removed here (client secrets and keys,
 * HS256 signing secrets, connection options, Action secret values, client metadata values whose keys look
 * like secrets), so they never reach the disk.
 */
export function toExport(domain: string, responses: TenantResponses, meta: { exportedAt: string; exportedWith: string }): ShapedExport {
  const counts = new Map<string, number>();
  const strip = (kind: string) => (item: Record<string, unknown>) => {
    const { value, removed } = withoutSecrets(item);
    for (const field of removed) counts.set(`${field} (${kind})`, (counts.get(`${field} (${kind})`) ?? 0) + 1);
    return value;
  };
  const connections = responses.connections.map((connection) => {
    if ("options" in connection) counts.set("options (connections)", (counts.get("options (connections)") ?? 0) + 1);
    const { id, name, strategy, display_name } = connection;
    return { id, name, strategy, display_name } as TenantExport["connections"][number];
  });
  const clients = responses.clients.map(strip("clients")).map((client) => {
    const metadata = client.client_metadata as Record<string, unknown> | undefined;
    if (!metadata || !Object.keys(metadata).some((key) => SECRET_LIKE_KEY.test(key))) return client;
    const masked = Object.fromEntries(
      Object.entries(metadata).map(([key, value]) => {
        if (!SECRET_LIKE_KEY.test(key)) return [key, value];
        counts.set("secret-like client metadata values", (counts.get("secret-like client metadata values") ?? 0) + 1);
        return [key, REMOVED_SECRET];
      }),
    );
    return { ...client, client_metadata: masked };
  });
  const actions = responses.actions.map(strip("actions")).map((action) => ({
    ...action,
    // The API returns secret names and update times only; keep the names.
    secrets: Array.isArray(action.secrets)
      ? action.secrets.map((secret: { name?: unknown }) => ({ name: String(secret.name) }))
      : undefined,
  }));
  const data = {
    tenant: domain,
    exportedAt: meta.exportedAt,
    exportedWith: meta.exportedWith,
    clients,
    resourceServers: responses.resourceServers.map(strip("resource servers")),
    clientGrants: responses.clientGrants.map(strip("client grants")),
    roles: responses.roles.map(({ role, permissions }) => ({
      ...strip("roles")(role),
      permissions: permissions.map(({ permission_name, resource_server_identifier }) => ({ permission_name, resource_server_identifier })),
    })),
    actions,
    bindings: { "post-login": responses.postLoginBindings.map(strip("bindings")) },
    rules: responses.rules.map(strip("rules")),
    connections,
  } as unknown as TenantExport;
  return { export: data, removed: [...counts].map(([what, n]) => `${what}: ${n}`).sort() };
}

/** Every secret field name anywhere in a value: used by tests and as a last check before writing. */
export function secretFieldsIn(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => secretFieldsIn(item, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...((SECRET_FIELDS as readonly string[]).includes(key) ? [`${path}.${key}`] : []),
    ...secretFieldsIn(item, `${path}.${key}`),
  ]);
}
