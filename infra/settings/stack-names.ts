// The names a stack's config is addressed by, as the program needs them: the stack file's name, the
// project's key namespace, the ephemeral stack naming rule, and how Pulumi hands a value over. The program
// reads config only through Pulumi; harness/stack-file.ts reads the files offline with these same rules.

/** The project name (Pulumi.yaml `name`): the namespace of every project key, "tenant:applications". */
export const PROJECT = "tenant";

/** The stack file Pulumi reads a stack's config from (pulumi/pulumi sdk/go/common/workspace/paths.go). */
export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

/** A config key with its namespace: "applications" -> "tenant:applications"; "auth0:domain" unchanged. */
export function qualifyKey(key: string): string {
  return key.includes(":") ? key : `${PROJECT}:${key}`;
}

/** Pulumi passes structured config as JSON text and scalars as plain text. */
export function parseConfigValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Ephemeral stacks are named eph-<id>; their Auth0 objects carry that name as a tag. */
export const EPHEMERAL_PREFIX = "eph-";
/** An ephemeral id: short enough that tagged Auth0 names stay inside Auth0's length limits. */
export const EPHEMERAL_ID_PATTERN = /^[a-z0-9-]{1,24}$/;

export function isEphemeralStack(stack: string): boolean {
  return stack.startsWith(EPHEMERAL_PREFIX);
}

/** The stack name of an ephemeral id (the id is not checked here: the schema and the CLI check it). */
export function ephemeralStack(id: string): string {
  return `${EPHEMERAL_PREFIX}${id}`;
}

/** The id of an ephemeral stack eph-<id>: what `npm run ephemeral -- <verb>` takes. */
export function ephemeralId(stack: string): string {
  return stack.slice(EPHEMERAL_PREFIX.length);
}

/** Whether a role name carries an ephemeral stack's tag as its prefix ("eph-pr-1:admin"; isolation.ts rolePrefix). */
export function hasEphemeralTag(name: string): boolean {
  const colon = name.indexOf(":");
  return colon > 0 && isEphemeralStack(name) && EPHEMERAL_ID_PATTERN.test(name.slice(EPHEMERAL_PREFIX.length, colon));
}
