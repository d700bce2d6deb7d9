// Inputs whose change makes Auth0 (through the provider) replace the resource: delete and create, which
// for a client means new client IDs and for an API a new audience. From terraform-provider-auth0's
// ForceNew schema attributes, which @pulumi/auth0 bridges.
import { TYPES } from "../../../infra/resource-types";

export const REPLACE_ON: Readonly<Record<string, readonly string[]>> = {
  [TYPES.resourceServer]: ["identifier"],
  [TYPES.resourceServerScopes]: ["resourceServerIdentifier"],
  [TYPES.clientCredentials]: ["clientId"],
  [TYPES.clientGrant]: ["clientId", "audience"],
  [TYPES.rolePermissions]: ["roleId"],
  [TYPES.triggerActions]: ["trigger"],
  [TYPES.triggerAction]: ["trigger", "actionId"],
};

export function forcesReplacement(type: string, input: string): boolean {
  return REPLACE_ON[type]?.includes(input) ?? false;
}
