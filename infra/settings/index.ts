// The only place that reads config. `parseSettings` is pure (raw config in, typed settings or a
// SettingsError out); infra/program.ts feeds it from the running Pulumi stack. No SDK here, so the tools and
// tests that only parse settings do not load @pulumi/pulumi.
import { z } from "zod/v3";
import { CLAIM_MAPPING, type ClaimMappingSettings } from "../../actions/claim-mapping/settings";
import { KEY_PATTERN, SECRET_KEYS, tenantConfigSchema, type TenantConfig } from "./schema";
import { crossCheck, placeholderProblems, type Problem } from "./validate";
import { guardProblems, isolate, isolatedNameProblems, rolePrefix, stackTag } from "./isolation";
import { bindingsOf, type Binding } from "../bindings";
import { testLoginProblems, testLoginSettings, type TestLoginSettings } from "./test-login";
import { parseConfigValue, PROJECT, stackFileName } from "./stack-names";
import { UserError } from "../errors";
import { suggestion } from "../nearest";
import { roleKey } from "../names";

export { PROJECT };
const PROJECT_KEYS = Object.keys(tenantConfigSchema.shape);
const SECRET_PROJECT_KEYS: readonly string[] = SECRET_KEYS;

export interface ProviderSettings {
  domain: string;
  clientId: string;
}

export interface Settings extends Omit<TenantConfig, "testLogin"> {
  stack: string;
  /** The stack file the config came from, for messages. */
  stackFile: string;
  provider: ProviderSettings;
  /** What the claim-mapping bundle bakes in. */
  claimMapping: ClaimMappingSettings;
  /** The Auth0 name of the claim-mapping Action (tagged with the stack's id in ephemeral stacks). */
  actionName: string;
  /** The post-login bindings, in execution order. */
  bindings: Binding[];
  /** Ephemeral stacks: the marker every client carries in its metadata. */
  marker?: string;
  /** Ephemeral stacks only: the test connection, its fixture users and the password-realm grant. */
  testLogin?: TestLoginSettings;
}

/** Config as Pulumi hands it to a program: full keys ("tenant:applications") to raw strings. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

export class SettingsError extends UserError {
  constructor(
    readonly stackFile: string,
    readonly problems: Problem[],
  ) {
    super(`Invalid configuration in ${stackFile}:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/** Parses and validates a stack's config; throws SettingsError naming every bad key and the file. */
export function parseSettings(stack: string, raw: RawConfig): Settings {
  const stackFile = stackFileName(stack);
  const problems: Problem[] = [];

  const input: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(raw)) {
    const [namespace, name] = splitKey(fullKey);
    if (namespace !== PROJECT || value === undefined || SECRET_PROJECT_KEYS.includes(name)) continue;
    if (!PROJECT_KEYS.includes(name)) {
      const known = [...PROJECT_KEYS, ...SECRET_PROJECT_KEYS].map((k) => `${PROJECT}:${k}`);
      problems.push({ key: fullKey, message: `is not a key this program reads${suggestion(fullKey, known)} (${known.join(", ")})` });
      continue;
    }
    input[name] = parseConfigValue(value);
  }

  const provider = {
    domain: requireString(raw, "auth0:domain", problems, "the tenant's Auth0 domain, for example dev-myapp.eu.auth0.com"),
    clientId: requireString(raw, "auth0:clientId", problems, "the client ID of the application Pulumi deploys with"),
  };
  if (provider.domain && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(provider.domain)) {
    problems.push({ key: "auth0:domain", message: `must be a bare host name such as dev-myapp.eu.auth0.com (got "${provider.domain}")` });
  }
  // auth0:clientSecret is optional: dev and prod get the deploy secret as AUTH0_CLIENT_SECRET at deploy time,
  // never in config (infra/provider.ts); `npm run doctor` says when a real preview lacks it.
  if (raw["auth0:apiToken"] !== undefined) {
    problems.push({ key: "auth0:apiToken", message: "is not used: this program deploys with auth0:clientId and auth0:clientSecret only" });
  }

  // Before the schema, so that a placeholder is named as one even where it also breaks the value's shape.
  problems.push(
    ...placeholderProblems({
      ...Object.fromEntries(Object.entries(input).map(([name, value]) => [`${PROJECT}:${name}`, value])),
      "auth0:domain": raw["auth0:domain"],
      "auth0:clientId": raw["auth0:clientId"],
    }),
  );
  const parsed = tenantConfigSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ key: `${PROJECT}:${formatPath(issue.path, input)}`, message: describeIssue(issue, input) });
    }
    throw new SettingsError(stackFile, problems);
  }
  if (parsed.data.enrichment !== undefined && raw[`${PROJECT}:enrichmentApiKey`] === undefined) {
    problems.push({
      key: `${PROJECT}:enrichmentApiKey`,
      message: `is not set, and tenant:enrichment needs it: run \`pulumi config set --secret ${PROJECT}:enrichmentApiKey --stack ${stack}\``,
    });
  }
  // The guard runs with the structural checks, before the program registers anything.
  problems.push(
    ...guardProblems(stack, provider.domain, parsed.data.isolation),
    ...crossCheck(parsed.data),
    ...testLoginProblems(parsed.data),
  );
  if (problems.length > 0) throw new SettingsError(stackFile, problems);

  const config = isolate(parsed.data);
  const tooLong = isolatedNameProblems(config);
  if (tooLong.length > 0) throw new SettingsError(stackFile, tooLong);
  const marker = config.isolation && stackTag(config.isolation);
  const { testLogin, ...rest } = config;
  return {
    ...rest,
    stack,
    stackFile,
    provider,
    claimMapping: {
      namespace: config.claims.namespace,
      plans: config.claims.plans,
      tierFeatures: config.claims.tierFeatures,
      idTokenPreferences: config.claims.idTokenPreferences,
      ...(config.isolation && { marker, rolePrefix: rolePrefix(config.isolation) }),
      ...(config.enrichment && {
        enrichment: {
          url: config.enrichment.url,
          timeoutMs: config.enrichment.timeoutMs,
          onFailure: config.enrichment.onFailure,
          cacheTtlMs: config.enrichment.cacheTtlSeconds * 1000,
        },
      }),
    },
    actionName: marker ? `${CLAIM_MAPPING}-${marker}` : CLAIM_MAPPING,
    bindings: bindingsOf(config.postLogin),
    marker,
    testLogin: testLoginSettings(testLogin, config.isolation),
  };
}

function splitKey(fullKey: string): [string, string] {
  const colon = fullKey.indexOf(":");
  return colon < 0 ? ["", fullKey] : [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}

function requireString(raw: RawConfig, key: string, problems: Problem[], what: string): string {
  const value = raw[key];
  if (value === undefined || value.trim() === "") {
    problems.push({ key, message: `is not set: ${what} (\`pulumi config set ${key} <value>\`)` });
    return "";
  }
  return value;
}

/**
 * A config path as a person finds it in the stack file: an application or a role by its key
 * ("tenant:applications[dashboard].tier"), other list items by their index.
 */
function formatPath(path: readonly PropertyKey[], input: unknown): string {
  return path
    .map((part, i) => {
      if (typeof part !== "number") return i === 0 ? String(part) : `.${String(part)}`;
      return `[${i === 1 ? (itemKey(path[0], valueAt(input, path.slice(0, 2))) ?? part) : part}]`;
    })
    .join("");
}

/** The key an application or role is known by, when the item has a usable one. */
function itemKey(list: PropertyKey, item: unknown): string | undefined {
  if (item === null || typeof item !== "object") return undefined;
  const { key, name } = item as { key?: unknown; name?: unknown };
  if (typeof key === "string" && KEY_PATTERN.test(key)) return key;
  if (list === "roles" && typeof name === "string" && name.trim() !== "") return roleKey({ name });
  return undefined;
}

/** One zod issue as a problem: what is wrong with the value at its path, in words that do not depend on zod's. */
function describeIssue(issue: z.ZodIssue, input: unknown): string {
  const value = valueAt(input, issue.path);
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(issue.path);
    const hints = issue.keys.map((k) => suggestion(k, known)).filter((hint) => hint !== "");
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(", ");
    return `unknown key(s): ${keys}${hints.join("")}${known.length > 0 ? ` (known: ${known.join(", ")})` : ""}`;
  }
  if (value === undefined) return issue.code === "invalid_type" ? "is required" : issue.message;
  return `${issueMessage(issue)} (got ${JSON.stringify(value)?.slice(0, 80)})`;
}

/** What a value must be, for the issues zod words in terms of itself; the schema's own messages otherwise. */
function issueMessage(issue: z.ZodIssue): string {
  if (issue.code === "invalid_enum_value") return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}`;
  if (issue.code === "invalid_type") return `must be ${/^[aeio]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
  return issue.message;
}

/** The keys the schema declares for the object at `path` (for "did you mean"). */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodTypeAny = tenantConfigSchema;
  const unwrap = () => {
    while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable) {
      schema = schema._def.innerType;
    }
  };
  for (const part of path) {
    unwrap();
    if (schema instanceof z.ZodArray && typeof part === "number") schema = schema.element;
    else if (schema instanceof z.ZodObject && typeof part === "string" && part in schema.shape) schema = schema.shape[part];
    else return [];
  }
  unwrap();
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
