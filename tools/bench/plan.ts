// Issue 13, target 1: plan time under Pulumi's mock engine (tools/lib/plan.ts). The dev stack, then
// synthetic stacks of 50, 100, 250 and 500 applications (tools/lib/synthetic.ts), median of 3 runs each,
// in this process, with a least-squares line ms = a + b·apps. Two ratios:
//   - a plan of the 500-application stack against a plan of the dev stack, each in its own process from
//     spawn to exit as `npm run plan` runs it (tools/bench/plan-child.ts), alternating (limit 4x);
//   - the plan's cost per resource against a floor: a bare program that registers the very resources the
//     plan reported (same types, names, parents, providers and inputs, through @pulumi/auth0's own classes)
//     under the same mocks with stack traces capped (limit 1.3x). Per resource = (ms(500) - ms(dev)) /
//     (resources(500) - resources(dev)), so fixed costs (the Action bundle, module loading) cancel out.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../infra/settings";
import { type Plan, planConfig, planStack } from "../../harness/plan";
import { readStackConfig, type StackConfig } from "../../harness/stack-file";
import { syntheticStackConfig } from "../lib/synthetic";
import {
  type Cell,
  elapsedMs,
  fitLine,
  fixed,
  type LinearFit,
  median,
  note,
  printTable,
  printTargets,
  ratio,
  recordTarget,
  timeMs,
} from "./report";

/** Every timed plan runs the program: the plan engine would otherwise hand back a plan it made before. */
const FRESH = { fresh: true };

const PLAN_RUNS = 3;
const SYNTHETIC_SIZES = [50, 100, 250, 500];
const LARGE = 500;
const LARGE_OVER_DEV_LIMIT = 4;
const PER_RESOURCE_LIMIT = 1.3;
const PROCESS_RUNS = 3;

/** One plan in a child process, spawn to exit (ts-node with tsconfig.tools.json, as `npm run plan`). */
function planProcess(config: StackConfig): number {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "plan-child.ts")], {
    cwd: path.resolve(__dirname, "..", ".."),
    env: {
      ...process.env,
      BENCH_STACK_CONFIG: JSON.stringify(config),
      TS_NODE_PROJECT: path.resolve(__dirname, "..", "..", "tsconfig.tools.json"),
    },
    encoding: "utf8",
  });
  const ms = elapsedMs(start);
  if (child.status !== 0) throw new Error(`plan of ${config.stack} exited with ${child.status}:\n${child.stderr}`);
  return ms;
}

interface PlanFigure {
  label: string;
  apps: number;
  resources: number;
  ms: number;
}

async function medianOf(runs: number, work: () => Promise<number>): Promise<{ ms: number; resources: number }> {
  const times: number[] = [];
  let resources = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    resources = await work();
    times.push(elapsedMs(start));
  }
  return { ms: median(times), resources };
}

/** A component that registers empty outputs, as each of the program's components registers its own. */
class BareComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

async function timePlan(label: string, apps: number, plan: () => Promise<Plan>): Promise<PlanFigure> {
  const { ms, resources } = await medianOf(PLAN_RUNS, async () => (await plan()).resources.length);
  return { label, apps, resources, ms };
}

/**
 * The floor: registers `plan`'s resources with nothing of the project's code in between (no settings, no
 * components' logic, no plan bookkeeping), under the plan engine's mocks, with Error.stackTraceLimit = 0.
 * Auth0 resources are built with @pulumi/auth0's classes (which declare every output property, as the
 * program's do); components are plain ComponentResources that register empty outputs.
 */
export async function bareRegistration(stackConfig: StackConfig, plan: Plan): Promise<number> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: undefined, state: args.inputs }),
        call: (args) => {
          throw new Error(`unexpected call ${args.token}`);
        },
      },
      PROJECT,
      stackConfig.stack,
      true,
    );
    const byUrn = new Map<string, pulumi.Resource>();
    let provider: pulumi.ProviderResource | undefined;
    const pending = [...plan.resources];
    while (pending.length > 0) {
      const ready = pending.findIndex((r) => r.parent === null || byUrn.has(r.parent));
      if (ready < 0) throw new Error("bare registration: a parent is missing from the plan");
      const [r] = pending.splice(ready, 1);
      const opts: pulumi.CustomResourceOptions = { parent: r.parent ? byUrn.get(r.parent) : undefined, protect: r.options.protect };
      let resource: pulumi.Resource;
      if (r.type === "pulumi:providers:auth0") {
        resource = provider = new auth0.Provider(r.name, r.inputs, opts);
      } else if (r.type.startsWith("auth0:")) {
        const className = r.type.split(":")[2];
        const Class = (auth0 as unknown as Record<string, new (n: string, i: unknown, o: pulumi.CustomResourceOptions) => pulumi.Resource>)[
          className
        ];
        resource = new Class(r.name, r.inputs, { ...opts, provider });
      } else {
        resource = new BareComponent(r.type, r.name, opts);
      }
      byUrn.set(r.urn, resource);
    }
    await pulumi.runtime.disconnect();
    return plan.resources.length;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function planRows(figures: PlanFigure[], fit: LinearFit): Cell[][] {
  return figures.map((f, i) => {
    const previous = i > 0 && f.label.startsWith("synthetic") && figures[i - 1].label.startsWith("synthetic") ? figures[i - 1] : undefined;
    const step = previous ? fixed((f.ms - previous.ms) / (f.apps - previous.apps), 2) : "";
    const marginal = f.label.startsWith("synthetic") ? fixed((f.ms - fit.intercept) / f.apps, 2) : "";
    return [f.label, f.apps, fixed(f.resources, 0), fixed(f.ms, 0), fixed(f.ms / f.apps, 2), marginal, step];
  });
}

/**
 * Where plan time went before the cap (CPU profile of a 100-application plan): @pulumi/pulumi's
 * runtime/debuggable.js reads `new Error().stack` for every promise it creates (about 90 per resource), and
 * under ts-node source-map-support formats each of those stacks. harness/plan.ts caps the traces while
 * it plans (infra/traces.ts), so this section measures what is left.
 */
export async function benchPlans(): Promise<void> {
  const coldMs = await timeMs(() => planStack("dev"));
  const devConfig = readStackConfig("dev");
  const dev = await timePlan("dev", 0, () => planConfig(devConfig, FRESH));
  dev.apps = JSON.parse(devConfig.config[`${PROJECT}:applications`]).length;
  const synthetic: PlanFigure[] = [];
  const largeConfig = syntheticStackConfig(LARGE);
  let largePlan: Plan | undefined;
  for (const apps of SYNTHETIC_SIZES) {
    const config = apps === LARGE ? largeConfig : syntheticStackConfig(apps);
    synthetic.push(
      await timePlan(config.stack, apps, async () => {
        const plan = await planConfig(config, FRESH);
        if (apps === LARGE) largePlan = plan;
        return plan;
      }),
    );
  }
  const large = synthetic.find((f) => f.apps === LARGE)!;
  // Not timed: the plan the dev runs above already made (the engine hands back a copy).
  const devPlan = await planConfig(devConfig);
  // 1b compares plan and bare registration run in alternation (dev, then 500 applications, each both ways),
  // so that the machine's load at any moment falls on both sides.
  const paired = { dev: [] as number[], large: [] as number[], bareDev: [] as number[], bareLarge: [] as number[] };
  for (let i = 0; i < PLAN_RUNS; i++) {
    paired.dev.push(await timeMs(() => planConfig(devConfig, FRESH)));
    paired.bareDev.push(await timeMs(() => bareRegistration(devConfig, devPlan)));
    paired.large.push(await timeMs(() => planConfig(largeConfig, FRESH)));
    paired.bareLarge.push(await timeMs(() => bareRegistration(largeConfig, largePlan!)));
  }
  const bareDev = { ms: median(paired.bareDev), resources: devPlan.resources.length };
  const bareLarge = { ms: median(paired.bareLarge), resources: largePlan!.resources.length };

  const fit = fitLine(
    synthetic.map((f) => f.apps),
    synthetic.map((f) => f.ms),
  );
  printTable(
    `Plan time under the mock engine (median of ${PLAN_RUNS} runs each)`,
    ["Stack", "Apps", "Resources", "ms", "ms/app", "(ms-a)/app", "Δms/Δapps"],
    planRows([dev, ...synthetic], fit),
  );
  printTable(
    `   least-squares fit over ${SYNTHETIC_SIZES.join(", ")} applications: ms = a + b·apps`,
    ["Measure", "Value", "Unit", "Note"],
    [
      ["b, cost per application", fixed(fit.slope, 2), "ms/app", ""],
      ["a, intercept", fixed(fit.intercept, 0), "ms", "fixed cost: provider, API, roles, Action bundle"],
      ["R²", fixed(fit.r2, 4), "", "1 = perfectly linear"],
      ["first dev plan in process", fixed(coldMs, 0), "ms", "cold: loads @pulumi/auth0 resource modules (not in the fit)"],
      ["bare registration, dev's resources", fixed(bareDev.ms, 0), "ms", `${bareDev.resources} resources, traces capped`],
      [`bare registration, ${LARGE} apps' resources`, fixed(bareLarge.ms, 0), "ms", `${bareLarge.resources} resources, traces capped`],
    ],
  );
  const devProcess: number[] = [];
  const largeProcess: number[] = [];
  for (let i = 0; i < PROCESS_RUNS; i++) {
    devProcess.push(planProcess(devConfig));
    largeProcess.push(planProcess(largeConfig));
  }
  const devProcessMs = median(devProcess);
  const largeProcessMs = median(largeProcess);
  const perResource = (median(paired.large) - median(paired.dev)) / (large.resources - dev.resources);
  const barePerResource = (bareLarge.ms - bareDev.ms) / (bareLarge.resources - bareDev.resources);
  printTargets("Target 1: plan", [
    recordTarget({
      target: `1a. plan, ${LARGE} apps vs dev`,
      figure: `${fixed(largeProcessMs, 0)} ms`,
      floor: `${fixed(devProcessMs, 0)} ms (dev, ${dev.apps} apps)`,
      ratio: ratio(largeProcessMs, devProcessMs),
      limit: LARGE_OVER_DEV_LIMIT,
    }),
    recordTarget({
      target: "1b. plan, cost per resource",
      figure: `${fixed(perResource, 3)} ms`,
      floor: `${fixed(barePerResource, 3)} ms (bare registration)`,
      ratio: ratio(perResource, barePerResource),
      limit: PER_RESOURCE_LIMIT,
    }),
  ]);
  note(
    "per resource = (ms at 500 apps - ms at dev) / (resources at 500 apps - resources at dev), for the plan and the bare program alike.",
  );
}
