// Ephemeral stacks live inside a shared sandbox tenant. Isolation gives every Auth0 object the stack's tag
// so stacks never clash, and the guard keeps them out of tenants whose post-login list a stack owns.
import { domainToASCII } from "node:url";
import { roleKey } from "../names";
import type { IsolationConfig, TenantConfig } from "./schema";
import type { Problem } from "./validate";
import { ephemeralId, ephemeralStack, isEphemeralStack } from "./stack-names";

/** The tag an ephemeral stack's Auth0 objects carry: its stack name, eph-<id>. */
export function stackTag(isolation: Pick<IsolationConfig, "id">): string {
  return ephemeralStack(isolation.id);
}

/** Role names carry the tag as a prefix; the Action strips it and ignores other stacks' roles. */
export function rolePrefix(isolation: Pick<IsolationConfig, "id">): string {
  return `${stackTag(isolation)}:`;
}

/**
 * A domain as compared by the guards: NFKC (fullwidth letters and punctuation become ASCII), lower case,
 * no scheme, no path or port, then IDNA's ToASCII (node's `url.domainToASCII`, UTS #46: an ideographic
 * full stop is a dot, invisible characters such as U+200B go, Unicode labels become xn--), no trailing
 * dots. Two spellings of one host compare equal; a string that is no host stays as it was written.
 */
export function normaliseDomain(domain: string): string {
  const host = domain
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/:\d+$/, "");
  const ascii = domainToASCII(host);
  return (ascii === "" ? host : ascii).replace(/\.+$/, "");
}

/** A host name as DNS allows it (RFC 1123 labels, at most 253 characters), with a top-level label that is not a number. */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]([a-z0-9-]{0,61}[a-z0-9])?|xn--[a-z0-9-]{1,59})$/;

/** Auth0's own parents of tenant domains (`<tenant>.auth0.com`, `<tenant>.<region>.auth0.com`): never a tenant. */
const AUTH0_REGIONS = ["us", "eu", "au", "jp", "uk", "ca"];

/**
 * Why an entry of `tenant:isolation.protectedDomains` cannot protect anything, or undefined when it is a
 * plain host name. The guard compares whole host names, so an entry that is not one (a wildcard, a parent
 * domain, a look-alike spelling) would be silently ignored: it is refused instead.
 */
export function protectedDomainProblem(entry: string): string | undefined {
  const written = entry.trim();
  const shown = quote(entry);
  if (written.includes("*")) {
    return `${shown} is a wildcard: the guard compares whole host names, so list each protected host (the tenant's domain and each custom domain) on its own`;
  }
  const host = normaliseDomain(written);
  if (!HOST_NAME.test(host))
    return `${shown} is not a host name: write a tenant's domain such as dev-myapp.eu.auth0.com or a custom domain such as login.myapp.com`;
  if (host === "auth0.com" || AUTH0_REGIONS.some((region) => host === `${region}.auth0.com`)) {
    return `${shown} is a parent domain, not a tenant's host: the guard compares whole host names, so it protects nothing; list the tenants' own domains (such as myapp.eu.auth0.com)`;
  }
  if (written.toLowerCase() !== host) {
    return `${shown} is not written as a plain host name (it has a scheme, port, path or trailing dot, or look-alike, non-ASCII or invisible characters): write "${host}"`;
  }
  return undefined;
}

/** In quotes, with every character outside printable ASCII as a \\u escape, so look-alikes and invisible characters show. */
function quote(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`)}"`;
}

/**
 * Refuses an ephemeral stack aimed at a protected domain: a stack there owns post-login with
 * TriggerActions, and its next update would wipe this stack's additive binding (docs/auth0-facts.md,
 * "Bindings and deploys").
 */
export function guardProblems(stack: string, domain: string, isolation: IsolationConfig | undefined): Problem[] {
  if (isolation === undefined) {
    return isEphemeralStack(stack)
      ? [
          {
            key: "tenant:isolation",
            message: `is required for the ephemeral stack ${stack}: write its stack file with \`npm run ephemeral -- config ${ephemeralId(stack)}\``,
          },
        ]
      : [];
  }
  const problems: Problem[] = isolation.protectedDomains.flatMap((entry, index) => {
    const message = protectedDomainProblem(entry);
    return message ? [{ key: `tenant:isolation.protectedDomains[${index}]`, message }] : [];
  });
  if (stack !== stackTag(isolation)) {
    problems.push({
      key: "tenant:isolation.id",
      message: `"${isolation.id}" does not match the stack name ${stack}: ephemeral stacks are named eph-<id>`,
    });
  }
  const target = normaliseDomain(domain);
  if (isolation.protectedDomains.some((d) => normaliseDomain(d) === target)) {
    problems.push({
      key: "auth0:domain",
      message:
        `${domain} is a protected domain (tenant:isolation.protectedDomains): a stack there owns the post-login bindings ` +
        "with TriggerActions, and its next update would remove this ephemeral stack's binding and could run its Action on real logins. " +
        "Ephemeral stacks run only in the dedicated sandbox tenant.",
    });
  }
  return problems;
}

/** The config with every Auth0 object name tagged with the ephemeral stack's id. */
export function isolate(config: TenantConfig): TenantConfig {
  const { isolation } = config;
  if (isolation === undefined) return config;
  const tag = stackTag(isolation);
  const prefix = rolePrefix(isolation);
  return {
    ...config,
    api: { ...config.api, name: `${config.api.name} [${tag}]`, identifier: `${config.api.identifier.replace(/\/?$/, "/")}${tag}/` },
    // The key keeps the Pulumi logical name that of the plain role name.
    roles: config.roles.map((role) => ({ ...role, key: roleKey(role), name: `${prefix}${role.name}` })),
    applications: config.applications.map((app) => ({ ...app, name: `${app.name} [${tag}]` })),
  };
}

/** Names Auth0 caps at 255 characters, checked after the stack's tag is added. */
export function isolatedNameProblems(config: TenantConfig): Problem[] {
  const long = (name: string) => name.length > 255;
  return [
    ...config.applications.flatMap((a, i) =>
      long(a.name)
        ? [{ key: `tenant:applications[${i}].name`, message: `is longer than 255 characters with the stack's tag (${a.name.length})` }]
        : [],
    ),
    ...config.roles.flatMap((r, i) =>
      long(r.name)
        ? [{ key: `tenant:roles[${i}].name`, message: `is longer than 255 characters with the stack's prefix (${r.name.length})` }]
        : [],
    ),
    ...(long(config.api.name)
      ? [{ key: "tenant:api.name", message: `is longer than 255 characters with the stack's tag (${config.api.name.length})` }]
      : []),
  ];
}
