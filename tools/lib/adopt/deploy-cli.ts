// auth0-deploy-cli exports, in its YAML (tenant.yaml) and directory formats, converted into the export
// document adoption reads. Shapes follow the deploy CLI's own handlers (src/context/{yaml,directory}/handlers
// in auth0/auth0-deploy-cli): clients keyed by name, grants naming their client by name, post-login bindings
// by Action name, Action and rule code in files beside the export. IDs are present only when the export was
// made with AUTH0_EXPORT_IDENTIFIERS=true; adoption then leaves placeholders where an ID is needed.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { AdoptError, parseExport, parseJsonText, type TenantExport } from "./export-format";

/** Keyword mappings as the deploy CLI takes them (AUTH0_KEYWORD_REPLACE_MAPPINGS). */
export type KeywordMappings = Record<string, string | number | (string | number)[]>;

export interface DeployCliExport {
  export: TenantExport;
  /** Sections of the export this program has no counterpart for (tenant settings, pages, guardian, ...). */
  otherSections: string[];
  /** ##KEY## / @@KEY@@ markers left in the export because no mapping was given for them. */
  unresolvedKeywords: string[];
  /** Sections of the export document the source does not carry (made with include/exclude options, or a folder missing). */
  absent: string[];
}

/** What the sections the program reads are called in tenant.yaml. */
const YAML_SECTIONS = ["clients", "resourceServers", "clientGrants", "roles", "actions", "triggers", "rules", "connections", "databases"];

/** ...and which directory holds each in the directory format (src/tools/constants.ts in the deploy CLI). */
const DIRECTORIES = {
  clients: "clients",
  resourceServers: "resource-servers",
  clientGrants: "grants",
  roles: "roles",
  actions: "actions",
  rules: "rules",
  connections: "connections",
  databases: "database-connections",
  triggers: "triggers",
} as const;

/**
 * Replaces keywords the way the deploy CLI does, on the raw text before parsing: @@KEY@@ (bare, or in single or
 * double quotes, as YAML allows either) by the value's JSON, then ##KEY## by the value. auth0/auth0-deploy-cli
 * src/tools/utils.ts: keywordReplaceArrayRegExp, keywordArrayReplace, keywordStringReplace.
 */
export function replaceKeywords(text: string, mappings: KeywordMappings): string {
  let result = text;
  for (const [key, value] of Object.entries(mappings)) {
    const marker = `@@${escapeRegExp(key)}@@`;
    result = result.replace(new RegExp(`'${marker}'|"${marker}"|${marker}`, "g"), () => JSON.stringify(value));
  }
  for (const [key, value] of Object.entries(mappings)) {
    result = result.replace(new RegExp(`##${escapeRegExp(key)}##`, "g"), () => String(value));
  }
  return result;
}

/** Keywords still present after replacement. */
export function keywordsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/##([A-Za-z0-9_]+)##|@@([A-Za-z0-9_]+)@@/g)].map((m) => m[0]))].sort();
}

/**
 * Unresolved markers made parseable: an unquoted value starting with ## would be a YAML comment and one
 * starting with @@ is not valid YAML, so such values are quoted and kept visible (plan then flags them).
 */
function quoteUnresolvedYaml(text: string): string {
  return text.replace(
    /^(\s*(?:-\s+|[^\s#:][^:#]*:\s+))((?:##|@@)[A-Za-z0-9_]+(?:##|@@)[^\s#]*)\s*$/gm,
    (_, lead: string, value: string) => `${lead}${JSON.stringify(value)}`,
  );
}

/** Reads the keyword mappings file: a JSON object, or a deploy-CLI config.json holding AUTH0_KEYWORD_REPLACE_MAPPINGS. */
export function readKeywordMappings(file: string): KeywordMappings {
  const json = readJson(file) as Record<string, unknown>;
  const mappings = (json.AUTH0_KEYWORD_REPLACE_MAPPINGS ?? json) as unknown;
  if (mappings === null || typeof mappings !== "object" || Array.isArray(mappings)) {
    throw new AdoptError(
      `${file}: keyword mappings must be a JSON object (or a deploy-CLI config.json with AUTH0_KEYWORD_REPLACE_MAPPINGS)`,
    );
  }
  return mappings as KeywordMappings;
}

/** A deploy-CLI YAML export (tenant.yaml); code paths are relative to the YAML file's folder. */
export function readDeployCliYaml(file: string, mappings: KeywordMappings = {}): DeployCliExport {
  const base = path.dirname(file);
  const text = quoteUnresolvedYaml(replaceKeywords(readText(file), mappings));
  let doc: Record<string, unknown>;
  try {
    doc = (parse(text) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new AdoptError(`${file} is not valid YAML after keyword replacement: ${(error as Error).message}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new AdoptError(`${file}: a deploy-CLI tenant.yaml is a map of sections`);
  if (!YAML_SECTIONS.some((section) => section in doc)) {
    throw new AdoptError(`${file} is not a deploy-CLI export: it has none of the sections ${YAML_SECTIONS.join(", ")}`);
  }
  for (const section of YAML_SECTIONS) {
    const value = doc[section];
    const expected = section === "triggers" ? "a map of trigger ids to lists" : "a list";
    const ok = section === "triggers" ? isObject(value) : Array.isArray(value);
    if (value !== undefined && value !== null && !ok) throw new AdoptError(`${file}: "${section}" must be ${expected}`);
  }
  const unresolved = new Set(keywordsIn(text));
  const load = (codePath: unknown, fallbacks: string[]) => loadCode(base, codePath, fallbacks, mappings, unresolved, file);
  const actions = list(doc.actions).map((action) => ({
    ...action,
    code: load(action.code, [`actions/${action.name}/code.js`, `actions/${action.name}.js`]),
  }));
  const rules = list(doc.rules).map((rule) => ({ ...rule, script: load(rule.script, [`rules/${rule.name}.js`]) }));
  return convert(
    {
      clients: list(doc.clients),
      resourceServers: list(doc.resourceServers),
      clientGrants: list(doc.clientGrants),
      roles: list(doc.roles),
      actions,
      triggers: (doc.triggers ?? {}) as Record<string, unknown>,
      rules,
      connections: [...list(doc.connections), ...list(doc.databases).map((db) => ({ strategy: "auth0", ...db }))],
    },
    Object.keys(doc)
      .filter((key) => !YAML_SECTIONS.includes(key))
      .map((key) => `${key} (tenant.yaml)`),
    [...unresolved],
    file,
    absentSections(
      (section) => doc[section] !== undefined && doc[section] !== null,
      (section) => section,
    ),
  );
}

/** A deploy-CLI directory export. */
export function readDeployCliDirectory(dir: string, mappings: KeywordMappings = {}): DeployCliExport {
  const unresolved = new Set<string>();
  const present = (sub: string) => fs.existsSync(path.join(dir, sub));
  if (!Object.values(DIRECTORIES).some(present)) {
    throw new AdoptError(
      `${dir} is not a deploy-CLI directory export: it has none of the folders ${Object.values(DIRECTORIES)
        .map((d) => `${d}/`)
        .join(", ")}`,
    );
  }
  /** Which file each object of a section came from, so that a schema error names the file. */
  const files: Record<string, string[]> = {};
  const readObject = (file: string): Record<string, unknown> => {
    const value = parseJsonText(replaceKeywords(readText(file), mappings), file, "after keyword replacement");
    if (!isObject(value)) throw new AdoptError(`${file}: expected a JSON object, got ${Array.isArray(value) ? "a list" : typeof value}`);
    for (const k of keywordsIn(JSON.stringify(value))) unresolved.add(k);
    return value;
  };
  const jsonFiles = (sub: string, section: string = sub) => {
    const folder = path.join(dir, sub);
    if (!fs.existsSync(folder)) return [];
    const names = fs
      .readdirSync(folder)
      .filter((name) => name.endsWith(".json"))
      .sort();
    files[section] = names.map((name) => path.join(folder, name));
    return files[section].map(readObject);
  };
  const load = (codePath: unknown, fallbacks: string[]) => loadCode(dir, codePath, fallbacks, mappings, unresolved, dir);
  const actions = jsonFiles(DIRECTORIES.actions, "actions").map((action) => ({
    ...action,
    code: load(action.code, [`actions/${action.name}/code.js`, `actions/${action.name}.js`]),
  }));
  const rules = jsonFiles(DIRECTORIES.rules, "rules").map((rule) => ({ ...rule, script: load(rule.script, [`rules/${rule.name}.js`]) }));
  const triggersFile = path.join(dir, DIRECTORIES.triggers, "triggers.json");
  const triggers = fs.existsSync(triggersFile) ? readObject(triggersFile) : {};
  for (const [trigger, entries] of Object.entries(triggers)) {
    if (!Array.isArray(entries)) throw new AdoptError(`${triggersFile}: "${trigger}" must be a list of bindings`);
  }
  const known = new Set<string>(Object.values(DIRECTORIES));
  const others = fs
    .readdirSync(dir)
    .filter((name) => !known.has(name) && !name.startsWith("."))
    .sort()
    .map((name) => `${name}${fs.statSync(path.join(dir, name)).isDirectory() ? "/" : ""}`);
  return convert(
    {
      clients: jsonFiles(DIRECTORIES.clients, "clients"),
      resourceServers: jsonFiles(DIRECTORIES.resourceServers, "resourceServers"),
      clientGrants: jsonFiles(DIRECTORIES.clientGrants, "clientGrants"),
      roles: jsonFiles(DIRECTORIES.roles, "roles"),
      actions,
      triggers,
      rules,
      connections: [...jsonFiles(DIRECTORIES.connections), ...databaseConnections(dir, readObject)],
    },
    others,
    [...unresolved],
    dir,
    absentSections(
      (section) => (section === "triggers" ? fs.existsSync(triggersFile) : present(DIRECTORIES[section as keyof typeof DIRECTORIES])),
      (section) =>
        `${section === "triggers" ? `${DIRECTORIES.triggers}/triggers.json` : `${DIRECTORIES[section as keyof typeof DIRECTORIES]}/`}`,
    ),
    files,
  );
}

interface Sections {
  clients: Record<string, unknown>[];
  resourceServers: Record<string, unknown>[];
  clientGrants: Record<string, unknown>[];
  roles: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  triggers: Record<string, unknown>;
  rules: Record<string, unknown>[];
  connections: Record<string, unknown>[];
}

/** Sections of the export document the deploy-CLI source does not carry; `where` names what is missing. */
function absentSections(has: (section: string) => boolean, where: (section: string) => string): string[] {
  const bySection: Record<string, string> = {
    clients: "clients",
    resourceServers: "resourceServers",
    clientGrants: "clientGrants",
    roles: "roles",
    actions: "actions",
    bindings: "triggers",
    rules: "rules",
  };
  return Object.entries(bySection)
    .filter(([, source]) => !has(source))
    .map(([section, source]) => `${section} (no ${where(source)})`);
}

function convert(
  sections: Sections,
  otherSections: string[],
  unresolvedKeywords: string[],
  label: string,
  absent: string[],
  files: Record<string, string[]> = {},
): DeployCliExport {
  const byName = new Map(sections.actions.map((action) => [String(action.name), action]));
  const bindings: Record<string, unknown[]> = {};
  for (const [trigger, entries] of Object.entries(sections.triggers)) {
    // The deploy CLI binds by Action name; the API's binding carries the Action's id and name.
    bindings[trigger] = list(entries).map((entry) => {
      const name = String(entry.action_name ?? "");
      return { display_name: entry.display_name ?? name, action: { id: byName.get(name)?.id, name } };
    });
  }
  const parse = (doc: unknown) => {
    try {
      return parseExport(doc, label, (where) => {
        // "clients.1.name" in a directory export: the second file of clients/, field name.
        const [section, index, ...rest] = where.split(".");
        const file = files[section]?.[Number(index)];
        return file ? `${file}: ${rest.join(".") || "(the object)"}` : where;
      });
    } catch (error) {
      const arrays = unresolvedKeywords.filter((k) => k.startsWith("@@"));
      if (!(error instanceof AdoptError) || arrays.length === 0) throw error;
      throw new AdoptError(
        `${error.message}\n(${arrays.join(", ")} stand${arrays.length === 1 ? "s" : ""} for lists: give their values with --keywords <mappings.json>)`,
      );
    }
  };
  const data = parse({
    clients: sections.clients,
    resourceServers: sections.resourceServers,
    clientGrants: sections.clientGrants,
    roles: sections.roles.map((role) => ({ ...role, permissions: list(role.permissions) })),
    actions: sections.actions,
    bindings,
    rules: sections.rules,
    connections: sections.connections,
  });
  return { export: data, otherSections, unresolvedKeywords: [...new Set(unresolvedKeywords)].sort(), absent };
}

/** database-connections/<name>/database.json (the deploy CLI's layout for database connections). */
function databaseConnections(dir: string, readObject: (file: string) => Record<string, unknown>): Record<string, unknown>[] {
  const folder = path.join(dir, DIRECTORIES.databases);
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .sort()
    .map((name) => path.join(folder, name, "database.json"))
    .filter((file) => fs.existsSync(file))
    .map((file) => ({ strategy: "auth0", ...readObject(file) }));
}

/**
 * Action and rule code lives in files the export points to. The deploy CLI writes those paths relative to
 * the export (./actions/x/code.js) or prefixed with the folder it dumped into (local/actions/x/code.js), so
 * each is tried from the export and from its parent, then the conventional place.
 */
function loadCode(
  base: string,
  codePath: unknown,
  fallbacks: string[],
  mappings: KeywordMappings,
  unresolved: Set<string>,
  label: string,
): string | undefined {
  const candidates = [
    ...(typeof codePath === "string" && codePath !== "" ? [path.resolve(base, codePath), path.resolve(path.dirname(base), codePath)] : []),
    ...fallbacks.map((f) => path.resolve(base, f)),
  ];
  const found = candidates.find((file) => fs.existsSync(file) && fs.statSync(file).isFile());
  if (found === undefined) {
    if (typeof codePath === "string" && !codePath.endsWith(".js")) return codePath; // inline code
    if (codePath !== undefined)
      throw new AdoptError(`${label}: code file ${String(codePath)} not found (looked for ${candidates.join(", ")})`);
    return undefined;
  }
  const code = replaceKeywords(fs.readFileSync(found, "utf8"), mappings);
  for (const k of keywordsIn(code)) unresolved.add(k);
  return code;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value.filter((item) => item !== null && typeof item === "object") as Record<string, unknown>[]) : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new AdoptError(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

function readJson(file: string): unknown {
  return parseJsonText(readText(file), file);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
