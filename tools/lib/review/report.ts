// The review as a reader sees it: text for a terminal, Markdown for a pull-request comment.
import type { PlanDiff } from "./diff";
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

export function formatReview(review: Review, format: "markdown" | "text"): string {
  const md = format === "markdown";
  const lines: string[] = md
    ? [COMMENT_MARKER, `## Tenant review against \`${review.base.slice(0, 12)}\``, ""]
    : [`Tenant review against ${review.base}`, ""];
  for (const { stack, diff, risks, tokens } of review.stacks) {
    lines.push(md ? `### Stack \`${stack}\`` : `== stack ${stack}`, "");
    for (const risk of risks) {
      const label = risk.level === "breaks" ? "Login-breaking risk" : "Expected";
      lines.push(md ? `> **${label}: ${risk.subject}.** ${risk.message}` : `!! ${label}: ${risk.subject}. ${risk.message}`, "");
    }
    const resourceLines = resourceChanges(diff, md);
    lines.push(...(resourceLines.length ? resourceLines : [md ? "No resource changes." : "no resource changes"]), "");
    for (const { name, patch } of diff.actionSource) {
      lines.push(
        md
          ? `<details><summary>Action <code>${name}</code>: source diff</summary>\n\n\`\`\`diff\n${patch}\n\`\`\`\n</details>`
          : `-- Action ${name}: source diff\n${patch}`,
        "",
      );
    }
    lines.push(md ? "**Token effect**" : "-- token effect", "");
    lines.push(
      ...(tokens.length ? tokens.flatMap((t) => loginLines(t, md)) : [md ? "No token changes for the fixture users." : "no token changes"]),
      "",
    );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function resourceChanges(diff: PlanDiff, md: boolean): string[] {
  const code = (s: string) => (md ? `\`${s}\`` : s);
  const out: string[] = [];
  for (const r of diff.added) out.push(`${md ? "- " : ""}+ add ${code(r.type)} ${code(r.name)}`);
  for (const r of diff.removed)
    out.push(
      `${md ? "- " : ""}- remove ${code(r.type)} ${code(r.name)}${r.options.protect ? " (protected: the update will stop until it is unprotected)" : ""}`,
    );
  for (const c of diff.changed) {
    out.push(`${md ? "- " : ""}${c.replace ? "! REPLACE" : "~ update"} ${code(c.resource.type)} ${code(c.resource.name)}`);
    for (const i of c.inputs) {
      if (i.input === "code") {
        out.push(`${md ? "  - " : "    "}${code("code")}: changed (source diff below)`);
        continue;
      }
      out.push(`${md ? "  - " : "    "}${code(i.input)}${i.replace ? " (forces replacement)" : ""}: ${show(i.before)} → ${show(i.after)}`);
    }
  }
  return out;
}

function loginLines(change: LoginChange, md: boolean): string[] {
  const code = (s: string) => (md ? `\`${s}\`` : s);
  const head = `app ${code(change.app)}${change.tier ? ` (${change.tier})` : ""}, user ${code(change.user)}`;
  const bullet = md ? "- " : "";
  const lines: string[] = [];
  if (change.denied)
    lines.push(
      `${bullet}${head}: ${change.denied.after ? `now denied: "${change.denied.after}"` : `no longer denied (was: "${change.denied.before}")`}`,
    );
  if (change.failed)
    lines.push(`${bullet}${head}: ${change.failed.after ? `login now fails: ${change.failed.after}` : "login no longer fails"}`);
  for (const c of change.claims) {
    const where = c.tokens.length === 2 ? "" : ` (${c.tokens[0]} token)`;
    if (isStrings(c.before) && isStrings(c.after)) {
      // Lists of strings (roles, features): name the entries that come and go.
      const added = c.after.filter((v) => !(c.before as string[]).includes(v));
      const removed = c.before.filter((v) => !(c.after as string[]).includes(v));
      if (added.length) lines.push(`${bullet}${head}: + ${code(c.claim)}${where}: ${show(added, md)}`);
      if (removed.length) lines.push(`${bullet}${head}: - ${code(c.claim)}${where}: ${show(removed, md)}`);
      if (!added.length && !removed.length)
        lines.push(`${bullet}${head}: ~ ${code(c.claim)}${where}: order ${show(c.before, md)} → ${show(c.after, md)}`);
    } else if (c.before === undefined) lines.push(`${bullet}${head}: + ${code(c.claim)}${where}: ${show(c.after, md)}`);
    else if (c.after === undefined) lines.push(`${bullet}${head}: - ${code(c.claim)}${where}: ${show(c.before, md)}`);
    else lines.push(`${bullet}${head}: ~ ${code(c.claim)}${where}: ${show(c.before, md)} → ${show(c.after, md)}`);
  }
  return lines;
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/** A value, short: arrays as [a, b], strings as they are; long values cut. */
function show(value: unknown, md = false): string {
  const wrap = (s: string) => (md ? `\`${s}\`` : s);
  if (value === undefined) return "(unset)";
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return `[${value.map(wrap).join(", ")}]`;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return wrap(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}
