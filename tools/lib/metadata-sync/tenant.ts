// The tenant, through the official SDK: read every user with a users-export job (listing users stops at
// 1,000), read the members of the stack's roles, and write one user's change.
import { gunzipSync } from "node:zlib";
import type { ManagementClient, ManagementError } from "auth0";
import type { OwnedKey, UserChange } from "./diff";
import type { Clock } from "./rate-limit";
import { backoffMs, isTransientError, isTransientStatus, type RetryPolicy } from "./retry";
import { UserError } from "../../../infra/errors";
import { auth0Sdk } from "../management-api";

/** What the sync needs to know about one user of the tenant. */
export interface TenantUser {
  user_id: string;
  app_metadata?: Record<string, unknown>;
}

export interface ExportOptions {
  /** Fetches the export file: its `location` is a pre-signed download URL, not the Management API.
   * The run passes a fetch that retries transient faults (rate-limit.ts, retryingDownload). */
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

/** The writes of one user's change, in the order they are sent. */
export const WRITE_STEPS = ["remove-roles", "app_metadata", "assign-roles"] as const;
export type WriteStep = (typeof WRITE_STEPS)[number];

export function stepsOf(change: UserChange): WriteStep[] {
  return WRITE_STEPS.filter((step) =>
    step === "remove-roles"
      ? change.removeRoles.length > 0
      : step === "assign-roles"
        ? change.assignRoles.length > 0
        : Object.keys(change.appMetadata).length > 0,
  );
}

/** A write of one user failed; `applied` are the steps that landed before it (the user is partly written). */
export class WriteError extends Error {
  constructor(
    message: string,
    readonly step: WriteStep,
    readonly applied: readonly WriteStep[],
  ) {
    super(message);
    this.name = "WriteError";
  }
}

/** What the writes met: answers lost and found by reading the user back. */
export interface WriteStats {
  /** Writes that failed with a transient fault and were checked by reading the user back. */
  verified: number;
  /** Of those, writes that had landed although their answer was lost (not sent again). */
  landedUnanswered: number;
  /** Of those, writes that had not landed and were sent again. */
  repeated: number;
}

/**
 * Writes one user's change: roles removed first (least privilege while in between), then the owned
 * app_metadata keys (Auth0 merges app_metadata shallowly: the keys sent replace, the others remain,
 * `null` deletes), then roles assigned. Returns the steps written.
 *
 * A step that fails with a transient fault (5xx, reset, timeout) may have landed: the server can commit
 * and then lose the answer. So the user is read back first; a step that landed is not sent again, one
 * that did not is sent again after a backoff. Any other failure, or a step still failing after the
 * policy's retries, throws a WriteError naming the steps that did land.
 */
export async function applyChange(
  client: ManagementClient,
  userId: string,
  change: UserChange,
  ids: Map<string, string>,
  retry: RetryPolicy,
  stats: WriteStats,
): Promise<WriteStep[]> {
  const applied: WriteStep[] = [];
  for (const step of stepsOf(change)) {
    for (let attempt = 0; ; attempt++) {
      try {
        await write(client, userId, change, ids, step);
        break;
      } catch (error) {
        if (!isTransientFailure(error) || attempt >= retry.maxRetries) throw new WriteError(describeError(error), step, applied);
        let landed: boolean;
        try {
          landed = await hasLanded(client, userId, change, ids, step);
        } catch (readError) {
          throw new WriteError(`${describeError(error)}; reading the user back failed too: ${describeError(readError)}`, step, applied);
        }
        stats.verified++;
        if (landed) {
          stats.landedUnanswered++;
          break;
        }
        stats.repeated++;
        await retry.clock.sleep(backoffMs(attempt, retry));
      }
    }
    applied.push(step);
  }
  return applied;
}

async function write(
  client: ManagementClient,
  userId: string,
  change: UserChange,
  ids: Map<string, string>,
  step: WriteStep,
): Promise<void> {
  switch (step) {
    case "remove-roles":
      return client.users.roles.delete(userId, { roles: change.removeRoles.map((r) => ids.get(r)!) });
    case "app_metadata":
      await client.users.update(userId, { app_metadata: change.appMetadata });
      return;
    case "assign-roles":
      return client.users.roles.assign(userId, { roles: change.assignRoles.map((r) => ids.get(r)!) });
  }
}

/** Whether the tenant already holds what `step` writes: the user read back, its roles listed. */
async function hasLanded(
  client: ManagementClient,
  userId: string,
  change: UserChange,
  ids: Map<string, string>,
  step: WriteStep,
): Promise<boolean> {
  if (step === "app_metadata") {
    const user = await client.users.get(userId, { fields: "app_metadata", include_fields: true });
    const metadata = isRecord(user.app_metadata) ? user.app_metadata : {};
    return (Object.entries(change.appMetadata) as [OwnedKey, string | null][]).every(([key, value]) => (metadata[key] ?? null) === value);
  }
  const held = new Set<string>();
  for await (const role of await client.users.roles.list(userId, { per_page: 100 })) if (role.id !== undefined) held.add(role.id);
  return step === "assign-roles"
    ? change.assignRoles.every((name) => held.has(ids.get(name)!))
    : change.removeRoles.every((name) => !held.has(ids.get(name)!));
}

/** A failure after which the write may or may not have landed: a 5xx or 408, a lost connection, a timeout. */
export function isTransientFailure(error: unknown): boolean {
  if (isManagementError(error) && error.statusCode !== undefined) return isTransientStatus(error.statusCode);
  return isTransientError(error) || (error as { name?: unknown } | undefined)?.name === "ManagementTimeoutError";
}

/** An error the SDK raised for an HTTP status. (A failed call has loaded the SDK already; any other error loads it here.) */
function isManagementError(error: unknown): error is ManagementError {
  return error instanceof auth0Sdk().ManagementError;
}

/** One line for a failed call: the status and Auth0's message, or the network error and its code. */
export function describeError(error: unknown): string {
  if (isManagementError(error) && error.statusCode !== undefined) {
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
