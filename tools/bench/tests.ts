// Issue 13, target 5: `npm test` (type-check, lint and every test) wall time from an installed checkout. The
// floor is the issue's budget, 40 s on a 2-core machine; there is no same-run floor for a test suite, so
// this figure moves with the machine's load (say so when quoting it). The figure is the median of three
// runs, each printed with its CPU time: one run moves by 10–20 % with the machine (docs/performance.md), and the
// suite keeps both cores busy, so its CPU time says whether a slow run was the machine or the suite.
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { childrenCpuMs } from "../../harness/launch";
import { REPO_ROOT } from "../../infra/bundle";
import { elapsedMs, fixed, median, note, printTargets, ratio, recordTarget } from "./report";

const BUDGET_MS = 40_000;
const RUNS = 3;

export function benchTests(): void {
  const runs: number[] = [];
  const cpu: number[] = [];
  const typechecks: string[] = [];
  let failed = false;
  for (let i = 0; i < RUNS && !failed; i++) {
    const cpuBefore = childrenCpuMs();
    const start = process.hrtime.bigint();
    // npm puts node_modules/.bin first on PATH for this script, so `npm` runs the suite on the project's Node.
    const run = spawnSync("npm", ["test", "--silent"], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    runs.push(elapsedMs(start));
    cpu.push(childrenCpuMs() - cpuBefore);
    if (run.error) throw run.error;
    typechecks.push(typecheckOf(run.stdout));
    // A failing suite still has a wall time; the figure says it failed, and the failures go to stderr.
    failed = run.status !== 0;
    if (failed) process.stderr.write(`npm test failed (exit ${run.status}):\n${run.stdout.slice(-20_000)}\n${run.stderr.slice(-20_000)}\n`);
  }
  const ms = median(runs);
  printTargets("Target 5: tests", [
    recordTarget({
      target: "5. npm test, wall",
      figure: `${fixed(ms / 1000, 1)} s${failed ? " (FAILED)" : ""}`,
      floor: `${fixed(BUDGET_MS / 1000, 0)} s (budget)`,
      ratio: ratio(ms, BUDGET_MS),
      limit: 1,
    }),
  ]);
  note(
    `${cpus().length} cores; type-check, lint and jest. Median of ${runs.length} run(s): ${runs.map((r) => `${fixed(r / 1000, 1)} s`).join(", ")}.`,
  );
  // tools/typecheck.js starts tsc only when an input changed since its last passing check: say which runs did.
  note(`Type-check in each run: ${typechecks.join("; ")}.`);
  note(`CPU time (user + system of npm test and every process it started): ${cpu.map((c) => `${fixed(c / 1000, 1)} s`).join(", ")}.`);
}

/** What the type-check did in one `npm test` run, from the line tools/test.js prints for it. */
export function typecheckOf(stdout: string): string {
  const line = /^npm run typecheck: (.*)$/m.exec(stdout)?.[1];
  if (line === undefined) return "not reported";
  return /no input changed/.test(line) ? "tsc not started, no input changed" : line.replace(/;.*$/, "");
}
