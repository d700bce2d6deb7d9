// The JSON export `npm run adopt` reads: the Management API's own responses for one tenant, in one document.
// `npm run adopt -- --export` writes it (live-export.ts); a deploy-CLI export is converted into it
// (deploy-cli.ts). Objects keep every field the API returned (loose schemas): adoption decides what it
// represents and lists the rest, so nothing is dropped silently.
// zod's v3 API, as the settings parser uses it (infra/settings/schema.ts says why).
import { z } from "zod/v3";
import { UserError as AdoptError } from "../../../infra/errors";

const strings = z.array(z.string());
/** Auth0 returns null or leaves a field out; both mean "not set". */
const optional = <T extends z.ZodTypeAny>(schema: T) => schema.nullish();
/** An object that keeps the fields it does not declare. */
const looseObject = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();

export const exportClientSchema = looseObject({
  /** Absent only in deploy-CLI exports made without AUTH0_EXPORT_IDENTIFIERS. */
  client_id: optional(z.string()),
  name: z.string().min(1),
  description: optional(z.string()),
  app_type: optional(z.string()),
  /** true for the tenant's "All Applications" default client. */
  global: optional(z.boolean()),
  callbacks: optional(strings),
  allowed_logout_urls: optional(strings),
  web_origins: optional(strings),
  allowed_origins: optional(strings),
  grant_types: optional(strings),
  token_endpoint_auth_method: optional(z.string()),
  client_metadata: optional(z.record(z.string(), z.unknown())),
  oidc_conformant: optional(z.boolean()),
  is_first_party: optional(z.boolean()),
  cross_origin_authentication: optional(z.boolean()),
  /** Deprecated spelling of cross_origin_authentication, still in older exports. */
  cross_origin_auth: optional(z.boolean()),
  jwt_configuration: optional(looseObject({ alg: optional(z.string()) })),
  refresh_token: optional(
    looseObject({
      rotation_type: optional(z.string()),
      expiration_type: optional(z.string()),
      leeway: optional(z.number()),
      token_lifetime: optional(z.number()),
      idle_token_lifetime: optional(z.number()),
      infinite_token_lifetime: optional(z.boolean()),
      infinite_idle_token_lifetime: optional(z.boolean()),
    }),
  ),
});

/**
 * How a client authenticates at the token endpoint. A client set up for private_key_jwt or mutual TLS has
 * token_endpoint_auth_method null and the method in client_authentication_methods (Management API,
 * GET /api/v2/clients: "client_authentication_methods"; the provider's ClientCredentials reads both).
 * undefined when the export says neither (deploy-CLI exports may leave both out).
 */
export function authenticationMethodOf(client: ExportClient): string | undefined {
  const methods = client.client_authentication_methods;
  if (methods !== null && typeof methods === "object") {
    const set = Object.entries(methods as Record<string, unknown>).filter(([, value]) => value !== null && value !== undefined);
    if (set.length > 0) return set.map(([method]) => method).join(" + ");
  }
  return client.token_endpoint_auth_method ?? undefined;
}

export const exportResourceServerSchema = looseObject({
  id: optional(z.string()),
  name: optional(z.string()),
  identifier: z.string().min(1),
  /** true for Auth0's own APIs (the Management API, My Account API). */
  is_system: optional(z.boolean()),
  scopes: optional(z.array(looseObject({ value: z.string(), description: optional(z.string()) }))),
  signing_alg: optional(z.string()),
  enforce_policies: optional(z.boolean()),
  token_dialect: optional(z.string()),
  token_lifetime: optional(z.number()),
  allow_offline_access: optional(z.boolean()),
  skip_consent_for_verifiable_first_party_clients: optional(z.boolean()),
});

export const exportClientGrantSchema = looseObject({
  id: optional(z.string()),
  /** A client_id; in deploy-CLI exports, the client's name. */
  client_id: z.string(),
  audience: z.string(),
  scope: optional(strings),
});

export const exportPermissionSchema = looseObject({ permission_name: z.string(), resource_server_identifier: z.string() });

export const exportRoleSchema = looseObject({
  id: optional(z.string()),
  name: z.string().min(1),
  description: optional(z.string()),
  /** GET /api/v2/roles/{id}/permissions, attached to its role. */
  permissions: optional(z.array(exportPermissionSchema)),
});

export const exportActionSchema = looseObject({
  id: optional(z.string()),
  name: z.string().min(1),
  code: optional(z.string()),
  runtime: optional(z.string()),
  supported_triggers: optional(z.array(looseObject({ id: z.string(), version: optional(z.string()) }))),
  /** Names only: the API never returns secret values. */
  secrets: optional(z.array(looseObject({ name: z.string() }))),
  dependencies: optional(z.array(looseObject({ name: z.string(), version: optional(z.string()) }))),
});

export const exportBindingSchema = looseObject({
  id: optional(z.string()),
  display_name: optional(z.string()),
  action: looseObject({ id: optional(z.string()), name: optional(z.string()) }),
});

export const exportRuleSchema = looseObject({
  id: optional(z.string()),
  name: z.string(),
  enabled: optional(z.boolean()),
  order: optional(z.number()),
  script: optional(z.string()),
});

export const exportConnectionSchema = looseObject({ id: optional(z.string()), name: z.string(), strategy: optional(z.string()) });

/** The sections of the export document, each the list the Management API returns. */
export const EXPORT_SECTIONS = [
  "clients",
  "resourceServers",
  "clientGrants",
  "roles",
  "actions",
  "bindings",
  "rules",
  "connections",
] as const;

export const tenantExportSchema = looseObject({
  /** The tenant's domain (the Management API's host), e.g. dev-myapp.eu.auth0.com. */
  tenant: optional(z.string()),
  exportedAt: optional(z.string()),
  /** The client the export was read with (a read-only tool application, never adopted). */
  exportedWith: optional(z.string()),
  clients: z.array(exportClientSchema).default([]),
  resourceServers: z.array(exportResourceServerSchema).default([]),
  clientGrants: z.array(exportClientGrantSchema).default([]),
  roles: z.array(exportRoleSchema).default([]),
  actions: z.array(exportActionSchema).default([]),
  /** Trigger id to its bindings in execution order (GET /api/v2/actions/triggers/{id}/bindings). */
  bindings: z.record(z.string(), z.array(exportBindingSchema)).default({}),
  rules: z.array(exportRuleSchema).default([]),
  connections: z.array(exportConnectionSchema).default([]),
});

export type TenantExport = z.infer<typeof tenantExportSchema>;
export type ExportClient = z.infer<typeof exportClientSchema>;
export type ExportResourceServer = z.infer<typeof exportResourceServerSchema>;
export type ExportClientGrant = z.infer<typeof exportClientGrantSchema>;
export type ExportRole = z.infer<typeof exportRoleSchema>;
export type ExportAction = z.infer<typeof exportActionSchema>;
export type ExportBinding = z.infer<typeof exportBindingSchema>;

/** Adoption refuses its input: a user error (infra/errors.ts), under the name adopt's modules use. */
export { AdoptError };

/**
 * JSON.parse with a message a person can act on: the file, the line and the column (computed from the
 * position V8 reports), and what is wrong there.
 */
export function parseJsonText(text: string, file: string, when = ""): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\(line \d+ column \d+\)$/, "");
    const position = /at position (\d+)/.exec(message);
    let where = "";
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split("\n").length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf("\n")}`;
    } else if (/Unexpected end of JSON input/.test(message)) where = " at its end";
    throw new AdoptError(`${file} is not valid JSON${when ? ` ${when}` : ""}${where}: ${message.replace(/ in JSON at position \d+/, "")}`);
  }
}

/** Validates an export document; the message names each bad path (`where` may turn a path into a file). */
export function parseExport(json: unknown, label: string, where: (path: string) => string = (p) => p): TenantExport {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new AdoptError(`${label} is not a tenant export: expected a JSON object with ${EXPORT_SECTIONS.join(", ")}`);
  }
  if (!EXPORT_SECTIONS.some((section) => section in json)) {
    throw new AdoptError(`${label} is not a tenant export: it has none of ${EXPORT_SECTIONS.join(", ")} (see docs/adoption.md)`);
  }
  const parsed = tenantExportSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${where(issue.path.map(String).join("."))}: ${issue.message}`);
    throw new AdoptError(`${label} is not a valid tenant export:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

/** Top-level keys of an export document that adoption does not read (listed, never silently dropped). */
export function unknownSections(json: object): string[] {
  const known = new Set<string>(["tenant", "exportedAt", "exportedWith", ...EXPORT_SECTIONS]);
  return Object.keys(json).filter((key) => !known.has(key));
}

/**
 * Fields that carry secrets in Management API responses. They are removed from every object before an
 * export is written, and adoption never reads them.
 */
export const SECRET_FIELDS = ["client_secret", "signing_keys", "encryption_key", "signing_secret"] as const;

/** Client metadata keys whose values look like credentials: never written to an export or a stack file. */
export const SECRET_LIKE_KEY = /secret|passw(or)?d|token|api[-_]?key|private[-_]?key|credential/i;

/** What an export holds instead of a client metadata value that looks like a secret. */
export const REMOVED_SECRET = "[removed: looks like a secret]";

/** A copy of an object without its secret fields, and the names of those it had. */
export function withoutSecrets<T extends Record<string, unknown>>(value: T): { value: T; removed: string[] } {
  const copy: Record<string, unknown> = { ...value };
  const removed = SECRET_FIELDS.filter((field) => field in copy);
  for (const field of removed) delete copy[field];
  return { value: copy as T, removed };
}
