// Client grants: a machine-to-machine application's grant on tenant:api becomes its apiScopes; every other
// grant stays as it is in Auth0 and is listed.
import type { AppType } from "../../../../infra/settings/schema";
import type { ExportClient, ExportClientGrant, TenantExport } from "../export-format";
import type { Adoption } from "../model";
import { components, names, TYPES } from "../names";

/** Each client's grants; a grant whose client is not in the export is listed as left out. */
export function grantsByClient(exp: TenantExport, adoption: Adoption): Map<ExportClient, ExportClientGrant[]> {
  const clientIndex = indexClients(exp.clients);
  const result = new Map<ExportClient, ExportClientGrant[]>();
  for (const grant of exp.clientGrants) {
    const client = clientIndex(grant.client_id);
    if (!client) {
      adoption.leftOut.push({
        subject: `client grant on ${grant.audience}`,
        detail: `its application "${grant.client_id}" is not in the export`,
      });
      continue;
    }
    result.set(client, [...(result.get(client) ?? []), grant]);
  }
  return result;
}

function indexClients(clients: ExportClient[]): (ref: string) => ExportClient | undefined {
  return (ref) => clients.find((c) => c.client_id === ref) ?? clients.find((c) => c.name === ref);
}

/** The scopes on tenant:api the application is granted (its apiScopes), with an import entry for that grant. */
export function adoptGrants(
  client: ExportClient,
  key: string,
  type: AppType,
  grants: ExportClientGrant[],
  audience: string | undefined,
  adoption: Adoption,
): string[] {
  const subject = `application "${key}"`;

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
  return apiScopes;
}
