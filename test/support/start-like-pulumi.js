// Starts infra/index.ts the way @pulumi/pulumi's runner (cmd/run/run.js) does for a TypeScript project:
// the compiler and ts-node that Pulumi's own resolution picks, the tsconfig Pulumi.yaml names, and the
// compiler options the runner passes; then runs the entry point against Pulumi's mock engine with the
// dev stack's config, and prints what it found as JSON. Used by test/pulumi-runtime.test.ts.
const path = require("node:path");
const tsutils = require("@pulumi/pulumi/tsutils");

const root = path.resolve(__dirname, "..", "..");
process.chdir(root);
const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck;
const { typescriptRequire, tsnodeRequire } = tsutils.typeScriptRequireStrings();
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly,
  project: tsConfigPath,
  skipProject: false,
  compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
});

const pulumi = require("@pulumi/pulumi");
const { readStackConfig } = require("../../tools/lib/stack-config");
const { config, secretKeys } = readStackConfig("dev");
pulumi.runtime.setAllConfig(config, secretKeys);
const types = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => (types.push(args.type), { id: `${args.name}-id`, state: args.inputs }),
    call: (args) => {
      throw new Error(`unexpected call ${args.token}`);
    },
  },
  "tenant",
  "dev",
  true,
);
const started = Date.now();
const program = require(path.join(root, "infra", "index.ts"));
pulumi.runtime.disconnect().then(() => {
  process.stdout.write(
    JSON.stringify({
      typescript: { path: require.resolve(typescriptRequire), version: require(typescriptRequire).version },
      tsnode: { path: require.resolve(tsnodeRequire), version: require(tsnodeRequire).VERSION },
      transpileOnly: Boolean(transpileOnly),
      exports: Object.keys(program).sort(),
      resources: types.length,
      ms: Date.now() - started,
    }),
  );
});
