// Inputs whose change makes Auth0 (through the provider) replace the resource: delete and create, which
// for a client means new client IDs and for an API a new audience. From terraform-provider-auth0's
// ForceNew schema attributes, which @pulumi/auth0 bridges (internal/auth0/*/resource*.go; checked against
// @pulumi/auth0 3.49's declarations in review.test.ts). The Action, the Client and the Role have no ForceNew
// input this program sets (the Role's type and ownerId are not in 3.49): they are replaced only when their
// logical name changes, which ./update-model.ts checks against Auth0's unique names.
import { TYPES } from "../../../infra/resource-types";

export const REPLACE_ON: Readonly<Record<string, readonly string[]>> = {
  [TYPES.resourceServer]: ["identifier"],
  [TYPES.resourceServerScopes]: ["resourceServerIdentifier"],
  [TYPES.clientCredentials]: ["clientId"],
  [TYPES.clientGrant]: ["clientId", "audience", "subjectType", "defaultFor"],
  [TYPES.rolePermissions]: ["roleId"],
  [TYPES.triggerActions]: ["trigger"],
  [TYPES.triggerAction]: ["trigger", "actionId"],
};

export function forcesReplacement(type: string, input: string): boolean {
  return REPLACE_ON[type]?.includes(input) ?? false;
}
