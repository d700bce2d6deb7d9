// Runs the pack's policies in-process, the way Pulumi's policy engine runs them, without starting the pack's
// gRPC server: the committed-stack tests feed it planned resources and a policy/config/<stack>.json file.
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchemaTypeName } from "@pulumi/policy/schema";
import type { PlainResource } from "./policies/define";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
/** What the plan engine prints for a value known only after deployment (harness/plan.ts). */
export const UNKNOWN = "[unknown]";

/** One policy's effective settings: its enforcement level and its config properties. */
export interface PolicySettings {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

export interface Finding {
  policy: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  urn?: string;
}

/**
 * Each policy's settings under a `--policy-pack-config` file, computed as the Pulumi CLI does
 * (ReconcilePolicyPackConfig): schema defaults, then "all", then the policy's own entry; a policy's entry
 * is an enforcement level or `{ enforcementLevel?, ...properties }`. Throws for anything the CLI would
 * refuse, and also for names and properties the CLI would silently ignore (a typo must not pass).
 */
export function resolvePackConfig(
  policies: Policies,
  file: unknown,
  packLevel: EnforcementLevel = "advisory",
): Map<string, PolicySettings> {
  if (!isRecord(file)) throw new Error("a policy pack config file is a JSON object keyed by policy name");
  const problems: string[] = [];
  const settings = new Map<string, PolicySettings>();
  for (const policy of policies) {
    const defaults = Object.entries(policy.configSchema?.properties ?? {}).filter(([, schema]) => schema.default !== undefined);
    settings.set(policy.name, {
      enforcementLevel: policy.enforcementLevel ?? packLevel,
      properties: Object.fromEntries(defaults.map(([key, schema]) => [key, schema.default])),
    });
  }

  const all = file.all;
  if (all !== undefined) {
    if (!isLevel(all)) problems.push(`"all": ${JSON.stringify(all)} is not an enforcement level (${LEVELS.join(", ")})`);
    else for (const entry of settings.values()) entry.enforcementLevel = all;
  }
  for (const [name, value] of Object.entries(file)) {
    if (name === "all") continue;
    const policy = policies.find((p) => p.name === name);
    const entry = settings.get(name);
    if (!policy || !entry) {
      problems.push(`"${name}" is not a policy of this pack (${policies.map((p) => p.name).join(", ")})`);
      continue;
    }
    if (typeof value === "string") {
      if (isLevel(value)) entry.enforcementLevel = value;
      else problems.push(`"${name}": "${value}" is not an enforcement level (${LEVELS.join(", ")})`);
      continue;
    }
    if (!isRecord(value)) {
      problems.push(`"${name}" must be an enforcement level or an object`);
      continue;
    }
    for (const [key, property] of Object.entries(value)) {
      if (key === "enforcementLevel") {
        if (isLevel(property)) entry.enforcementLevel = property;
        else problems.push(`"${name}".enforcementLevel: ${JSON.stringify(property)} is not an enforcement level`);
        continue;
      }
      const schema = policy.configSchema?.properties[key];
      if (!schema) {
        problems.push(
          `"${name}".${key} is not a config property of this policy (${Object.keys(policy.configSchema?.properties ?? {}).join(", ") || "it has none"})`,
        );
      } else if (schema.type !== undefined && ![schema.type].flat().some((type) => hasType(property, type))) {
        problems.push(`"${name}".${key} must be of type ${[schema.type].flat().join(" or ")} (got ${JSON.stringify(property)})`);
      } else {
        entry.properties[key] = property;
      }
    }
  }
  for (const policy of policies) {
    for (const key of policy.configSchema?.required ?? []) {
      if (settings.get(policy.name)?.properties[key] === undefined) problems.push(`"${policy.name}".${key} is required`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid policy pack config:\n  - ${problems.join("\n  - ")}`);
  return settings;
}

/**
 * Runs every enabled policy over the resources, as `pulumi preview` would: resource policies once per
 * resource, stack policies once. A policy that reads a value unknown in preview gets the engine's advisory
 * "can't run … during preview" finding instead of its own, so tests notice a policy that would be skipped.
 */
export async function runPack(policies: Policies, resources: PlainResource[], settings: Map<string, PolicySettings>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const policy of policies) {
    const { enforcementLevel, properties } = settings.get(policy.name) ?? {
      enforcementLevel: policy.enforcementLevel ?? "advisory",
      properties: {},
    };
    if (enforcementLevel === "disabled") continue;
    const level = enforcementLevel === "remediate" ? "mandatory" : enforcementLevel;
    const report = (message: string, urn?: string) => findings.push({ policy: policy.name, enforcementLevel: level, message, urn });
    const common = { getConfig: <T extends object>() => properties as T, stackTags: new Map<string, string>(), notApplicable };
    try {
      if ("validateResource" in policy && policy.validateResource) {
        for (const resource of resources) {
          const { type, name, urn, props, opts } = asPolicyResource(resource);
          const args: ResourceValidationArgs = { type, name, urn, props, opts, isType: unused, asType: unused, ...common };
          for (const validate of [policy.validateResource].flat()) await validate(args, (message) => report(message, resource.urn));
        }
      }
      if ("validateStack" in policy && policy.validateStack) {
        const args: StackValidationArgs = { resources: resources.map(asPolicyResource), ...common };
        await policy.validateStack(args, report);
      }
    } catch (error) {
      if (error instanceof NotApplicable) continue;
      if (!(error instanceof UnknownValueError)) throw error;
      findings.push({
        policy: policy.name,
        enforcementLevel: "advisory",
        message: `can't run policy '${policy.name}' during preview: ${error.message}`,
      });
    }
  }
  return findings;
}

class NotApplicable extends Error {}
class UnknownValueError extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/** A planned resource as the engine hands it to a policy. */
function asPolicyResource(resource: PlainResource): PolicyResource {
  const opts: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn ?? `urn:pulumi:test::tenant::${resource.type}::${resource.name}`,
    props: unknownChecking(resource.props, resource.name),
    opts,
    dependencies: [],
    propertyDependencies: {},
    isType: unused,
    asType: unused,
  };
}

/** isType/asType need the provider SDK's classes, which the pack does not load: it matches type tokens. */
function unused(): never {
  throw new Error("isType/asType are not used by this pack");
}

/** Like @pulumi/policy's own proxy: reading a value unknown in preview throws. */
function unknownChecking<T>(value: T, path: string): T {
  if (typeof value !== "object" || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const field: unknown = Reflect.get(target, key, receiver);
      const at = typeof key === "symbol" ? path : `${path}.${key}`;
      if (field === UNKNOWN) throw new UnknownValueError(`${at} is unknown until the resource is deployed`);
      return unknownChecking(field, at);
    },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

function hasType(value: unknown, type: PolicyConfigJSONSchemaTypeName): boolean {
  switch (type) {
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}
