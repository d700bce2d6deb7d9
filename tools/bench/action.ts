// The claim-mapping Action in the benchmark: per-login time of the real bundle loaded the way Auth0 loads
// it (emulator/loader.ts), over 10,000 simulated logins after 1,000 warm-up logins, across a few users and
// every interactive application of the dev stack (the handler alone with a minimal recording `api`, and
// under emulator/runtime.ts's runPostLogin); then the bundle's size and build time.
import { bundleClaimMapping, type ActionBundle } from "../../infra/bundle";
import type { Settings } from "../../infra/settings";
import { buildEvent, type EventClient } from "../../emulator/event";
import { loadPostLoginHandler, SILENT_CONSOLE } from "../../emulator/loader";
import { runPostLogin } from "../../emulator/runtime";
import type { PostLoginEvent, PostLoginHandler } from "../../actions/types";
import { eventClientFor } from "../../harness/login";
import { benchmarkUsers, bundleHandWritten, Recorder, timeLogins } from "../../harness/action-speed";
import { type Cell, elapsedMs, fixed, median, note, percentile, printTable, printTargets, ratio, recordTarget, timeMs } from "./report";

const LOGINS = 10_000;
const WARMUP_LOGINS = 1_000;
const LOGIN_P99_TARGET_MS = 0.1;
const BUNDLE_BUILDS = 10;

interface LoginCase {
  label: string;
  event: PostLoginEvent;
}

/** Every user on every interactive application of the stack, as ready-built events. */
function loginCases(settings: Settings, users: ReturnType<typeof benchmarkUsers>): LoginCase[] {
  const clients: EventClient[] = settings.applications
    .filter((app) => app.type !== "non_interactive")
    .map((app) => eventClientFor(settings, app.key));
  return users.flatMap((u) =>
    clients.map((client) => ({
      label: `${u.label} @ ${client.name}`,
      event: buildEvent({ user: u.user, client, roles: u.roles, audience: settings.api.identifier, domain: settings.provider.domain }),
    })),
  );
}

interface LoginRun {
  /** Per-login times in ms, ascending. */
  times: number[];
  allowed: number;
  denied: number;
}

/** The handler alone: only `await handler(event, api)` is inside the timer (harness/action-speed.ts). */
function timeHandler(handler: PostLoginHandler, cases: LoginCase[], logins: number): Promise<LoginRun> {
  return timeLogins(
    handler,
    cases.map((c) => c.event),
    logins,
  );
}

/** The handler under the emulator's runtime (timeout race, claim-drop rules, claim budget). */
async function timeRuntime(handler: PostLoginHandler, cases: LoginCase[], logins: number): Promise<LoginRun> {
  const times: number[] = [];
  let denied = 0;
  for (let i = 0; i < logins; i++) {
    const { event } = cases[i % cases.length];
    const start = process.hrtime.bigint();
    const result = await runPostLogin(handler, event);
    times.push(elapsedMs(start));
    if (result.failed !== null) throw new Error(`login failed in the emulator: ${result.failed}`);
    if (result.denied !== null) denied++;
  }
  return { times: times.sort((a, b) => a - b), allowed: logins - denied, denied };
}

function loginRows(label: string, run: LoginRun): Cell[][] {
  const p99 = percentile(run.times, 99);
  const verdict = p99 < LOGIN_P99_TARGET_MS ? "met" : "MISSED";
  return [
    [`${label} p50`, fixed(percentile(run.times, 50) * 1000, 1), "µs/login", ""],
    [
      `${label} p99`,
      fixed(p99 * 1000, 1),
      "µs/login",
      `target: well under ${LOGIN_P99_TARGET_MS} ms = ${LOGIN_P99_TARGET_MS * 1000} µs (${verdict})`,
    ],
    [`${label} max`, fixed(run.times[run.times.length - 1] * 1000, 1), "µs/login", "one-off: GC, JIT"],
  ];
}

export async function benchLogins(settings: Settings, bundle: ActionBundle): Promise<void> {
  const handler = loadPostLoginHandler(bundle.code, `${settings.stack}/claim-mapping.js`, SILENT_CONSOLE);
  const users = benchmarkUsers();
  const cases = loginCases(settings, users);
  await timeHandler(handler, cases, WARMUP_LOGINS);
  const pure = await timeHandler(handler, cases, LOGINS);
  await timeRuntime(handler, cases, WARMUP_LOGINS);
  const emulated = await timeRuntime(handler, cases, LOGINS);
  printTable(
    `claim-mapping Action per login (${LOGINS.toLocaleString("en-US")} logins after ${WARMUP_LOGINS.toLocaleString("en-US")} warm-up, stack ${settings.stack})`,
    ["Measure", "Value", "Unit", "Note"],
    [...loginRows("handler only", pure), ...loginRows("runPostLogin (emulator)", emulated)],
  );
  note(`${users.length} users x ${cases.length / users.length} interactive applications = ${cases.length} distinct events, cycled;`);
  note(`${pure.allowed.toLocaleString("en-US")} logins allowed, ${pure.denied.toLocaleString("en-US")} denied (deny paths are timed too).`);
  note(`users: ${users.map((u) => u.label).join("; ")}`);
}

export async function benchBundle(settings: Settings, first: { bundle: ActionBundle; ms: number }): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < BUNDLE_BUILDS; i++) {
    times.push(await timeMs(() => bundleClaimMapping(settings.claimMapping, { cache: false })));
  }
  printTable(
    "claim-mapping bundle (dev settings)",
    ["Measure", "Value", "Unit", "Note"],
    [
      ["size", fixed(first.bundle.bytes, 0), "bytes", `${fixed(first.bundle.bytes / 1024, 1)} KiB; aim: a few kB; Auth0 limit 100 KiB`],
      [
        `build time, median of ${BUNDLE_BUILDS}`,
        fixed(median(times), 1),
        "ms",
        `min ${fixed(Math.min(...times), 1)} ms, max ${fixed(Math.max(...times), 1)} ms`,
      ],
      ["first build in process", fixed(first.ms, 1), "ms", "includes starting esbuild's service"],
    ],
  );
  const cached = await timeMs(() => bundleClaimMapping(settings.claimMapping));
  note(`Both with esbuild (the bundle cache off). From the cache of earlier bundles, as a preview takes it: ${fixed(cached, 1)} ms.`);
}

const LEAN_LIMIT_BYTES = 6_000;
const ENRICHED_LIMIT_BYTES = 9_000;
const PER_LOGIN_LIMIT = 2;
const ROUNDS = 3;

/** What one login did, in a form two Actions can be compared by. */
function outcome(recorded: Recorder): string {
  const sorted = (claims: Record<string, unknown>) => Object.fromEntries(Object.entries(claims).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify({ denied: recorded.denied, id: sorted(recorded.idToken), access: sorted(recorded.accessToken) });
}

/**
 * Target 4: the deployed Action's size (with and without enrichment) and its per-login p50 against a
 * hand-written Action that sets the same claims for the same events (actions/claim-mapping/bench/hand-written.ts),
 * alternating rounds of logins so that load falls on both.
 */
export async function benchActionTarget(settings: Settings, offline: ActionBundle, enriched: ActionBundle): Promise<void> {
  const bundled = loadPostLoginHandler(offline.code, `${settings.stack}/claim-mapping.js`, SILENT_CONSOLE);
  const handWritten = await bundleHandWritten({ ...settings.claimMapping, enrichment: undefined });
  const reference = loadPostLoginHandler(handWritten.code, `${settings.stack}/hand-written.js`, SILENT_CONSOLE);
  const cases = loginCases(settings, benchmarkUsers());
  for (const { label, event } of cases) {
    const [a, b] = [new Recorder(), new Recorder()];
    await bundled(event, a.api);
    await reference(event, b.api);
    if (outcome(a) !== outcome(b))
      throw new Error(`the hand-written Action differs from the bundle for ${label}:\n${outcome(a)}\n${outcome(b)}`);
  }
  await timeHandler(bundled, cases, WARMUP_LOGINS);
  await timeHandler(reference, cases, WARMUP_LOGINS);
  const bundledTimes: number[] = [];
  const referenceTimes: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bundledTimes.push(...(await timeHandler(bundled, cases, LOGINS)).times);
    referenceTimes.push(...(await timeHandler(reference, cases, LOGINS)).times);
  }
  const p50 = (times: number[]) =>
    percentile(
      [...times].sort((x, y) => x - y),
      50,
    ) * 1000;
  const bundledP50 = p50(bundledTimes);
  const referenceP50 = p50(referenceTimes);
  printTargets("Target 4: the Action", [
    recordTarget({
      target: "4a. Action size, no enrichment",
      figure: `${fixed(offline.bytes, 0)} bytes`,
      floor: `${fixed(LEAN_LIMIT_BYTES, 0)} bytes (budget)`,
      ratio: ratio(offline.bytes, LEAN_LIMIT_BYTES),
      limit: 1,
    }),
    recordTarget({
      target: "4b. Action size, with enrichment",
      figure: `${fixed(enriched.bytes, 0)} bytes`,
      floor: `${fixed(ENRICHED_LIMIT_BYTES, 0)} bytes (budget)`,
      ratio: ratio(enriched.bytes, ENRICHED_LIMIT_BYTES),
      limit: 1,
    }),
    recordTarget({
      target: "4c. Action per login, p50",
      figure: `${fixed(bundledP50, 2)} µs`,
      floor: `${fixed(referenceP50, 2)} µs (hand-written)`,
      ratio: ratio(bundledP50, referenceP50),
      limit: PER_LOGIN_LIMIT,
    }),
  ]);
  note(
    `4c: handler only, ${ROUNDS} alternating rounds of ${LOGINS.toLocaleString("en-US")} logins each over ${cases.length} events; both Actions checked to give the same result for every event first.`,
  );
  note("The hand-written floor is actions/claim-mapping/bench/hand-written.ts (its test shows it gives the bundle's tokens and denials).");
}
