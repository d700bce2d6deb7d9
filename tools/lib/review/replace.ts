// Inputs whose change makes Auth0 (through the provider) replace the resource: delete and create, which
// for a client means new client IDs and for an API a new audience. From terraform-provider-auth0's
// ForceNew schema attributes, which @pulumi/auth0 bridges.
export const REPLACE_ON: Readonly<Record<string, readonly string[]>> = {
  "auth0:index/resourceServer:ResourceServer": ["identifier"],
  "auth0:index/resourceServerScopes:ResourceServerScopes": ["resourceServerIdentifier"],
  "auth0:index/clientCredentials:ClientCredentials": ["clientId"],
  "auth0:index/clientGrant:ClientGrant": ["clientId", "audience"],
  "auth0:index/rolePermissions:RolePermissions": ["roleId"],
  "auth0:index/triggerActions:TriggerActions": ["trigger"],
  "auth0:index/triggerAction:TriggerAction": ["trigger", "actionId"],
};

export function forcesReplacement(type: string, input: string): boolean {
  return REPLACE_ON[type]?.includes(input) ?? false;
}
