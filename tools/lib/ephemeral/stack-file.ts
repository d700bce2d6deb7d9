// Ephemeral stacks: durations, creation tags, and the stack file derived from the committed template. Their
// names and the stack file's name come from harness/stack-file.ts.
import { parseDocument } from "yaml";
import { EPHEMERAL_TEMPLATE_STACK, ephemeralStackName, isSecure, stackFileName } from "../../../harness/stack-file";
import { UserError } from "../../../infra/errors";

/** The committed template every ephemeral stack's config comes from. */
export const TEMPLATE_FILE = stackFileName(EPHEMERAL_TEMPLATE_STACK);
/** Stack tags recording when and by whom a stack was created, for `gc`. */
export const TAGS = { createdAt: "ephemeral:created-at", creator: "ephemeral:creator" } as const;

/** "12h", "7d", "30m" or "2w" in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([mhdw])$/.exec(text.trim());
  if (!match || Number(match[1]) === 0) throw new UserError(`"${text}" is not a duration: write it like 12h or 7d (units m, h, d, w)`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2] as "m" | "h" | "d" | "w"];
  return Number(match[1]) * unit;
}

/**
 * The stack file of eph-<id>: the template's config with tenant:isolation.id set. Kept from an existing
 * file: its top-level settings (encryptionsalt, secretsprovider) and secure values already set, so
 * re-running never loses a secret or the stack's encryption settings.
 */
export function renderStackFile(templateText: string, id: string, existingText?: string): string {
  const name = ephemeralStackName(id);
  const template = parseDocument(templateText);
  const output = existingText ? parseDocument(existingText) : parseDocument("{}");
  const existingConfig = (output.get("config") as { toJSON(): Record<string, unknown> } | undefined)?.toJSON() ?? {};
  output.set("config", template.get("config"));
  output.setIn(["config", "tenant:isolation", "id"], id);
  for (const [key, value] of Object.entries(existingConfig)) {
    if (isSecure(value)) output.setIn(["config", key], value);
  }
  output.commentBefore = ` Stack ${name}, written by \`npm run ephemeral\` from ${TEMPLATE_FILE}. Not committed: edit the template.`;
  return output.toString();
}
