// `npm run adopt`: reads a description of a live tenant, adopts it, checks the result the way `npm run plan`
// and the policy pack will, and returns the stack file, the import file and the report. The CLI writes them.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseSettings, SettingsError } from "../../../infra/settings";
import { planConfig, type Plan, type PlannedResource } from "../../../harness/plan";
import {
  isEphemeralStack,
  mergeStackFile,
  projectDir,
  stackConfigFromText,
  stackFileConfig,
  stackFileName,
  UNDECRYPTED_SECRET,
} from "../../../harness/stack-file";
import { planWarnings } from "../warnings";
import { adoptTenant, type Adoption } from "./adopt";
import { isPlaceholder, type PreviousImport } from "./model";
import { names, TYPES } from "./names";
import { freshResources, plannedChanges, type Change } from "./changes";
import { readDeployCliDirectory, readDeployCliYaml, type KeywordMappings } from "./deploy-cli";
import {
  AdoptError,
  EXPORT_SECTIONS,
  parseExport,
  parseJsonText,
  SECRET_FIELDS,
  unknownSections,
  type TenantExport,
} from "./export-format";
import { buildImportFile, placeholders, type PulumiImportFile } from "./import-file";
import { policyFindings, type PolicyOutcome } from "../policy-check";
import { renderReport } from "./report";

export interface AdoptRequest {
  stack: string;
  /** A JSON export, a deploy-CLI tenant.yaml, or a deploy-CLI directory. */
  from: string;
  /** Where Pulumi.yaml and the stack files are (the repository root). */
  dir?: string;
  /** Where the import file goes; default adopt-import.<stack>.json in `dir`. */
  importFile?: string;
  apiIdentifier?: string;
  domain?: string;
  keywords?: KeywordMappings;
}

export interface SourceDescription {
  kind: "Management API export" | "deploy-CLI YAML export" | "deploy-CLI directory export";
  path: string;
  export: TenantExport;
  /** Parts of the source with no counterpart in the program. */
  otherSections: string[];
  unresolvedKeywords: string[];
  /** Sections the source does not carry: unknown, never taken as empty. */
  absent: string[];
  /** Secret fields found in the source (never read further, never written). */
  secretFields: number;
}

export interface AdoptResult {
  stack: string;
  stackFile: string;
  /** Where the stack file is written. */
  stackPath: string;
  stackFileText: string;
  importFilePath: string;
  importFile: PulumiImportFile;
  source: SourceDescription;
  adoption: Adoption;
  /** What `npm run plan` refuses in the written config (empty when it plans). */
  problems: string[];
  plan?: Plan;
  changes: Change[];
  fresh: PlannedResource[];
  warnings: string[];
  policy?: PolicyOutcome;
  report: string;
}

export async function adoptStack(request: AdoptRequest): Promise<AdoptResult> {
  const { stack } = request;
  const dir = request.dir ?? projectDir();
  if (stack === "ephemeral" || isEphemeralStack(stack)) {
    throw new AdoptError(
      `${stack} is an ephemeral stack (or their template): ephemeral stacks share a sandbox tenant and are never adopted`,
    );
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new AdoptError(`"${stack}" is not a stack name`);

  const source = readSource(request.from, request.keywords ?? {});
  const stackFile = stackFileName(stack);
  const stackPath = path.join(dir, stackFile);
  const existingText = fs.existsSync(stackPath) ? fs.readFileSync(stackPath, "utf8") : undefined;
  const existing = { config: stackFileConfig(existingText, stackFile) };
  const importFilePath = request.importFile ?? path.join(dir, `adopt-import.${stack}.json`);
  const adoption = adoptTenant(source.export, {
    stack,
    existing,
    apiIdentifier: request.apiIdentifier,
    domain: request.domain,
    absent: source.absent,
    previous: readPreviousImport(importFilePath),
  });

  const header = ` Stack ${stack}, adopted from ${path.basename(source.path)} (${source.kind}) by \`npm run adopt\`. Review it, then follow docs/adoption.md.`;
  const stackFileText = mergeStackFile(existingText, adoption.values, header);

  const importFile = buildImportFile(stack, adoption.imports, providerVersion());

  // The written config, read as `npm run plan` reads it and checked by the same settings parser, so the
  // report lists exactly what plan will refuse. The credentials adoption never writes (the report gives their
  // commands) then stand in, so that the changes can be planned when nothing else is wrong.
  const config = stackConfigFromText(stack, stackFileText, dir);
  const problems = settingsProblems(stack, config.config);
  if (config.config["auth0:clientSecret"] === undefined) {
    config.config["auth0:clientSecret"] = UNDECRYPTED_SECRET;
    config.secretKeys.push("auth0:clientSecret");
  }
  config.config["auth0:clientId"] ??= "client-id-not-set";
  let plan: Plan | undefined;
  let changes: Change[] = [];
  let fresh: PlannedResource[] = [];
  let warnings: string[] = [];
  let policy: PolicyOutcome | undefined;
  const blocking = problems.filter((p) => !CREDENTIAL_KEYS.some((key) => p.startsWith(`${key}: is not set`)));
  if (blocking.length === 0) {
    warnings = planWarnings(parseSettings(stack, config.config));
    plan = await planConfig(config);
    changes = plannedChanges(plan, adoption.imports);
    fresh = freshResources(plan, adoption.imports);
    policy = await policyFindings(plan, dir);
  }

  const result: Omit<AdoptResult, "report"> = {
    stack,
    stackFile,
    stackPath,
    stackFileText,
    importFilePath,
    importFile,
    source,
    adoption,
    problems,
    plan,
    changes,
    fresh,
    warnings,
    policy,
  };
  return { ...result, report: renderReport({ ...result, placeholders: placeholders(importFile) }) };
}

/** Keys whose absence adoption expects (it never writes credentials) and answers with commands. */
const CREDENTIAL_KEYS = ["auth0:clientId", "auth0:clientSecret"];

/** What the settings parser refuses in a config, one line per problem, as plan prints them. */
function settingsProblems(stack: string, config: Record<string, string>): string[] {
  try {
    parseSettings(stack, config);
    return [];
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return error.problems.map((p) => `${p.key}: ${p.message}`);
  }
}

/**
 * The keys an earlier run gave live objects, read back from its import file: client_id -> application key,
 * role id -> role key. Missing file: none. A file that is not one: an error naming it (nothing is written).
 */
export function readPreviousImport(file: string): PreviousImport {
  const previous: PreviousImport = { clients: new Map(), roles: new Map() };
  if (!fs.existsSync(file)) return previous;
  const json = parseJsonText(fs.readFileSync(file, "utf8"), file) as { resources?: unknown };
  if (!Array.isArray(json?.resources))
    throw new AdoptError(`${file}: not a Pulumi import file (no "resources" list); move it away or pass --import-file`);
  for (const entry of json.resources as { type?: string; name?: string; logicalName?: string; id?: string }[]) {
    const name = entry.logicalName ?? entry.name;
    if (typeof name !== "string" || typeof entry.id !== "string" || isPlaceholder(entry.id)) continue;
    if (entry.type === TYPES.client) previous.clients.set(entry.id, name);
    const rolePrefix = names.role("");
    if (entry.type === TYPES.role && name.startsWith(rolePrefix)) previous.roles.set(entry.id, name.slice(rolePrefix.length));
  }
  return previous;
}

/** Reads the source by its kind: a directory (deploy-CLI), a .yaml/.yml (deploy-CLI), else a JSON export. */
export function readSource(from: string, keywords: KeywordMappings): SourceDescription {
  if (!fs.existsSync(from)) throw new AdoptError(`--from ${from}: no such file or directory`);
  const count = (value: unknown): number => {
    if (Array.isArray(value)) return value.reduce((n: number, item) => n + count(item), 0);
    if (value === null || typeof value !== "object") return 0;
    return Object.entries(value).reduce(
      (n, [key, item]) => n + ((SECRET_FIELDS as readonly string[]).includes(key) ? 1 : 0) + count(item),
      0,
    );
  };
  if (fs.statSync(from).isDirectory()) {
    const read = readDeployCliDirectory(from, keywords);
    return { kind: "deploy-CLI directory export", path: from, ...read, secretFields: count(read.export) };
  }
  if (/\.ya?ml$/i.test(from)) {
    const read = readDeployCliYaml(from, keywords);
    return { kind: "deploy-CLI YAML export", path: from, ...read, secretFields: count(read.export) };
  }
  const json = parseJsonText(fs.readFileSync(from, "utf8"), `--from ${from} (a Management API export; YAML must end in .yaml)`);
  const data = parseExport(json, from);
  return {
    kind: "Management API export",
    path: from,
    export: data,
    otherSections: unknownSections(json as object),
    unresolvedKeywords: [],
    absent: EXPORT_SECTIONS.filter((section) => !(section in (json as object))).map((section) => `${section} (not in the file)`),
    secretFields: count(data),
  };
}

/** The @pulumi/auth0 version the program uses, for the import file's `version`. */
function providerVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve("@pulumi/auth0/package.json"), "utf8")) as { version: string }).version;
}
