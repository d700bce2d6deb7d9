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
  connection: "auth0:index/connection:Connection",
  connectionClients: "auth0:index/connectionClients:ConnectionClients",
  user: "auth0:index/user:User",
  userRoles: "auth0:index/userRoles:UserRoles",
} as const;
export type ResourceType = (typeof TYPES)[keyof typeof TYPES];

/**
 * Test logins (ephemeral stacks only, infra/components/test-login.ts): the grant that takes a user's
 * password in the client, realm = a connection (Auth0's Resource Owner Password flow with realm support:
 * https://auth0.com/docs/get-started/authentication-and-authorization-flow/resource-owner-password-flow),
 * and the connection metadata that marks a test connection. Here so that the program, the settings parser
 * and the policy pack (which refuses both outside ephemeral stacks) read one definition.
 */
export const PASSWORD_REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm";
export const TEST_CONNECTION_PURPOSE = "ephemeral-tests";

/** The type token of the auth0 provider resource (pulumi/pulumi sdk/nodejs/resource.ts, ProviderResource). */
export const AUTH0_PROVIDER_TYPE = "pulumi:providers:auth0";
