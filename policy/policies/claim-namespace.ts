// The claim namespace baked into an Action's code must not be on an Auth0 domain: Auth0 silently drops
// claims namespaced on auth0.com, webtask.io and webtask.run, and reserves urn:auth0.
// https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims
import { label, resourcePolicy, TYPES, type PlainResource } from "./define";

export const AUTH0_NAMESPACE_HOSTS = ["auth0.com", "webtask.io", "webtask.run"] as const;

/** The settings block esbuild prints into the bundle: `namespace: "https://myapp.com/",`. */
const NAMESPACE_SETTING = /\bnamespace:\s*"([^"]*)"/g;

export function checkClaimNamespace(resource: PlainResource): string[] {
  const { code } = resource.props;
  if (resource.type !== TYPES.action || typeof code !== "string") return [];
  const messages: string[] = [];
  for (const [, namespace] of code.matchAll(NAMESPACE_SETTING)) {
    const problem = namespaceProblem(namespace);
    if (problem) {
      messages.push(
        `${label(resource)} sets claims under the namespace "${namespace}", which ${problem}: Auth0 drops those claims from tokens without an error. ` +
          "Fix: set tenant:claims.namespace in Pulumi.<stack>.yaml to an https URL on a domain you own, for example https://myapp.com/.",
      );
    }
  }
  return messages;
}

/** Why Auth0 would drop claims under this namespace, or undefined when it keeps them. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.toLowerCase().startsWith("urn:auth0")) return "is in the urn:auth0 namespace Auth0 reserves";
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(namespace)?.[1].toLowerCase().replace(/\.+$/, "");
  const auth0Host = host && AUTH0_NAMESPACE_HOSTS.find((h) => host === h || host.endsWith(`.${h}`));
  if (!auth0Host) return undefined;
  return host === auth0Host ? `is on ${host}, an Auth0 domain` : `is on ${host}, a subdomain of the Auth0 domain ${auth0Host}`;
}

export const claimNamespacePolicy = resourcePolicy(
  {
    name: "auth0-claim-namespace",
    description:
      "The custom-claim namespace in Action code is not on auth0.com, webtask.io or webtask.run (or their subdomains) and not urn:auth0.",
    remediationSteps: "Set tenant:claims.namespace to an https URL on a domain you own, ending in /, for example https://myapp.com/.",
    severity: "high",
    url: "https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims",
  },
  checkClaimNamespace,
);
