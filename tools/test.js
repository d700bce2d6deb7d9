// `npm test`: the type-check, the lint and jest, at the same time. jest's output streams as it runs; the
// type-check's and the lint's are printed when they end, each under its own heading, so nothing
// interleaves. Exits 0 only when all three pass. Arguments go to jest (`npm test -- harness/`).
//
// Run together rather than one after the other because the machine the suite is budgeted on has two cores
// (docs/performance.md): tsc works on one while jest starts its workers and loads its first files. The
// commands themselves are package.json's `typecheck` and `lint` scripts, run as npm runs them (a shell, with
// node_modules/.bin on PATH, which `npm test` has already set). Plain JavaScript, unlike the other tools: it
// starts before anything is compiled, and ts-node would add most of a second.
const { spawn } = require("node:child_process");
const { readFileSync } = require("node:fs");
const path = require("node:path");

// The compile caches for all three (the file says which and why).
require("./compile-cache");

const ROOT = path.resolve(__dirname, "..");
const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

// V8's optimising tiers for jest and its workers (they inherit node's arguments), up to Maglev: no TurboFan.
// Each test file runs its modules' code in a fresh context, briefly, so code TurboFan optimises (on a
// background thread, which on two cores competes with the other worker) is mostly thrown away with the
// context. Over eight interleaved pairs of full jest runs: 6 faster, 1.3 s less wall time on average and 3.7 %
// less CPU (docs/performance.md). Only the workers: the processes the tests launch start with their own
// arguments (Pulumi.yaml's nodeargs for the program), as a user's do.
//
// --experimental-async-context-frame: AsyncLocalStorage on V8's continuation data instead of async hooks.
// jest-circus runs every test inside an AsyncLocalStorage (`testExecutionContext.run`, jest 30), and on
// Node 22 that turns on a promise hook for the worker's life: every promise the SDK and the tests create then
// pays for init/before/after hooks and a copy of the store (`_propagate`). Profiled in band, the hooks were
// 4.4 s of about 39 s of jest's CPU; with the flag they are gone. Three interleaved pairs of jest runs (this
// script without the type-check and the lint): 68.8 -> 61.5 s of CPU, 38.0 -> 34.5 s wall (docs/performance.md). Node 24 makes this the default; on 22 it
// prints no warning. Only the workers, as above.
const JEST_NODE_ARGS = ["--max-opt=2", "--experimental-async-context-frame"];

/** Runs `command` to its end; resolves with its exit code and, unless `inherit`, its output. */
function run(command, args, { inherit = false, shell = false } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: ROOT, shell, stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"] });
    let output = "";
    if (!inherit) {
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
    }
    child.on("error", (error) => resolve({ code: 1, output: `${error.message}\n`, ms: Date.now() - started }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output, ms: Date.now() - started }));
  });
}

async function main() {
  const checks = ["typecheck", "lint"].map((name) => ({ name, result: run(scripts[name], [], { shell: true }) }));
  const jest = await run(process.execPath, [...JEST_NODE_ARGS, require.resolve("jest/bin/jest"), ...process.argv.slice(2)], {
    inherit: true,
  });
  let failed = jest.code !== 0;
  for (const { name, result } of checks) {
    const { code, output, ms } = await result;
    const verdict = code === 0 ? "passed" : `FAILED (exit ${code})`;
    // A check that passed says what it did in its last line (files checked, or the type-check's inputs unchanged).
    const summary = code === 0 ? output.trimEnd().split("\n").pop() : "";
    process.stdout.write(`\nnpm run ${name}: ${verdict} in ${(ms / 1000).toFixed(1)} s${summary ? `: ${summary}` : ""}\n`);
    if (code !== 0) {
      failed = true;
      process.stdout.write(output.endsWith("\n") || output === "" ? output : `${output}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main();
