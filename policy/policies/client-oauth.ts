// OAuth settings Auth0 recommends for every application: no implicit grant, OIDC-conformant, and rotating
// refresh tokens for public clients (SPAs and native apps hold their refresh tokens where a secret cannot be kept).
import { label, resourcePolicy, stringsOf, TYPES, type PlainResource } from "./define";

/** Auth0 gives these types the implicit grant when grantTypes is left unset. */
const INTERACTIVE_TYPES: ReadonlySet<string> = new Set(["spa", "regular_web", "native"]);
/** Public clients: a leaked refresh token must be detectable by reuse, which only rotation gives. */
const PUBLIC_TYPES: ReadonlySet<string> = new Set(["spa", "native"]);

export function checkClientOauth(resource: PlainResource): string[] {
  if (resource.type !== TYPES.client) return [];
  const { appType, grantTypes, oidcConformant, refreshToken } = resource.props;
  const type = typeof appType === "string" ? appType : "unset";
  const messages: string[] = [];

  // The implicit grant returns tokens in the URL fragment; OAuth 2.0 Security BCP (RFC 9700 §2.1.2) says not
  // to use it. https://auth0.com/docs/get-started/applications/application-grant-types
  if (stringsOf(grantTypes).includes("implicit")) {
    messages.push(
      `${label(resource)} (${type}) allows the implicit grant. Fix: remove "implicit" from grantTypes; ` +
        "sign in with authorization_code (with PKCE for public clients).",
    );
  } else if (grantTypes === undefined && INTERACTIVE_TYPES.has(type)) {
    messages.push(
      `${label(resource)} (${type}) leaves grantTypes unset, so Auth0 applies its defaults, which include the implicit grant. ` +
        'Fix: set grantTypes explicitly, for example ["authorization_code", "refresh_token"].',
    );
  }

  // Without it Auth0 keeps legacy, non-standard behaviour (for example the implicit grant's id_token
  // flows and legacy user profile). https://auth0.com/docs/get-started/applications/application-settings
  if (oidcConformant !== true) {
    messages.push(
      `${label(resource)} (${type}) is not OIDC conformant (oidcConformant: ${String(oidcConformant)}). Fix: set oidcConformant: true.`,
    );
  }

  // https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation
  if (PUBLIC_TYPES.has(type)) {
    const rotation = isRecord(refreshToken) ? refreshToken.rotationType : undefined;
    if (rotation !== "rotating") {
      messages.push(
        `${label(resource)} (${type}) does not rotate refresh tokens (rotationType: ${String(rotation)}). ` +
          'Fix: set refreshToken: { rotationType: "rotating", expirationType: "expiring", ... } so a stolen refresh token is detected on reuse.',
      );
    }
  }
  return messages;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const clientOauthPolicy = resourcePolicy(
  {
    name: "auth0-client-oauth-hardening",
    description: "Applications never allow the implicit grant and are OIDC conformant; SPAs and native apps rotate refresh tokens.",
    remediationSteps:
      'Set grantTypes without "implicit", oidcConformant: true, and for spa/native refreshToken.rotationType "rotating" (expirationType "expiring").',
    severity: "high",
    url: "https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation",
  },
  checkClientOauth,
);
