// Adoption proper: from a tenant export to the stack config that reproduces it, the live resources a Pulumi
// import file must map, and everything the report has to say (what was left out and why, decisions a person
// must review, secrets). Pure: the caller reads files and writes them. One handler per Auth0 resource type
// (handlers/), run in the order their values depend on each other: the API's audience first.
import type { TenantExport } from "./export-format";
import { credentialCommands, readExisting } from "./existing";
import { adoptClaims } from "./handlers/claims";
import { adoptClients } from "./handlers/clients";
import { adoptResourceServers } from "./handlers/resource-servers";
import { adoptRoles } from "./handlers/roles";
import { listRulesAndConnections } from "./handlers/rules-and-connections";
import { adoptTenantDomain } from "./handlers/tenant";
import { adoptTriggers } from "./handlers/triggers";
import { type Adoption, type AdoptOptions, type Context, emptyAdoption } from "./model";

export type { Adoption, AdoptOptions, ImportTarget, Note } from "./model";

export function adoptTenant(exp: TenantExport, options: AdoptOptions): Adoption {
  const existing = readExisting(options.existing.config);
  const adoption = emptyAdoption();
  const domain = adoptTenantDomain(exp, options, existing, adoption);
  const ctx: Context = {
    exp,
    stack: options.stack,
    existing,
    domain,
    apiIdentifier: options.apiIdentifier,
    absent: options.absent ?? [],
    previous: options.previous ?? { clients: new Map(), roles: new Map() },
  };

  const audience = adoptResourceServers(ctx, adoption);
  const applications = adoptClients(ctx, audience, adoption);
  adoptRoles(ctx, audience, adoption);
  adoptTriggers(ctx, adoption);
  const claims = adoptClaims(exp, existing.claims, applications, adoption);
  if (claims !== undefined) adoption.values["tenant:claims"] = claims;
  listRulesAndConnections(exp, adoption);

  credentialCommands(options.stack, options.existing.config, adoption);
  return adoption;
}
