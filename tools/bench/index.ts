// npm run bench [-- --only <sections>] [-- --skip <sections>]
//
// A benchmark, not a test: it prints figures and asserts nothing. Each of issue 13's targets is printed as
// its figure, its floor measured in the same run, and the ratio, so that load on a shared machine falls on
// both sides; a summary of every target ends the run. Sections, in order:
//   action   the claim-mapping Action per login and its bundle (tools/bench/action.ts)
//   plan     target 1: plan time under the mock engine vs the dev stack and a bare program (plan.ts)
//   preview  target 2: a 100-application preview through Pulumi's runner vs the start before issue 13 (preview.ts)
//   startup  target 3: the program's start-up vs a one-resource program, same runner (startup.ts)
//   tests    target 5: `npm test` wall time vs its 40 s budget (tests.ts)
// Figures are wall-clock; the whole run takes a few minutes.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { bundleClaimMapping } from "../../infra/bundle";
import { readStackSettings } from "../../harness/stack-file";
import { benchBundle, benchLogins } from "./action";
import { benchPlans } from "./plan";
import { benchPreview } from "./preview";
import { elapsedMs, fixed, printTargets, targets } from "./report";
import { benchStartup } from "./startup";
import { benchTests } from "./tests";

const SECTIONS = ["action", "plan", "preview", "startup", "tests"] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `usage: npm run bench [-- --only <sections>] [-- --skip <sections>]

Prints issue 13's performance targets: each figure, its floor measured in the same run, and the ratio.
Sections (comma-separated): ${SECTIONS.join(", ")}. Default: all.

  --only <sections>  run only these sections
  --skip <sections>  run every section but these
  --help             print this help

Example: npm run bench -- --only plan,startup
Exit codes: 0 printed, 1 a benchmark failed, 2 usage error.`;

class UsageError extends Error {}

function sectionsFrom(argv: string[]): Section[] {
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: "string" }, skip: { type: "string" }, help: { type: "boolean" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const list = (flag: string, value: string | undefined): Section[] | undefined => {
    if (value === undefined) return undefined;
    const names = value.split(",").filter(Boolean);
    const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
    if (unknown.length > 0 || names.length === 0) {
      throw new UsageError(`--${flag}: unknown section ${unknown.join(", ") || "(none)"}; sections: ${SECTIONS.join(", ")}`);
    }
    return names as Section[];
  };
  const only = list("only", values.only);
  const skip = list("skip", values.skip) ?? [];
  return SECTIONS.filter((s) => (only ?? SECTIONS).includes(s) && !skip.includes(s));
}

async function benchAction(): Promise<void> {
  const settings = readStackSettings("dev");
  const firstStart = process.hrtime.bigint();
  const bundle = await bundleClaimMapping(settings.claimMapping);
  const first = { bundle, ms: elapsedMs(firstStart) };
  // Logins are timed without the system-of-record lookup: a login that needs it waits on the network
  // (bounded by tenant:enrichment.timeoutMs, then answered from api.cache); here we time the Action's own work.
  const offline = { ...settings.claimMapping, enrichment: undefined };
  await benchLogins(settings, await bundleClaimMapping(offline));
  await benchBundle(settings, first);
}

const RUN: Record<Section, () => unknown> = {
  action: benchAction,
  plan: benchPlans,
  preview: benchPreview,
  startup: benchStartup,
  tests: benchTests,
};

async function main(): Promise<void> {
  let sections: Section[];
  try {
    sections = sectionsFrom(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const began = process.hrtime.bigint();
  console.log(
    `Benchmark: node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores, load average ${loadavg()
      .map((l) => fixed(l, 1))
      .join(" ")} (a shared machine moves absolute figures; the ratios compare runs made side by side)`,
  );
  for (const section of sections) await RUN[section]();
  if (targets.length > 0) printTargets("Summary: issue 13's targets", targets);
  console.log(`\nTotal benchmark time: ${fixed(elapsedMs(began) / 1000, 1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
