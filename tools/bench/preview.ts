// Issue 13, target 2: a real preview of a 100-application stack, the program started as the engine starts it
// (harness/start-like-pulumi.js: the engine's working-directory rules, @pulumi/pulumi's own runner,
// Pulumi.yaml's runtime options, `nodeargs` on node's command line) against the same start as it was
// before issue 13: no `nodeargs`, the earlier tsconfig.pulumi.json, full stack traces (PULUMI_TENANT_TRACES=1).
// Runs alternate between the two so that load on a shared machine falls on both. Limit: 0.6x.
import { REPO_ROOT } from "../../infra/bundle";
import { type Launched, projectNodeArgs } from "../../harness/launch";
import { syntheticStackConfig } from "../lib/synthetic";
import { launchChecked, noteCpu, tsconfigBeforeIssue13 } from "./programs";
import { fixed, median, note, printTable, printTargets, ratio, recordTarget } from "./report";

const APPS = 100;
const RUNS = 3;
const LIMIT = 0.6;

export function benchPreview(): void {
  const stack = syntheticStackConfig(APPS);
  const nodeArgs = projectNodeArgs(REPO_ROOT);
  const before = tsconfigBeforeIssue13();
  const now: Launched[] = [];
  const then: Launched[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      now.push(launchChecked("as configured", { dir: REPO_ROOT, stack }));
      then.push(
        launchChecked("before issue 13", {
          dir: REPO_ROOT,
          stack,
          nodeArgs: [],
          tsconfig: before.file,
          env: { PULUMI_TENANT_TRACES: "1" },
        }),
      );
    }
  } finally {
    before.cleanup();
  }
  const nowMs = median(now.map((r) => r.ms));
  const thenMs = median(then.map((r) => r.ms));
  const resources = now[0].run?.resources.length ?? 0;
  printTable(
    `Preview of a ${APPS}-application stack through Pulumi's runner (spawn to exit, median of ${RUNS}, alternating)`,
    ["Start", "ms", "Program ms", "Note"],
    [
      ["as configured", fixed(nowMs, 0), fixed(median(now.map((r) => r.run?.ms ?? 0)), 0), `nodeargs: ${nodeArgs.join(" ") || "(none)"}`],
      [
        "before issue 13",
        fixed(thenMs, 0),
        fixed(median(then.map((r) => r.run?.ms ?? 0)), 0),
        "no nodeargs, TypeScript transpiler, PULUMI_TENANT_TRACES=1",
      ],
    ],
  );
  noteCpu(now, then);
  note(`${resources} resources registered per run; "Program ms" is from the runner loading the program to the harness's report.`);
  printTargets("Target 2: real previews", [
    recordTarget({
      target: `2. preview, ${APPS} apps`,
      figure: `${fixed(nowMs, 0)} ms`,
      floor: `${fixed(thenMs, 0)} ms (before issue 13)`,
      ratio: ratio(nowMs, thenMs),
      limit: LIMIT,
    }),
  ]);
}
