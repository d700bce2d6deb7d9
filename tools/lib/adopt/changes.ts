// What the first `pulumi up` after the import would change: the program's planned inputs for each adopted
// resource compared with the live object, field by field, as Auth0 sees them (sets where order does not
// matter to Auth0, lists where the provider keeps order). The same comparison is the round-trip test's oracle.
import type { Plan, PlannedResource } from "../../../harness/plan";
import { UNKNOWN } from "../../../harness/plan";
import type { ImportTarget } from "./model";
import { authenticationMethodOf, SECRET_LIKE_KEY, type ExportClient, type ExportResourceServer } from "./export-format";
import { childUrn, MANAGED_ACTION_NAME, TYPES } from "./names";
import { sameValue } from "../same-value";

export interface Change {
  subject: string;
  field: string;
  live: string;
  planned: string;
}

/** Planned custom resources that no import entry adopts: the first `pulumi up` creates them. */
export function freshResources(plan: Plan, targets: ImportTarget[]): PlannedResource[] {
  const adopted = new Set(targets.map((t) => `${t.type}::${t.name}`));
  return plan.resources.filter((r) => r.type.startsWith("auth0:") && !adopted.has(`${r.type}::${r.name}`));
}

/** Each import target's planned resource; a target the program does not register is a bug in adopt. */
export function plannedFor(plan: Plan, targets: ImportTarget[]): Map<ImportTarget, PlannedResource> {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const result = new Map<ImportTarget, PlannedResource>();
  for (const target of targets) {
    const urn = childUrn(plan.stack, target.parent, target.type, target.name);
    const resource = byUrn.get(urn);
    if (!resource) throw new Error(`adopt maps ${urn}, which the program does not register: tools/lib/adopt/names.ts is out of date`);
    result.set(target, resource);
  }
  return result;
}

export function plannedChanges(plan: Plan, targets: ImportTarget[]): Change[] {
  const changes: Change[] = [];
  for (const [target, resource] of plannedFor(plan, targets)) {
    // biome-ignore lint/suspicious/noExplicitAny: provider inputs are an untyped bag, read field by field
    const inputs = resource.inputs as Record<string, any>;
    const add = (field: string, live: unknown, planned: unknown, compare: (a: unknown, b: unknown) => boolean = same) => {
      if (!compare(live, planned)) changes.push({ subject: target.subject, field, live: show(live), planned: show(planned) });
    };
    const { live } = target;
    switch (target.type) {
      case TYPES.client:
        if (live.kind === "client") compareClient(live.client, inputs, add);
        break;
      case TYPES.clientCredentials:
        if (live.kind === "client") add("token endpoint authentication", authenticationMethodOf(live.client), inputs.authenticationMethod);
        break;
      case TYPES.clientGrant:
        if (live.kind === "grant") {
          add("audience", live.grant.audience, inputs.audience);
          add("scopes", live.grant.scope ?? [], inputs.scopes, sameSet);
        }
        break;
      case TYPES.resourceServer:
        if (live.kind === "api") compareApi(live.api, inputs, add);
        break;
      case TYPES.resourceServerScopes:
        if (live.kind === "api") {
          const liveScopes = (live.api.scopes ?? []).map((s) => `${s.value}: ${s.description ?? ""}`);
          const planned = (inputs.scopes ?? []).map((s: { name: string; description?: string }) => `${s.name}: ${s.description ?? ""}`);
          add("scopes", liveScopes, planned, sameSet);
        }
        break;
      case TYPES.role:
        if (live.kind === "role") {
          add("name", live.role.name, inputs.name);
          add("description", live.role.description ?? "", inputs.description ?? "");
        }
        break;
      case TYPES.rolePermissions:
        if (live.kind === "role") {
          // RolePermissions owns all of a role's permissions: any on another API is removed.
          const livePermissions = (live.role.permissions ?? []).map((p) => `${p.permission_name} (${p.resource_server_identifier})`);
          const planned = (inputs.permissions ?? []).map(
            (p: { name: string; resourceServerIdentifier: string }) => `${p.name} (${p.resourceServerIdentifier})`,
          );
          add("permissions", livePermissions, planned, sameSet);
        }
        break;
      case TYPES.action:
        if (live.kind === "action" && live.action) {
          add("name", live.action.name, inputs.name);
          add("runtime", live.action.runtime, inputs.runtime);
          if (live.action.code !== inputs.code) {
            changes.push({
              subject: target.subject,
              field: "code",
              live: `${byteLength(live.action.code)} bytes`,
              planned: `the program's bundle (${byteLength(inputs.code)} bytes), deployed`,
            });
          }
          add(
            "secrets",
            (live.action.secrets ?? []).map((s) => s.name),
            (inputs.secrets ?? []).map((s: { name: string }) => s.name),
            sameSet,
          );
          add(
            "dependencies",
            (live.action.dependencies ?? []).map((d) => `${d.name}@${d.version ?? ""}`),
            (inputs.dependencies ?? []).map((d: { name: string; version?: string }) => `${d.name}@${d.version ?? ""}`),
            sameSet,
          );
        }
        break;
      case TYPES.triggerActions:
        if (live.kind === "bindings") {
          // The managed Action's id is known only after deployment; it stands where the live claim-mapping is.
          const liveList = live.bindings.map(
            (b) =>
              `${b.display_name ?? b.action.name} (${b.action.id === live.claimMappingId && live.claimMappingId ? MANAGED_ACTION_NAME : (b.action.id ?? b.action.name)})`,
          );
          const planned = (inputs.actions ?? []).map((a: { id: string; displayName: string }) =>
            a.id === UNKNOWN ? `${MANAGED_ACTION_NAME} (${MANAGED_ACTION_NAME})` : `${a.displayName} (${placeholderName(a.id)})`,
          );
          add("bound Actions, in order", liveList, planned);
        }
        break;
    }
  }
  return changes;
}

type Add = (field: string, live: unknown, planned: unknown, compare?: (a: unknown, b: unknown) => boolean) => void;

// biome-ignore lint/suspicious/noExplicitAny: provider inputs are an untyped bag, read field by field
function compareClient(client: ExportClient, inputs: Record<string, any>, add: Add): void {
  add("name", client.name, inputs.name);
  add("description", client.description ?? "", inputs.description ?? "");
  add("type", client.app_type, inputs.appType);
  add("callbacks", client.callbacks ?? [], inputs.callbacks ?? []);
  add("logout URLs", client.allowed_logout_urls ?? [], inputs.allowedLogoutUrls ?? []);
  add("web origins", client.web_origins ?? [], inputs.webOrigins ?? []);
  add("allowed origins (CORS)", client.allowed_origins ?? [], inputs.allowedOrigins ?? []);
  add("grant types", client.grant_types, inputs.grantTypes, sameSet);
  add("OIDC conformant", client.oidc_conformant, inputs.oidcConformant);
  add("first party", client.is_first_party, inputs.isFirstParty);
  add("cross-origin authentication", client.cross_origin_authentication ?? client.cross_origin_auth, inputs.crossOriginAuth);
  add("JWT signing algorithm", client.jwt_configuration?.alg, inputs.jwtConfiguration?.alg);
  // Compared in full, shown without the values of keys that look like secrets.
  if (!sameValue(client.client_metadata ?? {}, inputs.clientMetadata ?? {})) {
    add("client metadata", masked(client.client_metadata ?? {}), masked(inputs.clientMetadata ?? {}), () => false);
  }
  if (inputs.refreshToken !== undefined) {
    const live = client.refresh_token ?? {};
    const planned = inputs.refreshToken as Record<string, unknown>;
    add("refresh token rotation", live.rotation_type, planned.rotationType);
    add("refresh token expiration", live.expiration_type, planned.expirationType);
    add("refresh token leeway", live.leeway, planned.leeway);
    add("refresh token lifetime", live.token_lifetime, planned.tokenLifetime);
    add("refresh token idle lifetime", live.idle_token_lifetime, planned.idleTokenLifetime);
    add("refresh token infinite lifetime", live.infinite_token_lifetime, planned.infiniteTokenLifetime);
    add("refresh token infinite idle lifetime", live.infinite_idle_token_lifetime, planned.infiniteIdleTokenLifetime);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: provider inputs are an untyped bag, read field by field
function compareApi(api: ExportResourceServer, inputs: Record<string, any>, add: Add): void {
  add("name", api.name, inputs.name);
  add("identifier", api.identifier, inputs.identifier);
  add("signing algorithm", api.signing_alg, inputs.signingAlg);
  add("RBAC (enforce policies)", api.enforce_policies, inputs.enforcePolicies);
  add("token dialect", api.token_dialect, inputs.tokenDialect);
  add("token lifetime", api.token_lifetime, inputs.tokenLifetime);
  add("allow offline access", api.allow_offline_access, inputs.allowOfflineAccess);
  add(
    "skip consent for first-party clients",
    api.skip_consent_for_verifiable_first_party_clients,
    inputs.skipConsentForVerifiableFirstPartyClients,
  );
}

/** A placeholder id stands for the Action it names, as the live list shows an Action without id. */
function placeholderName(id: string): string {
  return /^<PLACEHOLDER: id of the Action "(.*)">$/.exec(id)?.[1] ?? id;
}

function masked(metadata: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, SECRET_LIKE_KEY.test(key) ? "[secret]" : value]));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function sameSet(a: unknown, b: unknown): boolean {
  const set = (v: unknown) => JSON.stringify([...new Set(Array.isArray(v) ? v.map(String) : [])].sort());
  return (a === undefined || a === null) === (b === undefined || b === null) ? set(a) === set(b) : false;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return "(not set)";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map(String).join(", ");
  if (typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? "(none)" : entries.map(([k, v]) => `${k}=${String(v)}`).join(", ");
  }
  return String(value);
}

function byteLength(code: unknown): number {
  return Buffer.byteLength(typeof code === "string" ? code : "");
}
