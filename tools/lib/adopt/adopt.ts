// Adoption proper: from a tenant export to the stack config that reproduces it, the live resources a Pulumi
// import file must map, and everything the report has to say (what was left out and why, decisions a person
// must review, secrets). Pure: the caller reads files and writes them.
import type { z } from "zod";
import { TIERS, CLIENT_METADATA_KEYS } from "../../../actions/claim-mapping/settings";
import { isPlanName } from "../../../actions/claim-mapping/values";
import { isAuth0ApiAudience } from "../../../auth0/rules";
import { normaliseDomain } from "../../../infra/settings/isolation";
import { hasEphemeralTag, stackFileName } from "../../../harness/stack-file";
import {
  APP_TYPES,
  type AppType,
  type apiSchema,
  type applicationSchema,
  type claimsSchema,
  type roleSchema,
} from "../../../infra/settings/schema";
import {
  AdoptError,
  SECRET_FIELDS,
  SECRET_LIKE_KEY,
  type ExportAction,
  type ExportBinding,
  type ExportClient,
  type ExportClientGrant,
  type ExportResourceServer,
  type ExportRole,
  type TenantExport,
} from "./export-format";
import { components, MANAGED_ACTION_NAME, names, TYPES, type ComponentRef, type ResourceType } from "./names";

type ApplicationInput = z.input<typeof applicationSchema>;
type ApiInput = z.input<typeof apiSchema>;
type RoleInput = z.input<typeof roleSchema>;
type ClaimsInput = z.input<typeof claimsSchema>;
type BindingInput = string | { id: string; displayName: string };

/** One line of the report: what it is about, and what there is to say. */
export interface Note {
  subject: string;
  detail: string;
}

/** The live object behind an import target, for comparing it with what the program plans. */
export type LiveObject =
  | { kind: "client"; client: ExportClient }
  | { kind: "grant"; grant: ExportClientGrant }
  | { kind: "api"; api: ExportResourceServer }
  | { kind: "role"; role: ExportRole }
  | { kind: "action"; action: ExportAction | undefined }
  | { kind: "bindings"; bindings: ExportBinding[]; claimMappingId: string | undefined };

/** A live resource the program will register under this type, logical name and parent. */
export interface ImportTarget {
  type: ResourceType;
  name: string;
  parent: ComponentRef;
  /** The ID Pulumi imports it by; undefined when the export does not carry it (a deploy-CLI export). */
  id: string | undefined;
  /** What the ID is, so a person can fill in a placeholder. */
  idHint: string;
  subject: string;
  live: LiveObject;
}

export interface ExistingStack {
  /** The stack file's config values as parsed YAML (`secure:` values as { secure }). */
  config: Record<string, unknown>;
}

export interface AdoptOptions {
  stack: string;
  existing: ExistingStack;
  /** --api: the identifier of the API to adopt when the tenant has several. */
  apiIdentifier?: string;
  /** --domain: the tenant's domain when the export does not name it (deploy-CLI exports). */
  domain?: string;
}

export interface Adoption {
  /** Config keys to set in the stack file, with their values. */
  values: Record<string, unknown>;
  imports: ImportTarget[];
  adopted: Note[];
  leftOut: Note[];
  decisions: Note[];
  secrets: Note[];
  /** `pulumi config set` commands to run by hand (secrets and credentials are never written by adopt). */
  commands: string[];
  /** Entries already in the stack file with no live counterpart: the program will create them. */
  kept: Note[];
}

/** Client fields the config or the program sets, or that only describe the object; the rest is listed as not modelled. */
const CLIENT_FIELDS_MODELLED = new Set([
  "client_id",
  "name",
  "description",
  "app_type",
  "callbacks",
  "allowed_logout_urls",
  "web_origins",
  "allowed_origins",
  "grant_types",
  "token_endpoint_auth_method",
  "client_metadata",
  "oidc_conformant",
  "is_first_party",
  "cross_origin_authentication",
  "cross_origin_auth",
  "jwt_configuration",
  "refresh_token",
  "global",
  "tenant",
  "callback_url_template",
  "created_at",
  "updated_at",
  "owners",
  "client_secret_expires_at",
  ...SECRET_FIELDS,
]);

/** Auth0's defaults for client fields the program does not model: a client that still has them needs no line. */
const CLIENT_DEFAULTS: Record<string, unknown> = {
  custom_login_page_on: true,
  sso: false,
  sso_disabled: false,
  is_token_endpoint_ip_header_trusted: false,
};

/** Values Auth0 returns for a client nobody customised: not worth a line in the report. */
function isDefaultish(value: unknown, field?: string): boolean {
  if (field !== undefined && field in CLIENT_DEFAULTS && CLIENT_DEFAULTS[field] === value) return true;
  if (value === null || value === undefined || value === false || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value).every((item) => isDefaultish(item));
  return false;
}

/** Placeholder for an ID the export does not carry; Pulumi's own generated import files use `<PLACEHOLDER>`. */
export function placeholder(what: string): string {
  return `<PLACEHOLDER: ${what}>`;
}

export function adoptTenant(exp: TenantExport, options: AdoptOptions): Adoption {
  const existing = readExisting(options.existing.config);
  const adoption: Adoption = { values: {}, imports: [], adopted: [], leftOut: [], decisions: [], secrets: [], commands: [], kept: [] };
  const { leftOut, decisions } = adoption;

  // The tenant: an export of one tenant must not be adopted into a stack that deploys to another.
  const domain = exp.tenant ?? options.domain;
  if (domain && existing.domain && normaliseDomain(domain) !== normaliseDomain(existing.domain)) {
    throw new AdoptError(
      `the export is of ${domain}, but ${stackFileName(options.stack)} deploys to ${existing.domain} (auth0:domain): adopt each tenant into its own stack`,
    );
  }
  if (domain && !existing.domain) adoption.values["auth0:domain"] = normaliseDomain(domain);
  if (!domain && !existing.domain) {
    decisions.push({
      subject: "auth0:domain",
      detail: "the export does not name its tenant: pass --domain <tenant domain> or set auth0:domain in the stack file",
    });
  }

  // The API: one resource server is tenant:api; Auth0's own APIs are left alone.
  const own = exp.resourceServers.filter((rs) => isAuth0Api(rs, domain));
  for (const rs of own)
    leftOut.push({
      subject: `API "${rs.name ?? rs.identifier}"`,
      detail: `Auth0's own API (${rs.identifier}): Auth0 manages it, so adoption leaves it alone`,
    });
  const custom = exp.resourceServers.filter((rs) => !isAuth0Api(rs, domain));
  const api = chooseApi(custom, exp, options.apiIdentifier, existing.api?.identifier, decisions);
  for (const rs of custom.filter((rs) => rs !== api)) {
    leftOut.push({
      subject: `API "${rs.name ?? rs.identifier}"`,
      detail: `the program manages one API (tenant:api, here ${api?.identifier}); ${rs.identifier} stays as it is in Auth0${options.apiIdentifier ? "" : " (choose another with --api <identifier>)"}`,
    });
  }
  adoption.values["tenant:api"] = api ? adoptApi(api, adoption) : keepExistingApi(existing.api, adoption);
  const audience = api?.identifier ?? existing.api?.identifier;

  // Applications, with their grants on the API.
  const clientIndex = indexClients(exp.clients);
  const grantsByClient = new Map<ExportClient, ExportClientGrant[]>();
  for (const grant of exp.clientGrants) {
    const client = clientIndex(grant.client_id);
    if (!client) {
      leftOut.push({ subject: `client grant on ${grant.audience}`, detail: `its application "${grant.client_id}" is not in the export` });
      continue;
    }
    grantsByClient.set(client, [...(grantsByClient.get(client) ?? []), grant]);
  }
  const existingApps = existing.applications;
  const takenKeys = new Set<string>();
  const applications: ApplicationInput[] = [];
  for (const client of exp.clients) {
    const grants = grantsByClient.get(client) ?? [];
    const reason = notAdopted(client, grants, existing.clientId, exp.exportedWith, domain);
    if (reason) {
      const grantText =
        grants.length > 0 ? ` (with its ${grants.length} client grant${grants.length > 1 ? "s" : ""}, also left alone)` : "";
      leftOut.push({ subject: `application "${client.name}"`, detail: `${reason}${grantText}` });
      continue;
    }
    const match = existingApps.find((app) => app.name === client.name);
    const key =
      match?.key && !takenKeys.has(match.key)
        ? match.key
        : uniqueKey(
            client.name,
            takenKeys,
            existingApps.map((a) => a.key ?? ""),
          );
    takenKeys.add(key);
    applications.push(adoptApplication(client, key, grants, audience, adoption));
  }
  for (const app of existingApps) {
    if (app.key && !takenKeys.has(app.key) && !applications.some((a) => a.name === app.name)) {
      applications.push(app as ApplicationInput);
      takenKeys.add(app.key);
      adoption.kept.push({
        subject: `application "${app.key}"`,
        detail: `in ${stackFileName(options.stack)} but not in the tenant: the first \`pulumi up\` creates it`,
      });
    }
  }
  adoption.values["tenant:applications"] = applications;

  // Roles and their permissions on the API.
  const roles: RoleInput[] = [];
  for (const role of exp.roles) {
    if (hasEphemeralTag(role.name)) {
      leftOut.push({ subject: `role "${role.name}"`, detail: "belongs to an ephemeral stack (its name carries the stack's tag)" });
      continue;
    }
    roles.push(adoptRole(role, audience, adoption));
  }
  for (const role of existing.roles) {
    if (role.name && !roles.some((r) => r.name === role.name)) {
      roles.push(role as RoleInput);
      adoption.kept.push({
        subject: `role "${role.name}"`,
        detail: `in ${stackFileName(options.stack)} but not in the tenant: the first \`pulumi up\` creates it`,
      });
    }
  }
  adoption.values["tenant:roles"] = roles;

  // The post-login bindings, in order, with the program's claim-mapping Action in place.
  adoption.values["tenant:postLogin"] = adoptBindings(exp, adoption);
  for (const [trigger, bindings] of Object.entries(exp.bindings)) {
    if (trigger === "post-login" || bindings.length === 0) continue;
    leftOut.push({
      subject: `trigger ${trigger}`,
      detail: `${bindings.map((b) => b.display_name ?? b.action.name).join(", ")} bound there: the program binds post-login only; those bindings stay as they are`,
    });
  }

  // The claim namespace, when the tenant's own code shows it.
  const claims = adoptClaims(exp, existing.claims, applications, adoption);
  if (claims !== undefined) adoption.values["tenant:claims"] = claims;

  for (const rule of exp.rules) {
    leftOut.push({
      subject: `rule "${rule.name}"`,
      detail: `Rules are Auth0's legacy extension (replaced by Actions) and the program does not model them; it stays as it is${rule.enabled === false ? " (disabled)" : ", and keeps running on every login"}`,
    });
  }
  for (const connection of exp.connections) {
    leftOut.push({
      subject: `connection "${connection.name}"`,
      detail: `${connection.strategy ?? "connection"}: connections are not managed by this program; it stays as it is`,
    });
  }

  credentialCommands(options.stack, options.existing.config, adoption);
  return adoption;
}

// ---------------------------------------------------------------------------------------------------------
// The API

function isAuth0Api(rs: ExportResourceServer, domain: string | undefined): boolean {
  if (rs.is_system === true) return true;
  const id = rs.identifier;
  if (isAuth0ApiAudience(id) || id.includes("##AUTH0_DOMAIN##")) return true;
  return domain !== undefined && id.replace(/\/+$/, "") === `https://${normaliseDomain(domain)}/me`;
}

function chooseApi(
  custom: ExportResourceServer[],
  exp: TenantExport,
  requested: string | undefined,
  existingIdentifier: string | undefined,
  decisions: Note[],
): ExportResourceServer | undefined {
  if (requested !== undefined) {
    const found = custom.find((rs) => rs.identifier === requested);
    if (!found)
      throw new AdoptError(
        `--api ${requested}: the export has no such API (its APIs: ${custom.map((rs) => rs.identifier).join(", ") || "none"})`,
      );
    return found;
  }
  const existing = custom.find((rs) => rs.identifier === existingIdentifier);
  if (existing) return existing;
  if (custom.length <= 1) return custom[0];
  // Several APIs: the one the tenant's grants and role permissions use most.
  const uses = (rs: ExportResourceServer) =>
    exp.clientGrants.filter((g) => g.audience === rs.identifier).length +
    exp.roles.flatMap((r) => r.permissions ?? []).filter((p) => p.resource_server_identifier === rs.identifier).length;
  const chosen = [...custom].sort((a, b) => uses(b) - uses(a))[0];
  decisions.push({
    subject: "tenant:api",
    detail: `the tenant has ${custom.length} APIs (${custom.map((rs) => rs.identifier).join(", ")}); adopted ${chosen.identifier}, the one most grants and roles use. Choose another with --api <identifier>`,
  });
  return chosen;
}

function adoptApi(rs: ExportResourceServer, adoption: Adoption): ApiInput {
  const name = rs.name ?? rs.identifier;
  adoption.imports.push({
    type: TYPES.resourceServer,
    name: names.resourceServer(),
    parent: components.api,
    id: rs.id ?? undefined,
    idHint: `id of the API ${rs.identifier} (Applications > APIs > Settings: "Id")`,
    subject: `API "${name}"`,
    live: { kind: "api", api: rs },
  });
  const scopes = (rs.scopes ?? []).map((s) => ({ value: s.value, description: s.description ?? "" }));
  if (scopes.length > 0) {
    adoption.imports.push({
      type: TYPES.resourceServerScopes,
      name: names.scopes(),
      parent: components.api,
      id: rs.identifier,
      idHint: "the API's identifier",
      subject: `scopes of API "${name}"`,
      live: { kind: "api", api: rs },
    });
  }
  adoption.adopted.push({ subject: `API "${name}"`, detail: `${rs.identifier}, ${scopes.length} scope${scopes.length === 1 ? "" : "s"}` });
  return { name, identifier: rs.identifier, scopes, tokenLifetime: rs.token_lifetime ?? 86_400 };
}

function keepExistingApi(existing: Partial<ApiInput> | undefined, adoption: Adoption): ApiInput {
  if (existing?.identifier) {
    adoption.kept.push({
      subject: `API "${existing.identifier}"`,
      detail: "in the stack file but not in the tenant: the first `pulumi up` creates it",
    });
    return existing as ApiInput;
  }
  adoption.decisions.push({
    subject: "tenant:api",
    detail:
      "the tenant has no API of its own and the stack file none: a placeholder was written; set its name and identifier (the audience) before `pulumi up` creates it",
  });
  return { name: "API", identifier: "https://api.example.com/REPLACE-ME/", scopes: [] };
}

// ---------------------------------------------------------------------------------------------------------
// Applications

function indexClients(clients: ExportClient[]): (ref: string) => ExportClient | undefined {
  return (ref) => clients.find((c) => c.client_id === ref) ?? clients.find((c) => c.name === ref);
}

/** Why a live client is not adopted, or undefined when it is. */
function notAdopted(
  client: ExportClient,
  grants: ExportClientGrant[],
  deployClientId: string | undefined,
  exportedWith: string | null | undefined,
  domain: string | undefined,
): string | undefined {
  if (client.global === true)
    return `Auth0's "All Applications" default client (global): it holds tenant-wide settings, so adoption leaves it alone`;
  if (client.client_id && client.client_id === deployClientId)
    return "the application Pulumi deploys with (auth0:clientId): a stack never manages its own credentials";
  if (client.client_id && client.client_id === exportedWith) return "the read-only application the export was read with";
  const marker = client.client_metadata?.[CLIENT_METADATA_KEYS.stackMarker];
  if (typeof marker === "string") return `belongs to the ephemeral stack ${marker} (stack_marker in its metadata)`;
  if (client.app_type && !(APP_TYPES as readonly string[]).includes(client.app_type)) {
    return `its type "${client.app_type}" is not one the program models (${APP_TYPES.join(", ")})`;
  }
  const toolOnly =
    grants.length > 0 &&
    grants.every((g) => isAuth0ApiAudience(g.audience) || (domain !== undefined && g.audience.includes(normaliseDomain(domain))));
  if (toolOnly && (client.app_type === "non_interactive" || client.app_type == null)) {
    return "a machine-to-machine application for Auth0's own APIs (a tool such as the deploy CLI or the API Explorer), not one of the tenant's applications";
  }
  return undefined;
}

/** A stable key from an application's name: lower-case kebab-case, starting with a letter, unique. */
export function uniqueKey(name: string, taken: Set<string>, reserved: string[] = []): string {
  let base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(base)) base = `app-${base}`.replace(/-+$/, "");
  base = base.slice(0, 48).replace(/-+$/, "");
  const used = (key: string) => taken.has(key) || reserved.includes(key);
  if (!used(base)) return base;
  for (let n = 2; ; n++) {
    const key = `${base.slice(0, 45).replace(/-+$/, "")}-${n}`;
    if (!used(key)) return key;
  }
}

function inferType(client: ExportClient): AppType {
  const grants = client.grant_types ?? [];
  if (grants.length > 0 && grants.every((g) => g === "client_credentials")) return "non_interactive";
  if (client.token_endpoint_auth_method === "none") return (client.web_origins ?? []).length > 0 ? "spa" : "native";
  return "regular_web";
}

function adoptApplication(
  client: ExportClient,
  key: string,
  grants: ExportClientGrant[],
  audience: string | undefined,
  adoption: Adoption,
): ApplicationInput {
  const subject = `application "${key}"`;
  let type: AppType;
  if (client.app_type && (APP_TYPES as readonly string[]).includes(client.app_type)) {
    type = client.app_type as AppType;
  } else {
    type = inferType(client);
    adoption.decisions.push({
      subject,
      detail: `the live client has no app_type; adopted as ${type} from its grant types and authentication method. Check it`,
    });
  }

  const live = { ...(client.client_metadata ?? {}) };
  const rawTier = live[CLIENT_METADATA_KEYS.tier];
  delete live[CLIENT_METADATA_KEYS.tier];
  let tier: ApplicationInput["tier"];
  if (rawTier === undefined) {
    tier = "free";
    adoption.decisions.push({
      subject,
      detail: `no tier in its client metadata: adopted as "free" (tokens then carry the free tier's features). Set the tier it should have`,
    });
  } else {
    // An unknown tier is kept as it is, so that plan names it and a person chooses.
    tier = rawTier as ApplicationInput["tier"];
    if (!(TIERS as readonly unknown[]).includes(rawTier)) {
      adoption.decisions.push({
        subject,
        detail: `its tier "${String(rawTier)}" is not one of ${TIERS.join(", ")}: plan refuses it until you choose one`,
      });
    }
  }
  const minimumPlan = live[CLIENT_METADATA_KEYS.minimumPlan];
  delete live[CLIENT_METADATA_KEYS.minimumPlan];
  const requiresTenant = live[CLIENT_METADATA_KEYS.requiresTenant];
  delete live[CLIENT_METADATA_KEYS.requiresTenant];
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(live)) {
    if (SECRET_LIKE_KEY.test(name)) {
      adoption.secrets.push({
        subject: `${subject}, client metadata "${name}"`,
        detail:
          "looks like a secret, so it was not written to the stack file. Client metadata is readable by every Action and by anyone with read:clients: " +
          "move the value to a secret store (an Action secret if an Action needs it). No config key of this program holds it, so the first update removes it from the client",
      });
      continue;
    }
    metadata[name] = value;
  }

  const apiScopes: string[] = [];
  for (const grant of grants) {
    const scopes = grant.scope ?? [];
    if (grant.audience !== audience) {
      adoption.leftOut.push({
        subject: `${subject}, client grant on ${grant.audience}`,
        detail: "the program grants only on tenant:api; this grant stays as it is",
      });
    } else if (type !== "non_interactive") {
      adoption.leftOut.push({
        subject: `${subject}, client grant on ${grant.audience}`,
        detail: "the program declares client grants for machine-to-machine applications only; this grant stays as it is",
      });
    } else if (scopes.length === 0) {
      adoption.leftOut.push({
        subject: `${subject}, client grant on ${grant.audience}`,
        detail: "it grants no scope, and the program declares a grant only with scopes; it stays as it is",
      });
    } else if (apiScopes.length > 0) {
      adoption.leftOut.push({
        subject: `${subject}, client grant ${grant.id ?? ""}`,
        detail: "a second grant on the same API: only the first is adopted",
      });
    } else {
      apiScopes.push(...new Set(scopes));
      adoption.imports.push({
        type: TYPES.clientGrant,
        name: names.grant(key),
        parent: components.application(key),
        id: grant.id ?? undefined,
        idHint: `id of the client grant of "${client.name}" on ${grant.audience} (cgr_…)`,
        subject: `${subject}, client grant`,
        live: { kind: "grant", grant },
      });
    }
  }

  const clientHint = `client_id of the application "${client.name}"`;
  adoption.imports.push(
    {
      type: TYPES.client,
      name: names.client(key),
      parent: components.application(key),
      id: client.client_id ?? undefined,
      idHint: clientHint,
      subject,
      live: { kind: "client", client },
    },
    {
      type: TYPES.clientCredentials,
      name: names.credentials(key),
      parent: components.application(key),
      id: client.client_id ?? undefined,
      idHint: clientHint,
      subject: `${subject}, credentials`,
      live: { kind: "client", client },
    },
  );

  const unmodelled = Object.entries(client)
    .filter(([field, value]) => !CLIENT_FIELDS_MODELLED.has(field) && !isDefaultish(value, field))
    .map(([field]) => field);
  if (unmodelled.length > 0) {
    adoption.leftOut.push({
      subject: `${subject}, settings ${unmodelled.join(", ")}`,
      detail: "the program does not model them and does not set them; the preview after import shows whether the provider would reset any",
    });
  }
  const wildcards = [...(client.callbacks ?? []), ...(client.allowed_logout_urls ?? []), ...(client.web_origins ?? [])].filter((url) =>
    url.includes("*"),
  );
  if (wildcards.length > 0) {
    adoption.decisions.push({
      subject,
      detail: `wildcard URLs adopted as they are (${wildcards.join(", ")}); the policy pack flags them: replace each with the exact URLs`,
    });
  }
  adoption.adopted.push({
    subject,
    detail: `"${client.name}" (${type}, tier ${String(tier)})${client.client_id ? `, client_id ${client.client_id}` : ""}`,
  });

  const app: ApplicationInput = {
    key,
    name: client.name,
    type,
    tier,
    // No description live: an empty one, or the provider would write its default ("Managed by Pulumi").
    description: client.description ?? "",
    callbacks: client.callbacks ?? [],
    logoutUrls: client.allowed_logout_urls ?? [],
    webOrigins: client.web_origins ?? [],
  };
  const policy: NonNullable<ApplicationInput["policy"]> = {};
  if (minimumPlan !== undefined) policy.minimumPlan = String(minimumPlan);
  // Kept as it is, like an unknown tier, so that plan names it and a person chooses (one definition of a
  // plan name: actions/claim-mapping/values.ts).
  if (minimumPlan !== undefined && !isPlanName(minimumPlan)) {
    adoption.decisions.push({
      subject,
      detail: `its minimum_plan "${String(minimumPlan)}" is not a plan name (lower-case kebab-case, 1-48 characters): the Action denies every login to it and plan refuses it until you choose one`,
    });
  }
  if (requiresTenant === "true") policy.requireTenant = true;
  if (Object.keys(policy).length > 0) app.policy = policy;
  if (apiScopes.length > 0) app.apiScopes = apiScopes;
  if (Object.keys(metadata).length > 0) app.metadata = metadata;
  if (type === "non_interactive") {
    // Machine-to-machine apps have no browser URLs; keep only what is there, so plan can flag it.
    for (const field of ["callbacks", "logoutUrls", "webOrigins"] as const) if ((app[field] ?? []).length === 0) delete app[field];
  }
  return app;
}

// ---------------------------------------------------------------------------------------------------------
// Roles

function adoptRole(role: ExportRole, audience: string | undefined, adoption: Adoption): RoleInput {
  const subject = `role "${role.name}"`;
  const permissions = [
    ...new Set((role.permissions ?? []).filter((p) => p.resource_server_identifier === audience).map((p) => p.permission_name)),
  ];
  adoption.imports.push({
    type: TYPES.role,
    name: names.role(role.name),
    parent: components.roles,
    id: role.id ?? undefined,
    idHint: `id of the role "${role.name}" (rol_…)`,
    subject,
    live: { kind: "role", role },
  });
  if (permissions.length > 0) {
    adoption.imports.push({
      type: TYPES.rolePermissions,
      name: names.rolePermissions(role.name),
      parent: components.roles,
      id: role.id ?? undefined,
      idHint: `id of the role "${role.name}" (rol_…)`,
      subject: `${subject}, permissions`,
      live: { kind: "role", role },
    });
  }
  adoption.adopted.push({ subject, detail: `${permissions.length} permission${permissions.length === 1 ? "" : "s"} on the API` });
  return { name: role.name, description: role.description ?? "", permissions };
}

// ---------------------------------------------------------------------------------------------------------
// Bindings

function adoptBindings(exp: TenantExport, adoption: Adoption): { mode: "owner"; actions: BindingInput[]; adopted: boolean } {
  const live = exp.bindings["post-login"] ?? [];
  const claimMapping = exp.actions.find((a) => a.name === MANAGED_ACTION_NAME);
  const claimMappingId = claimMapping?.id ?? live.find((b) => b.action.name === MANAGED_ACTION_NAME)?.action.id ?? undefined;
  const isClaimMapping = (b: ExportBinding) =>
    b.action.name === MANAGED_ACTION_NAME || (claimMappingId !== undefined && b.action.id === claimMappingId);

  const actions: BindingInput[] = [];
  let complete = true;
  for (const binding of live) {
    if (isClaimMapping(binding)) {
      actions.push(MANAGED_ACTION_NAME);
      continue;
    }
    const name = binding.action.name ?? binding.display_name ?? "?";
    const displayName = binding.display_name ?? name;
    const id = binding.action.id ?? exp.actions.find((a) => a.name === name)?.id ?? undefined;
    if (id === undefined) complete = false;
    actions.push({ id: id ?? placeholder(`id of the Action "${name}"`), displayName });
    adoption.adopted.push({
      subject: `post-login binding "${displayName}"`,
      detail: `Action "${name}", not managed by this program: kept in place by id, position ${actions.length}`,
    });
  }
  if (!actions.includes(MANAGED_ACTION_NAME)) {
    actions.push(MANAGED_ACTION_NAME);
    adoption.decisions.push({
      subject: "tenant:postLogin",
      detail:
        live.length === 0
          ? "nothing is bound to post-login yet: the program binds claim-mapping alone"
          : `claim-mapping was not bound: the program appends it at the end, after ${live.map((b) => `"${b.display_name ?? b.action.name}"`).join(", ")}. Move it in tenant:postLogin.actions if it must run earlier`,
    });
  }
  if (!complete) {
    adoption.decisions.push({
      subject: "tenant:postLogin",
      detail:
        "the export does not carry the ids of the Actions bound to post-login: fill in each <PLACEHOLDER> in tenant:postLogin.actions, then set adopted: true",
    });
  }

  if (claimMapping || claimMappingId) {
    adoption.imports.push({
      type: TYPES.action,
      name: names.action(),
      parent: components.loginFlow,
      id: claimMappingId,
      idHint: `id of the Action "${MANAGED_ACTION_NAME}"`,
      subject: `Action "${MANAGED_ACTION_NAME}"`,
      live: { kind: "action", action: claimMapping },
    });
  }
  if (live.length > 0) {
    adoption.imports.push({
      type: TYPES.triggerActions,
      name: names.postLogin(),
      parent: components.loginFlow,
      id: "post-login",
      idHint: "the trigger id",
      subject: "post-login bindings",
      live: { kind: "bindings", bindings: live, claimMappingId },
    });
  }
  const bound = new Set(live.map((b) => b.action.id ?? b.action.name));
  for (const action of exp.actions) {
    if (action.name === MANAGED_ACTION_NAME || bound.has(action.id ?? action.name) || bound.has(action.name)) continue;
    const triggers = (action.supported_triggers ?? []).map((t) => t.id).join(", ");
    adoption.leftOut.push({
      subject: `Action "${action.name}"`,
      detail: `not bound to post-login${triggers ? ` (triggers: ${triggers})` : ""} and not managed by this program; it stays as it is`,
    });
  }
  return { mode: "owner", actions, adopted: complete };
}

// ---------------------------------------------------------------------------------------------------------
// Claims

/**
 * The claim namespace the tenant's code already uses: a `namespace = "https://…/"` constant, or the prefix of
 * claim names set with a literal (`api.idToken.setCustomClaim("https://myapp.com/roles", …)`, or a rule's
 * `context.idToken["https://myapp.com/roles"]`). The most used wins.
 */
export function inferNamespace(sources: { label: string; code: string }[]): { namespace: string; from: string[] } | undefined {
  const found = new Map<string, { count: number; from: Set<string> }>();
  const add = (namespace: string, label: string) => {
    const entry = found.get(namespace) ?? { count: 0, from: new Set<string>() };
    entry.count++;
    entry.from.add(label);
    found.set(namespace, entry);
  };
  for (const { label, code } of sources) {
    for (const m of code.matchAll(/namespace\w*\s*[:=]\s*(['"`])(https:\/\/[^'"`\s$]+\/)\1/gi)) add(m[2], label);
    for (const m of code.matchAll(
      /(?:setCustomClaim\s*\(\s*|(?:idToken|accessToken)\s*\[\s*)(['"`])(https:\/\/[^'"`\s$]+\/[^'"`\s/$]+)\1/g,
    )) {
      add(m[2].slice(0, m[2].lastIndexOf("/") + 1), label);
    }
  }
  const best = [...found].sort((a, b) => b[1].from.size - a[1].from.size || b[1].count - a[1].count)[0];
  return best && { namespace: best[0], from: [...best[1].from] };
}

function adoptClaims(
  exp: TenantExport,
  existing: Partial<ClaimsInput> | undefined,
  applications: ApplicationInput[],
  adoption: Adoption,
): ClaimsInput | undefined {
  const sources = [
    ...exp.actions.filter((a) => a.code).map((a) => ({ label: `Action "${a.name}"`, code: a.code! })),
    ...exp.rules.filter((r) => r.script).map((r) => ({ label: `rule "${r.name}"`, code: r.script! })),
  ];
  const inferred = inferNamespace(sources);
  const plans = [...new Set(applications.map((a) => a.policy?.minimumPlan).filter(isPlanName))];

  if (existing?.namespace !== undefined) {
    if (inferred && inferred.namespace !== existing.namespace) {
      adoption.decisions.push({
        subject: "tenant:claims.namespace",
        detail: `kept "${existing.namespace}" from the stack file, but the tenant's code uses "${inferred.namespace}" (${inferred.from.join(", ")}): tokens change namespace on the first deploy unless you set it`,
      });
    }
    const missing = plans.filter((p) => !(existing.plans ?? []).includes(p));
    if (missing.length === 0) return undefined;
    adoption.decisions.push({
      subject: "tenant:claims.plans",
      detail: `added ${missing.join(", ")}, which applications require as minimum plan: check their rank order (lowest first)`,
    });
    return { ...(existing as ClaimsInput), plans: [...(existing.plans ?? []), ...missing] };
  }

  const claims: ClaimsInput = {
    namespace: inferred?.namespace ?? "REPLACE-ME: https://your-domain.example/",
    plans: existing?.plans ?? (plans.length > 0 ? plans : ["free"]),
    tierFeatures: existing?.tierFeatures ?? { free: [], pro: [], enterprise: [] },
    idTokenPreferences: existing?.idTokenPreferences ?? [],
  };
  adoption.decisions.push(
    inferred
      ? { subject: "tenant:claims.namespace", detail: `"${inferred.namespace}", inferred from ${inferred.from.join(", ")}` }
      : {
          subject: "tenant:claims.namespace",
          detail:
            "no claim namespace found in the tenant's Actions or rules: set one (an https URL on your own domain, ending in /); plan refuses the placeholder",
        },
  );
  if (!existing?.plans)
    adoption.decisions.push({
      subject: "tenant:claims.plans",
      detail: `set to ${claims.plans.join(", ")}: list your plans, lowest rank first`,
    });
  if (!existing?.tierFeatures)
    adoption.decisions.push({
      subject: "tenant:claims.tierFeatures",
      detail: "nothing in the tenant says what each tier enables: the lists are empty, fill them in",
    });
  return claims;
}

// ---------------------------------------------------------------------------------------------------------
// The stack file as it is, and the credentials

interface Existing {
  domain?: string;
  clientId?: string;
  api?: Partial<ApiInput>;
  applications: Partial<ApplicationInput>[];
  roles: Partial<RoleInput>[];
  claims?: Partial<ClaimsInput>;
}

function readExisting(config: Record<string, unknown>): Existing {
  if (config["tenant:isolation"] !== undefined) {
    throw new AdoptError("this is an ephemeral stack (tenant:isolation): ephemeral stacks share a sandbox tenant and are never adopted");
  }
  const object = (value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const array = (value: unknown) => (Array.isArray(value) ? value.filter((v) => object(v)) : []);
  const string = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  return {
    domain: string(config["auth0:domain"]),
    clientId: string(config["auth0:clientId"]),
    api: object(config["tenant:api"]) as Partial<ApiInput> | undefined,
    applications: array(config["tenant:applications"]) as Partial<ApplicationInput>[],
    roles: array(config["tenant:roles"]) as Partial<RoleInput>[],
    claims: object(config["tenant:claims"]) as Partial<ClaimsInput> | undefined,
  };
}

/** The committed stack files' placeholder ciphertext reads "replace-me-with-pulumi-config-set--secret". */
function isPlaceholderSecret(value: unknown): boolean {
  const secure = (value as { secure?: unknown } | undefined)?.secure;
  if (typeof secure !== "string") return true;
  return Buffer.from(secure, "base64").toString("latin1").includes("replace-me");
}

function credentialCommands(stack: string, config: Record<string, unknown>, adoption: Adoption): void {
  if (typeof config["auth0:clientId"] !== "string") {
    adoption.commands.push(`pulumi config set auth0:clientId <client id of the application Pulumi deploys with> --stack ${stack}`);
  }
  if (isPlaceholderSecret(config["auth0:clientSecret"])) {
    adoption.commands.push(
      `pulumi config set --secret auth0:clientSecret --stack ${stack}   # its secret: paste it when asked, never on the command line`,
    );
  }
}
