// The stack file, offline: its name, reading it as the Pulumi CLI hands config to a program (Pulumi.yaml
// defaults, then Pulumi.<stack>.yaml, every value a string, structured values as JSON, `secure:` values as
// secrets that are never decrypted), reading it from text, the ephemeral stack names, and writing values
// into it without losing a comment or a secret. The naming rules the program itself needs live in
// infra/settings/stack-names.ts and are re-exported here, so this is the one module tools and tests import.
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, parse, parseDocument, visit, type Document } from "yaml";
import { parseSettings, type Settings } from "../infra/settings";
import {
  EPHEMERAL_ID_PATTERN,
  EPHEMERAL_PREFIX,
  ephemeralStack,
  isEphemeralStack,
  qualifyKey,
  stackFileName,
} from "../infra/settings/stack-names";
import { UserError } from "../infra/errors";
import { RecentCopies } from "./recent-copies";

export {
  EPHEMERAL_ID_PATTERN,
  EPHEMERAL_PREFIX,
  ephemeralId,
  hasEphemeralTag,
  isEphemeralStack,
  parseConfigValue,
  PROJECT,
  qualifyKey,
  stackFileName,
} from "../infra/settings/stack-names";

export interface StackConfig {
  stack: string;
  file: string;
  config: Record<string, string>;
  secretKeys: string[];
}

/** Stands in for a `secure:` value offline: the ciphertext is not decryptable here, and never printed. */
export const UNDECRYPTED_SECRET = "[secret: not decrypted offline]";

/** The ephemeral template's stack file: a template, never a stack of its own. */
export const EPHEMERAL_TEMPLATE_STACK = "ephemeral";

/** The stack name of an ephemeral id, refusing an id that is not short lower-case kebab-case. */
export function ephemeralStackName(id: string): string {
  if (!EPHEMERAL_ID_PATTERN.test(id)) throw new UserError(`the ephemeral id "${id}" must match ${EPHEMERAL_ID_PATTERN.source}`);
  return ephemeralStack(id);
}

/**
 * The project directory as the Pulumi CLI finds it: the nearest directory, from `start` upwards, holding a
 * Pulumi.yaml (pulumi/pulumi sdk/go/common/workspace/paths.go, DetectProjectPathFrom).
 */
export function projectDir(start: string = process.cwd()): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new UserError(`no Pulumi.yaml in ${start} or above it: run this inside the project`);
  }
}

/** A stack's config as Pulumi would hand it to the program, read from the project in `dir`. */
export function readStackConfig(stack: string, dir: string = projectDir()): StackConfig {
  if (stack === EPHEMERAL_TEMPLATE_STACK) {
    throw new UserError(
      `${stackFileName(stack)} is the template of ephemeral stacks, not a stack: run \`npm run ephemeral -- config <id>\`, then use --stack ${EPHEMERAL_PREFIX}<id>`,
    );
  }
  const file = stackFileName(stack);
  const stackPath = path.join(dir, file);
  if (!fs.existsSync(stackPath)) {
    throw new UserError(`${file} not found in ${dir}: is "${stack}" a stack of this project?`);
  }
  return flatten(stack, readProject(dir), parseText(fs.readFileSync(stackPath, "utf8"), file) as StackDoc);
}

/** The stack config as Pulumi would hand it over, from a stack file's text (not read from disk). */
export function stackConfigFromText(stack: string, text: string, dir: string = projectDir()): StackConfig {
  return flatten(stack, readProject(dir), parseText(text, stackFileName(stack)) as StackDoc);
}

/** A committed stack's settings, parsed by the program's own parser. */
export function readStackSettings(stack: string, dir?: string): Settings {
  return parseSettings(stack, readStackConfig(stack, dir).config);
}

/** Long-lived stacks with a stack file in `dir` (not the ephemeral template, not eph-* stacks). */
export function committedStacks(dir: string = projectDir()): string[] {
  return fs
    .readdirSync(dir)
    .map((name) => /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1])
    .filter((stack): stack is string => stack !== undefined && stack !== EPHEMERAL_TEMPLATE_STACK && !isEphemeralStack(stack))
    .sort();
}

/** Config values of a stack file's text as YAML parses them, keys qualified (`secure:` values as { secure }). */
export function stackFileConfig(text: string | undefined, label: string): Record<string, unknown> {
  if (text === undefined) return {};
  const config = (parseText(text, label) as StackDoc)?.config;
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) throw new UserError(`${label}: "config" must be a map`);
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) result[qualifyKey(key)] = value;
  return result;
}

/**
 * The stack file with `values` set under `config`, through the yaml Document API: every other key, every
 * comment and every `secure:` value already there survives. A new file gets `header` as its first comment.
 * A `secure:` value among `values` is refused as a bug: nothing offline writes secrets.
 */
export function mergeStackFile(existingText: string | undefined, values: Record<string, unknown>, header: string): string {
  const fresh = existingText === undefined || existingText.trim() === "";
  const headerLines = header
    .split("\n")
    .map((line) => `#${line}`)
    .join("\n");
  const doc: Document = parseDocument(fresh ? `${headerLines}\nconfig: {}\n` : existingText);
  if (!isMap(doc.get("config"))) doc.set("config", doc.createNode({}));
  const config = doc.get("config");
  if (isMap(config)) config.flow = false;
  for (const [key, value] of Object.entries(values)) {
    if (isSecure(value)) throw new Error(`a stack file merge must never write a secret (${key})`);
    const node = doc.createNode(value);
    // The house style of the committed stack files: short lists of plain values on one line.
    visit(node, {
      Seq(_, seq) {
        if (seq.items.length > 0 && seq.items.every((item) => isScalar(item)) && JSON.stringify(seq.toJSON()).length <= 100)
          seq.flow = true;
      },
    });
    doc.setIn(["config", key], node);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** A `secure:` value as a stack file holds it: { secure: <ciphertext> }. */
export function isSecure(value: unknown): value is { secure: unknown } {
  return value !== null && typeof value === "object" && "secure" in value;
}

type StackDoc = { config?: Record<string, unknown> } | null;
type ProjectDoc = { config?: Record<string, { default?: unknown }> } | null;

function readProject(dir: string): ProjectDoc {
  return parseText(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), "Pulumi.yaml") as ProjectDoc;
}

function flatten(stack: string, project: ProjectDoc, stackDoc: StackDoc): StackConfig {
  const file = stackFileName(stack);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const required: string[] = [];
  for (const [key, declaration] of Object.entries(project?.config ?? {})) {
    if (declaration && typeof declaration === "object" && "default" in declaration) {
      config[qualifyKey(key)] = asConfigString(declaration.default);
    } else {
      required.push(qualifyKey(key));
    }
  }
  const stackKeys = new Set(Object.keys(stackDoc?.config ?? {}).map(qualifyKey));
  const missing = required.filter((key) => !stackKeys.has(key));
  if (missing.length > 0) {
    // What the Pulumi CLI refuses before the program starts (project keys declared without a default).
    throw new UserError(
      `Stack '${stack}' is missing configuration value(s) ${missing.map((k) => `'${k}'`).join(", ")} in ${file} (Pulumi.yaml declares them without a default)`,
    );
  }
  for (const [key, value] of Object.entries(stackDoc?.config ?? {})) {
    const fullKey = qualifyKey(key);
    if (isSecure(value)) {
      config[fullKey] = UNDECRYPTED_SECRET;
      secretKeys.push(fullKey);
    } else {
      config[fullKey] = asConfigString(value);
    }
  }
  return { stack, file, config, secretKeys };
}

/**
 * Parsed YAML by text, most recent last. The same few files are parsed again and again (every plan, command
 * and test reads Pulumi.yaml and a stack file); a copy is handed out, so no caller shares what another changes.
 */
const parsedTexts = new RecentCopies<unknown>(32);

function parseText(text: string, label: string): unknown {
  const cached = parsedTexts.get(text);
  if (cached !== undefined) return cached;
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new UserError(`${label} is not valid YAML: ${(error as Error).message}`);
  }
  parsedTexts.set(text, parsed);
  return parsed;
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
