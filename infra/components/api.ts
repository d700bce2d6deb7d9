import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { childNames } from "../names";
import { childOptions } from "../options";
import type { ApiConfig } from "../settings/schema";
import { TYPES } from "../resource-types";

export interface ApiArgs {
  api: ApiConfig;
  /** Set `protect` on the resource server (tenant:protect). */
  protect: boolean;
}

/** The API the applications call: an Auth0 resource server with RBAC, and its scopes. */
export class Api extends pulumi.ComponentResource {
  readonly audience: pulumi.Output<string>;
  /** The scopes resource: grants and role permissions wait for it. */
  readonly scopes: auth0.ResourceServerScopes | undefined;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tenant:auth0:Api", name, {}, opts);
    const { api } = args;

    // RBAC on (enforcePolicies) with permissions in the access token, so the API can authorize by scope.
    const server = new auth0.ResourceServer(
      name,
      {
        name: api.name,
        identifier: api.identifier,
        signingAlg: "RS256",
        enforcePolicies: true,
        tokenDialect: "access_token_authz",
        tokenLifetime: api.tokenLifetime,
        allowOfflineAccess: true,
        skipConsentForVerifiableFirstPartyClients: true,
      },
      childOptions(TYPES.resourceServer, args, this),
    );

    // All scopes in one resource, which owns the API's scope list.
    this.scopes =
      api.scopes.length > 0
        ? new auth0.ResourceServerScopes(
            childNames.scopes(name),
            {
              resourceServerIdentifier: server.identifier,
              scopes: api.scopes.map((scope) => ({ name: scope.value, description: scope.description })),
            },
            childOptions(TYPES.resourceServerScopes, args, this),
          )
        : undefined;

    this.audience = server.identifier;
    this.registerOutputs({ audience: this.audience });
  }
}
