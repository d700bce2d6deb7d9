import * as auth0 from "@pulumi/auth0";
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderSettings } from "./settings";

/**
 * The one Auth0 provider every resource uses. The tenant and the application come only from the stack's
 * validated config (`auth0:domain`, `auth0:clientId`), so an ambient AUTH0_DOMAIN or AUTH0_CLIENT_ID cannot
 * point this stack at another tenant.
 *
 * The client secret is an input only when the stack keeps it in config. dev and prod do not: a provider's
 * inputs are stored in the stack's state, and every token that can preview a stack can decrypt its config
 * and state (Pulumi Cloud's "Stack Read" includes `stack:decrypt`), so a secret there would reach pull
 * requests. Without the input, the provider plugin reads AUTH0_CLIENT_SECRET from its environment
 * (terraform-provider-auth0 `internal/provider/provider.go`: `EnvDefaultFunc("AUTH0_CLIENT_SECRET")`), and
 * the bridge keeps values it takes from the environment out of the state
 * (pulumi/pulumi-terraform-bridge#239). docs/pull-requests.md explains who holds which credential.
 */
export function tenantProvider(settings: ProviderSettings, clientSecret?: pulumi.Output<string>): auth0.Provider {
  return new auth0.Provider("auth0", {
    domain: settings.domain,
    clientId: settings.clientId,
    ...(clientSecret && { clientSecret }),
  });
}
