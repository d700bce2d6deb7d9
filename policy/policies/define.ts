// What every policy module shares: the plain resource shape the checks read, the Auth0 type tokens, and the
// two builders that turn a pure check into the policy object Pulumi's policy engine runs. The checks never
// see @pulumi/policy, so tests call them directly with plain data.
import type { EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";

/** A resource as a check reads it: what the policy engine passes, and what `npm run plan -- --json` prints. */
export interface PlainResource {
  /** Pulumi type token, for example auth0:index/client:Client. */
  type: string;
  /** Logical name: the application key, "claim-mapping", "post-login". */
  name: string;
  urn?: string;
  /** Resource inputs. */
  props: Record<string, unknown>;
}

/** A stack policy's finding, attached to the resource it names (when there is one). */
export interface StackViolation {
  message: string;
  urn?: string;
}

/** The @pulumi/auth0 type tokens, from the program's one table (a file without imports, so the pack can load it). */
export { TYPES } from "../../infra/resource-types";

/** Everything but the check: what `pulumi policy ls` and the preview output show. */
export interface PolicyMeta {
  /** Unique in the pack; the key in policy/config/<stack>.json. */
  name: string;
  description: string;
  /** How to fix a violation in general; each message also says how to fix that one. */
  remediationSteps: string;
  severity: Severity;
  /** Documentation behind the rule. */
  url: string;
  configSchema?: PolicyConfigSchema;
}

/** Violations stay advisory unless a stack's policy config raises them (policy/config/prod.json: mandatory). */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "advisory";

/** A resource policy that reports each message its check returns for one resource. */
export function resourcePolicy<Config extends object>(
  meta: PolicyMeta,
  check: (resource: PlainResource, config: Partial<Config>) => string[],
): ResourceValidationPolicy {
  return {
    ...meta,
    enforcementLevel: DEFAULT_ENFORCEMENT,
    validateResource: (args, reportViolation) => {
      const resource = { type: args.type, name: args.name, urn: args.urn, props: args.props };
      for (const message of check(resource, args.getConfig<Partial<Config>>())) reportViolation(message);
    },
  };
}

/** A stack policy that reports each violation its check returns for the whole stack. */
export function stackPolicy<Config extends object>(
  meta: PolicyMeta,
  check: (resources: PlainResource[], config: Partial<Config>) => StackViolation[],
): StackValidationPolicy {
  return {
    ...meta,
    enforcementLevel: DEFAULT_ENFORCEMENT,
    validateStack: (args, reportViolation) => {
      const resources = args.resources.map(({ type, name, urn, props }) => ({ type, name, urn, props }));
      for (const { message, urn } of check(resources, args.getConfig<Partial<Config>>())) reportViolation(message, urn);
    },
  };
}

/** The strings of a list input; anything else (absent, wrong type) reads as empty. */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** How a message names a resource: its type's short name and its logical name. */
export function label(resource: PlainResource): string {
  return `${resource.type.split(":").pop()} "${resource.name}"`;
}
