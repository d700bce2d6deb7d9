// One run of `npm run metadata:sync`: parse the input, read the tenant, diff each user, and (with
// `apply`) write the changes with bounded concurrency, journalling each finished user to `--state`.
import { createHash } from "node:crypto";
import type { Settings } from "../../../infra/settings";
import { diffUser, type UserChange } from "./diff";
import { formatOf, parseInput, type InputProblem } from "./input";
import {
  DEFAULT_RATE_LIMIT,
  RateLimiter,
  rateLimitedFetch,
  retryingDownload,
  systemClock,
  type Clock,
  type RateLimitOptions,
  type RateLimitStats,
} from "./rate-limit";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry";
import { checkStatePath, JournalWriteError, readState, StateJournal, type PreviousRun, type RunIdentity } from "./state";
import { applyChange, describeError, exportUsers, roleIds, roleMembers, WriteError, type WriteStats, type WriteStep } from "./tenant";
import { managementClient, requireCredentials, type ManagementCredentials } from "../management-api";
import { normaliseDomain } from "../../../infra/settings/isolation";
import { UserError } from "../../../infra/errors";

/**
 * The Management API credentials from `AUTH0_DOMAIN` / `AUTH0_CLIENT_ID` / `AUTH0_CLIENT_SECRET`, refused
 * when the domain is not the stack's `auth0:domain`: a guard against syncing the wrong tenant.
 */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>, settings: Settings): ManagementCredentials {
  const credentials = requireCredentials(
    env,
    (missing) =>
      `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set: export the domain, client ID and secret of a machine-to-machine application authorised for the Management API (scopes read:users update:users read:roles)`,
  );
  if (credentials.domain !== normaliseDomain(settings.provider.domain)) {
    throw new UserError(
      `AUTH0_DOMAIN is "${credentials.domain}" but stack ${settings.stack} deploys to "${settings.provider.domain}" (auth0:domain in ${settings.stackFile}): refusing to sync users of another tenant`,
    );
  }
  return credentials;
}

export interface SyncOptions {
  settings: Settings;
  input: { file: string; text: string };
  /** Write the changes; without it the run is a dry run that writes nothing (not even the state file). */
  apply: boolean;
  /** The journal to resume from and append to (see state.ts). */
  statePath?: string;
  credentials: ManagementCredentials;
  /** How HTTP requests leave the process; the global fetch unless a test routes them elsewhere. */
  transport?: typeof fetch;
  /** Users written at once, and requests in flight at once. Default 2. */
  concurrency?: number;
  /** Client-side pacing; default 2 requests per second, the free plan's limit. */
  requestsPerSecond?: number;
  rateLimit?: Partial<Pick<RateLimitOptions, "maxRetries" | "maxPauseMs">>;
  /** Backoff after transient faults (5xx, resets, timeouts): reads are re-sent, writes verified first. */
  retry?: Partial<Omit<RetryPolicy, "clock">>;
  /** One request's limit, time waiting in the rate limiter included. Default 180 s. */
  requestTimeoutSeconds?: number;
  pollIntervalMs?: number;
  exportTimeoutMs?: number;
  /** Stop writing after this many users fail in a row (the tenant is likely unreachable). Default 5. */
  maxConsecutiveFailures?: number;
  clock?: Clock;
  /** Progress lines (the CLI prints them on stderr). */
  progress?: (line: string) => void;
  /** Aborting stops starting new users; users in flight finish. */
  signal?: AbortSignal;
}

/** `partial`: some of the user's writes landed and a later one failed; the next run finishes it first. */
export type Outcome = "planned" | "applied" | "partial" | "failed" | "not-attempted";

export interface PlannedChange {
  line: number;
  user_id: string;
  change: UserChange;
  outcome: Outcome;
  /** The writes that landed, when the outcome is `partial`. */
  applied?: WriteStep[];
  error?: string;
  /** An earlier run left this user partly written. */
  unfinished?: boolean;
}

export interface SyncSummary {
  /** Rows whose user was compared with the tenant in this run. */
  checked: number;
  /** Users written (with `apply`) or that would be written (dry run). */
  changed: number;
  /** Rows not compared: bad input, users the tenant lacks, users finished by an earlier run. */
  skipped: number;
  /** Users whose write failed before any part of it landed. */
  failed: number;
  /** Users of whom some writes landed and one failed. */
  partial: number;
  /** Users with a change that was not attempted because the run stopped. */
  notAttempted: number;
}

export interface SyncResult {
  stack: string;
  domain: string;
  mode: "dry-run" | "apply";
  inputFile: string;
  /** Rows skipped, with their line: bad input and users the tenant lacks. */
  problems: InputProblem[];
  changes: PlannedChange[];
  skipped: { badInput: number; notInTenant: number; doneEarlier: number };
  summary: SyncSummary;
  /** Why writing stopped early, when it did. */
  stopped?: string;
  /** The journal could not be written: the users applied after its last record are not in it. */
  journalError?: string;
  /** What was recovered from a damaged journal. */
  journalRecovered?: string;
  usersInTenant: number;
  rateLimit: RateLimitStats;
  writes: WriteStats;
}

export async function runSync(options: SyncOptions): Promise<SyncResult> {
  const { settings, input, apply } = options;
  const clock = options.clock ?? systemClock;
  const progress = options.progress ?? (() => {});
  const concurrency = options.concurrency ?? DEFAULT_RATE_LIMIT.concurrency;

  // A journal that cannot be written is refused now, not after the export and the first writes.
  if (options.statePath !== undefined) checkStatePath(options.statePath);

  const format = formatOf(input.file);
  if (!format) throw new UserError(`${input.file}: the input must be a .csv or .json file`);
  const declared = { plans: settings.claims.plans, roles: settings.roles.map((r) => r.name) };
  const parsed = parseInput(input.text, format, declared);

  const identity: RunIdentity = {
    stack: settings.stack,
    domain: options.credentials.domain,
    input_sha256: createHash("sha256").update(input.text).digest("hex"),
  };
  const previous: PreviousRun = options.statePath ? readState(options.statePath, identity) : { done: new Set(), partial: new Set() };
  if (previous.recovered) progress(previous.recovered);
  if (previous.restartReason) progress(previous.restartReason);
  else if (previous.done.size > 0) progress(`resuming from ${options.statePath}: ${plural(previous.done.size, "user")} already done`);

  const limiter = new RateLimiter({
    ...DEFAULT_RATE_LIMIT,
    ...options.rateLimit,
    concurrency,
    requestsPerSecond: options.requestsPerSecond ?? DEFAULT_RATE_LIMIT.requestsPerSecond,
    clock,
  });
  const retry: RetryPolicy = { ...DEFAULT_RETRY, random: Math.random, ...options.retry, clock };
  const transport = options.transport ?? globalThis.fetch;
  const client = managementClient(options.credentials, {
    fetch: rateLimitedFetch(transport, limiter, retry),
    // Our rate limiter owns retries (see rate-limit.ts); the SDK's own would stack on top of them.
    maxRetries: 0,
    // Counts the time a request waits in our limiter for Auth0's window to reset, so not the SDK's 60 s.
    // The SDK leaves this timer running when a request fails without a response (makeRequest clears it
    // only on success), which is why the CLI exits explicitly once its report is written.
    timeoutInSeconds: options.requestTimeoutSeconds ?? 180,
  });
  const writes: WriteStats = { verified: 0, landedUnanswered: 0, repeated: 0 };

  const { ids, users, members } = await readTenant().catch((error: unknown) => {
    if (options.signal?.aborted) throw new UserError("interrupted while reading the tenant: nothing was written");
    throw error;
  });
  async function readTenant() {
    progress(`reading the stack's roles from ${options.credentials.domain}`);
    const ids = await roleIds(client, declared.roles, settings.stackFile);
    progress("exporting the tenant's users (users-export job)");
    const users = await exportUsers(client, {
      download: retryingDownload(transport, retry, limiter.stats),
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      timeoutMs: options.exportTimeoutMs ?? 30 * 60_000,
      clock,
      progress,
      signal: options.signal,
    });
    progress(`exported ${plural(users.size, "user")}; reading role members`);
    return { ids, users, members: await roleMembers(client, ids) };
  }

  const problems = [...parsed.problems];
  const changes: PlannedChange[] = [];
  const skipped = { badInput: new Set(parsed.problems.map((p) => p.line)).size, notInTenant: 0, doneEarlier: 0 };
  let checked = 0;
  for (const row of parsed.rows) {
    if (previous.done.has(row.user_id)) {
      skipped.doneEarlier++;
      continue;
    }
    const user = users.get(row.user_id);
    if (!user) {
      skipped.notInTenant++;
      problems.push({ line: row.line, message: `user_id "${row.user_id}" is not a user of ${options.credentials.domain}` });
      continue;
    }
    checked++;
    const change = diffUser({ app_metadata: user.app_metadata, roles: members.get(row.user_id) ?? [] }, row, declared.roles);
    if (change) {
      const unfinished = previous.partial.has(row.user_id) || undefined;
      changes.push({ line: row.line, user_id: row.user_id, change, outcome: "planned", ...(unfinished && { unfinished }) });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  // Users an earlier run left partly written go first (a stable sort keeps the file's order otherwise).
  changes.sort((a, b) => Number(b.unfinished === true) - Number(a.unfinished === true));
  const unfinished = changes.filter((c) => c.unfinished).length;
  progress(
    `checked ${plural(checked, "user")}: ${changes.length} to change${unfinished > 0 ? `, ${unfinished} partly written by an earlier run first` : ""}`,
  );

  let stopped: string | undefined;
  let journalError: string | undefined;
  if (apply) {
    const journal = options.statePath ? StateJournal.open(options.statePath, identity, previous) : undefined;
    // A journal that fails mid-run stops the run: the users in flight finish, no other starts, and the
    // summary says what was applied. Nothing is appended after the first failure.
    const record = (entry: (journal: StateJournal) => void) => {
      if (!journal || journalError) return;
      try {
        entry(journal);
      } catch (error) {
        if (!(error instanceof JournalWriteError)) throw error;
        journalError = error.message;
      }
    };
    stopped = await applyAll(changes, {
      concurrency,
      maxConsecutiveFailures: options.maxConsecutiveFailures ?? 5,
      clock,
      signal: options.signal,
      progress: (line) => progress(`${line}; ${limiter.stats.throttled} rate-limited responses`),
      write: (planned) => applyChange(client, planned.user_id, planned.change, ids, retry, writes),
      finished: (planned) => {
        record((j) => {
          if (planned.outcome === "applied") j.done(planned.user_id);
          else if (planned.outcome === "partial") j.partial(planned.user_id, planned.applied ?? [], planned.error ?? "");
          else j.failed(planned.user_id, planned.error ?? "");
        });
        return journalError;
      },
    });
    if (!stopped && changes.every((c) => c.outcome === "applied")) record((j) => j.complete());
  }

  const count = (outcome: Outcome) => changes.filter((c) => c.outcome === outcome).length;
  return {
    stack: settings.stack,
    domain: options.credentials.domain,
    mode: apply ? "apply" : "dry-run",
    inputFile: input.file,
    problems,
    changes,
    skipped,
    summary: {
      checked,
      changed: apply ? count("applied") : changes.length,
      skipped: skipped.badInput + skipped.notInTenant + skipped.doneEarlier,
      failed: count("failed"),
      partial: count("partial"),
      notAttempted: count("not-attempted"),
    },
    stopped,
    ...(journalError && { journalError }),
    ...(previous.recovered && { journalRecovered: previous.recovered }),
    usersInTenant: users.size,
    rateLimit: { ...limiter.stats },
    writes,
  };
}

interface ApplyOptions {
  concurrency: number;
  maxConsecutiveFailures: number;
  clock: Clock;
  signal?: AbortSignal;
  progress: (line: string) => void;
  write: (planned: PlannedChange) => Promise<WriteStep[]>;
  /** Records a finished user; returns why the run must stop, when it must (the journal failed). */
  finished: (planned: PlannedChange) => string | undefined;
}

/** Writes the changes `concurrency` users at a time; returns why it stopped early, if it did. */
async function applyAll(changes: PlannedChange[], options: ApplyOptions): Promise<string | undefined> {
  let next = 0;
  let done = 0;
  let failed = 0;
  let consecutiveFailures = 0;
  let stopped: string | undefined;
  let lastReport = options.clock.now();

  const worker = async () => {
    for (;;) {
      const planned = changes[next++];
      if (!planned) return;
      if (!stopped && options.signal?.aborted) stopped = "interrupted";
      if (stopped) {
        planned.outcome = "not-attempted";
        continue;
      }
      try {
        await options.write(planned);
        planned.outcome = "applied";
        consecutiveFailures = 0;
      } catch (error) {
        const landed = error instanceof WriteError ? error.applied : [];
        planned.outcome = landed.length > 0 ? "partial" : "failed";
        if (landed.length > 0) planned.applied = [...landed];
        planned.error = describeError(error);
        failed++;
        if (++consecutiveFailures >= options.maxConsecutiveFailures && !stopped) {
          stopped = `${plural(consecutiveFailures, "user")} failed in a row (last: ${planned.error})`;
        }
      }
      const halt = options.finished(planned);
      if (halt && !stopped) stopped = halt;
      done++;
      const now = options.clock.now();
      if (now - lastReport >= 1000 || done === changes.length) {
        lastReport = now;
        options.progress(`written ${done}/${changes.length} users (${failed} failed)`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, changes.length) }, worker));
  if (done < changes.length) options.progress(`written ${done}/${changes.length} users (${failed} failed); stopped: ${stopped}`);
  return stopped;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
