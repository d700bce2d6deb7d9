// The stack file as it is before adoption, and the credentials adoption never writes.
import { sameValue } from "../same-value";
import { AdoptError } from "./export-format";
import { stackFileName } from "../../../harness/stack-file";
import type { Adoption, ApiInput, ApplicationInput, ClaimsInput, Context, Existing, RoleInput } from "./model";

export function readExisting(config: Record<string, unknown>): Existing {
  if (config["tenant:isolation"] !== undefined) {
    throw new AdoptError("this is an ephemeral stack (tenant:isolation): ephemeral stacks share a sandbox tenant and are never adopted");
  }
  const object = (value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const array = (value: unknown) => (Array.isArray(value) ? value.filter((v) => object(v)) : []);
  const string = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  return {
    domain: string(config["auth0:domain"]),
    clientId: string(config["auth0:clientId"]),
    api: object(config["tenant:api"]) as Partial<ApiInput> | undefined,
    applications: array(config["tenant:applications"]) as Partial<ApplicationInput>[],
    roles: array(config["tenant:roles"]) as Partial<RoleInput>[],
    claims: object(config["tenant:claims"]) as Partial<ClaimsInput> | undefined,
    postLogin: object(config["tenant:postLogin"]) as Existing["postLogin"],
  };
}

/**
 * Reads an entry the stack file already has into the one adoption derives from the tenant: every field the
 * file sets wins (a person wrote or reviewed it), the tenant fills in the rest, and each field where the two
 * differ is listed, since the first update applies the file's value.
 */
export function keepEdits<T extends object>(derived: T, existing: Partial<T> | undefined, subject: string, adoption: Adoption): T {
  if (existing === undefined) return derived;
  for (const [field, value] of Object.entries(existing)) {
    const live = (derived as Record<string, unknown>)[field];
    if (live !== undefined && !sameValue(live, value)) {
      adoption.edits.push({
        subject: `${subject}, ${field}`,
        detail: `kept ${show(value)} from the stack file; the tenant has ${show(live)}`,
      });
    }
  }
  // The file's order of fields first, so that a re-run writes the entry back unchanged.
  const merged: Record<string, unknown> = { ...existing };
  for (const [field, value] of Object.entries(derived)) if (!(field in merged)) merged[field] = value;
  return merged as T;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The committed stack files' placeholder ciphertext reads "replace-me-with-pulumi-config-set--secret". */
function isPlaceholderSecret(value: unknown): boolean {
  const secure = (value as { secure?: unknown } | undefined)?.secure;
  if (typeof secure !== "string") return true;
  return Buffer.from(secure, "base64").toString("latin1").includes("replace-me");
}

export function credentialCommands(stack: string, config: Record<string, unknown>, adoption: Adoption): void {
  if (typeof config["auth0:clientId"] !== "string") {
    adoption.commands.push(`pulumi config set auth0:clientId <client id of the application Pulumi deploys with> --stack ${stack}`);
  }
  // The deploy secret stays out of the stack file and the state: the provider reads it from the
  // environment (infra/provider.ts, docs/pull-requests.md).
  if (isPlaceholderSecret(config["auth0:clientSecret"])) {
    adoption.commands.push(
      `read -rs AUTH0_CLIENT_SECRET && export AUTH0_CLIENT_SECRET   # its secret, for pulumi up/import: never in the stack file`,
    );
  }
}

/**
 * A stack-file entry that no live object matched. When the export lacks that section, whether the tenant
 * has it is unknown, so it is a decision (the first `up` could create a second one); otherwise it is kept,
 * and the first `up` creates it.
 */
export function reportEntryNotLive(ctx: Context, adoption: Adoption, subject: string, section: { prefix: string; noun: string }): void {
  const absent = ctx.absent.find((a) => a.startsWith(section.prefix));
  if (absent) {
    adoption.decisions.push({
      subject,
      detail: `in ${stackFileName(ctx.stack)}, and the export does not carry the ${section.noun} (${absent}): whether the tenant has it is unknown. If it does, the first \`pulumi up\` creates a second one: adopt again from an export with the ${section.noun}`,
    });
    return;
  }
  adoption.kept.push({ subject, detail: `in ${stackFileName(ctx.stack)} but not in the tenant: the first \`pulumi up\` creates it` });
}
