// The API: one resource server becomes tenant:api; Auth0's own APIs are left alone.
import { isAuth0ApiAudience } from "../../../../auth0/rules";
import { normaliseDomain } from "../../../../infra/settings/isolation";
import { AdoptError, type ExportResourceServer, type TenantExport } from "../export-format";
import { keepEdits } from "../existing";
import type { Adoption, ApiInput, Context, Note } from "../model";
import { components, names, TYPES } from "../names";

/** Sets tenant:api and returns the audience the other handlers grant on. */
export function adoptResourceServers(ctx: Context, adoption: Adoption): string | undefined {
  const { exp, domain, existing } = ctx;
  const { leftOut, decisions } = adoption;
  const own = exp.resourceServers.filter((rs) => isAuth0Api(rs, domain));
  for (const rs of own)
    leftOut.push({
      subject: `API "${rs.name ?? rs.identifier}"`,
      detail: `Auth0's own API (${rs.identifier}): Auth0 manages it, so adoption leaves it alone`,
    });
  const custom = exp.resourceServers.filter((rs) => !isAuth0Api(rs, domain));
  const api = chooseApi(custom, exp, ctx.apiIdentifier, existing.api?.identifier, decisions);
  for (const rs of custom.filter((rs) => rs !== api)) {
    leftOut.push({
      subject: `API "${rs.name ?? rs.identifier}"`,
      detail: `the program manages one API (tenant:api, here ${api?.identifier}); ${rs.identifier} stays as it is in Auth0${ctx.apiIdentifier ? "" : " (choose another with --api <identifier>)"}`,
    });
  }
  const entry = existing.api?.identifier === api?.identifier ? existing.api : undefined;
  adoption.values["tenant:api"] = api
    ? keepEdits(adoptApi(api, adoption), entry, `API "${api.name ?? api.identifier}"`, adoption)
    : keepExistingApi(existing.api, ctx.absent, adoption);
  return api?.identifier ?? existing.api?.identifier;
}

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
  const unmodelled = Object.entries(rs)
    .filter(([field, value]) => !API_FIELDS_MODELLED.has(field) && value !== null && value !== undefined)
    .map(([field, value]) => `${field} (${JSON.stringify(value)})`);
  if (unmodelled.length > 0) {
    adoption.leftOut.push({
      subject: `API "${name}", settings ${unmodelled.join(", ")}`,
      detail: "the program does not model them and does not set them; the preview after import shows whether the provider would reset any",
    });
  }
  return { name, identifier: rs.identifier, scopes, tokenLifetime: rs.token_lifetime ?? 86_400 };
}

/** API fields the config or the program sets (infra/components/api.ts) or that only identify it; the rest are listed. */
const API_FIELDS_MODELLED = new Set([
  "id",
  "name",
  "identifier",
  "is_system",
  "scopes",
  "signing_alg",
  "signing_secret",
  "enforce_policies",
  "token_dialect",
  "token_lifetime",
  "allow_offline_access",
  "skip_consent_for_verifiable_first_party_clients",
]);

function keepExistingApi(existing: Partial<ApiInput> | undefined, absent: string[], adoption: Adoption): ApiInput {
  const notCarried = absent.find((a) => a.startsWith("resourceServers"));
  if (existing?.identifier) {
    adoption.kept.push({
      subject: `API "${existing.identifier}"`,
      detail: notCarried
        ? `the export does not carry the APIs (${notCarried}): kept from the stack file; if it exists in the tenant, the import file lacks it`
        : "in the stack file but not in the tenant: the first `pulumi up` creates it",
    });
    return existing as ApiInput;
  }
  adoption.decisions.push({
    subject: "tenant:api",
    detail: `${notCarried ? `the export does not carry the APIs (${notCarried})` : "the tenant has no API of its own"} and the stack file none: a placeholder was written, which plan refuses; set its name and identifier (the audience)`,
  });
  return { name: "API", identifier: "https://api.example.com/REPLACE-ME/", scopes: [] };
}
