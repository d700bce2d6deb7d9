// Applications: each live client the program can model becomes an entry of tenant:applications, with an
// import entry for its Client and ClientCredentials; the rest are listed with the reason.
import { stackFileName } from "../../../../harness/stack-file";
import { CLIENT_METADATA_KEYS, TIERS } from "../../../../actions/claim-mapping/settings";
import { isPlanName } from "../../../../actions/claim-mapping/values";
import { isAuth0ApiAudience } from "../../../../auth0/rules";
import { normaliseDomain } from "../../../../infra/settings/isolation";
import { APP_TYPES, type AppType } from "../../../../infra/settings/schema";
import { clientProfileFor } from "../../../../infra/clients";
import { sameValue } from "../../same-value";
import { keepEdits, reportEntryNotLive } from "../existing";
import { authenticationMethodOf, SECRET_FIELDS, SECRET_LIKE_KEY, type ExportClient, type ExportClientGrant } from "../export-format";
import { keyBase, stableKeys } from "../keys";
import type { Adoption, ApplicationInput, Context } from "../model";
import { components, names, TYPES } from "../names";
import { adoptGrants, grantsByClient } from "./client-grants";

/**
 * Sets tenant:applications. Entries the stack file already has keep their place, key and every value a person
 * set; each is matched to its live client by client_id (through the import file an earlier run wrote), else by
 * name. Live clients without an entry are appended under a stable key (keys.ts).
 */
export function adoptClients(ctx: Context, audience: string | undefined, adoption: Adoption): ApplicationInput[] {
  const { exp, existing, domain } = ctx;
  const grantsOf = grantsByClient(exp, adoption);
  const candidates: ExportClient[] = [];
  /** Live clients adoption left for the reviewer: an entry of the file that stands for one must not be created again. */
  const held: ExportClient[] = [];
  for (const client of exp.clients) {
    const grants = grantsOf.get(client) ?? [];
    const grantText = grants.length > 0 ? ` (with its ${grants.length} client grant${grants.length > 1 ? "s" : ""}, also left alone)` : "";
    const reason = notAdopted(client, grants, existing.clientId, exp.exportedWith, domain);
    if (reason) {
      adoption.leftOut.push({ subject: `application "${client.name}"`, detail: `${reason}${grantText}` });
      continue;
    }
    const authentication = authenticationProblem(client);
    if (authentication) {
      adoption.decisions.push({ subject: `application "${client.name}"`, detail: `${authentication}${grantText}` });
      held.push(client);
      continue;
    }
    candidates.push(client);
  }

  // Live clients to the entries already there: by client_id first, then by a name only one client has.
  const entries = existing.applications;
  const byKey = new Map(entries.filter((e) => e.key).map((e) => [e.key!, e]));
  const matched = new Map<ExportClient, Partial<ApplicationInput>>();
  const claimed = new Set<Partial<ApplicationInput>>();
  for (const client of candidates) {
    const key = client.client_id ? ctx.previous.clients.get(client.client_id) : undefined;
    const entry = key !== undefined ? byKey.get(key) : undefined;
    if (entry && !claimed.has(entry)) {
      matched.set(client, entry);
      claimed.add(entry);
    }
  }
  for (const client of candidates) {
    if (matched.has(client) || candidates.filter((c) => c.name === client.name).length > 1) continue;
    const entry = entries.find((e) => e.name === client.name && e.key && !claimed.has(e));
    if (entry) {
      matched.set(client, entry);
      claimed.add(entry);
    }
  }
  // A key a person renamed: the earlier run's key for this client is gone from the file, and an entry of the
  // same name has a key no earlier run gave; among those, the one that describes this client best.
  const previousKeys = new Set(ctx.previous.clients.values());
  for (const client of candidates) {
    const earlier = client.client_id ? ctx.previous.clients.get(client.client_id) : undefined;
    if (matched.has(client) || earlier === undefined || byKey.has(earlier)) continue;
    const renamed = entries.filter((e) => e.name === client.name && e.key && !claimed.has(e) && !previousKeys.has(e.key));
    const score = (e: Partial<ApplicationInput>) =>
      [
        e.description === (client.description ?? ""),
        sameValue(e.callbacks ?? [], client.callbacks ?? []),
        sameValue(e.logoutUrls ?? [], client.allowed_logout_urls ?? []),
        sameValue(e.webOrigins ?? [], client.web_origins ?? []),
      ].filter(Boolean).length;
    const best = [...renamed].sort((a, b) => score(b) - score(a));
    if (best.length > 0 && (best.length === 1 || score(best[0]) > score(best[1]))) {
      matched.set(client, best[0]);
      claimed.add(best[0]);
    }
  }
  const unmatched = candidates.filter((c) => !matched.has(c));
  const keyed = unmatched.map((client) => ({ client, name: client.name, id: client.client_id ?? undefined }));
  const fresh = stableKeys(keyed, new Set(entries.map((e) => e.key ?? "")), (name) => keyBase(name, "app"), "application");
  const liveByEntry = new Map([...matched].map(([client, entry]) => [entry, client]));

  for (const name of new Set(candidates.map((c) => c.name))) {
    const same = candidates.filter((c) => c.name === name);
    if (same.length < 2) continue;
    adoption.decisions.push({
      subject: `applications named "${name}"`,
      detail:
        `${same.length} live applications share this name (${same.map((c) => c.client_id ?? "no client_id").join(", ")}); their keys come from their client ids. ` +
        "plan refuses two applications of one name: give each its own name in the stack file (the first `pulumi up` renames it in Auth0)",
    });
  }

  const applications: ApplicationInput[] = [];
  for (const entry of entries) {
    const client = liveByEntry.get(entry);
    if (client) {
      applications.push(adoptApplication(client, entry.key!, grantsOf.get(client) ?? [], audience, adoption, entry));
    } else if (entry.key) {
      applications.push(entry as ApplicationInput);
      const live = held.find(
        (c) =>
          (c.client_id !== undefined && c.client_id !== null && ctx.previous.clients.get(c.client_id) === entry.key) ||
          c.name === entry.name,
      );
      if (live) {
        adoption.decisions.push({
          subject: `application "${entry.key}"`,
          detail: `in ${stackFileName(ctx.stack)}, and the tenant has it ("${live.name}"), but it was not adopted (see its decision): the first \`pulumi up\` would create a second application. Remove the entry, or resolve the decision and adopt again`,
        });
        continue;
      }
      reportEntryNotLive(ctx, adoption, `application "${entry.key}"`, { prefix: "clients", noun: "applications" });
    }
  }
  for (const item of keyed)
    applications.push(adoptApplication(item.client, fresh.get(item)!, grantsOf.get(item.client) ?? [], audience, adoption));
  adoption.values["tenant:applications"] = applications;
  return applications;
}

/**
 * Why adopting a client would change how it authenticates, or undefined. The program declares
 * client_secret_post (confidential) or none (public) from the type (infra/clients.ts); any other method
 * (client_secret_basic, private_key_jwt, mutual TLS) would be replaced and its logins break, so such a
 * client is not adopted and the reviewer decides.
 */
function authenticationProblem(client: ExportClient): string | undefined {
  const live = authenticationMethodOf(client);
  if (live === undefined) return undefined;
  const type = typeOf(client);
  const planned = clientProfileFor(type).authenticationMethod;
  if (live === planned) return undefined;
  const where = client.client_authentication_methods ? "client_authentication_methods" : "token_endpoint_auth_method";
  return (
    `authenticates with ${live} (${where}), and the program declares ${planned} for a ${type} application: adopting it would ` +
    `switch its authentication and break its logins, so it was not adopted and stays as it is in Auth0. Keep it outside this ` +
    `stack, or switch it to ${planned} on purpose (its credentials change) and adopt again`
  );
}

function typeOf(client: ExportClient): AppType {
  return client.app_type && (APP_TYPES as readonly string[]).includes(client.app_type) ? (client.app_type as AppType) : inferType(client);
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
  "client_authentication_methods",
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

/** Fields of nested objects the program sets or compares (changes.ts); the others are listed as not modelled. */
const NESTED_MODELLED: Record<string, string[]> = {
  jwt_configuration: ["alg"],
  refresh_token: [
    "rotation_type",
    "expiration_type",
    "leeway",
    "token_lifetime",
    "idle_token_lifetime",
    "infinite_token_lifetime",
    "infinite_idle_token_lifetime",
  ],
};

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
  entry?: Partial<ApplicationInput>,
): ApplicationInput {
  const subject = `application "${key}"`;
  const type = typeOf(client);
  if (!client.app_type && entry?.type === undefined) {
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
    if (entry?.tier === undefined)
      adoption.decisions.push({
        subject,
        detail: `no tier in its client metadata: adopted as "free" (tokens then carry the free tier's features). Set the tier it should have`,
      });
  } else {
    // An unknown tier is kept as it is, so that plan names it and a person chooses.
    tier = rawTier as ApplicationInput["tier"];
    if (!(TIERS as readonly unknown[]).includes(rawTier) && entry?.tier === undefined) {
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

  const unmodelled = [
    ...Object.entries(client)
      .filter(([field, value]) => !CLIENT_FIELDS_MODELLED.has(field) && !isDefaultish(value, field))
      .map(([field]) => field),
    ...Object.entries(NESTED_MODELLED).flatMap(([field, modelled]) =>
      Object.entries((client[field] ?? {}) as Record<string, unknown>)
        .filter(([sub, value]) => !modelled.includes(sub) && !isDefaultish(value))
        .map(([sub, value]) => `${field}.${sub} (${JSON.stringify(value)})`),
    ),
  ];
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
  return keepEdits(app, entry, subject, adoption);
}
