// The tenant, through the official SDK: read every user with a users-export job (listing users stops at
// 1,000), read the members of the stack's roles, and write one user's change.
import { gunzipSync } from "node:zlib";
import { type ManagementClient, ManagementError } from "auth0";
import type { UserChange } from "./diff";
import type { Clock } from "./rate-limit";
import { UserError } from "../../../infra/errors";

/** What the sync needs to know about one user of the tenant. */
export interface TenantUser {
  user_id: string;
  app_metadata?: Record<string, unknown>;
}

export interface ExportOptions {
  /** Fetches the export file: its `location` is a pre-signed download URL, not the Management API. */
  download: typeof globalThis.fetch;
  pollIntervalMs: number;
  /** Gives up on a job that has not completed after this long. */
  timeoutMs: number;
  clock: Clock;
  progress: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Every user's id and app_metadata, from a users-export job: `POST /api/v2/jobs/users-exports` with
 * format `json` (the file is gzipped NDJSON, one user per line), polled with `GET /api/v2/jobs/{id}`
 * until it completes, then downloaded from the job's `location`.
 * https://auth0.com/docs/manage-users/user-migration/bulk-user-exports
 */
export async function exportUsers(client: ManagementClient, options: ExportOptions): Promise<Map<string, TenantUser>> {
  const job = await call("create a users-export job", () =>
    client.jobs.usersExports.create({ format: "json", fields: [{ name: "user_id" }, { name: "app_metadata" }] }),
  );
  const started = options.clock.now();
  let location: string | undefined;
  for (;;) {
    const status = await call(`read export job ${job.id}`, () => client.jobs.get(job.id));
    if (status.status === "completed") {
      location = status.location;
      break;
    }
    if (status.status === "failed" || status.status === "cancelled") {
      throw new UserError(`the users-export job ${job.id} ${status.status}${status.status_details ? `: ${status.status_details}` : ""}`);
    }
    if (options.clock.now() - started > options.timeoutMs) {
      throw new UserError(
        `the users-export job ${job.id} did not complete within ${Math.round(options.timeoutMs / 1000)} s (last status: ${status.status})`,
      );
    }
    options.progress(
      `export job ${job.id}: ${status.status}${status.percentage_done !== undefined ? ` (${status.percentage_done}%)` : ""}`,
    );
    await options.clock.sleep(options.pollIntervalMs, options.signal);
  }
  if (!location) throw new UserError(`the users-export job ${job.id} completed without a location to download`);

  const response = await options.download(location, { signal: options.signal });
  if (!response.ok) throw new UserError(`downloading the users export failed: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");

  const users = new Map<string, TenantUser>();
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new UserError(`the users export has a line that is not JSON (line ${index + 1})`);
    }
    const { user_id, app_metadata } = (record ?? {}) as { user_id?: unknown; app_metadata?: unknown };
    if (typeof user_id !== "string") throw new UserError(`the users export has a record without user_id (line ${index + 1})`);
    users.set(user_id, { user_id, app_metadata: isRecord(app_metadata) ? app_metadata : undefined });
  });
  return users;
}

/** Role ids by name for the roles the stack declares; all must exist in the tenant (Pulumi creates them). */
export async function roleIds(client: ManagementClient, names: readonly string[], stackFile: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await call("list roles", async () => {
    for await (const role of await client.roles.list({ per_page: 100, include_totals: true })) {
      if (role.name !== undefined && role.id !== undefined && names.includes(role.name)) ids.set(role.name, role.id);
    }
  });
  const missing = names.filter((n) => !ids.has(n));
  if (missing.length > 0) {
    throw new UserError(
      `the tenant has no role ${missing.map((m) => `"${m}"`).join(", ")} although ${stackFile} declares it: deploy the stack (pulumi up) before syncing`,
    );
  }
  return ids;
}

/**
 * The direct members of each role, by user: `GET /api/v2/roles/{id}/users` with checkpoint pagination
 * (`take`/`from`), which Auth0 requires past 1,000 members. One request per 100 members of a role,
 * instead of one per user.
 */
export async function roleMembers(client: ManagementClient, ids: Map<string, string>): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>();
  for (const [name, id] of ids) {
    await call(`list the members of role "${name}"`, async () => {
      for await (const user of await client.roles.users.list(id, { take: 100 })) {
        if (user.user_id === undefined) continue;
        members.set(user.user_id, [...(members.get(user.user_id) ?? []), name]);
      }
    });
  }
  return members;
}

/**
 * Writes one user's change: roles removed first (least privilege while in between), then the owned
 * app_metadata keys (Auth0 merges app_metadata shallowly: the keys sent replace, the others remain,
 * `null` deletes), then roles assigned. A failure leaves the user partly written; the next run's diff
 * finishes it.
 */
export async function applyChange(client: ManagementClient, userId: string, change: UserChange, ids: Map<string, string>): Promise<void> {
  if (change.removeRoles.length > 0) {
    await client.users.roles.delete(userId, { roles: change.removeRoles.map((r) => ids.get(r)!) });
  }
  if (Object.keys(change.appMetadata).length > 0) {
    await client.users.update(userId, { app_metadata: change.appMetadata });
  }
  if (change.assignRoles.length > 0) {
    await client.users.roles.assign(userId, { roles: change.assignRoles.map((r) => ids.get(r)!) });
  }
}

/** One line for a failed call: the status and Auth0's message, or the network error and its code. */
export function describeError(error: unknown): string {
  if (error instanceof ManagementError && error.statusCode !== undefined) {
    const body = error.body as { message?: unknown; error_description?: unknown; error?: unknown } | undefined;
    const detail = [body?.message, body?.error_description, body?.error].find((v): v is string => typeof v === "string");
    return `HTTP ${error.statusCode}: ${detail ?? error.message.split("\n")[0]}`;
  }
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  let cause: unknown = error;
  for (let depth = 0; cause && depth < 5; depth++, cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return `${message} (${code})`;
  }
  return message;
}

/** Reads fail the whole run with a UserError that says what was being read. */
async function call<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`could not ${what}: ${describeError(error)}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
