// Reads a stack's config the way the Pulumi CLI hands it to a program: Pulumi.yaml defaults, then
// Pulumi.<stack>.yaml, every value as a string (structured values as JSON), `secure:` values as secrets
// that are never decrypted.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../infra/bundle";
import { PROJECT, stackFileOf } from "../../infra/settings";

export interface StackConfig {
  stack: string;
  file: string;
  config: Record<string, string>;
  secretKeys: string[];
}

export class StackConfigError extends Error {}

/** Stands in for a `secure:` value offline: the ciphertext is not decryptable here, and never printed. */
export const UNDECRYPTED_SECRET = "[secret: not decrypted offline]";

export function readStackConfig(stack: string, dir: string = REPO_ROOT): StackConfig {
  if (stack === "ephemeral") {
    throw new StackConfigError(
      "Pulumi.ephemeral.yaml is the template of ephemeral stacks, not a stack: run `npm run ephemeral -- config <id>`, then use --stack eph-<id>",
    );
  }
  const file = stackFileOf(stack);
  const stackPath = path.join(dir, file);
  if (!fs.existsSync(stackPath)) {
    throw new StackConfigError(`${file} not found in ${dir}: is "${stack}" a stack of this project?`);
  }
  const project = parseYaml(path.join(dir, "Pulumi.yaml"), "Pulumi.yaml") as { config?: Record<string, { default?: unknown }> };
  return flatten(stack, project, parseYaml(stackPath, file) as { config?: Record<string, unknown> } | null);
}

function flatten(
  stack: string,
  project: { config?: Record<string, { default?: unknown }> } | null,
  stackDoc: { config?: Record<string, unknown> } | null,
): StackConfig {
  const file = stackFileOf(stack);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const required: string[] = [];
  for (const [key, declaration] of Object.entries(project?.config ?? {})) {
    if (declaration && typeof declaration === "object" && "default" in declaration) {
      config[qualify(key)] = asConfigString(declaration.default);
    } else {
      required.push(qualify(key));
    }
  }
  const stackKeys = new Set(Object.keys(stackDoc?.config ?? {}).map(qualify));
  const missing = required.filter((key) => !stackKeys.has(key));
  if (missing.length > 0) {
    // What the Pulumi CLI refuses before the program starts (project keys declared without a default).
    throw new StackConfigError(
      `Stack '${stack}' is missing configuration value(s) ${missing.map((k) => `'${k}'`).join(", ")} in ${file} (Pulumi.yaml declares them without a default)`,
    );
  }
  for (const [key, value] of Object.entries(stackDoc?.config ?? {})) {
    const fullKey = qualify(key);
    if (value !== null && typeof value === "object" && "secure" in value) {
      config[fullKey] = UNDECRYPTED_SECRET;
      secretKeys.push(fullKey);
    } else {
      config[fullKey] = asConfigString(value);
    }
  }
  return { stack, file, config, secretKeys };
}

/** Long-lived stacks with a committed stack file (not the ephemeral template, not eph-* stacks). */
export function committedStacks(dir: string = REPO_ROOT): string[] {
  return fs
    .readdirSync(dir)
    .map((name) => /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1])
    .filter(
      (stack): stack is string =>
        stack !== undefined && stack !== "ephemeral" && !stack.startsWith("eph-") && !stack.startsWith("cli-test-"),
    )
    .sort();
}

/** The stack config as Pulumi would hand it over, from a stack file's text (not read from disk). */
export function stackConfigFromText(stack: string, text: string, dir: string = REPO_ROOT): StackConfig {
  const project = parseYaml(path.join(dir, "Pulumi.yaml"), "Pulumi.yaml") as { config?: Record<string, { default?: unknown }> };
  return flatten(stack, project, parseText(text, stackFileOf(stack)) as { config?: Record<string, unknown> } | null);
}

function parseYaml(filePath: string, label: string): unknown {
  return parseText(fs.readFileSync(filePath, "utf8"), label);
}

function parseText(text: string, label: string): unknown {
  try {
    return parse(text);
  } catch (error) {
    throw new StackConfigError(`${label} is not valid YAML: ${(error as Error).message}`);
  }
}

function qualify(key: string): string {
  return key.includes(":") ? key : `${PROJECT}:${key}`;
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
