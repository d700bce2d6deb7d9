import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { clientMetadataFor, clientProfileFor } from "../clients";
import { childNames } from "../names";
import { childOptions } from "../options";
import type { ApplicationConfig } from "../settings/schema";
import { PASSWORD_REALM_GRANT } from "../settings/test-login";
import { TYPES } from "../resource-types";

export interface ApplicationArgs {
  app: ApplicationConfig;
  /** Ephemeral stacks: the stack marker written into client metadata. */
  marker?: string;
  /** Set `protect` on the client (tenant:protect). */
  protect: boolean;
  /** The API audience, for machine-to-machine client grants. */
  audience: pulumi.Input<string>;
  /** Grants wait for the API's scopes to exist. */
  grantDependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Ephemeral stacks with tenant:testLogin: interactive clients also get the test-only password-realm grant. */
  testLoginGrant?: boolean;
}

/** The client's grant types: its type's profile, plus the test-only password-realm grant when asked. */
export function grantTypesFor(app: Pick<ApplicationConfig, "type">, testLoginGrant = false): string[] {
  const grantTypes = clientProfileFor(app.type).grantTypes;
  return testLoginGrant && app.type !== "non_interactive" ? [...grantTypes, PASSWORD_REALM_GRANT] : grantTypes;
}

/** One Auth0 application: its client, how it authenticates, and (machine-to-machine) its API grant. */
export class Application extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  /** The client secret (empty for public clients); a secret Output. */
  readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: ApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tenant:auth0:Application", name, {}, opts);
    const { app } = args;
    const profile = clientProfileFor(app.type);
    const interactive = app.type !== "non_interactive";

    // The client; tier and login policy ride in client metadata, where the claim-mapping Action reads them.
    const client = new auth0.Client(
      name,
      {
        name: app.name,
        description: app.description,
        appType: app.type,
        clientMetadata: clientMetadataFor(app, args.marker) as Record<string, string>,
        callbacks: app.callbacks,
        allowedLogoutUrls: app.logoutUrls,
        webOrigins: app.webOrigins,
        allowedOrigins: app.webOrigins,
        grantTypes: grantTypesFor(app, args.testLoginGrant),
        oidcConformant: true,
        isFirstParty: true,
        crossOriginAuth: false,
        jwtConfiguration: { alg: "RS256" },
        refreshToken: interactive ? profile.refreshToken : undefined,
      },
      childOptions(TYPES.client, args, this),
    );

    // How the client authenticates at the token endpoint: public clients (SPA, native) have no secret.
    const credentials = new auth0.ClientCredentials(
      childNames.credentials(name),
      { clientId: client.clientId, authenticationMethod: profile.authenticationMethod },
      childOptions(TYPES.clientCredentials, args, this),
    );

    // Machine-to-machine access to the API, limited to the scopes config lists.
    if (app.apiScopes.length > 0) {
      new auth0.ClientGrant(
        childNames.grant(name),
        { clientId: client.clientId, audience: args.audience, scopes: app.apiScopes },
        childOptions(TYPES.clientGrant, args, this, { dependsOn: args.grantDependsOn }),
      );
    }

    this.clientId = client.clientId;
    this.clientSecret = pulumi.secret(credentials.clientSecret);
    this.registerOutputs({ clientId: this.clientId });
  }
}
