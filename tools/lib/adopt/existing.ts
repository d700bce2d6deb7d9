// The stack file as it is before adoption, and the credentials adoption never writes.
import { AdoptError } from "./export-format";
import type { Adoption, ApiInput, ApplicationInput, ClaimsInput, Existing, RoleInput } from "./model";

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
  };
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
  if (isPlaceholderSecret(config["auth0:clientSecret"])) {
    adoption.commands.push(
      `pulumi config set --secret auth0:clientSecret --stack ${stack}   # its secret: paste it when asked, never on the command line`,
    );
  }
}
