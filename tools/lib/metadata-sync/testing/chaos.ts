// `metadata:sync` under injected faults: seeded scenarios against the loopback Management API, each run
// again and again (same --state) until it converges, as an operator would. Every kind of fault the sync
// must survive is injected: 5xx and 429 answers, connections reset before the request is served, writes
// committed and then reset or answered 5xx (the answer is lost), requests never answered, a journal that
// cannot be written mid-run (replaced by a directory, a full disk), a journal whose last line a crash tore.
// Afterwards the tenant is compared with the input: an update is lost when a user does not end as the
// input says, doubled when the same write of a user committed twice.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { UserError } from "../../../../infra/errors";
import { runSync, type SyncResult } from "../sync";
import { seededRandom, virtualClock } from "./clock";
import type { Fault, FakeUser, LoggedRequest, Route } from "./fake-management-api";
import { CREDENTIALS, DEV, startFakeTenant } from "./harness";

export const FAULT_KINDS = [
  "5xx",
  "429",
  "reset before serving",
  "committed, then reset",
  "committed, then 5xx",
  "never answered",
  "journal unwritable mid-run",
  "journal line torn by a crash",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ChaosOptions {
  scenarios: number;
  seed: number;
  /** Chance that one request meets a fault. Default 0.25. */
  faultRate?: number;
  /** How long an unanswered request is waited for (real time). Default 100 ms. */
  attemptTimeoutMs?: number;
  /** Runs of one scenario before it counts as not converging. Default 15. */
  maxRuns?: number;
  progress?: (line: string) => void;
}

export interface ChaosReport {
  scenarios: number;
  seed: number;
  faults: Record<FaultKind, number>;
  runs: number;
  /** Runs that ended with a message and exit code 2 (a read that kept failing, an unwritable journal). */
  endedWithMessage: number;
  /** Runs that ended with an unexpected exception (a stack trace): must be 0. */
  traces: string[];
  usersToChange: number;
  /** Writes whose answer was lost after they landed: read back, and not sent again. */
  lostAnswersFoundLanded: number;
  /** Users not in the state the input asks for once the scenario converged: must be 0. */
  updatesLost: number;
  /** The same write of one user committed more than once: must be 0. */
  updatesDoubled: number;
  notConverged: number;
  /** Changes found by the run after the one that converged: must be 0. */
  secondRunChanges: number;
}

const WRITE_ROUTES: Route[] = ["user-update", "user-roles-assign", "user-roles-remove"];
const DECLARED = DEV.roles.map((r) => r.name);
const PLANS = DEV.claims.plans;

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const report: ChaosReport = {
    scenarios: options.scenarios,
    seed: options.seed,
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    runs: 0,
    endedWithMessage: 0,
    traces: [],
    usersToChange: 0,
    lostAnswersFoundLanded: 0,
    updatesLost: 0,
    updatesDoubled: 0,
    notConverged: 0,
    secondRunChanges: 0,
  };
  for (let scenario = 0; scenario < options.scenarios; scenario++) {
    await runScenario(options, options.seed + scenario, report);
    options.progress?.(`scenario ${scenario + 1}/${options.scenarios}: ${report.runs} runs so far`);
  }
  return report;
}

interface Desired {
  user_id: string;
  tenant_id: string | null;
  plan: string | null;
  roles: string[];
}

async function runScenario(options: ChaosOptions, seed: number, report: ChaosReport): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const subset = (items: readonly string[]) => items.filter(() => random() < 0.4);
  const tenantIds = ["acme", "globex", "initech", null];

  const count = 6 + Math.floor(random() * 10);
  const users: FakeUser[] = [];
  const desired: Desired[] = [];
  for (let i = 0; i < count; i++) {
    const user_id = `auth0|chaos-${seed}-${i}`;
    const metadata: Record<string, unknown> = { billing_id: `cus_${i}` };
    const tenant = pick(tenantIds);
    const plan = pick([...PLANS, null]);
    if (tenant !== null) metadata.tenant_id = tenant;
    if (plan !== null) metadata.plan = plan;
    users.push({ user_id, app_metadata: metadata, roles: [...subset(DECLARED), ...(random() < 0.3 ? ["support"] : [])] });
    // A third of the users are in sync already; the others want something else.
    const same = random() < 0.33;
    desired.push({
      user_id,
      tenant_id: same ? tenant : pick(tenantIds),
      plan: same ? plan : pick([...PLANS, null]),
      roles: same ? users[i].roles!.filter((r) => DECLARED.includes(r)).sort() : subset(DECLARED).sort(),
    });
    const want = desired[i];
    const held = users[i].roles!.filter((r) => DECLARED.includes(r)).sort();
    if (want.tenant_id !== tenant || want.plan !== plan || want.roles.join() !== held.join()) report.usersToChange++;
  }
  const input = {
    file: "users.csv",
    text: `user_id,tenant_id,plan,roles\n${desired.map((d) => [d.user_id, d.tenant_id ?? "", d.plan ?? "", d.roles.join(";")].join(",")).join("\n")}\n`,
  };

  const rate = options.faultRate ?? 0.25;
  let faultsOn = true;
  const fault = (request: Omit<LoggedRequest, "status" | "body">): Fault | undefined => {
    if (!faultsOn || random() >= rate) return undefined;
    const write = WRITE_ROUTES.includes(request.route);
    const roll = random();
    // Writes meet the committed faults most: they are the ones a careless client doubles.
    if (write && roll < 0.45) {
      if (roll < 0.3) return count_(report, "committed, then reset", "commit-then-drop");
      return count_(report, "committed, then 5xx", { status: pick([500, 502, 503, 504]), committed: true });
    }
    if (roll < 0.55) return count_(report, "5xx", { status: pick([500, 502, 503, 504]), message: "injected" });
    // The export file is on S3, which slows clients down with 503 rather than 429.
    if (roll < 0.7 && request.route !== "export-file") return count_(report, "429", { status: 429, message: "Too Many Requests" });
    if (roll < 0.7) return count_(report, "5xx", { status: 503, message: "SlowDown" });
    if (roll < 0.92) return count_(report, "reset before serving", "dropped");
    return count_(report, "never answered", "hang");
  };

  const tenant = await startFakeTenant({ users, fault });
  const dir = mkdtempSync(path.join(tmpdir(), "metadata-sync-chaos-"));
  const statePath = path.join(dir, "state.ndjson");
  try {
    let converged = false;
    // Until converged, then once more: that last run must find nothing left to write.
    let final = false;
    for (let run = 0; run < (options.maxRuns ?? 15) && !final; run++) {
      final = converged;
      // Sometimes the journal breaks during a run (a directory in its place, a full disk)...
      const breakAt = random() < 0.3 ? 1 + Math.floor(random() * 6) : undefined;
      const breakWith = pick(["directory", "full disk"] as const);
      const aside = `${statePath}.aside`;
      let broken = false;
      let writes = 0;
      const breaking = tenant.api.options.fault;
      tenant.api.options.fault = (request, log) => {
        if (breakAt !== undefined && !broken && WRITE_ROUTES.includes(request.route) && ++writes === breakAt && existsSync(statePath)) {
          broken = true;
          count_(report, "journal unwritable mid-run", undefined);
          renameSync(statePath, aside);
          if (breakWith === "directory") mkdirSync(statePath);
          else symlinkSync("/dev/full", statePath);
        }
        return breaking?.(request, log);
      };

      report.runs++;
      let result: SyncResult | undefined;
      try {
        result = await runSync({
          settings: tenant.settings,
          input,
          apply: true,
          statePath,
          credentials: CREDENTIALS,
          transport: tenant.transport,
          requestsPerSecond: 1000,
          pollIntervalMs: 5,
          requestTimeoutSeconds: 5,
          clock: virtualClock(),
          retry: { attemptTimeoutMs: options.attemptTimeoutMs ?? 100, random },
        });
      } catch (error) {
        if (error instanceof UserError) report.endedWithMessage++;
        else report.traces.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
      } finally {
        tenant.api.options.fault = breaking;
        // ...and the operator repairs it before the next run: the file is put back as it was.
        if (broken) {
          rmSync(statePath, { recursive: true, force: true });
          renameSync(aside, statePath);
        }
      }
      if (result) {
        report.lostAnswersFoundLanded += result.writes.landedUnanswered;
        if (result.journalError) report.endedWithMessage++;
        const { failed, partial, notAttempted } = result.summary;
        const clean = !result.journalError && !result.stopped && failed + partial + notAttempted === 0;
        if (final && clean && result.changes.length > 0) report.secondRunChanges += result.changes.length;
        converged ||= clean;
        if (final && !clean) final = false;
      }
      // ...and sometimes a crash (kill -9) tore the last line of the journal.
      if (!final && existsSync(statePath) && random() < 0.3) {
        count_(report, "journal line torn by a crash", undefined);
        appendFileSync(statePath, '{"user_id":"auth0|chaos-torn","res');
      }
    }
    if (!converged) report.notConverged++;

    // The verdict, with faults off: every user as the input says, every write committed once.
    faultsOn = false;
    for (const want of desired) {
      const has = tenant.api.user(want.user_id);
      const roles = has.roles.filter((r) => DECLARED.includes(r));
      const lost =
        (has.app_metadata.tenant_id ?? null) !== want.tenant_id ||
        (has.app_metadata.plan ?? null) !== want.plan ||
        roles.join(",") !== want.roles.join(",") ||
        has.app_metadata.billing_id === undefined;
      if (lost) report.updatesLost++;
    }
    const commits = new Map<string, number>();
    for (const r of tenant.api.log) {
      if (!WRITE_ROUTES.includes(r.route) || typeof r.status !== "number" || r.status >= 300) continue;
      const key = `${r.route} ${r.userId}`;
      commits.set(key, (commits.get(key) ?? 0) + 1);
    }
    report.updatesDoubled += [...commits.values()].filter((n) => n > 1).length;
  } finally {
    await tenant.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function count_<T>(report: ChaosReport, kind: FaultKind, fault: T): T {
  report.faults[kind]++;
  return fault;
}
