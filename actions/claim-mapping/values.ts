// The one definition of a valid tenant id and plan. The Action (claims.ts, enrichment.ts) reads
// app_metadata with it, and the tools that write app_metadata or config check with it
// (tools/lib/metadata-sync/input.ts, tools/lib/adopt/adopt.ts), so nothing can be written that the Action
// would refuse (a refused tenant locks a user out of every application that requires one).

/** Longest string copied from metadata into a token (tenant ids too), in UTF-16 code units (string length). */
export const MAX_CLAIM_STRING_LENGTH = 255;
/** Longest tenant id: as long as any claim string. */
export const MAX_TENANT_ID_LENGTH = MAX_CLAIM_STRING_LENGTH;

/** Plan names as tenant:claims.plans declares them: lower-case kebab-case, 1-48 characters. */
export const PLAN_NAME_PATTERN = /^[a-z][a-z0-9-]{0,47}$/;

/**
 * Control (Cc: NUL, …), format (Cf: zero-width space and joiners, bidi marks, BOM), lone surrogate (Cs) and
 * line/paragraph separator (Zl, Zp) characters: invisible or disruptive in a token, a log or a UI, and a
 * tenant made only of them would look empty and still count as set.
 */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
/** A number is a tenant only in plain decimal: String(1e21) is "1e+21", which no back office meant. */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * app_metadata.tenant_id as the Action uses it: a string of 1-255 characters without surrounding
 * whitespace, control or invisible characters; or a finite number written in plain decimal, as its string.
 */
export function tenantIdOf(value: unknown): string | undefined {
  if (typeof value === "number") return PLAIN_DECIMAL.test(String(value)) ? String(value) : undefined;
  if (typeof value !== "string" || value === "" || value.length > MAX_CLAIM_STRING_LENGTH) return undefined;
  return value.trim() === value && !INVISIBLE_OR_CONTROL.test(value) ? value : undefined;
}

/** Why tenantIdOf refuses a value (undefined when it accepts it): for tools that report per row. */
export function tenantIdProblem(value: unknown): string | undefined {
  if (tenantIdOf(value) !== undefined) return undefined;
  if (typeof value === "number") return `the number ${String(value)} is not written in plain decimal`;
  if (typeof value !== "string") return `must be a string or a number (got ${value === null ? "null" : typeof value})`;
  if (value.length === 0) return "is empty";
  if (value.length > MAX_TENANT_ID_LENGTH) return `is ${value.length} characters long; at most ${MAX_TENANT_ID_LENGTH}`;
  const bad = INVISIBLE_OR_CONTROL.exec(value)?.[0];
  if (bad !== undefined)
    return `contains the control or invisible character U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  return "has whitespace around it";
}

/** A plan name a stack can declare (tenant:claims.plans). */
export function isPlanName(value: unknown): value is string {
  return typeof value === "string" && PLAN_NAME_PATTERN.test(value);
}

/** A user's plan counts only when it is one the stack declares. */
export function planOf(value: unknown, plans: readonly string[]): string | undefined {
  return typeof value === "string" && plans.includes(value) ? value : undefined;
}
