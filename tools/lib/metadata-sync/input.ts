// The system of record's export, parsed and checked before anything talks to Auth0: every row either
// becomes one desired user or one or more line-numbered problems, never half of each.
//
// Formats:
// - CSV: a header row naming the columns `user_id,tenant_id,plan,roles` (any order; other columns are
//   ignored), RFC 4180 quoting, roles separated by `;` (the field separator is `,`). A problem's line is
//   the physical line on which its record starts.
// - JSON: an array of objects with the keys `user_id`, `tenant_id`, `plan`, `roles` (an array of role
//   names). A problem's line is the physical line on which that array element starts.
// In both, an empty `tenant_id` or `plan` (JSON: `null` or `""`) means the user has none, and the sync
// removes the key from app_metadata; empty roles mean the user holds none of the stack's roles. Every row
// must state all four fields, so that a file missing a column cannot wipe a key by accident.
import { UserError } from "../../../infra/errors";

import { planOf, tenantIdOf, tenantIdProblem } from "../../../actions/claim-mapping/values";

export type InputFormat = "csv" | "json";

/** One user as the system of record wants them: the keys the sync owns, nothing else. */
export interface DesiredUser {
  line: number;
  user_id: string;
  tenant_id: string | null;
  plan: string | null;
  /** Names of roles the stack declares, sorted, without duplicates. */
  roles: string[];
}

export interface InputProblem {
  line: number;
  message: string;
}

export interface ParsedInput {
  rows: DesiredUser[];
  problems: InputProblem[];
}

/** What a row may name: the stack's `tenant:claims.plans` and `tenant:roles` names. */
export interface Declared {
  plans: readonly string[];
  roles: readonly string[];
}

export const COLUMNS = ["user_id", "tenant_id", "plan", "roles"] as const;
type Column = (typeof COLUMNS)[number];

/** The CSV separator between role names inside the `roles` cell. */
export const CSV_ROLE_SEPARATOR = ";";

export function formatOf(file: string): InputFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".json")) return "json";
  return undefined;
}

export function parseInput(text: string, format: InputFormat, declared: Declared): ParsedInput {
  const records = format === "csv" ? csvRecords(text) : jsonRecords(text);
  const problems: InputProblem[] = [];
  // Rows with problems still name their user, so that another row of the same user is caught as a
  // duplicate rather than applied alone.
  const candidates: { row: Omit<DesiredUser, "line">; line: number; valid: boolean }[] = [];

  for (const record of records) {
    if ("problem" in record) {
      problems.push({ line: record.line, message: record.problem });
      continue;
    }
    const messages: string[] = [];
    const row = checkRow(record.values, declared, messages);
    problems.push(...messages.map((message) => ({ line: record.line, message })));
    if (row) candidates.push({ row, line: record.line, valid: messages.length === 0 });
  }

  const byUser = new Map<string, { lines: number[]; spellings: Set<string> }>();
  for (const { row, line } of candidates) {
    const key = userKey(row.user_id);
    const seen = byUser.get(key) ?? { lines: [], spellings: new Set<string>() };
    seen.lines.push(line);
    seen.spellings.add(row.user_id);
    byUser.set(key, seen);
  }
  const rows: DesiredUser[] = [];
  for (const { row, line, valid } of candidates) {
    const { lines, spellings } = byUser.get(userKey(row.user_id))!;
    if (lines.length > 1) {
      const variants =
        spellings.size > 1
          ? " (spelled differently: ids that differ only in Unicode normal form or invisible characters are one user)"
          : "";
      problems.push({
        line,
        message: `user_id ${quoteId(row.user_id)} is listed ${lines.length} times (lines ${lines.join(", ")})${variants}: every row of this user is skipped`,
      });
    } else if (valid) {
      rows.push({ line, ...row });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems };
}

/**
 * What two rows must not share: the id in NFKC with default-ignorable and format characters (zero-width
 * spaces and joiners, BOM, bidi marks, soft hyphen) removed. Two rows that look the same to the person who
 * wrote the file are one user, so both are skipped rather than one silently overriding the other.
 */
export function userKey(userId: string): string {
  return userId.normalize("NFKC").replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu, "");
}

/** The id in quotes, invisible and control characters shown as \\u escapes so that variants can be told apart. */
export function quoteId(userId: string): string {
  const visible = userId.replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}"\\]/gu, (c) =>
    c === '"' || c === "\\" ? `\\${c}` : `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`,
  );
  return `"${visible}"`;
}

type RawRecord = { line: number; values: Partial<Record<Column, unknown>> } | { line: number; problem: string };

/** Validates one row's values; returns the row (possibly with messages) or undefined without a user id. */
function checkRow(values: Partial<Record<Column, unknown>>, declared: Declared, messages: string[]): Omit<DesiredUser, "line"> | undefined {
  for (const column of COLUMNS) {
    if (!(column in values)) messages.push(`"${column}" is missing (use an empty value for none)`);
  }
  const userId = typeof values.user_id === "string" ? values.user_id.trim() : "";
  if (userId === "") {
    messages.unshift(
      values.user_id === undefined || values.user_id === null || values.user_id === ""
        ? "no user_id"
        : `user_id must be a string (got ${describe(values.user_id)})`,
    );
    return undefined;
  }

  let tenantId: string | null = null;
  const rawTenant = typeof values.tenant_id === "string" ? values.tenant_id.trim() : values.tenant_id;
  if (typeof rawTenant === "string" || typeof rawTenant === "number") {
    // The Action's own definition (actions/claim-mapping/values.ts): never write a tenant it would refuse.
    if (rawTenant !== "") tenantId = tenantIdOf(rawTenant) ?? null;
    if (rawTenant !== "" && tenantId === null) messages.push(`tenant_id ${quoteId(String(rawTenant))} ${tenantIdProblem(rawTenant)}`);
  } else if (rawTenant !== null && rawTenant !== undefined) messages.push(`tenant_id must be a string (got ${describe(rawTenant)})`);

  let plan: string | null = null;
  const rawPlan = values.plan;
  if (typeof rawPlan === "string") {
    const trimmed = rawPlan.trim();
    if (trimmed !== "" && planOf(trimmed, declared.plans) === undefined) {
      messages.push(`plan "${trimmed}" is not one of the stack's plans (${declared.plans.join(", ")})`);
    } else if (trimmed !== "") plan = trimmed;
  } else if (rawPlan !== null && rawPlan !== undefined) messages.push(`plan must be a string (got ${describe(rawPlan)})`);

  const roles = new Set<string>();
  const rawRoles = values.roles;
  const names = Array.isArray(rawRoles) ? rawRoles : rawRoles === null || rawRoles === undefined ? [] : undefined;
  if (names === undefined) messages.push(`roles must be a list of role names (got ${describe(rawRoles)})`);
  for (const name of names ?? []) {
    if (typeof name !== "string") {
      messages.push(`roles must contain role names only (got ${describe(name)})`);
      continue;
    }
    const role = name.trim();
    if (role === "") continue;
    if (!declared.roles.includes(role)) messages.push(`role "${role}" is not one of the stack's roles (${declared.roles.join(", ")})`);
    else roles.add(role);
  }
  return { user_id: userId, tenant_id: tenantId, plan, roles: [...roles].sort() };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

// ---------------------------------------------------------------------------------------------------
// CSV (RFC 4180): quoted fields may hold commas, doubled quotes and line breaks.

interface CsvRecord {
  line: number;
  fields: string[];
}

function csvRecords(text: string): RawRecord[] {
  const records = splitCsv(text.replace(/^\uFEFF/, ""));
  const nonBlank = records.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ""));
  const header = nonBlank.shift();
  if (!header) throw new UserError("the CSV file is empty: it needs a header row (user_id,tenant_id,plan,roles)");
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new UserError(
      `the CSV header (line ${header.line}) lacks ${missing.map((m) => `"${m}"`).join(", ")}: it must name user_id, tenant_id, plan and roles`,
    );
  }
  for (const column of COLUMNS) {
    if (names.indexOf(column) !== names.lastIndexOf(column))
      throw new UserError(`the CSV header (line ${header.line}) names "${column}" twice`);
  }
  return nonBlank.map((record): RawRecord => {
    if (record.fields.length !== names.length) {
      return { line: record.line, problem: `has ${record.fields.length} fields where the header has ${names.length}` };
    }
    const values: Partial<Record<Column, unknown>> = {};
    for (const column of COLUMNS) values[column] = record.fields[names.indexOf(column)];
    values.roles = (values.roles as string).split(CSV_ROLE_SEPARATOR);
    return { line: record.line, values };
  });
}

function splitCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === "") {
      quoted = true;
      quoteLine = line;
      field = "";
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = "";
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new UserError(`the CSV file has a quote opened on line ${quoteLine} that is never closed`);
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------
// JSON: an array of row objects; each row's line is where its element starts in the text.

function jsonRecords(withBom: string): RawRecord[] {
  // Spreadsheet and Windows tools write a byte order mark; JSON.parse refuses it, CSV accepts it.
  const text = withBom.replace(/^\uFEFF/, "");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`the JSON file is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new UserError("the JSON file must hold an array of rows: [{ user_id, tenant_id, plan, roles }, …]");
  const lines = elementLines(text);
  return parsed.map((element, index): RawRecord => {
    const line = lines[index] ?? index + 1;
    if (element === null || typeof element !== "object" || Array.isArray(element)) {
      return { line, problem: `must be an object { user_id, tenant_id, plan, roles } (got ${describe(element)})` };
    }
    const values: Partial<Record<Column, unknown>> = {};
    for (const column of COLUMNS) {
      if (Object.hasOwn(element, column)) values[column] = (element as Record<string, unknown>)[column];
    }
    return { line, values };
  });
}

/** The line on which each element of the top-level array starts (the text is known to be valid JSON). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\n") continue;
    if (depth === 1 && expectValue && c !== "]") {
      lines.push(line);
      expectValue = false;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 1) expectValue = true;
  }
  return lines;
}
