// Applications: each live client the program can model becomes an entry of tenant:applications, with an
// import entry for its Client and ClientCredentials; the rest are listed with the reason.
import { CLIENT_METADATA_KEYS, TIERS } from "../../../../actions/claim-mapping/settings";
import { isAuth0ApiAudience } from "../../../../auth0/rules";
import { normaliseDomain } from "../../../../infra/settings/isolation";
import { APP_TYPES, type AppType } from "../../../../infra/settings/schema";
import { SECRET_FIELDS, SECRET_LIKE_KEY, type ExportClient, type ExportClientGrant } from "../export-format";
import type { Adoption, ApplicationInput, Context } from "../model";
import { components, names, TYPES } from "../names";
import { adoptGrants, grantsByClient } from "./client-grants";

/** Sets tenant:applications: the adopted clients, then the stack file's applications the tenant lacks. */
export function adoptClients(ctx: Context, audience: string | undefined, adoption: Adoption): ApplicationInput[] {
  const { exp, existing, domain } = ctx;
  const grantsOf = grantsByClient(exp, adoption);
  const existingApps = existing.applications;
  const takenKeys = new Set<string>();
  const applications: ApplicationInput[] = [];
  for (const client of exp.clients) {
    const grants = grantsOf.get(client) ?? [];
    const reason = notAdopted(client, grants, existing.clientId, exp.exportedWith, domain);
    if (reason) {
      const grantText =
        grants.length > 0 ? ` (with its ${grants.length} client grant${grants.length > 1 ? "s" : ""}, also left alone)` : "";
      adoption.leftOut.push({ subject: `application "${client.name}"`, detail: `${reason}${grantText}` });
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
        detail: `in Pulumi.${ctx.stack}.yaml but not in the tenant: the first \`pulumi up\` creates it`,
      });
    }
  }
  adoption.values["tenant:applications"] = applications;
  return applications;
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
  const apiScopes = adoptGrants(client, key, type, grants, audience, adoption);

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
