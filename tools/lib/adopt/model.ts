// The shapes every adoption handler shares: what a handler adds to the stack config, the import file and the
// report. One handler per Auth0 resource type (handlers/), as auth0-deploy-cli keeps one per type
// (src/tools/auth0/handlers in auth0/auth0-deploy-cli); adopt.ts runs them in order.
import type { z } from "zod/v3";
import type { apiSchema, applicationSchema, claimsSchema, roleSchema } from "../../../infra/settings/schema";
import type {
  ExportAction,
  ExportBinding,
  ExportClient,
  ExportClientGrant,
  ExportResourceServer,
  ExportRole,
  TenantExport,
} from "./export-format";
import type { ComponentRef, ResourceType } from "./names";

export type ApplicationInput = z.input<typeof applicationSchema>;
export type ApiInput = z.input<typeof apiSchema>;
export type RoleInput = z.input<typeof roleSchema>;
export type ClaimsInput = z.input<typeof claimsSchema>;
export type BindingInput = string | { id: string; displayName: string };
/** One line of the report: what it is about, and what there is to say. */
export interface Note {
  subject: string;
  detail: string;
}

/** The live object behind an import target, for comparing it with what the program plans. */
export type LiveObject =
  | { kind: "client"; client: ExportClient }
  | { kind: "grant"; grant: ExportClientGrant }
  | { kind: "api"; api: ExportResourceServer }
  | { kind: "role"; role: ExportRole }
  | { kind: "action"; action: ExportAction | undefined }
  | { kind: "bindings"; bindings: ExportBinding[]; claimMappingId: string | undefined };

/** A live resource the program will register under this type, logical name and parent. */
export interface ImportTarget {
  type: ResourceType;
  name: string;
  parent: ComponentRef;
  /** The ID Pulumi imports it by; undefined when the export does not carry it (a deploy-CLI export). */
  id: string | undefined;
  /** What the ID is, so a person can fill in a placeholder. */
  idHint: string;
  subject: string;
  live: LiveObject;
}

export interface ExistingStack {
  /** The stack file's config values as parsed YAML (`secure:` values as { secure }). */
  config: Record<string, unknown>;
}

export interface AdoptOptions {
  stack: string;
  existing: ExistingStack;
  /** --api: the identifier of the API to adopt when the tenant has several. */
  apiIdentifier?: string;
  /** --domain: the tenant's domain when the export does not name it (deploy-CLI exports). */
  domain?: string;
  /** Sections the source does not carry, with why: unknown, never taken as empty. */
  absent?: string[];
  /** The live IDs behind the keys of the stack file, from the import file an earlier run wrote. */
  previous?: PreviousImport;
}

/** Which key an earlier adoption gave each live object, by its ID (read back from its import file). */
export interface PreviousImport {
  /** client_id -> application key */
  clients: Map<string, string>;
  /** role id -> role key */
  roles: Map<string, string>;
}

export interface Adoption {
  /** Config keys to set in the stack file, with their values. */
  values: Record<string, unknown>;
  imports: ImportTarget[];
  adopted: Note[];
  leftOut: Note[];
  decisions: Note[];
  secrets: Note[];
  /** `pulumi config set` commands to run by hand (secrets and credentials are never written by adopt). */
  commands: string[];
  /** Entries already in the stack file with no live counterpart: the program will create them. */
  kept: Note[];
  /** Values a person set in the stack file that differ from the tenant: kept, and applied by the first update. */
  edits: Note[];
}

/** What the stack file already declares, read leniently (adoption runs before anything validated it). */
export interface Existing {
  domain?: string;
  clientId?: string;
  api?: Partial<ApiInput>;
  applications: Partial<ApplicationInput>[];
  roles: Partial<RoleInput>[];
  claims?: Partial<ClaimsInput>;
  postLogin?: { mode?: unknown; actions?: unknown[]; adopted?: unknown };
}

/** What every handler reads: the export, the stack and what its file already holds. */
export interface Context {
  exp: TenantExport;
  stack: string;
  existing: Existing;
  /** The tenant's domain, from the export or --domain. */
  domain: string | undefined;
  /** --api */
  apiIdentifier?: string;
  absent: string[];
  previous: PreviousImport;
}

/** A new, empty adoption. */
export function emptyAdoption(): Adoption {
  return { values: {}, imports: [], adopted: [], leftOut: [], decisions: [], secrets: [], commands: [], kept: [], edits: [] };
}

/** Placeholder for an ID the export does not carry; Pulumi's own generated import files use `<PLACEHOLDER>`. */
export function placeholder(what: string): string {
  return `<PLACEHOLDER: ${what}>`;
}

/** An ID that is still a placeholder: ours (`placeholder`), or the bare `<PLACEHOLDER>` Pulumi writes. */
export function isPlaceholder(id: string): boolean {
  return id.startsWith("<PLACEHOLDER");
}
