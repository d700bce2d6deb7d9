// The Pulumi type tokens of the @pulumi/auth0 resources this program registers (each class's
// `__pulumiType`, pulumi/pulumi-auth0 sdk/nodejs/<resource>.ts), and its explicit provider's. The program,
// the plan printout, the review, adoption and the policy pack all name types through this one table.
// No imports: the policy pack (policy/, its own npm project) imports it too.

export const TYPES = {
  client: "auth0:index/client:Client",
  clientCredentials: "auth0:index/clientCredentials:ClientCredentials",
  clientGrant: "auth0:index/clientGrant:ClientGrant",
  resourceServer: "auth0:index/resourceServer:ResourceServer",
  resourceServerScopes: "auth0:index/resourceServerScopes:ResourceServerScopes",
  role: "auth0:index/role:Role",
  rolePermissions: "auth0:index/rolePermissions:RolePermissions",
  action: "auth0:index/action:Action",
  triggerActions: "auth0:index/triggerActions:TriggerActions",
  triggerAction: "auth0:index/triggerAction:TriggerAction",
} as const;
export type ResourceType = (typeof TYPES)[keyof typeof TYPES];

/** The type token of the auth0 provider resource (pulumi/pulumi sdk/nodejs/resource.ts, ProviderResource). */
export const AUTH0_PROVIDER_TYPE = "pulumi:providers:auth0";
