// The program starts under the TypeScript and ts-node that Pulumi itself picks (not its vendored
// TypeScript 3.8 / ts-node 7), with the tsconfig and options Pulumi.yaml gives it.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

function start(env: Record<string, string>) {
  const out = execFileSync(process.execPath, [path.join(__dirname, "support", "start-like-pulumi.js")], {
    cwd: ROOT,
    env: { ...process.env, PULUMI_NODEJS_TSCONFIG_PATH: project.runtime.options.tsconfig, ...env },
    encoding: "utf8",
  });
  return JSON.parse(out);
}

describe("Pulumi's own TypeScript resolution", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
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

describe("the entry point, started as pulumi preview starts it", () => {
  it("names infra/index.ts in Pulumi.yaml with a transpile-only tsconfig", () => {
    expect(project.main).toBe("infra/index.ts");
    expect(project.runtime).toMatchObject({ name: "nodejs", options: { typescript: true, tsconfig: "tsconfig.pulumi.json" } });
  });

  it("runs transpile-only, as configured, and registers the tenant", () => {
    const run = start({});
    expect(run.transpileOnly).toBe(true);
    expect(run.typescript.version).toMatch(/^5\./);
    expect(run.exports).toEqual(["apiAudience", "claimMappingAction", "clientIds"]);
    expect(run.resources).toBeGreaterThan(20);
  });

  it("also starts type-checked, as it would without Pulumi.yaml's tsconfig option", () => {
    // tsconfig.json has no noCheck: ts-node type-checks every file it loads (about 4 s more).
    const run = start({ PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.json" });
    expect(run.transpileOnly).toBe(false);
    expect(run.resources).toBeGreaterThan(20);
  });
});
