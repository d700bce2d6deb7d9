// npm run bench [-- --only <sections>] [-- --skip <sections>]
//
// A benchmark, not a test: it prints figures and asserts nothing. Each of issue 13's targets is printed as
// its figure, its floor measured in the same run, and the ratio, so that load on a shared machine falls on
// both sides; a summary of every target ends the run. Sections, in order:
//   action   the claim-mapping Action per login and its bundle (tools/bench/action.ts)
//   plan     target 1: plan time under the mock engine vs the dev stack and a bare program (plan.ts)
//   preview  target 2: a 100-application preview through Pulumi's runner vs the start before issue 13 (preview.ts)
//   startup  target 3: the program's start-up vs a one-resource program, same runner (startup.ts)
//   tests    target 5: `npm test` wall time (median of three runs) vs its 40 s budget (tests.ts)
// Figures are wall-clock; the whole run takes a few minutes.
import { cpus, loadavg } from "node:os";
import { elapsedMs, fixed, printTargets, targets } from "./report";
import { defineCommand, runCli, UserError } from "../lib/cli";

const SECTIONS = ["action", "plan", "preview", "startup", "tests"] as const;
type Section = (typeof SECTIONS)[number];

/** A section list is refused as a user error when it names no known section. */
function sectionsFrom(values: { only?: string; skip?: string }): Section[] {
  const list = (flag: string, value: string | undefined): Section[] | undefined => {
    if (value === undefined) return undefined;
    const names = value.split(",").filter(Boolean);
    const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
    if (unknown.length > 0 || names.length === 0) {
      throw new UserError(`--${flag}: unknown section ${unknown.join(", ") || "(none)"}; sections: ${SECTIONS.join(", ")}`);
    }
    return names as Section[];
  };
  const only = list("only", values.only);
  const skip = list("skip", values.skip) ?? [];
  return SECTIONS.filter((s) => (only ?? SECTIONS).includes(s) && !skip.includes(s));
}

async function benchAction(): Promise<void> {
  const [{ bundleClaimMapping }, { readStackSettings }, { benchActionTarget, benchBundle, benchLogins }] = await Promise.all([
    import("../../infra/bundle"),
    import("../../harness/stack-file"),
    import("./action"),
  ]);
  const settings = readStackSettings("dev");
  // esbuild's timings, not the bundle cache's (infra/bundle-cache.ts): every timed build runs esbuild.
  const firstStart = process.hrtime.bigint();
  const bundle = await bundleClaimMapping(settings.claimMapping, { cache: false });
  const first = { bundle, ms: elapsedMs(firstStart) };
  // Logins are timed without the system-of-record lookup: a login that needs it waits on the network
  // (bounded by tenant:enrichment.timeoutMs, then answered from api.cache); here we time the Action's own work.
  const offline = await bundleClaimMapping({ ...settings.claimMapping, enrichment: undefined });
  await benchLogins(settings, offline);
  await benchBundle(settings, first);
  await benchActionTarget(
    settings,
    offline,
    settings.claimMapping.enrichment
      ? bundle
      : await bundleClaimMapping({
          ...settings.claimMapping,
          enrichment: { url: "https://sor.example.com/users/", timeoutMs: 1500, onFailure: "proceed", cacheTtlMs: 3_600_000 },
        }),
  );
}

// Each section's modules load when it runs: --help and a mistyped flag answer without the SDK and the harness.
const RUN: Record<Section, () => unknown> = {
  action: benchAction,
  plan: async () => (await import("./plan")).benchPlans(),
  preview: async () => (await import("./preview")).benchPreview(),
  startup: async () => (await import("./startup")).benchStartup(),
  tests: async () => (await import("./tests")).benchTests(),
};

export const command = defineCommand(
  {
    name: "bench",
    summary: `Prints issue 13's performance targets: each figure, its floor measured in the same run, and the ratio. Asserts nothing; figures vary with the machine's load. Sections: ${SECTIONS.join(", ")} (default: all).`,
    flags: {
      only: { type: "string", value: "<sections>", description: "Run only these sections (comma-separated)." },
      skip: { type: "string", value: "<sections>", description: "Run every section but these (comma-separated)." },
    },
    examples: ["npm run bench", "npm run bench -- --only plan,startup"],
  },
  async ({ flags }) => {
    const sections = sectionsFrom(flags);
    const began = process.hrtime.bigint();
    console.log(
      `Benchmark: node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores, load average ${loadavg()
        .map((l) => fixed(l, 1))
        .join(" ")} (a shared machine moves absolute figures; the ratios compare runs made side by side)`,
    );
    for (const section of sections) await RUN[section]();
    if (targets.length > 0) printTargets("Summary: issue 13's targets", targets);
    console.log(`\nTotal benchmark time: ${fixed(elapsedMs(began) / 1000, 1)} s`);
    return 0;
  },
);

if (require.main === module) void runCli(command);
