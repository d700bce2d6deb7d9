// Redirect and origin URLs of interactive applications: https, exact, and localhost only where a stack's
// policy config allows it. Auth0 sends codes and tokens to these URLs, so each one must be a place we own.
import { label, resourcePolicy, stringsOf, TYPES, type PlainResource } from "./define";

export interface ApplicationUrlsConfig {
  /** Development stacks set this to true (policy/config/dev.json); prod leaves it false. */
  allowLocalhost: boolean;
}

/** Client inputs holding URLs, with the stack-file key of tenant:applications they come from. */
const URL_INPUTS = [
  { input: "callbacks", configKey: "callbacks" },
  { input: "allowedLogoutUrls", configKey: "logoutUrls" },
  { input: "webOrigins", configKey: "webOrigins" },
  // The program derives CORS origins from webOrigins; checked too, as Auth0 trusts them the same way.
  { input: "allowedOrigins", configKey: "webOrigins" },
] as const;

/** Where a native app receives the redirect: it may use its own URL scheme (RFC 8252). */
const NATIVE_REDIRECT_INPUTS: ReadonlySet<string> = new Set(["callbacks", "allowedLogoutUrls"]);

const INTERACTIVE_TYPES: ReadonlySet<string> = new Set(["spa", "regular_web", "native"]);

export function checkApplicationUrls(resource: PlainResource, config: Partial<ApplicationUrlsConfig>): string[] {
  const appType = resource.props.appType;
  if (resource.type !== TYPES.client || typeof appType !== "string" || !INTERACTIVE_TYPES.has(appType)) return [];
  const allowLocalhost = config.allowLocalhost ?? false;
  const messages: string[] = [];
  for (const { input, configKey } of URL_INPUTS) {
    const customScheme = appType === "native" && NATIVE_REDIRECT_INPUTS.has(input);
    stringsOf(resource.props[input]).forEach((url, index) => {
      const problem = urlProblem(url, { customScheme, allowLocalhost });
      if (problem) {
        messages.push(
          `${label(resource)} (${appType}): ${input}[${index}] "${url}" ${problem} ` +
            `Edit ${configKey} of the application "${resource.name}" under tenant:applications in Pulumi.<stack>.yaml.`,
        );
      }
    });
  }
  return messages;
}

/** Why this URL is unsafe, with the fix, or undefined when it is fine. */
function urlProblem(url: string, { customScheme, allowLocalhost }: { customScheme: boolean; allowLocalhost: boolean }): string | undefined {
  // Auth0 matches "*" against any subdomain, so one compromised or unclaimed subdomain receives tokens:
  // https://auth0.com/docs/get-started/applications/wildcards-for-subdomains
  if (url.includes("*")) return "contains a wildcard. Fix: list every URL exactly, without *.";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not an absolute URL. Fix: write the full URL, for example https://app.example.com/callback.";
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme === "http" || scheme === "https") {
    if (isLoopback(parsed.hostname)) {
      return allowLocalhost
        ? undefined
        : "points at localhost, which this stack's policy config does not allow (allowLocalhost: false). Fix: remove it; keep localhost URLs in development stacks.";
    }
    return scheme === "https" ? undefined : "uses http. Fix: use https, so codes and tokens are never sent in clear text.";
  }
  if (!customScheme)
    return `uses the scheme "${scheme}:". Fix: use https; only a native app's callbacks and logout URLs may use its own scheme.`;
  // RFC 8252 §7.1: a private-use scheme MUST be a reverse domain name the app's publisher controls, so
  // that no other app can claim it: https://www.rfc-editor.org/rfc/rfc8252#section-7.1
  return scheme.includes(".")
    ? undefined
    : `uses the custom scheme "${scheme}:", which is not a reverse domain name (RFC 8252 §7.1) and any app could register. Fix: use your bundle or package id, for example com.example.app://.`;
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1: always this machine, never a server we run. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host) || host === "[::1]";
}

export const applicationUrlsPolicy = resourcePolicy<ApplicationUrlsConfig>(
  {
    name: "auth0-application-urls",
    description:
      "Callback, logout and origin URLs of spa, regular_web and native applications are exact https URLs (no wildcards), " +
      "with no localhost unless the stack's policy config allows it; native callbacks may use a reverse-domain custom scheme (RFC 8252).",
    remediationSteps:
      "Edit the application's callbacks, logoutUrls or webOrigins in Pulumi.<stack>.yaml: use https, list each URL without *, " +
      "and keep http://localhost URLs in development stacks (policy config allowLocalhost: true).",
    severity: "high",
    url: "https://auth0.com/docs/get-started/applications/application-settings",
    configSchema: {
      properties: {
        allowLocalhost: {
          type: "boolean",
          default: false,
          description: "Accept http://localhost and loopback URLs (development stacks only).",
        },
      },
    },
  },
  checkApplicationUrls,
);
