// Programs the start-up and preview benchmarks launch through harness/start-like-pulumi.js: the
// project itself, a one-resource program beside it (the start-up floor) and the project's start-up
// settings as they were before issue 13 (the preview floor); and the two helpers both benchmarks launch and
// report them with.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../infra/bundle";
import { type Launch, type Launched, launch, projectBeside } from "../../harness/launch";
import { fixed, median, note } from "./report";

/**
 * A project with one Auth0 resource, started by the same runner with the same Pulumi.yaml runtime options
 * (so the same `nodeargs`) and the same tsconfig files, in a temporary folder that links the repository's
 * node_modules. `cleanup` removes the folder.
 */
export function oneResourceProject(): { dir: string; cleanup: () => void } {
  return projectBeside("bench-one-resource", {
    "index.ts": [
      'import * as auth0 from "@pulumi/auth0";',
      "",
      'const app = new auth0.Client("app", { name: "One application", appType: "spa" });',
      "export const clientId = app.clientId;",
      "",
    ].join("\n"),
  });
}

/**
 * tsconfig.pulumi.json as it was before issue 13 (TypeScript's own transpiler, source maps), written to a
 * temporary file: the "today" side of the preview ratio. Returns its absolute path and a cleanup.
 */
export function tsconfigBeforeIssue13(): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-tsconfig-"));
  const file = path.join(dir, "tsconfig.pulumi.json");
  writeFileSync(
    file,
    JSON.stringify({
      extends: path.join(REPO_ROOT, "tsconfig.json"),
      compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node", noCheck: true },
    }),
  );
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Launches through the start-up harness; a run that does not exit 0 ends the benchmark with its stderr. */
export function launchChecked(label: string, options: Launch): Launched {
  const run = launch(options);
  if (run.status !== 0) throw new Error(`${label}: the harness exited with ${run.status}:\n${run.stderr}`);
  return run;
}

/** Prints the median CPU time of two sets of launches and their ratio, beside the wall-time figure. */
export function noteCpu(figure: Launched[], floor: Launched[]): void {
  const cpu = (runs: Launched[]) => median(runs.map((r) => r.cpuMs));
  note(
    `CPU time (user + system, the child and what it waited for): ${fixed(cpu(figure), 0)} vs ${fixed(cpu(floor), 0)} ms = ${fixed(cpu(figure) / cpu(floor), 2)}x, a cross-check that moves less with the machine's load.`,
  );
}
