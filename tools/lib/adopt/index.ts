// `npm run adopt`: reads a description of a live tenant, adopts it, checks the result the way `npm run plan`
// and the policy pack will, and returns the stack file, the import file and the report. The CLI writes them.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseSettings, SettingsError } from "../../../infra/settings";
import { planConfig, type Plan, type PlannedResource } from "../../../harness/plan";
import {
  mergeStackFile,
  projectDir,
  stackConfigFromText,
  stackFileConfig,
  stackFileName,
  UNDECRYPTED_SECRET,
} from "../../../harness/stack-file";
import { planWarnings } from "../warnings";
import { adoptTenant, type Adoption } from "./adopt";
import { freshResources, plannedChanges, type Change } from "./changes";
import { readDeployCliDirectory, readDeployCliYaml, type KeywordMappings } from "./deploy-cli";
import { AdoptError, parseExport, SECRET_FIELDS, unknownSections, type TenantExport } from "./export-format";
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
  if (stack === "ephemeral" || stack.startsWith("eph-")) {
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
  const adoption = adoptTenant(source.export, { stack, existing, apiIdentifier: request.apiIdentifier, domain: request.domain });

  const header = ` Stack ${stack}, adopted from ${path.basename(source.path)} (${source.kind}) by \`npm run adopt\`. Review it, then follow docs/adoption.md.`;
  const stackFileText = mergeStackFile(existingText, adoption.values, header);

  const importFilePath = request.importFile ?? path.join(dir, `adopt-import.${stack}.json`);
  const importFile = buildImportFile(stack, adoption.imports, providerVersion());

  // The written config, checked by the one settings parser and planned by the plan engine. Credentials
  // adoption never writes stand in as placeholders here, so that their absence alone does not stop the check.
  const config = stackConfigFromText(stack, stackFileText, dir);
  if (config.config["auth0:clientSecret"] === undefined) {
    config.config["auth0:clientSecret"] = UNDECRYPTED_SECRET;
    config.secretKeys.push("auth0:clientSecret");
  }
  config.config["auth0:clientId"] ??= "client-id-not-set";
  const problems: string[] = [];
  let plan: Plan | undefined;
  let changes: Change[] = [];
  let fresh: PlannedResource[] = [];
  let warnings: string[] = [];
  let policy: PolicyOutcome | undefined;
  try {
    warnings = planWarnings(parseSettings(stack, config.config));
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    problems.push(...error.problems.map((p) => `${p.key}: ${p.message}`));
  }
  if (problems.length === 0) {
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
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(from, "utf8"));
  } catch (error) {
    throw new AdoptError(
      `--from ${from} is not JSON (a Management API export), YAML (a deploy-CLI tenant.yaml) or a directory: ${(error as Error).message}`,
    );
  }
  const data = parseExport(json, from);
  return {
    kind: "Management API export",
    path: from,
    export: data,
    otherSections: unknownSections(json as object),
    unresolvedKeywords: [],
    secretFields: count(data),
  };
}

/** The @pulumi/auth0 version the program uses, for the import file's `version`. */
function providerVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve("@pulumi/auth0/package.json"), "utf8")) as { version: string }).version;
}
