// The review as a reader sees it: Markdown for a pull-request comment (GitHub's CommonMark + GFM tables; the
// tests render it with markdown-it), plain text for a terminal. Per stack: one summary line of counts, the
// risks, the resource changes (an added resource with its inputs, a changed value whole), the Action's
// source diff, and per application one table of fixture users × claims.
import type { PlannedResource } from "../../../harness/plan";
import type { InputChange, PlanDiff } from "./diff";
import { shortType, textTable } from "../plan-format";
import { sameValue } from "../same-value";
import type { Risk } from "./risks";
import type { LoginChange } from "./tokens";

export interface StackReview {
  stack: string;
  diff: PlanDiff;
  /** What could break logins or stop the update (./risks.ts). */
  risks: Risk[];
  tokens: LoginChange[];
}

export interface Review {
  base: string;
  stacks: StackReview[];
}

/** Marks the one PR comment the workflow updates. */
export const COMMENT_MARKER = "<!-- tenant-offline-review -->";

type Format = "markdown" | "text";

export interface StackCounts {
  added: number;
  changed: number;
  replaced: number;
  deleted: number;
  /** Logins of existing applications that were allowed and are denied (or fail) after the change. */
  newlyDenied: number;
  /** Logins of existing applications that were denied (or failed) and are allowed after the change. */
  newlyAllowed: number;
}

/** Whether the login got no token on that side: denied or failed. */
function blocked(change: LoginChange, side: "before" | "after"): boolean {
  return Boolean(change.denied?.[side] || change.failed?.[side]);
}

export function countsOf({ diff, tokens }: Pick<StackReview, "diff" | "tokens">): StackCounts {
  // A login's denial or failure that did not change is null in LoginChange: it counts as neither.
  const existing = tokens.filter((t) => t.status === "changed");
  return {
    added: diff.added.length,
    changed: diff.changed.filter((c) => !c.replace).length,
    replaced: diff.changed.filter((c) => c.replace).length,
    deleted: diff.removed.length,
    newlyDenied: existing.filter((t) => !blocked(t, "before") && blocked(t, "after")).length,
    newlyAllowed: existing.filter((t) => blocked(t, "before") && !blocked(t, "after")).length,
  };
}

export function summaryLine(counts: StackCounts): string {
  const n = (count: number, what: string) => `${count} ${what}`;
  return (
    `${n(counts.added, "added")}, ${n(counts.changed, "changed")}, ${n(counts.replaced, "replaced")}, ${n(counts.deleted, "deleted")}; ` +
    `logins: ${n(counts.newlyDenied, "newly denied")}, ${n(counts.newlyAllowed, "newly allowed")}`
  );
}

export function formatReview(review: Review, format: Format): string {
  const md = format === "markdown";
  const out: string[] = md
    ? [COMMENT_MARKER, `## Tenant review against ${code(review.base.slice(0, 12))}`, ""]
    : [`Tenant review against ${review.base}`, ""];
  for (const stack of review.stacks) {
    out.push(md ? `### Stack ${code(stack.stack)}` : `== stack ${stack.stack}`, "");
    const summary = summaryLine(countsOf(stack));
    out.push(md ? `**${summary}**` : summary, "");
    for (const risk of stack.risks) {
      const label = risk.level === "breaks" ? "Login-breaking risk" : "Expected";
      out.push(
        md ? `> **${label}: ${escapeMd(risk.subject)}.** ${escapeMd(risk.message)}` : `!! ${label}: ${risk.subject}. ${risk.message}`,
        "",
      );
    }
    out.push(...resourceSection(stack.diff, format));
    out.push(...tokenSection(stack.tokens, format));
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function resourceSection(diff: PlanDiff, format: Format): string[] {
  const md = format === "markdown";
  const out: string[] = [md ? "#### Resources" : "-- resources", ""];
  if (diff.added.length + diff.removed.length + diff.changed.length === 0)
    return [...out, md ? "No resource changes." : "no resource changes", ""];
  for (const r of diff.added) {
    const inputs = shownInputs(r);
    if (md) {
      const title = `+ add <code>${escapeHtml(shortType(r.type))}</code> <code>${escapeHtml(r.name)}</code>`;
      if (Object.keys(inputs).length === 0) out.push(`- ${title.replace(/<\/?code>/g, "`")}`, "");
      else out.push(`<details><summary>${title}</summary>`, "", fenced("json", JSON.stringify(inputs, null, 2)), "", "</details>", "");
    } else {
      out.push(`+ add ${shortType(r.type)} ${r.name}`);
      if (Object.keys(inputs).length > 0) out.push(indent(JSON.stringify(inputs, null, 2), "    "));
    }
  }
  for (const r of diff.removed) {
    const note = r.options.protect ? " (protected: the update stops here until it is unprotected)" : "";
    out.push(md ? `- \\- delete ${code(shortType(r.type))} ${code(r.name)}${note}` : `- delete ${shortType(r.type)} ${r.name}${note}`);
  }
  if (diff.removed.length > 0) out.push("");
  const rows = diff.changed.flatMap((c) =>
    c.inputs.flatMap((input) =>
      differences(input).map((d) => ({
        action: c.replace ? "! replace" : "~ update",
        resource: `${shortType(c.resource.type)} ${c.resource.name}`,
        path: d.path,
        forces: input.replace,
        before: d.before,
        after: d.after,
        code: input.input === "code",
      })),
    ),
  );
  if (rows.length > 0) {
    if (md) {
      out.push("| change | resource | input | before | after |", "|---|---|---|---|---|");
      for (const row of rows) {
        const [before, after] = row.code ? ["(see the source diff below)", ""] : [value(row.before, format), value(row.after, format)];
        out.push(
          `| ${row.action} | ${cell(code(row.resource))} | ${cell(code(row.path))}${row.forces ? " (forces replacement)" : ""} | ${cell(before)} | ${cell(after)} |`,
        );
      }
    } else {
      for (const row of rows) {
        out.push(
          row.code
            ? `${row.action} ${row.resource} code: changed (source diff below)`
            : `${row.action} ${row.resource} ${row.path}${row.forces ? " (forces replacement)" : ""}: ${value(row.before, format)} → ${value(row.after, format)}`,
        );
      }
    }
    out.push("");
  }
  for (const { name, patch } of diff.actionSource) {
    out.push(
      md
        ? `<details><summary>Action <code>${escapeHtml(name)}</code>: source diff</summary>\n\n${fenced("diff", patch)}\n\n</details>`
        : `-- Action ${name}: source diff\n${patch}`,
      "",
    );
  }
  return out;
}

/** Where two values differ: the paths into nested objects down to the values that differ, each shown whole. */
export function differences(change: InputChange): { path: string; before: unknown; after: unknown }[] {
  const walk = (path: string, before: unknown, after: unknown): { path: string; before: unknown; after: unknown }[] => {
    if (isRecord(before) && isRecord(after)) {
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
      return keys.filter((k) => !sameValue(before[k], after[k])).flatMap((k) => walk(`${path}.${k}`, before[k], after[k]));
    }
    return [{ path, before, after }];
  };
  return walk(change.input, change.before, change.after);
}

function tokenSection(tokens: LoginChange[], format: Format): string[] {
  const md = format === "markdown";
  const out: string[] = [md ? "#### Logins of the fixture users" : "-- logins of the fixture users", ""];
  if (tokens.length === 0) return [...out, md ? "No token changes for the fixture users." : "no token changes", ""];
  const apps = [...new Set(tokens.map((t) => t.app))];
  for (const app of apps) {
    const changes = tokens.filter((t) => t.app === app);
    const { status, tier } = changes[0];
    const title = `app ${md ? code(app) : app}${tier ? ` (${tier})` : ""}`;
    if (status === "removed") {
      out.push(
        md
          ? `**${title}** is deleted: its users can no longer log in to it.`
          : `${title} is deleted: its users can no longer log in to it.`,
        "",
      );
      continue;
    }
    out.push(
      md
        ? `**${title}**${status === "added" ? ": new application, the logins it allows and denies" : ""}`
        : `${title}${status === "added" ? " (new)" : ""}`,
      "",
    );
    const claims = [...new Set(changes.flatMap((c) => c.claims.map((k) => k.claim)))].sort();
    const showLogin = status === "added" || changes.some((c) => c.denied || c.failed);
    const header = ["user", ...(showLogin ? ["login"] : []), ...claims.map((c) => (md ? code(c) : c))];
    const rows = changes.map((c) => [
      md ? code(c.user) : c.user,
      ...(showLogin ? [loginCell(c, format)] : []),
      ...claims.map((name) => claimCell(c, name, format)),
    ]);
    out.push(...(md ? markdownTable(header, rows) : textTable(header, rows)), "");
  }
  return out;
}

function loginCell(change: LoginChange, format: Format): string {
  const outcome = (denied: string | null | undefined, failed: string | null | undefined) =>
    failed ? `fails: ${failed}` : denied ? `denied: ${denied}` : "allowed";
  if (change.status === "added") return text(outcome(change.denied?.after, change.failed?.after), format);
  if (!change.denied && !change.failed) return "allowed";
  const before = outcome(change.denied ? change.denied.before : null, change.failed ? change.failed.before : null);
  const after = outcome(change.denied ? change.denied.after : null, change.failed ? change.failed.after : null);
  return `${text(before, format)} → ${text(after, format)}`;
}

/** A claim's cell: before → after, or its value in a new application; a denied or failed login gets no token. */
function claimCell(change: LoginChange, name: string, format: Format): string {
  const claim = change.claims.find((c) => c.claim === name);
  const side = (which: "before" | "after") => (blocked(change, which) ? "(no token)" : value(claim?.[which], format));
  const where = claim && claim.tokens.length < 2 ? `${claim.tokens[0]} token: ` : "";
  if (change.status === "added") return blocked(change, "after") ? "(no token)" : claim ? `${where}${side("after")}` : "(not set)";
  if (!claim) return blocked(change, "after") ? "(no token)" : "unchanged";
  if (blocked(change, "before") && blocked(change, "after")) return "(no token)";
  return `${where}${side("before")} → ${side("after")}`;
}

/** An added resource's inputs as a reviewer wants them: the Action's bundled code by size (its source is in the repository). */
function shownInputs(resource: PlannedResource): Record<string, unknown> {
  const inputs = { ...resource.inputs };
  if (typeof inputs.code === "string") inputs.code = `(${Buffer.byteLength(inputs.code)} bytes of bundled code)`;
  return inputs;
}

/** A value whole, never cut: strings as they are, everything else as JSON; "(unset)" when absent. */
function value(v: unknown, format: Format): string {
  if (v === undefined) return "(unset)";
  const shown = typeof v === "string" ? v : JSON.stringify(v);
  return format === "markdown" ? code(shown) : shown;
}

function text(s: string, format: Format): string {
  return format === "markdown" ? escapeMd(s) : s;
}

function markdownTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(cell).join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

/**
 * A CommonMark code span holding `s` exactly: a backtick fence longer than any run inside it, padded with a
 * space when `s` starts or ends with a backtick (spec 6.1, "Code spans").
 */
export function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") || (s.startsWith(" ") && s.endsWith(" ") && s.trim() !== "") ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A GFM table cell: `|` is escaped everywhere, code spans included (GFM spec 4.10, "Tables"); one line. */
function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A fenced block that no line of `body` can close early. */
function fenced(info: string, body: string): string {
  const longest = Math.max(2, ...(body.match(/^`{3,}/gm) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${body}\n${fence}`;
}

/** Prose from data (risk messages, denial reasons): Markdown's inline syntax characters escaped. */
function escapeMd(s: string): string {
  return s.replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function indent(s: string, prefix: string): string {
  return s
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
