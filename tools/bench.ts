// npm run bench
//
// A benchmark, not a test: it prints figures and asserts nothing. It measures, in this order:
//   1. The bundled claim-mapping Action per login, in-process: the dev stack's real bundle loaded the way
//      Auth0 loads it (emulator/loader.ts), run over 10,000 simulated logins after 1,000 warm-up logins,
//      across a few users and every interactive application of the dev stack. Two figures: the handler
//      alone (a minimal recording `api`), and the handler under emulator/runtime.ts's runPostLogin
//      (time limit, claim-drop rules and the claim budget included). p50 and p99 per login.
//   2. The bundle: its size in bytes and the median build time of 10 bundleClaimMapping calls.
//   3. Plan time under Pulumi's mock engine (harness/plan.ts): the dev stack, then synthetic stacks of
//      50, 100, 250 and 500 applications (tools/lib/synthetic.ts), median of 3 runs each, with a
//      least-squares line ms = a + b·apps to show the cost per application and how linear it is.
//   4. Start-up as `pulumi preview` starts the program: ts-node registered the way @pulumi/pulumi's
//      runner does, then the program's modules compiled and loaded, in a child process, spawn to exit.
//      Median of 3 runs, with type-checking and as configured (tsconfig.pulumi.json: noCheck), plus one
//      run of PULUMI_NODEJS_TRANSPILE_ONLY=false alone (which, with noCheck set, checks nothing).
// Figures are wall-clock and vary with the machine and its load. Most of the run time is section 3:
// planning costs tens of ms per application (see benchPlans), so the 3 plans of 500 applications alone
// take a minute or more.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { bundleClaimMapping, REPO_ROOT, type ActionBundle } from "../infra/bundle";
import type { Settings } from "../infra/settings";
import { buildEvent, type EventClient } from "../emulator/event";
import { loadPostLoginHandler, SILENT_CONSOLE } from "../emulator/loader";
import { runPostLogin } from "../emulator/runtime";
import type { PostLoginApi, PostLoginEvent, PostLoginHandler } from "../actions/types";
import { planConfig, planStack, type Plan } from "../harness/plan";
import { eventClientFor } from "../harness/login";
import { readStackSettings } from "../harness/stack-file";
import { syntheticStackConfig } from "./lib/synthetic";

const LOGINS = 10_000;
const WARMUP_LOGINS = 1_000;
const LOGIN_P99_TARGET_MS = 0.1;
const BUNDLE_BUILDS = 10;
const PLAN_RUNS = 3;
const SYNTHETIC_SIZES = [50, 100, 250, 500];
const STARTUP_RUNS = 3;
const USERS_DIR = path.join(REPO_ROOT, "test", "fixtures", "users");

// ---------------------------------------------------------------------------------------------------
// Timing and statistics

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return elapsedMs(start);
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface LinearFit {
  intercept: number;
  slope: number;
  r2: number;
}

/** Ordinary least squares y = intercept + slope·x, with the coefficient of determination. */
function fitLine(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const ssRes = ys.reduce((s, y, i) => s + (y - (intercept + slope * xs[i])) ** 2, 0);
  const ssTot = ys.reduce((s, y) => s + (y - meanY) ** 2, 0);
  return { intercept, slope, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}

// ---------------------------------------------------------------------------------------------------
// Output

type Cell = string | number;

function fixed(value: number, digits: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** An aligned table: text columns left-aligned, numeric columns right-aligned. */
function printTable(title: string, header: string[], rows: Cell[][]): void {
  const text = rows.map((row) => row.map(String));
  const numeric = header.map((_, i) => {
    const cells = text.map((row) => row[i] ?? "").filter((cell) => cell !== "");
    return cells.length > 0 && cells.every((cell) => /^[-+]?[\d,.]+$/.test(cell));
  });
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of text) console.log(line(row));
}

function note(message: string): void {
  console.log(`  ${message}`);
}

// ---------------------------------------------------------------------------------------------------
// 1. The Action per login

interface LoginCase {
  label: string;
  event: PostLoginEvent;
}

interface UserCase {
  label: string;
  user: Record<string, unknown>;
  /** RBAC roles (event.authorization.roles). */
  roles: string[];
}

/** Users from test/fixtures/users/*.json, plus inline profiles covering what the Action branches on. */
function benchUsers(): UserCase[] {
  const fixtures = listJson(USERS_DIR).map((file) => ({
    label: `fixture ${path.basename(file, ".json")}`,
    user: JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>,
    roles: ["editor"],
  }));
  const inline: UserCase[] = [
    { label: "no app_metadata", user: { user_id: "auth0|bench-bare", email: "bare@example.com" }, roles: [] },
    {
      label: "free plan, tenant, no roles",
      user: { user_id: "auth0|bench-free", app_metadata: { tenant_id: "t-1", plan: "free" }, user_metadata: { theme: "light" } },
      roles: [],
    },
    {
      label: "enterprise plan, RBAC + metadata roles",
      user: {
        user_id: "auth0|bench-ent",
        app_metadata: { tenant_id: 7, plan: "enterprise", roles: ["admin", "auditor"] },
        user_metadata: { theme: "dark" },
      },
      roles: ["admin", "viewer"],
    },
    {
      label: "malformed metadata",
      user: { user_id: "auth0|bench-odd", app_metadata: { tenant_id: "", plan: "platinum", roles: "admin" }, user_metadata: { theme: 42 } },
      roles: ["viewer"],
    },
  ];
  return [...fixtures, ...inline];
}

function listJson(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/** Every user on every interactive application of the stack, as ready-built events. */
function loginCases(settings: Settings, users: UserCase[]): LoginCase[] {
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

/** The cheapest `api` that still does the work a real one must: claims land in plain objects. */
class Recorder {
  readonly idToken: Record<string, unknown> = {};
  readonly accessToken: Record<string, unknown> = {};
  denied: string | null = null;
  readonly api: PostLoginApi = {
    access: { deny: (reason) => ((this.denied = reason), this.api) },
    idToken: { setCustomClaim: (name, value) => ((this.idToken[name] = value), this.api) },
    accessToken: {
      setCustomClaim: (name, value) => ((this.accessToken[name] = value), this.api),
      addScope: () => this.api,
      removeScope: () => this.api,
    },
    user: { setAppMetadata: () => this.api, setUserMetadata: () => this.api },
    cache: { get: () => undefined, set: () => ({ type: "success" }), delete: () => ({ type: "success" }) },
  };
}

interface LoginRun {
  /** Per-login times in ms, ascending. */
  times: number[];
  allowed: number;
  denied: number;
}

/** The handler alone: only `await handler(event, api)` is inside the timer. */
async function timeHandler(handler: PostLoginHandler, cases: LoginCase[], logins: number): Promise<LoginRun> {
  const times: number[] = [];
  let denied = 0;
  for (let i = 0; i < logins; i++) {
    const recorded = new Recorder();
    const { event } = cases[i % cases.length];
    const start = process.hrtime.bigint();
    await handler(event, recorded.api);
    times.push(elapsedMs(start));
    if (recorded.denied !== null) denied++;
  }
  return { times: times.sort((a, b) => a - b), allowed: logins - denied, denied };
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

async function benchLogins(settings: Settings, bundle: ActionBundle): Promise<void> {
  const handler = loadPostLoginHandler(bundle.code, `${settings.stack}/claim-mapping.js`, SILENT_CONSOLE);
  const users = benchUsers();
  const cases = loginCases(settings, users);
  await timeHandler(handler, cases, WARMUP_LOGINS);
  const pure = await timeHandler(handler, cases, LOGINS);
  await timeRuntime(handler, cases, WARMUP_LOGINS);
  const emulated = await timeRuntime(handler, cases, LOGINS);
  printTable(
    `1. claim-mapping Action per login (${LOGINS.toLocaleString("en-US")} logins after ${WARMUP_LOGINS.toLocaleString("en-US")} warm-up, stack ${settings.stack})`,
    ["Measure", "Value", "Unit", "Note"],
    [...loginRows("handler only", pure), ...loginRows("runPostLogin (emulator)", emulated)],
  );
  note(`${users.length} users x ${cases.length / users.length} interactive applications = ${cases.length} distinct events, cycled;`);
  note(`${pure.allowed.toLocaleString("en-US")} logins allowed, ${pure.denied.toLocaleString("en-US")} denied (deny paths are timed too).`);
  note(`users: ${users.map((u) => u.label).join("; ")}`);
}

// ---------------------------------------------------------------------------------------------------
// 2. The bundle

async function benchBundle(settings: Settings, first: { bundle: ActionBundle; ms: number }): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < BUNDLE_BUILDS; i++) {
    times.push(await timeMs(() => bundleClaimMapping(settings.claimMapping)));
  }
  printTable(
    "2. claim-mapping bundle (dev settings)",
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
}

// ---------------------------------------------------------------------------------------------------
// 3. Plan time

interface PlanFigure {
  label: string;
  apps: number;
  resources: number;
  ms: number;
}

/** Median of `runs` plans; the resource count is the same every run. */
async function timePlan(label: string, apps: number, plan: () => Promise<Plan>): Promise<PlanFigure> {
  const times: number[] = [];
  let resources = 0;
  for (let i = 0; i < PLAN_RUNS; i++) {
    const start = process.hrtime.bigint();
    resources = (await plan()).resources.length;
    times.push(elapsedMs(start));
  }
  return { label, apps, resources, ms: median(times) };
}

function planRows(figures: PlanFigure[], fit: LinearFit): Cell[][] {
  return figures.map((f, i) => {
    const previous = i > 0 && f.label.startsWith("synthetic") && figures[i - 1].label.startsWith("synthetic") ? figures[i - 1] : undefined;
    const step = previous ? fixed((f.ms - previous.ms) / (f.apps - previous.apps), 2) : "";
    const marginal = f.label.startsWith("synthetic") ? fixed((f.ms - fit.intercept) / f.apps, 2) : "";
    return [f.label, f.apps, fixed(f.resources, 0), fixed(f.ms, 0), fixed(f.ms / f.apps, 2), marginal, step];
  });
}

function interceptNote(intercept: number, devMs: number): string {
  const fixedCost = "fixed cost: provider, API, roles, Action bundle";
  return intercept < 0 || intercept > devMs
    ? `${fixedCost}; lost in run-to-run noise here (the whole dev plan takes ${fixed(devMs, 0)} ms)`
    : fixedCost;
}

/**
 * Where plan time goes (CPU profile of a 100-application plan): mostly @pulumi/pulumi's
 * runtime/debuggable.js, which captures `new Error().stack` for every promise it creates (four per output
 * property of every resource, in runtime/rpc.js, and auth0.Client has dozens), and under ts-node each stack is
 * formatted through source-map-support, which roughly triples the cost. `npm run plan` and
 * `pulumi preview` (whose runner registers ts-node with source maps) pay the same per-resource cost.
 */
async function benchPlans(settings: Settings): Promise<void> {
  const coldMs = await timeMs(() => planStack("dev"));
  const dev = await timePlan("dev", settings.applications.length, () => planStack("dev"));
  const synthetic: PlanFigure[] = [];
  for (const apps of SYNTHETIC_SIZES) {
    const config = syntheticStackConfig(apps);
    synthetic.push(await timePlan(config.stack, apps, () => planConfig(config)));
  }
  const fit = fitLine(
    synthetic.map((f) => f.apps),
    synthetic.map((f) => f.ms),
  );
  printTable(
    `3. plan time under the mock engine (median of ${PLAN_RUNS} runs each)`,
    ["Stack", "Apps", "Resources", "ms", "ms/app", "(ms-a)/app", "Δms/Δapps"],
    planRows([dev, ...synthetic], fit),
  );
  printTable(
    `   least-squares fit over ${SYNTHETIC_SIZES.join(", ")} applications: ms = a + b·apps`,
    ["Measure", "Value", "Unit", "Note"],
    [
      ["b, cost per application", fixed(fit.slope, 2), "ms/app", ""],
      ["a, intercept", fixed(fit.intercept, 0), "ms", interceptNote(fit.intercept, dev.ms)],
      ["R²", fixed(fit.r2, 4), "", "1 = perfectly linear"],
      ["first dev plan in process", fixed(coldMs, 0), "ms", "cold: loads @pulumi/auth0 resource modules (not in the fit)"],
    ],
  );
  note("ms/app includes the intercept; (ms-a)/app and Δms/Δapps (vs the previous size) should both stay near b if growth is linear.");
}

// ---------------------------------------------------------------------------------------------------
// 4. Start-up as the Pulumi runner starts the program

/** The modules infra/index.ts imports (through ./program), loaded without running the program. */
const PROGRAM_MODULES = ["./infra/settings", "./infra/tenant", "./infra/bundle", "./infra/program"];

interface StartupMode {
  label: string;
  /** PULUMI_NODEJS_TRANSPILE_ONLY for the child; undefined leaves it unset (the tsconfig decides). */
  transpileOnlyEnv: "true" | "false" | undefined;
  /** Compiler options layered over the tsconfig's, as a user would set them in tsconfig.pulumi.json. */
  overrides: Record<string, unknown>;
  runs: number;
  note: string;
}

/** What the child reports about the compiler the runner's logic picked. */
interface StartupReport {
  transpileOnly: boolean | undefined;
  typescriptRequire: string;
  tsnodeRequire: string;
  typescript: { version: string; path: string };
  tsnode: { version: string; path: string };
  compilerOptions: Record<string, unknown>;
}

/**
 * The child's program: the runner's TypeScript set-up (node_modules/@pulumi/pulumi/cmd/run/run.js, the
 * `if (typeScript)` block), with `require` bound to run.js's location so "typescript" and "ts-node"
 * resolve from where the runner resolves them; then the program's modules compiled and loaded.
 *
 * Why not the runner itself: `node node_modules/@pulumi/pulumi/cmd/run/index.js --dry-run ...` needs a
 * live engine and resource monitor (gRPC addresses from `pulumi preview`); without them it fails before
 * loading the program, and with them it would also run the program. So the child reproduces the runner's
 * steps in order: tsutils.loadTypeScriptCompilerOptions (reads tsconfig.pulumi.json's compilerOptions
 * without following `extends`), transpileOnly from PULUMI_NODEJS_TRANSPILE_ONLY or else `noCheck`,
 * tsutils.typeScriptRequireStrings() for the compiler, require(typescript) for its version, the CommonJS
 * branch (package.json has no "type": "module") with the runner's defaults under the tsconfig's options,
 * then ts-node's register. It requires infra/program and what it imports instead of infra/index.ts,
 * which would call program() and need the engine. @pulumi/auth0 loads its resource classes lazily, on
 * first use, so those few plain-JS modules are not in the figure.
 */
function startupScript(overrides: Record<string, unknown>): string {
  return `
process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
const path = require("path");
const runnerRequire = require("module").createRequire(require.resolve("@pulumi/pulumi/cmd/run/run.js"));
const semver = runnerRequire("semver");
const tsutils = runnerRequire("../../tsutils");
const tsConfigPath = path.join(process.cwd(), "tsconfig.pulumi.json");
const compilerOptions = { ...tsutils.loadTypeScriptCompilerOptions(tsConfigPath), ...${JSON.stringify(overrides)} };
const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck;
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const ts = runnerRequire(typescriptRequire);
const useNodeNext = semver.parse(ts.version).compare(new semver.SemVer("4.7.0")) >= 0;
const options = {
  compiler: typescriptRequire,
  transpileOnly,
  project: tsConfigPath,
  skipProject: false,
  compilerOptions: {
    target: "ES2020",
    module: useNodeNext ? "nodenext" : "commonjs",
    moduleResolution: useNodeNext ? "nodenext" : "node",
    sourceMap: "true",
    ...compilerOptions,
  },
};
const tsn = runnerRequire(tsnodeRequire);
tsn.register(options);
for (const name of ${JSON.stringify(PROGRAM_MODULES)}) require(require.resolve(name));
process.stdout.write(JSON.stringify({
  transpileOnly, typescriptRequire, tsnodeRequire,
  typescript: { version: ts.version, path: runnerRequire.resolve(typescriptRequire) },
  tsnode: { version: tsn.VERSION, path: runnerRequire.resolve(tsnodeRequire) },
  compilerOptions: options.compilerOptions,
}));
`;
}

/** The parent's environment, minus anything that would change how the child compiles. */
function childEnv(transpileOnlyEnv: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("TS_NODE_") && key !== "PULUMI_NODEJS_TRANSPILE_ONLY") env[key] = value;
  }
  if (transpileOnlyEnv !== undefined) env.PULUMI_NODEJS_TRANSPILE_ONLY = transpileOnlyEnv;
  return env;
}

/** Wall time of one `node -e <script>` from spawn to exit, and what it printed. */
function spawnNode(script: string, env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, env, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  const ms = elapsedMs(start);
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`start-up child exited with ${child.status ?? child.signal}:\n${child.stderr}`);
  return { ms, stdout: child.stdout };
}

function timeStartup(mode: StartupMode): { ms: number; report: StartupReport } {
  const script = startupScript(mode.overrides);
  const env = childEnv(mode.transpileOnlyEnv);
  const runs = Array.from({ length: mode.runs }, () => spawnNode(script, env));
  return { ms: median(runs.map((r) => r.ms)), report: JSON.parse(runs[0].stdout) as StartupReport };
}

const STARTUP_MODES: StartupMode[] = [
  {
    label: "as configured (noCheck: transpile only)",
    transpileOnlyEnv: undefined,
    overrides: {},
    runs: STARTUP_RUNS,
    note: "what `pulumi preview` pays today",
  },
  {
    label: "with type-checking",
    transpileOnlyEnv: "false",
    overrides: { noCheck: false },
    runs: STARTUP_RUNS,
    note: "PULUMI_NODEJS_TRANSPILE_ONLY=false and noCheck: false",
  },
  {
    label: "PULUMI_NODEJS_TRANSPILE_ONLY=false alone",
    transpileOnlyEnv: "false",
    overrides: {},
    // A side observation, run once to keep the benchmark's total time down.
    runs: 1,
    note: "1 run; noCheck still true: ts-node builds a program but TypeScript reports no type errors",
  },
];

function benchStartup(): void {
  const baseline = median(Array.from({ length: STARTUP_RUNS }, () => spawnNode("", childEnv(undefined)).ms));
  const results = STARTUP_MODES.map((mode) => ({ mode, ...timeStartup(mode) }));
  printTable(
    `4. program start-up as Pulumi's runner does it (child process, spawn to exit, median of ${STARTUP_RUNS})`,
    ["Mode", "Value", "Unit", "transpileOnly", "Note"],
    [
      ...results.map(({ mode, ms, report }) => [mode.label, fixed(ms, 0), "ms", String(report.transpileOnly), mode.note]),
      ['baseline: node -e ""', fixed(baseline, 0), "ms", "", "Node's own start-up, included in every row"],
    ],
  );
  const { report } = results[0];
  note(
    `typeScriptRequireStrings(): typescript "${report.typescriptRequire}" -> ${report.typescript.version} at ${path.relative(REPO_ROOT, report.typescript.path)}`,
  );
  note(
    `                            ts-node    "${report.tsnodeRequire}" -> ${report.tsnode.version} at ${path.relative(REPO_ROOT, report.tsnode.path)}`,
  );
  note(`ts-node compilerOptions (runner defaults, then tsconfig.pulumi.json's own): ${JSON.stringify(report.compilerOptions)}`);
  note(`modules loaded: ${PROGRAM_MODULES.join(", ")} (and everything they import)`);
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const began = process.hrtime.bigint();
  console.log(`Benchmark: node ${process.version}, ${process.platform}/${process.arch}`);
  const settings = readStackSettings("dev");
  const firstStart = process.hrtime.bigint();
  const bundle = await bundleClaimMapping(settings.claimMapping);
  const first = { bundle, ms: elapsedMs(firstStart) };

  // Logins are timed without the system-of-record lookup: a login that needs it waits on the network
  // (bounded by tenant:enrichment.timeoutMs, then answered from api.cache); here we time the Action's own work.
  const offline = { ...settings.claimMapping, enrichment: undefined };
  await benchLogins(settings, await bundleClaimMapping(offline));
  await benchBundle(settings, first);
  await benchPlans(settings);
  benchStartup();
  console.log(`\nTotal benchmark time: ${fixed(elapsedMs(began) / 1000, 1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
