// The program starts as `pulumi preview` starts it: in the directory the engine derives from Pulumi.yaml
// (harness/start-like-pulumi.js follows pulumi/pulumi's getPwdMain), through @pulumi/pulumi's own
// runner, with the TypeScript and ts-node that Pulumi itself picks, the tsconfig Pulumi.yaml names and its
// nodeargs (harness/launch.ts). Each launch costs seconds: the harness's own rules are tested in process.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { planConfig } from "../harness/plan";
import { readStackConfig, type StackConfig } from "../harness/stack-file";
import { TRACES_VARIABLE } from "../infra/traces";
import { renderStackFile, TEMPLATE_FILE } from "../tools/lib/ephemeral/stack-file";
import { type Launched, launch } from "../harness/launch";

const ROOT = path.resolve(__dirname, "..");
const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
const { getPwdMain } = require("../harness/pwd-main") as { getPwdMain: (root: string, main?: string) => { pwd: string; main: string } };

/** Starts the project in `dir` as the engine would: traces capped as Pulumi.yaml's nodeargs cap them. */
function start(dir: string, stack: StackConfig, tsconfig?: string): Launched {
  return launch({ dir, stack, tsconfig, env: { [TRACES_VARIABLE]: "" } });
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
    // Where the runner's Node resolves them is checked in the launches below: inside jest, `typescript` is
    // the worker's shared copy (test/support/environment.js).
    expect(require("typescript").version).toMatch(/^5\./);
    expect(require("ts-node").VERSION).toMatch(/^10\./);
  });
});

describe("the engine's working-directory rules, in the harness", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "start-like-pulumi-"));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(
      path.join(dir, "src", "index.ts"),
      'import * as pulumi from "@pulumi/pulumi";\nexport const cwd: string = process.cwd();\nnew pulumi.ComponentResource("test:index:Thing", "thing");\n',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs a file `main` in its own directory, where a tsconfig kept in the root is not found (exit 32)", () => {
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "fixture", main: "src/index.ts" }));
    writeFileSync(
      path.join(dir, "tsconfig.root.json"),
      JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", noCheck: true } }),
    );
    writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: fixture\nruntime:\n  name: nodejs\n  options:\n    tsconfig: tsconfig.root.json\nmain: src/index.ts\n",
    );
    expect(getPwdMain(dir, "src/index.ts")).toEqual({ pwd: path.join(dir, "src"), main: "index.ts" });
    const started = start(dir, { stack: "dev", file: "", config: {}, secretKeys: [] });
    expect(started.status).toBe(32);
    expect(started.stderr).toContain("tsconfig path was set to tsconfig.root.json but the file was not found");
  });

  it("runs a directory `main` in that directory, with the entry point it holds", () => {
    expect(getPwdMain(dir, "src")).toEqual({ pwd: path.join(dir, "src"), main: "." });
  });

  it("runs a project without `main` in its root, starting package.json's main (this project: see the stacks below)", () => {
    expect(getPwdMain(dir, undefined)).toEqual({ pwd: dir, main: "." });
    expect(project.main).toBeUndefined();
  });

  it("refuses a `main` outside the project", () => {
    expect(() => getPwdMain(dir, "/etc")).toThrow("project 'main' must be a relative path");
    expect(() => getPwdMain(dir, "../elsewhere")).toThrow("project 'main' must be a subfolder");
  });
});

describe("the tenant program, started as pulumi preview starts it", () => {
  it("keeps the runner's start-up transpile-only through Pulumi.yaml's tsconfig", () => {
    expect(project.runtime).toMatchObject({ name: "nodejs", options: { typescript: true, tsconfig: "tsconfig.pulumi.json" } });
    expect(parse(readFileSync(path.join(ROOT, "tsconfig.pulumi.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")).compilerOptions.noCheck).toBe(
      true,
    );
  });

  // Each launch costs seconds, so the two ways to start share the committed stacks: dev starts as Pulumi.yaml
  // says (tsconfig.pulumi.json: transpile-only, swc), prod type-checked, as it would with Pulumi.yaml's tsconfig
  // option set to tsconfig.json (no noCheck: ts-node type-checks every file it loads). The stacks differ only
  // in data; the ephemeral stack below starts as Pulumi.yaml says too.
  it.each([
    ["dev", "as Pulumi.yaml says", undefined],
    ["prod", "type-checked", "tsconfig.json"],
  ])("starts the %s stack %s, under Pulumi.yaml's nodeargs, and registers exactly what the plan reports", async (stack, _how, tsconfig) => {
    const stackConfig = readStackConfig(stack);
    const started = start(ROOT, stackConfig, tsconfig);
    expect(started.stderr).toBe("");
    expect(started.status).toBe(0);
    // No `main` in Pulumi.yaml: the root, and package.json's main (infra/index.ts) through the entry point ".".
    expect(started.run).toMatchObject({ cwd: ROOT, entry: ".", tsconfig: tsconfig ?? project.runtime.options.tsconfig });
    expect(started.run?.typescript).toEqual({
      path: path.join(ROOT, "node_modules", "typescript", "lib", "typescript.js"),
      version: expect.stringMatching(/^5\./),
    });
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
});
