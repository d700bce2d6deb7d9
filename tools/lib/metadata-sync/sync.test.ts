// The sync end to end: the real auth0 SDK, over HTTPS, against the fake Management API on loopback.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Fault, FakeOptions, FakeUser } from "./testing/fake-management-api";
import { CREDENTIALS, DEV, startFakeTenant, type FakeTenant } from "./testing/harness";
import { exitCodeFor, renderResult } from "./report";
import { type Clock, systemClock } from "./rate-limit";
import { credentialsFromEnv, runSync, type SyncOptions } from "./sync";
import { UserError } from "../../../infra/errors";
import { virtualClock } from "./testing/clock";

const FIXTURES = path.resolve(__dirname, "../../../test/fixtures/metadata-sync");

let tenant: FakeTenant | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "metadata-sync-"));
});
afterEach(async () => {
  await tenant?.close();
  tenant = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(users: FakeUser[], options: Partial<FakeOptions> = {}): Promise<FakeTenant> {
  tenant = await startFakeTenant({ users, ...options });
  return tenant;
}

/** A run against the fake tenant, fast: no pacing beyond the fake's own limits, quick job polls. */
function sync(t: FakeTenant, input: { file: string; text: string }, options: Partial<SyncOptions> = {}) {
  const progress: string[] = [];
  const run = runSync({
    settings: t.settings,
    input,
    apply: false,
    credentials: CREDENTIALS,
    transport: t.transport,
    requestsPerSecond: 1000,
    pollIntervalMs: 5,
    // The SDK leaves its timeout timer running after a request that failed without an answer (tenant.ts).
    requestTimeoutSeconds: 5,
    progress: (line) => progress.push(line),
    ...options,
  });
  return Object.assign(run, { progress });
}

function csv(rows: string[][]): { file: string; text: string } {
  return { file: "users.csv", text: `${["user_id,tenant_id,plan,roles", ...rows.map((r) => r.join(","))].join("\n")}\n` };
}

const fixture = (name: string) => ({ file: name, text: readFileSync(path.join(FIXTURES, name), "utf8") });

/** The fixture tenant behind test/fixtures/metadata-sync/users.{csv,json}. */
const FIXTURE_USERS: FakeUser[] = [
  {
    user_id: "auth0|alice",
    app_metadata: { tenant_id: "acme", plan: "free", roles: ["legacy-admin"], billing_id: "cus_1", flags: { beta: true } },
    user_metadata: { theme: "dark" },
    roles: ["viewer", "support"],
  },
  { user_id: "auth0|bob", app_metadata: { tenant_id: "globex", plan: "enterprise" }, roles: ["admin"] },
  { user_id: "google-oauth2|carol", app_metadata: { tenant_id: "acme", plan: "free", legacy: 1 }, roles: ["viewer"] },
  { user_id: "auth0|dave" },
];

describe("a dry run", () => {
  it("prints the changes each user needs and writes nothing, not even the state file", async () => {
    const t = await start(FIXTURE_USERS);
    const statePath = path.join(dir, "state.ndjson");
    const run = sync(t, fixture("users.csv"), { statePath });
    const result = await run;

    expect(result.mode).toBe("dry-run");
    expect(result.problems).toEqual([]);
    expect(result.changes.map((c) => [c.user_id, c.change])).toEqual([
      ["auth0|alice", { appMetadata: { plan: "premium" }, previous: { plan: "free" }, assignRoles: ["editor"], removeRoles: ["viewer"] }],
      [
        "google-oauth2|carol",
        { appMetadata: { tenant_id: null }, previous: { tenant_id: "acme" }, assignRoles: [], removeRoles: ["viewer"] },
      ],
      [
        "auth0|dave",
        {
          appMetadata: { tenant_id: "initech", plan: "free" },
          previous: { tenant_id: null, plan: null },
          assignRoles: ["viewer"],
          removeRoles: [],
        },
      ],
    ]);
    expect(result.summary).toEqual({ checked: 4, changed: 3, skipped: 0, failed: 0, partial: 0, notAttempted: 0 });
    expect(t.api.writesByUser().size).toBe(0);
    expect(t.api.user("auth0|alice")).toEqual({
      app_metadata: FIXTURE_USERS[0].app_metadata,
      user_metadata: { theme: "dark" },
      roles: ["support", "viewer"],
    });
    expect(existsSync(statePath)).toBe(false);
    expect(run.progress.some((line) => line.includes("export job"))).toBe(true);

    const text = renderResult(result);
    expect(text).toContain("dry run, nothing written");
    expect(text).toContain('line 2 auth0|alice: app_metadata.plan "free" → "premium"; roles +editor -viewer');
    expect(text).toContain('line 4 google-oauth2|carol: app_metadata.tenant_id "acme" → (none); roles -viewer');
    expect(text).toContain("Summary: checked 4, changed 3, skipped 0, failed 0");
    expect(exitCodeFor(result)).toBe(0);
  });

  it("reads the same plan from the JSON form of the input", async () => {
    const t = await start(FIXTURE_USERS);
    const fromCsv = await sync(t, fixture("users.csv"));
    const fromJson = await sync(t, fixture("users.json"));
    expect(fromJson.changes.map((c) => [c.user_id, c.change])).toEqual(fromCsv.changes.map((c) => [c.user_id, c.change]));
  });
});

describe("--apply", () => {
  it("writes only tenant_id, plan and the stack's roles, and a second run finds nothing to change", async () => {
    const t = await start(FIXTURE_USERS);
    const result = await sync(t, fixture("users.csv"), { apply: true });
    expect(result.summary).toEqual({ checked: 4, changed: 3, skipped: 0, failed: 0, partial: 0, notAttempted: 0 });
    expect(result.changes.every((c) => c.outcome === "applied")).toBe(true);

    // Every other key of app_metadata stays, app_metadata.roles included; user_metadata is not touched;
    // a role the stack does not declare ("support") is kept.
    expect(t.api.user("auth0|alice")).toEqual({
      app_metadata: { tenant_id: "acme", plan: "premium", roles: ["legacy-admin"], billing_id: "cus_1", flags: { beta: true } },
      user_metadata: { theme: "dark" },
      roles: ["editor", "support"],
    });
    expect(t.api.user("google-oauth2|carol")).toEqual({ app_metadata: { plan: "free", legacy: 1 }, user_metadata: {}, roles: [] });
    expect(t.api.user("auth0|dave")).toEqual({
      app_metadata: { tenant_id: "initech", plan: "free" },
      user_metadata: {},
      roles: ["viewer"],
    });
    expect(t.api.writesByUser().has("auth0|bob")).toBe(false);

    // What went over the wire: only owned keys in app_metadata, nothing else in the PATCH body.
    const patches = t.api.succeeded("user-update").map((r) => r.body as Record<string, Record<string, unknown>>);
    expect(patches.length).toBe(3);
    for (const body of patches) {
      expect(Object.keys(body)).toEqual(["app_metadata"]);
      for (const key of Object.keys(body.app_metadata)) expect(["tenant_id", "plan"]).toContain(key);
    }

    const again = await sync(t, fixture("users.csv"));
    expect(again.changes).toEqual([]);
    expect(again.summary).toEqual({ checked: 4, changed: 0, skipped: 0, failed: 0, partial: 0, notAttempted: 0 });
    expect(renderResult(again)).toContain("No changes: every checked user is in sync.");
  });

  it("reads every user of a tenant past the 1,000-user listing cap, through the export job", async () => {
    const users: FakeUser[] = Array.from({ length: 1200 }, (_, i) => ({
      user_id: `auth0|${String(i).padStart(5, "0")}`,
      app_metadata: { tenant_id: `t${i % 7}`, plan: "free", seat: i },
      roles: ["viewer"],
    }));
    const t = await start(users);
    // Every 10th user moves to premium and becomes an editor, users 1,000 to 1,199 included.
    const rows = users.map((u, i) => [u.user_id, `t${i % 7}`, i % 10 === 0 ? "premium" : "free", i % 10 === 0 ? "editor" : "viewer"]);
    const input = csv(rows);

    const result = await sync(t, input, { apply: true });
    expect(result.usersInTenant).toBe(1200);
    expect(result.summary).toEqual({ checked: 1200, changed: 120, skipped: 0, failed: 0, partial: 0, notAttempted: 0 });
    expect(t.api.user("auth0|01190")).toEqual({
      app_metadata: { tenant_id: "t0", plan: "premium", seat: 1190 },
      user_metadata: {},
      roles: ["editor"],
    });
    expect(t.api.log.filter((r) => r.route === "users-list")).toEqual([]);

    const again = await sync(t, input);
    expect(again.summary.changed).toBe(0);
  });
});

describe("bad input", () => {
  it("is reported with its line number and skipped whole, and the rest is applied", async () => {
    const t = await start([
      { user_id: "auth0|ok", app_metadata: { plan: "free" } },
      { user_id: "auth0|badplan", app_metadata: { plan: "free" } },
      { user_id: "auth0|badrole", app_metadata: { plan: "free" } },
      { user_id: "auth0|twice", app_metadata: { plan: "free" } },
    ]);
    const input = csv([
      ["auth0|ok", "acme", "premium", ""],
      ["", "acme", "premium", ""],
      ["auth0|badplan", "acme", "gold", "editor"],
      ["auth0|badrole", "acme", "premium", "editor;owner"],
      ["auth0|twice", "acme", "premium", ""],
      ["auth0|ghost", "acme", "premium", ""],
      ["auth0|twice", "acme", "enterprise", ""],
    ]);
    const result = await sync(t, input, { apply: true });

    expect(result.problems).toEqual([
      { line: 3, message: "no user_id" },
      { line: 4, message: 'plan "gold" is not one of the stack\'s plans (free, premium, enterprise)' },
      { line: 5, message: 'role "owner" is not one of the stack\'s roles (admin, editor, viewer)' },
      { line: 6, message: 'user_id "auth0|twice" is listed 2 times (lines 6, 8): every row of this user is skipped' },
      { line: 7, message: `user_id "auth0|ghost" is not a user of ${CREDENTIALS.domain}` },
      { line: 8, message: 'user_id "auth0|twice" is listed 2 times (lines 6, 8): every row of this user is skipped' },
    ]);
    expect([...t.api.writesByUser().keys()]).toEqual(["auth0|ok"]);
    for (const id of ["auth0|badplan", "auth0|badrole", "auth0|twice"]) expect(t.api.user(id).app_metadata).toEqual({ plan: "free" });
    expect(result.summary).toEqual({ checked: 1, changed: 1, skipped: 6, failed: 0, partial: 0, notAttempted: 0 });
    expect(renderResult(result)).toContain('users.csv:4: plan "gold" is not one of the stack\'s plans');
    expect(exitCodeFor(result)).toBe(3);
  });
});

describe("rate limits", () => {
  // Virtual time, shared by the sync's clock and the fake tenant (which stamps requests and rate windows with
  // Date.now() in this process): a pause advances it at once, so these tests read the pacing from timestamps
  // instead of waiting for X-RateLimit-Reset in real time.
  let offset = 0;
  const virtualClock: Clock = {
    now: () => Date.now(),
    sleep: async (ms, signal) => {
      offset += Math.max(0, ms);
      await systemClock.sleep(0, signal);
    },
  };
  beforeEach(() => {
    offset = 0;
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, "now").mockImplementation(() => realNow() + offset);
  });
  afterEach(() => jest.restoreAllMocks());

  it("waits for X-RateLimit-Reset after a 429 before sending anything else", async () => {
    let resetAt = 0;
    const t = await start(usersNeedingPlan(4), {
      fault: (request, log) => {
        if (request.route !== "user-update" || log.filter((r) => r.route === "user-update").length !== 2) return undefined;
        resetAt = Math.ceil((Date.now() + 300) / 1000);
        return {
          status: 429,
          message: "Too Many Requests",
          headers: { "x-ratelimit-limit": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(resetAt) },
        };
      },
    });
    const result = await sync(t, planRows(4), { apply: true, concurrency: 1, clock: virtualClock });

    expect(result.summary).toMatchObject({ changed: 4, failed: 0 });
    expect(result.rateLimit.throttled).toBe(1);
    const throttled = t.api.log.findIndex((r) => r.status === 429);
    const after = t.api.log.slice(throttled + 1);
    expect(after.length).toBeGreaterThan(0);
    for (const request of after) expect(request.at).toBeGreaterThanOrEqual(resetAt * 1000);
  });

  it("stays within a tenant's limit: pauses when Remaining is 0, and after a 429 sends nothing new until the reset", async () => {
    const t = await start(usersNeedingPlan(10), { rateLimit: { limit: 8, windowMs: 1000 } });
    const result = await sync(t, planRows(10), { apply: true, clock: virtualClock });

    expect(result.summary).toMatchObject({ changed: 10, failed: 0 });
    expect(result.rateLimit.pausedMs).toBeGreaterThan(0);
    const windows = new Set(t.api.log.map((r) => Math.floor(r.at / 1000))).size;
    expect(result.rateLimit.throttled).toBeLessThanOrEqual(windows);
    t.api.log.forEach((request, i) => {
      if (request.status !== 429) return;
      const reset = (Math.floor(request.at / 1000) + 1) * 1000;
      // Only a request already in flight when the 429 was sent (concurrency 2) may arrive before the reset.
      expect(t.api.log.slice(i + 1).filter((r) => r.at < reset).length).toBeLessThanOrEqual(1);
    });
  });
});

describe("failures and --state", () => {
  it("reports a user whose write fails, and the next run with the same state retries only that user", async () => {
    // The fifth user's writes fail with a 500 (not committed) until the first run is over.
    let failing = true;
    const t = await start(usersNeedingPlan(12), {
      fault: (request) =>
        failing && request.route === "user-update" && request.userId === "auth0|user004"
          ? { status: 500, message: "Internal error" }
          : undefined,
    });
    const statePath = path.join(dir, "state.ndjson");
    const input = planRows(12);

    const first = await sync(t, input, { apply: true, statePath, clock: virtualClock() });
    failing = false;
    expect(first.summary).toEqual({ checked: 12, changed: 11, skipped: 0, failed: 1, partial: 0, notAttempted: 0 });
    const failed = first.changes.find((c) => c.outcome === "failed")!;
    expect(failed.error).toBe("HTTP 500: Internal error");
    expect(renderResult(first)).toContain(`[FAILED: HTTP 500: Internal error]`);
    expect(exitCodeFor(first)).toBe(3);

    const second = await sync(t, input, { apply: true, statePath });
    expect(second.skipped.doneEarlier).toBe(11);
    expect(second.changes.map((c) => [c.user_id, c.outcome])).toEqual([[failed.user_id, "applied"]]);
    expect(second.summary).toEqual({ checked: 1, changed: 1, skipped: 11, failed: 0, partial: 0, notAttempted: 0 });
    // Each user was written exactly once over both runs.
    expect([...t.api.writesByUser().values()]).toEqual(Array(12).fill(1));
    expect(readFileSync(statePath, "utf8")).toMatch(/"complete":true/);
  });

  it("stops when the tenant stops answering, and resumes where it stopped without redoing finished users", async () => {
    // After 6 users are written, every connection is dropped unanswered, until the tenant is "back".
    let down = false;
    let back = false;
    const t = await start(usersNeedingPlan(20), {
      fault: (request, log) => {
        if (!back && request.route === "user-update" && log.filter((r) => r.route === "user-update" && r.status === 200).length >= 6)
          down = true;
        return down && !back ? "dropped" : undefined;
      },
    });
    const statePath = path.join(dir, "state.ndjson");
    const input = planRows(20);

    const first = await sync(t, input, { apply: true, statePath, maxConsecutiveFailures: 3, clock: virtualClock() });
    expect(first.stopped).toBe(
      "3 users failed in a row (last: fetch failed (ECONNRESET); reading the user back failed too: fetch failed (ECONNRESET))",
    );
    expect(first.summary.changed).toBe(6);
    expect(first.summary.failed).toBeGreaterThanOrEqual(3);
    expect(first.summary.notAttempted).toBe(20 - 6 - first.summary.failed);
    expect(renderResult(first)).toContain("Run the same command again (same --state) to resume.");

    back = true;
    const writtenFirst = new Set(t.api.writesByUser().keys());
    const second = await sync(t, input, { apply: true, statePath });
    expect(second.summary).toEqual({ checked: 14, changed: 14, skipped: 6, failed: 0, partial: 0, notAttempted: 0 });
    for (const change of second.changes) expect(writtenFirst.has(change.user_id)).toBe(false);
    expect([...t.api.writesByUser().values()]).toEqual(Array(20).fill(1));

    const check = await sync(t, input);
    expect(check.summary.changed).toBe(0);
  });
});

describe("an interrupt (Ctrl-C)", () => {
  it("during the writes finishes the users in flight, starts no other, and leaves a state to resume from", async () => {
    const interrupt = new AbortController();
    const t = await start(usersNeedingPlan(10), {
      fault: (request, log) => {
        if (request.route === "user-update" && log.filter((r) => r.route === "user-update").length === 3) interrupt.abort();
        return undefined;
      },
    });
    const statePath = path.join(dir, "state.ndjson");
    const first = await sync(t, planRows(10), { apply: true, statePath, signal: interrupt.signal, concurrency: 1 });
    expect(first.stopped).toBe("interrupted");
    expect(first.summary).toMatchObject({ changed: 3, failed: 0, partial: 0, notAttempted: 7 });

    const second = await sync(t, planRows(10), { apply: true, statePath });
    expect(second.summary).toEqual({ checked: 7, changed: 7, skipped: 3, failed: 0, partial: 0, notAttempted: 0 });
  });

  it("while reading the tenant stops the run before any write", async () => {
    const t = await start(usersNeedingPlan(2));
    const interrupt = new AbortController();
    interrupt.abort();
    await expect(sync(t, planRows(2), { apply: true, signal: interrupt.signal })).rejects.toThrow(UserError);
    expect(t.api.writesByUser().size).toBe(0);
  });
});

describe("the tenant guard", () => {
  const env = { AUTH0_DOMAIN: DEV.provider.domain, AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret" };

  it("accepts the stack's own domain, written as a URL or a bare host", () => {
    expect(credentialsFromEnv(env, DEV)).toEqual({ domain: DEV.provider.domain, clientId: "id", clientSecret: "secret" });
    expect(credentialsFromEnv({ ...env, AUTH0_DOMAIN: `https://${DEV.provider.domain}/` }, DEV).domain).toBe(DEV.provider.domain);
  });
  it("refuses a domain other than the stack's auth0:domain", () => {
    expect(() => credentialsFromEnv({ ...env, AUTH0_DOMAIN: "prod-myapp.eu.auth0.com" }, DEV)).toThrow(
      new UserError(
        `AUTH0_DOMAIN is "prod-myapp.eu.auth0.com" but stack dev deploys to "${DEV.provider.domain}" (auth0:domain in Pulumi.dev.yaml): refusing to sync users of another tenant`,
      ),
    );
  });
  it("names the credentials that are missing", () => {
    expect(() => credentialsFromEnv({ AUTH0_DOMAIN: DEV.provider.domain }, DEV)).toThrow(
      /^AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET are not set/,
    );
  });
  it("stops before any write when the tenant lacks a role the stack declares", async () => {
    const t = await startFakeTenant({ users: FIXTURE_USERS.slice(3), roles: [{ id: "rol_admin", name: "admin" }] });
    tenant = t;
    await expect(sync(t, fixture("users.csv"), { apply: true })).rejects.toThrow(
      new UserError(
        'the tenant has no role "editor", "viewer" although Pulumi.dev.yaml declares it: deploy the stack (pulumi up) before syncing',
      ),
    );
    expect(t.api.writesByUser().size).toBe(0);
  });
});

describe("the journal (--state)", () => {
  it("recovers from a last line torn by a crash: later runs resume, and the torn bytes are cut off", async () => {
    const interrupt = new AbortController();
    const t = await start(usersNeedingPlan(6), {
      fault: (request, log) => {
        if (request.route === "user-update" && log.filter((r) => r.route === "user-update").length === 2) interrupt.abort();
        return undefined;
      },
    });
    const statePath = path.join(dir, "state.ndjson");
    const input = planRows(6);
    const first = await sync(t, input, { apply: true, statePath, signal: interrupt.signal, concurrency: 1 });
    expect(first.summary.changed).toBe(2);
    // The crash: half a record, no newline.
    appendFileSync(statePath, '{"user_id":"auth0|user00');

    const secondRun = sync(t, input, { apply: true, statePath });
    const second = await secondRun;
    expect(secondRun.progress).toContain(`recovered ${statePath}: ignored its torn last line (24 bytes, cut off before appending)`);
    expect(second.summary).toEqual({ checked: 4, changed: 4, skipped: 2, failed: 0, partial: 0, notAttempted: 0 });
    const lines = readFileSync(statePath, "utf8").split("\n");
    expect(lines.at(-1)).toBe("");
    for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
    expect([...t.api.writesByUser().values()]).toEqual(Array(6).fill(1));

    // A third run starts afresh from the completed journal and finds nothing to write.
    const third = await sync(t, input, { apply: true, statePath });
    expect(third.summary.changed).toBe(0);
  });

  it("reads past a torn line that a later record was appended to (a journal from before this fix)", async () => {
    const t = await start(usersNeedingPlan(3));
    const statePath = path.join(dir, "state.ndjson");
    const input = planRows(3);
    const first = await sync(t, input, { statePath, apply: true, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(UserError);
    const { createHash } = await import("node:crypto");
    const header = {
      metadata_sync_state: 1,
      stack: "dev",
      domain: CREDENTIALS.domain,
      input_sha256: createHash("sha256").update(input.text).digest("hex"),
    };
    writeFileSync(
      statePath,
      `${JSON.stringify(header)}\n{"user_id":"auth0|user000","result":"done"}\n{"user_id":"auth0|us{"user_id":"auth0|user001","result":"done"}\n`,
    );
    const running = sync(t, input, { apply: true, statePath });
    const run = await running;
    expect(running.progress).toContain(`recovered ${statePath}: skipped line 3, which is not a record`);
    // user001's record was lost in the glued line: it is compared again (and written, since it was not).
    expect(run.skipped.doneEarlier).toBe(1);
    expect(run.summary).toMatchObject({ changed: 2, failed: 0 });
  });

  it("refuses --state that is a directory, or in a folder that does not exist, before the users export starts", async () => {
    const t = await start(usersNeedingPlan(2));
    await expect(sync(t, planRows(2), { apply: true, statePath: dir })).rejects.toThrow(
      new UserError(`--state ${dir} is a directory: pass a file path, for example ${path.join(dir, "metadata-sync.ndjson")}`),
    );
    const missing = path.join(dir, "no-such-folder", "state.ndjson");
    await expect(sync(t, planRows(2), { apply: true, statePath: missing })).rejects.toThrow(
      new UserError(`--state ${missing}: the folder ${path.dirname(missing)} does not exist: create it or pass another path`),
    );
    expect(t.api.log).toEqual([]);
  });

  it.each([
    ["replaced by a directory", "EISDIR", (file: string) => (rmSync(file), mkdirSync(file))],
    ["on a full disk", "ENOSPC", (file: string) => (rmSync(file), symlinkSync("/dev/full", file))],
  ])("that cannot be written mid-run (%s) ends the run with a summary of what was applied and exit 2", async (_, code, breakIt) => {
    const statePath = path.join(dir, "state.ndjson");
    const t = await start(usersNeedingPlan(8), {
      fault: (request, log) => {
        if (request.route === "user-update" && log.filter((r) => r.route === "user-update").length === 4) breakIt(statePath);
        return undefined;
      },
    });
    const result = await sync(t, planRows(8), { apply: true, statePath, concurrency: 1 });

    expect(result.journalError).toMatch(new RegExp(`^the journal ${statePath} could not be written \\(${code}: `));
    expect(result.summary).toEqual({ checked: 8, changed: 4, skipped: 0, failed: 0, partial: 0, notAttempted: 4 });
    expect(t.api.writesByUser().size).toBe(4);
    const text = renderResult(result);
    expect(text).toContain("Summary: checked 8, changed 4, skipped 0, failed 0, not attempted 4");
    expect(text).toContain(`Stopped: the journal ${statePath} could not be written (${code}`);
    expect(text.match(/\[applied\]$/gm)).toHaveLength(4);
    expect(exitCodeFor(result)).toBe(2);
  });
});

describe("transient faults", () => {
  it("on every read (token, export job, its poll and download, roles, members) are retried, and the run goes on", async () => {
    const faulted = new Set<string>();
    const once = (route: string, fault: Fault): Fault | undefined => (faulted.has(route) ? undefined : (faulted.add(route), fault));
    const t = await start(usersNeedingPlan(3), {
      exportPolls: 2,
      fault: (request) => {
        switch (request.route) {
          case "token":
            return once("token", { status: 503, message: "Service Unavailable" });
          case "export-create":
            return once("export-create", "dropped");
          case "job-get":
            return once("job-get", { status: 502, message: "Bad Gateway" });
          case "export-file":
            return once("export-file", { status: 500 });
          case "roles-list":
            return once("roles-list", "hang");
          case "role-users":
            return once("role-users", "dropped");
          default:
            return undefined;
        }
      },
    });
    const clock = virtualClock();
    const result = await sync(t, planRows(3), { apply: true, clock, retry: { attemptTimeoutMs: 200 } });
    expect(result.summary).toEqual({ checked: 3, changed: 3, skipped: 0, failed: 0, partial: 0, notAttempted: 0 });
    expect(faulted.size).toBe(6);
    expect(result.rateLimit).toMatchObject({ transientFaults: 6, retried: 6 });
    expect(clock.slept.filter((ms) => ms >= 250)).toHaveLength(6);
    expect(renderResult(result)).toContain("Transient faults: 6 (6 reads re-sent)");
  });

  it("a write whose answer was lost after it landed is read back and not sent again", async () => {
    const t = await start(
      [
        { user_id: "auth0|drop", app_metadata: { tenant_id: "acme", plan: "free" } },
        { user_id: "auth0|gateway", app_metadata: { tenant_id: "acme", plan: "free" } },
        { user_id: "auth0|roles", app_metadata: { tenant_id: "acme", plan: "premium" }, roles: ["viewer"] },
      ],
      {
        fault: (request, log) => {
          const first = !log.some((r) => r.seq < request.seq && r.route === request.route && r.userId === request.userId);
          if (!first) return undefined;
          if (request.route === "user-update" && request.userId === "auth0|drop") return "commit-then-drop";
          if (request.route === "user-update" && request.userId === "auth0|gateway") return { status: 504, committed: true };
          if (request.route === "user-roles-assign") return "commit-then-drop";
          if (request.route === "user-roles-remove") return "dropped";
          return undefined;
        },
      },
    );
    const input = csv([
      ["auth0|drop", "acme", "premium", ""],
      ["auth0|gateway", "acme", "premium", ""],
      ["auth0|roles", "acme", "premium", "editor"],
    ]);
    const result = await sync(t, input, { apply: true, clock: virtualClock() });

    expect(result.summary).toEqual({ checked: 3, changed: 3, skipped: 0, failed: 0, partial: 0, notAttempted: 0 });
    // Three answers were lost after the write landed; one request was dropped before it was served.
    expect(result.writes).toEqual({ verified: 4, landedUnanswered: 3, repeated: 1 });
    const committed = (route: string, userId: string) =>
      t.api.log.filter((r) => r.route === route && r.userId === userId && typeof r.status === "number" && r.status < 300).length;
    expect(committed("user-update", "auth0|drop")).toBe(1);
    expect(committed("user-update", "auth0|gateway")).toBe(1);
    expect(committed("user-roles-assign", "auth0|roles")).toBe(1);
    expect(committed("user-roles-remove", "auth0|roles")).toBe(1);
    expect(t.api.log.filter((r) => r.route === "user-roles-remove" && r.userId === "auth0|roles").map((r) => r.status)).toEqual([
      "dropped",
      204,
    ]);
    expect(t.api.user("auth0|drop").app_metadata).toEqual({ tenant_id: "acme", plan: "premium" });
    expect(t.api.user("auth0|roles").roles).toEqual(["editor"]);
    // Each lost answer was followed by a read of the user, never by the same write.
    expect(t.api.log.filter((r) => r.route === "user-get").length).toBe(2);
  });

  it("a user whose metadata landed but whose role write failed is reported partly applied, and finished first next time", async () => {
    let rolesDown = true;
    const t = await start(
      [...usersNeedingPlan(3), { user_id: "auth0|zed", app_metadata: { tenant_id: "acme", plan: "free" }, roles: ["viewer"] }],
      {
        fault: (request) => (rolesDown && request.route === "user-roles-assign" ? { status: 500, message: "Internal error" } : undefined),
      },
    );
    const statePath = path.join(dir, "state.ndjson");
    const input = csv([
      ...usersNeedingPlan(3).map((u) => [u.user_id, "acme", "premium", ""]),
      ["auth0|zed", "acme", "premium", "viewer;editor"],
    ]);
    const first = await sync(t, input, { apply: true, statePath, clock: virtualClock(), retry: { maxRetries: 1 } });
    expect(first.summary).toEqual({ checked: 4, changed: 3, skipped: 0, failed: 0, partial: 1, notAttempted: 0 });
    const zed = first.changes.find((c) => c.user_id === "auth0|zed")!;
    expect(zed).toMatchObject({ outcome: "partial", applied: ["app_metadata"], error: "HTTP 500: Internal error" });
    expect(renderResult(first)).toContain("[PARTLY APPLIED: app_metadata written; assign-roles failed: HTTP 500: Internal error]");
    expect(renderResult(first)).toContain("partly applied 1");
    expect(exitCodeFor(first)).toBe(3);
    expect(readFileSync(statePath, "utf8")).toContain(
      '{"user_id":"auth0|zed","result":"partial","applied":["app_metadata"],"error":"HTTP 500: Internal error"}',
    );
    expect(t.api.user("auth0|zed")).toMatchObject({ app_metadata: { plan: "premium" }, roles: ["viewer"] });

    rolesDown = false;
    const secondRun = sync(t, input, { apply: true, statePath });
    const second = await secondRun;
    expect(secondRun.progress).toContain("checked 1 user: 1 to change, 1 partly written by an earlier run first");
    expect(second.changes).toEqual([
      expect.objectContaining({
        user_id: "auth0|zed",
        unfinished: true,
        outcome: "applied",
        change: expect.objectContaining({ appMetadata: {}, assignRoles: ["editor"] }),
      }),
    ]);
    expect(t.api.user("auth0|zed").roles).toEqual(["editor", "viewer"]);
    expect(t.api.succeeded("user-update", "auth0|zed")).toHaveLength(1);
  });
});

function usersNeedingPlan(count: number): FakeUser[] {
  return Array.from({ length: count }, (_, i) => ({
    user_id: `auth0|user${String(i).padStart(3, "0")}`,
    app_metadata: { tenant_id: "acme", plan: "free" },
  }));
}

function planRows(count: number) {
  return csv(usersNeedingPlan(count).map((u) => [u.user_id, "acme", "premium", ""]));
}
