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
  const file = stackFileOf(stack);
  const stackPath = path.join(dir, file);
  if (!fs.existsSync(stackPath)) {
    throw new StackConfigError(`${file} not found in ${dir}: is "${stack}" a stack of this project?`);
  }
  const project = parseYaml(path.join(dir, "Pulumi.yaml"), "Pulumi.yaml") as { config?: Record<string, { default?: unknown }> };
  const stackDoc = parseYaml(stackPath, file) as { config?: Record<string, unknown> } | null;

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, declaration] of Object.entries(project?.config ?? {})) {
    if (declaration && typeof declaration === "object" && "default" in declaration) {
      config[qualify(key)] = asConfigString(declaration.default);
    }
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

/** Stacks with a committed stack file, for commands that act on every stack. */
export function committedStacks(dir: string = REPO_ROOT): string[] {
  return fs
    .readdirSync(dir)
    .map((name) => /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

function parseYaml(filePath: string, label: string): unknown {
  try {
    return parse(fs.readFileSync(filePath, "utf8"));
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
