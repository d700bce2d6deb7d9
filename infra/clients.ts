// Pure translation from an application's config to what its auth0.Client needs.
import { CLIENT_METADATA_KEYS } from "../actions/claim-mapping/settings";
import type { AppType, ApplicationConfig } from "./settings/schema";

/**
 * The client metadata the claim-mapping Action reads from event.client.metadata: the tier, the login
 * policy flags, and any extra metadata the config declares. Strings only, as Auth0 requires.
 */
export function clientMetadataFor(app: Pick<ApplicationConfig, "tier" | "policy" | "metadata">, marker?: string): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...app.metadata, [CLIENT_METADATA_KEYS.tier]: app.tier };
  if (marker !== undefined) metadata[CLIENT_METADATA_KEYS.stackMarker] = marker;
  if (app.policy.minimumPlan !== undefined) metadata[CLIENT_METADATA_KEYS.minimumPlan] = app.policy.minimumPlan;
  if (app.policy.requireTenant) metadata[CLIENT_METADATA_KEYS.requiresTenant] = "true";
  return metadata;
}

export interface ClientProfile {
  grantTypes: string[];
  /** auth0.ClientCredentials authenticationMethod: "none" for public clients that cannot keep a secret. */
  authenticationMethod: "none" | "client_secret_post";
  /** Refresh token settings; rotation for public clients, which cannot keep a refresh token safe. */
  refreshToken: {
    rotationType: "rotating" | "non-rotating";
    expirationType: "expiring" | "non-expiring";
    leeway: number;
    tokenLifetime: number;
    idleTokenLifetime: number;
    infiniteTokenLifetime: boolean;
    infiniteIdleTokenLifetime: boolean;
  };
}

const ROTATING = {
  rotationType: "rotating",
  expirationType: "expiring",
  leeway: 0,
  tokenLifetime: 2_592_000, // 30 days absolute
  idleTokenLifetime: 1_296_000, // 15 days idle
  infiniteTokenLifetime: false,
  infiniteIdleTokenLifetime: false,
} as const;

/**
 * Grant types and authentication follow from the application type, as Auth0 recommends: the
 * authorization code flow (with PKCE for public clients) and refresh tokens for interactive apps, never
 * the implicit or password grants; client credentials only for machine-to-machine apps.
 * https://auth0.com/docs/get-started/applications/application-grant-types
 */
export function clientProfileFor(type: AppType): ClientProfile {
  switch (type) {
    case "spa":
    case "native":
      return { grantTypes: ["authorization_code", "refresh_token"], authenticationMethod: "none", refreshToken: { ...ROTATING } };
    case "regular_web":
      return {
        grantTypes: ["authorization_code", "refresh_token"],
        authenticationMethod: "client_secret_post",
        refreshToken: { ...ROTATING },
      };
    case "non_interactive":
      return {
        grantTypes: ["client_credentials"],
        authenticationMethod: "client_secret_post",
        refreshToken: {
          ...ROTATING,
          rotationType: "non-rotating",
          expirationType: "non-expiring",
          infiniteTokenLifetime: true,
          infiniteIdleTokenLifetime: true,
        },
      };
  }
}
