// Starts a Pulumi TypeScript project the way `pulumi preview` does, against Pulumi's mock engine, and prints
// what it registered as JSON. Used by test/pulumi-runtime.test.ts (and the benchmark's start-up figure).
//
//   node [runtime.options.nodeargs] harness/start-like-pulumi.js <project-dir> <stack> [--tsconfig=<file>]
//
// `--tsconfig` stands for a different `runtime.options.tsconfig` in Pulumi.yaml (to start type-checked).
//
// The config comes from the environment, as the language host hands it over (PULUMI_CONFIG and
// PULUMI_CONFIG_SECRET_KEYS, read by @pulumi/pulumi's runtime/config). What this file copies, and from where:
// - the working directory and the entry point: pulumi/pulumi pkg/engine/project.go `getPwdMain` (a file
//   `main` runs in its own directory under its base name; a directory `main` is itself the directory, entry
//   point "."; no `main` runs in the project root with entry point ".");
// - the language host's environment: sdk/nodejs/cmd/pulumi-language-nodejs/main.go sets
//   PULUMI_NODEJS_TYPESCRIPT when `runtime.options.typescript` is on (Pulumi's default) and passes
//   `runtime.options.tsconfig` unchanged as PULUMI_NODEJS_TSCONFIG_PATH; `nodeargs` go to node itself, so
//   the caller passes them on this process's command line;
// - everything after that is the runner itself: @pulumi/pulumi/cmd/run/run.js `run()` changes to `--pwd`,
//   resolves the tsconfig from there, registers ts-node and loads the entry point (through package.json
//   `main` when the entry point is "."). A run that the runner ends with a logged error exits 32, as
//   cmd/run/index.js does (`nodeJSProcessExitedAfterLoggingUserActionableMessage`).
const fs = require("node:fs");
const path = require("node:path");
const { getPwdMain } = require("./pwd-main");

const [projectArg, stack, ...flags] = process.argv.slice(2);
const tsconfigFlag = flags.find((flag) => flag.startsWith("--tsconfig="))?.slice("--tsconfig=".length);
if (!projectArg || !stack) {
  process.stderr.write("usage: start-like-pulumi.js <project-dir> <stack>\n");
  process.exit(2);
}
const root = path.resolve(projectArg);
// The engine reads Pulumi.yaml in Go. Here it is read with the YAML parser @pulumi/pulumi loads anyway
// (js-yaml, required by the SDK's index), found through the project's SDK, so the harness loads no module
// the real runner would not: the start-up benchmark times this process.
const sdkYaml = require.resolve("js-yaml", { paths: [path.dirname(require.resolve("@pulumi/pulumi", { paths: [root] }))] });
const project = require(sdkYaml).load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
const options = { ...project.runtime?.options, ...(tsconfigFlag ? { tsconfig: tsconfigFlag } : {}) };

const { pwd, main } = getPwdMain(root, project.main);
if (options.typescript !== false) process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
if (options.tsconfig) process.env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
else delete process.env.PULUMI_NODEJS_TSCONFIG_PATH;

// The program's own `require("@pulumi/pulumi")` must reach this same module, as it does under the real
// runner (which loads the SDK from the project's node_modules), so the mocks below are the ones it sees.
const sdk = require.resolve("@pulumi/pulumi", { paths: [pwd] });
const sdkDir = path.dirname(sdk);
const pulumi = require(sdk);
const EXIT_AFTER_LOGGED_ERROR = 32;
// cmd/run/index.js is the runner's command line: it parses the engine's flags, connects to the monitor,
// then calls run.js `run()`. Here the mock engine stands in for the monitor, so the harness does index.js's
// part itself: source maps for stack traces (index.js requires "source-map-support/register" first) and the
// exit code after a logged error. run.js requires "." only for that exit code, so the harness gives it a
// module with that one value instead of the command line, which would exit for want of `--monitor`.
require(require.resolve("source-map-support/register", { paths: [sdkDir] }));
const cliPath = path.join(sdkDir, "cmd", "run", "index.js");
require.cache[cliPath] = Object.assign(new (require("node:module"))(cliPath), {
  filename: cliPath,
  loaded: true,
  exports: { nodeJSProcessExitedAfterLoggingUserActionableMessage: EXIT_AFTER_LOGGED_ERROR },
});
const runner = require(path.join(sdkDir, "cmd", "run", "run.js"));

const types = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      types.push(args.type);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => {
      throw new Error(`unexpected call ${args.token}`);
    },
  },
  project.name,
  stack,
  true,
);

// The stack's outputs, as the engine receives them: the root Stack's RegisterResourceOutputs (in a preview
// their values may be unknown, so the keys are what the harness reports).
let exported = [];
const monitor = pulumi.runtime.getMonitor();
const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
monitor.registerResourceOutputs = (request, callback) => {
  if (request.getUrn().includes("::pulumi:pulumi:Stack::")) exported = Object.keys(request.getOutputs()?.toJavaScript() ?? {});
  return registerOutputs(request, callback);
};

// Errors as cmd/run/index.js handles them: it records every uncaught error and logs it itself only while the
// program is not running (run.js's own handler logs the program's errors, with their stack, through
// log.error: with no engine under the mocks, to stderr); at exit, a process whose uncaught errors were all
// logged exits 32, otherwise 1.
const uncaughtErrors = new Set();
const loggedErrors = new Set();
let programRunning = false;
let started = 0;
const uncaughtHandler = (error) => {
  uncaughtErrors.add(error);
  if (!programRunning && !loggedErrors.has(error)) {
    process.stderr.write(`error: ${error?.stack || error?.message || `${error}`}\n`);
    loggedErrors.add(error);
  }
};
process.on("uncaughtException", uncaughtHandler);
process.on("unhandledRejection", uncaughtHandler);
process.on("exit", (code) => {
  if (code === 0 && uncaughtErrors.size > 0) {
    process.exitCode = [...uncaughtErrors].every((error) => loggedErrors.has(error)) ? EXIT_AFTER_LOGGED_ERROR : 1;
  }
});

runner
  .run(
    { _: [main], pwd },
    () => {
      programRunning = true;
      started = Date.now();
    },
    (error) => loggedErrors.add(error),
    (error) => loggedErrors.has(error),
  )
  // No rejection handler, as in index.js: a failed run reaches run.js's unhandledRejection handler.
  .then(async () => {
    if (loggedErrors.size > 0) process.exit(EXIT_AFTER_LOGGED_ERROR);
    await pulumi.runtime.disconnect();
    const { typescriptRequire, tsnodeRequire } = require(path.join(sdkDir, "tsutils")).typeScriptRequireStrings();
    const compiler = require.resolve(typescriptRequire, { paths: [pwd] });
    process.stdout.write(
      JSON.stringify({
        cwd: process.cwd(),
        entry: main,
        tsconfig: process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? null,
        typescript: { path: compiler, version: require(compiler).version },
        tsnode: { version: require(require.resolve(tsnodeRequire, { paths: [pwd] })).VERSION },
        node: process.versions.node,
        exports: exported.sort(),
        resources: types,
        ms: Date.now() - started,
      }),
    );
  });
