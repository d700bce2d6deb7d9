// Ephemeral stacks live inside a shared sandbox tenant. Isolation gives every Auth0 object the stack's tag
// so stacks never clash, and the guard keeps them out of tenants whose post-login list a stack owns.
import { roleKey } from "../names";
import type { IsolationConfig, TenantConfig } from "./schema";
import type { Problem } from "./validate";
import { EPHEMERAL_PREFIX, ephemeralStack, isEphemeralStack } from "./stack-names";

/** The tag an ephemeral stack's Auth0 objects carry: its stack name, eph-<id>. */
export function stackTag(isolation: Pick<IsolationConfig, "id">): string {
  return ephemeralStack(isolation.id);
}

/** Role names carry the tag as a prefix; the Action strips it and ignores other stacks' roles. */
export function rolePrefix(isolation: Pick<IsolationConfig, "id">): string {
  return `${stackTag(isolation)}:`;
}

/** A domain as compared by the guard: lower case, no scheme, no path or port, no trailing dots. */
export function normaliseDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/:\d+$/, "")
    .replace(/\.+$/, "");
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
            message: `is required for the ephemeral stack ${stack}: write its stack file with \`npm run ephemeral -- config ${stack.slice(EPHEMERAL_PREFIX.length)}\``,
          },
        ]
      : [];
  }
  const problems: Problem[] = [];
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
