// The whole tenant from typed settings. Wiring only: each piece lives in components/.
import * as pulumi from "@pulumi/pulumi";
import { bundleClaimMapping } from "./bundle";
import { ENRICHMENT_SECRET } from "../actions/claim-mapping/settings";
import { Api } from "./components/api";
import { Application } from "./components/application";
import { LoginFlow } from "./components/login-flow";
import { Roles } from "./components/roles";
import type { TestLogin } from "./components/test-login";
import { tenantProvider } from "./provider";
import type { Settings } from "./settings";

export interface TenantOutputs {
  clientIds: Record<string, pulumi.Output<string>>;
  apiAudience: pulumi.Output<string>;
  claimMappingAction: { id: pulumi.Output<string>; version: pulumi.Output<string> };
  /** Ephemeral stacks with tenant:testLogin: what integration tests log in with. */
  testLogin?: TestLoginOutputs;
}

export interface TestLoginOutputs {
  connection: pulumi.Output<string>;
  users: Record<string, { email: pulumi.Output<string>; userId: pulumi.Output<string> }>;
  /** Secret: passwords by user key. */
  passwords: pulumi.Output<Record<string, string>>;
  /** Secret: client secrets of the confidential (regular_web) applications, by key. */
  clientSecrets: pulumi.Output<Record<string, string>>;
}

export interface TenantSecrets {
  /**
   * auth0:clientSecret, only where a stack keeps it in config (ephemeral stacks in the sandbox backend).
   * dev and prod leave it out: the provider reads AUTH0_CLIENT_SECRET (infra/provider.ts).
   */
  clientSecret?: pulumi.Output<string>;
  /** tenant:enrichmentApiKey, when tenant:enrichment is on: the system of record's API key. */
  enrichmentApiKey?: pulumi.Output<string>;
}

export function defineTenant(settings: Settings, secrets: TenantSecrets): TenantOutputs {
  // First: esbuild bundles in its own process while this one registers the other resources, instead of
  // the program waiting for it at the end (docs/performance.md, target 3). A preview may take the bundle from
  // the cache of earlier bundles of the same source and settings (infra/bundle-cache.ts); an update always has
  // esbuild make the code it deploys.
  const bundle = bundleClaimMapping(settings.claimMapping, { cache: pulumi.runtime.isDryRun() ? undefined : false });
  const provider = tenantProvider(settings.provider, secrets.clientSecret);
  const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
  const protect = settings.protect;

  const api = new Api("api", { api: settings.api, protect }, opts);
  const scopesReady = api.scopes ? [api.scopes] : [];

  const clientIds: Record<string, pulumi.Output<string>> = {};
  const clientSecrets: Record<string, pulumi.Output<string>> = {};
  for (const app of settings.applications) {
    const application = new Application(
      app.key,
      {
        app,
        marker: settings.marker,
        protect,
        audience: api.audience,
        grantDependsOn: scopesReady,
        testLoginGrant: settings.testLogin !== undefined,
      },
      opts,
    );
    clientIds[app.key] = application.clientId;
    if (app.type === "regular_web") clientSecrets[app.key] = application.clientSecret;
  }

  const roles = new Roles("roles", { roles: settings.roles, protect, audience: api.audience, permissionsDependOn: scopesReady }, opts);

  const loginFlow = new LoginFlow(
    "login-flow",
    {
      bundle,
      actionName: settings.actionName,
      bindings: settings.bindings,
      switchTo: settings.postLogin.switchTo,
      secrets: secrets.enrichmentApiKey ? [{ name: ENRICHMENT_SECRET, value: secrets.enrichmentApiKey }] : [],
      protect,
    },
    opts,
  );

  const testLogin =
    settings.testLogin && settings.marker
      ? new (testLoginComponent())(
          "test-login",
          {
            testLogin: settings.testLogin,
            marker: settings.marker,
            clientIds: settings.applications.filter((a) => a.type !== "non_interactive").map((a) => clientIds[a.key]),
            roleIds: roles.ids,
            protect,
          },
          opts,
        )
      : undefined;

  return {
    clientIds,
    apiAudience: api.audience,
    claimMappingAction: { id: loginFlow.actionId, version: loginFlow.actionVersion },
    ...(testLogin && {
      testLogin: {
        connection: testLogin.connection,
        users: testLogin.users,
        passwords: testLogin.passwords,
        clientSecrets: pulumi.secret(pulumi.all(clientSecrets)),
      },
    }),
  };
}

/**
 * The test-login component, loaded only for a stack that declares one (ephemeral stacks): dev and prod do
 * not load it or @pulumi/random, which it needs (issue 13, target 3: start-up).
 */
function testLoginComponent(): typeof TestLogin {
  return (require("./components/test-login") as typeof import("./components/test-login")).TestLogin;
}
