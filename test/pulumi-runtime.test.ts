// The program starts as `pulumi preview` starts it: in the directory the engine derives from Pulumi.yaml
// (test/support/start-like-pulumi.js follows pulumi/pulumi's getPwdMain), through @pulumi/pulumi's own
// runner, with the TypeScript and ts-node that Pulumi itself picks and the tsconfig Pulumi.yaml names.
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { planConfig } from "../harness/plan";
import { readStackConfig, type StackConfig } from "../harness/stack-file";
import { renderStackFile, TEMPLATE_FILE } from "../tools/lib/ephemeral/stack-file";

const ROOT = path.resolve(__dirname, "..");
const HARNESS = path.join(__dirname, "support", "start-like-pulumi.js");
const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

interface Started {
  status: number | null;
  stderr: string;
  run?: { cwd: string; entry: string; node: string; typescript: { version: string }; exports: string[]; resources: string[] };
}

/** Starts the project in `dir` as the engine would, with `config` handed over as the language host does. */
function start(dir: string, { stack, config, secretKeys }: StackConfig, extra: string[] = []): Started {
  const result = spawnSync(process.execPath, [HARNESS, dir, stack, ...extra], {
    cwd: dir,
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr, run: result.status === 0 ? JSON.parse(result.stdout) : undefined };
}

/** The resource types a plan registers, sorted, to compare with what the runner registered. */
async function plannedTypes(stackConfig: StackConfig): Promise<string[]> {
  const plan = await planConfig(stackConfig);
  return ["pulumi:pulumi:Stack", ...plan.resources.map((r) => r.type)].sort();
}

describe("the Node.js the tests run on", () => {
  it("is Node 22, the runtime Auth0 runs the Action on (the `node` devDependency puts it on npm's PATH)", () => {
    expect(process.versions.node.split(".")[0]).toBe("22");
  });
});

describe("Pulumi's own TypeScript resolution", () => {
  const { typeScriptRequireStrings } = require("@pulumi/pulumi/tsutils");

  it("picks the project's TypeScript 5 and ts-node 10, not the vendored ones", () => {
    const { typescriptRequire, tsnodeRequire } = typeScriptRequireStrings();
    expect(typescriptRequire).toBe("typescript");
    expect(tsnodeRequire).toBe("ts-node");
    expect(require.resolve(typescriptRequire)).toBe(path.join(ROOT, "node_modules", "typescript", "lib", "typescript.js"));
    expect(require("typescript").version).toMatch(/^5\./);
    expect(require("ts-node").VERSION).toMatch(/^10\./);
  });
});

describe("the engine's working-directory rules, in the harness", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "start-like-pulumi-"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(
      path.join(dir, "src", "index.ts"),
      'import * as pulumi from "@pulumi/pulumi";\nexport const cwd: string = process.cwd();\nnew pulumi.ComponentResource("test:index:Thing", "thing");\n',
    );
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "fixture", main: "src/index.ts" }));
    writeFileSync(
      path.join(dir, "tsconfig.root.json"),
      JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", noCheck: true } }),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const empty = { stack: "dev", file: "", config: {}, secretKeys: [] };
  const writeProject = (lines: string) =>
    writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: fixture\nruntime:\n  name: nodejs\n  options:\n    tsconfig: tsconfig.root.json\n${lines}`,
    );

  it("runs a file `main` in its own directory, where a tsconfig kept in the root is not found (exit 32)", () => {
    writeProject("main: src/index.ts\n");
    const started = start(dir, empty);
    expect(started.status).toBe(32);
    expect(started.stderr).toContain("tsconfig path was set to tsconfig.root.json but the file was not found");
  });

  it("runs a directory `main` in that directory too", () => {
    writeProject("main: src\n");
    expect(start(dir, empty).status).toBe(32);
  });

  it("runs a project without `main` in its root, starting package.json's main", () => {
    writeProject("");
    const started = start(dir, empty);
    expect(started.status).toBe(0);
    expect(started.run).toMatchObject({ cwd: dir, entry: ".", resources: ["pulumi:pulumi:Stack", "test:index:Thing"] });
  });
});

describe("the tenant program, started as pulumi preview starts it", () => {
  it("keeps the runner's start-up transpile-only through Pulumi.yaml's tsconfig", () => {
    expect(project.runtime).toMatchObject({ name: "nodejs", options: { typescript: true, tsconfig: "tsconfig.pulumi.json" } });
    expect(parse(readFileSync(path.join(ROOT, "tsconfig.pulumi.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")).compilerOptions.noCheck).toBe(
      true,
    );
  });

  it.each(["dev", "prod"])("starts the %s stack and registers exactly what the plan reports", async (stack) => {
    const stackConfig = readStackConfig(stack);
    const started = start(ROOT, stackConfig);
    expect(started.stderr).toBe("");
    expect(started.run?.cwd).toBe(ROOT);
    expect(started.run?.typescript.version).toMatch(/^5\./);
    expect(started.run?.exports).toEqual(["apiAudience", "claimMappingAction", "clientIds"]);
    expect([...(started.run?.resources ?? [])].sort()).toEqual(await plannedTypes(stackConfig));
  });

  it("starts an ephemeral stack and registers exactly what the plan reports", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "eph-start-"));
    try {
      writeFileSync(path.join(dir, "Pulumi.yaml"), readFileSync(path.join(ROOT, "Pulumi.yaml")));
      writeFileSync(
        path.join(dir, "Pulumi.eph-start.yaml"),
        renderStackFile(readFileSync(path.join(ROOT, TEMPLATE_FILE), "utf8"), "start"),
      );
      const stackConfig = readStackConfig("eph-start", dir);
      const started = start(ROOT, stackConfig);
      expect(started.stderr).toBe("");
      expect([...(started.run?.resources ?? [])].sort()).toEqual(await plannedTypes(stackConfig));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("also starts type-checked, as it would with Pulumi.yaml's tsconfig option set to tsconfig.json", () => {
    // tsconfig.json has no noCheck: ts-node type-checks every file it loads.
    const started = start(ROOT, readStackConfig("dev"), ["--tsconfig=tsconfig.json"]);
    expect(started.status).toBe(0);
    expect(started.run?.resources.length).toBeGreaterThan(20);
  });
});
