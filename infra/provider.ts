import * as auth0 from "@pulumi/auth0";
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderSettings } from "./settings";

/**
 * The one Auth0 provider every resource uses, built only from the stack's validated config, so an
 * ambient AUTH0_DOMAIN (or any other AUTH0_* variable) cannot point this stack at another tenant.
 */
export function tenantProvider(settings: ProviderSettings, clientSecret: pulumi.Output<string>): auth0.Provider {
  return new auth0.Provider("auth0", {
    domain: settings.domain,
    clientId: settings.clientId,
    clientSecret,
  });
}
