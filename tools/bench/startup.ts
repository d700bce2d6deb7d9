// Issue 13, target 3: the program's start-up as `pulumi preview` starts it (harness/start-like-pulumi.js,
// the dev stack, spawn to exit) against a one-resource program started by the same runner with the same
// Pulumi.yaml runtime options and tsconfig files, in the same run (tools/bench/programs.ts). Runs alternate.
// Limit: 1.3x. Node's own start-up (`node -e ""`) is printed for scale. The figure is a preview as it
// usually starts, with the Action's bundle from the cache of earlier bundles (infra/bundle-cache.ts); the
// row below it starts with the cache off, as the first preview after the Action's source changed does.
import { spawnSync } from "node:child_process";
import { BUNDLE_CACHE_VARIABLE, REPO_ROOT } from "../../infra/bundle";
import { type Launched, projectNodeArgs } from "../../harness/launch";
import { readStackConfig } from "../../harness/stack-file";
import { launchChecked, noteCpu, oneResourceProject } from "./programs";
import { elapsedMs, fixed, median, printTable, printTargets, ratio, recordTarget } from "./report";

// Eleven pairs: the machine this is budgeted on moves 10–20 % from minute to minute, and five pairs left the
// ratio 0.1 apart between runs (docs/performance.md).
const RUNS = 11;
const LIMIT = 1.3;

export function benchStartup(): void {
  const stack = readStackConfig("dev");
  const floorProject = oneResourceProject();
  const program: Launched[] = [];
  const cold: Launched[] = [];
  const floor: Launched[] = [];
  const bare: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      program.push(launchChecked("the program", { dir: REPO_ROOT, stack }));
      // The first preview after the Action's source changed (or on a fresh checkout): esbuild makes the bundle.
      cold.push(launchChecked("the program, bundle cache off", { dir: REPO_ROOT, stack, env: { [BUNDLE_CACHE_VARIABLE]: "0" } }));
      floor.push(launchChecked("one resource", { dir: floorProject.dir, stack }));
      const start = process.hrtime.bigint();
      spawnSync(process.execPath, ["-e", ""]);
      bare.push(elapsedMs(start));
    }
  } finally {
    floorProject.cleanup();
  }
  const programMs = median(program.map((r) => r.ms));
  const floorMs = median(floor.map((r) => r.ms));
  const coldMs = median(cold.map((r) => r.ms));
  printTable(
    `Start-up through Pulumi's runner (spawn to exit, median of ${RUNS}, alternating)`,
    ["Program", "ms", "Resources", "Note"],
    [
      [
        "the program, dev stack",
        fixed(programMs, 0),
        program[0].run?.resources.length ?? 0,
        `nodeargs: ${projectNodeArgs(REPO_ROOT).join(" ") || "(none)"}`,
      ],
      [
        "  with esbuild bundling",
        fixed(coldMs, 0),
        cold[0].run?.resources.length ?? 0,
        `${BUNDLE_CACHE_VARIABLE}=0: a first preview, ${fixed(ratio(coldMs, floorMs), 2)}x the floor`,
      ],
      ["one auth0.Client", fixed(floorMs, 0), floor[0].run?.resources.length ?? 0, "same runner, runtime options and tsconfig"],
      ['node -e ""', fixed(median(bare), 0), "", "Node's own start-up, in every row"],
    ],
  );
  noteCpu(program, floor);
  printTargets("Target 3: start-up", [
    recordTarget({
      target: "3. start-up, dev stack",
      figure: `${fixed(programMs, 0)} ms`,
      floor: `${fixed(floorMs, 0)} ms (one resource)`,
      ratio: ratio(programMs, floorMs),
      limit: LIMIT,
    }),
  ]);
}
