// The whole tenant from typed settings. Wiring only: each piece lives in components/.
import type * as pulumi from "@pulumi/pulumi";
import { bundleClaimMapping } from "./bundle";
import { ENRICHMENT_SECRET } from "../actions/claim-mapping/settings";
import { Api } from "./components/api";
import { Application } from "./components/application";
import { LoginFlow } from "./components/login-flow";
import { Roles } from "./components/roles";
import { tenantProvider } from "./provider";
import type { Settings } from "./settings";

export interface TenantOutputs {
  clientIds: Record<string, pulumi.Output<string>>;
  apiAudience: pulumi.Output<string>;
  claimMappingAction: { id: pulumi.Output<string>; version: pulumi.Output<string> };
}

export interface TenantSecrets {
  /** auth0:clientSecret: the deploy application's secret. */
  clientSecret: pulumi.Output<string>;
  /** tenant:enrichmentApiKey, when tenant:enrichment is on: the system of record's API key. */
  enrichmentApiKey?: pulumi.Output<string>;
}

export function defineTenant(settings: Settings, secrets: TenantSecrets): TenantOutputs {
  const provider = tenantProvider(settings.provider, secrets.clientSecret);
  const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
  const protect = settings.protect;

  const api = new Api("api", { api: settings.api, protect }, opts);
  const scopesReady = api.scopes ? [api.scopes] : [];

  const clientIds: Record<string, pulumi.Output<string>> = {};
  for (const app of settings.applications) {
    const application = new Application(
      app.key,
      { app, marker: settings.marker, protect, audience: api.audience, grantDependsOn: scopesReady },
      opts,
    );
    clientIds[app.key] = application.clientId;
  }

  new Roles("roles", { roles: settings.roles, protect, audience: api.audience, permissionsDependOn: scopesReady }, opts);

  const loginFlow = new LoginFlow(
    "login-flow",
    {
      bundle: bundleClaimMapping(settings.claimMapping),
      actionName: settings.actionName,
      bindings: settings.bindings,
      secrets: secrets.enrichmentApiKey ? [{ name: ENRICHMENT_SECRET, value: secrets.enrichmentApiKey }] : [],
      protect,
    },
    opts,
  );

  return {
    clientIds,
    apiAudience: api.audience,
    claimMappingAction: { id: loginFlow.actionId, version: loginFlow.actionVersion },
  };
}
