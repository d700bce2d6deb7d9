// The start-up options issue 13 set (docs/performance.md): ts-node transpiles with swc, and Pulumi.yaml's
// `nodeargs: --stack-trace-limit=0` caps stack traces (infra/traces.ts): capped by default, the program's file
// and line with PULUMI_TENANT_TRACES=1, and a hint naming the variable when they are capped. The program is
// started as `pulumi preview` starts it (harness/launch.ts); the tenant's own stacks start under the cap
// in test/pulumi-runtime.test.ts.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { inspectSafeStackTraces, TRACE_HINT, TRACES_VARIABLE, tracesRequested, withCappedTraces, withTraceHint } from "../infra/traces";
import { parse } from "yaml";
import { launch, projectBeside, projectNodeArgs, splitNodeArgs } from "../harness/launch";

const ROOT = path.resolve(__dirname, "..");

describe("the runner's TypeScript set-up", () => {
  it("transpiles with swc through tsconfig.pulumi.json, which Pulumi.yaml names, and @swc/core is installed", () => {
    const tsconfig = parse(readFileSync(path.join(ROOT, "tsconfig.pulumi.json"), "utf8").replace(/^\s*\/\/.*$/gm, ""));
    expect(tsconfig["ts-node"]).toEqual({ swc: true });
    // ts-node's swc transpiler only transpiles: the runner must be transpile-only (noCheck) for it.
    expect(tsconfig.compilerOptions.noCheck).toBe(true);
    expect(
      require("@swc/core").transformSync("const a: number = 1;", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }).code,
    ).toContain("const a = 1");
  });
});

describe("Pulumi.yaml's nodeargs", () => {
  it("cap stack traces for every preview and update", () => {
    expect(projectNodeArgs(ROOT)).toContain("--stack-trace-limit=0");
  });

  it("are split as the language host splits them (shell words)", () => {
    expect(splitNodeArgs("--stack-trace-limit=0  --max-old-space-size=4096")).toEqual([
      "--stack-trace-limit=0",
      "--max-old-space-size=4096",
    ]);
    expect(splitNodeArgs(`--title "a b" --x='c d' e\\ f`)).toEqual(["--title", "a b", "--x=c d", "e f"]);
    expect(splitNodeArgs("")).toEqual([]);
    expect(() => splitNodeArgs('--title "a')).toThrow(/unterminated/);
  });
});

describe("an error in the program, started as pulumi preview starts it", () => {
  /** infra/traces as a fixture's import specifier: fixtures import it first, as infra/index.ts does. */
  const traces = JSON.stringify(path.join(ROOT, "infra", "traces"));
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    // The entry point is built as infra/index.ts is: infra/traces first, then a function the runner calls,
    // which runs the program under withTraceHint.
    ({ dir, cleanup } = projectBeside("traces", {
      "index.ts": `import ${traces};\nimport { withTraceHint } from ${traces};\nimport { build } from "./build";\n\nexport = () => withTraceHint(build);\n`,
      "build.ts": [
        "export function build(): void {",
        "  const applications: string[] = [];",
        "  // The next line is line 4 of build.ts.",
        '  if (applications.length === 0) throw new Error("no applications declared");',
        "}",
        "",
      ].join("\n"),
    }));
  });
  afterAll(() => cleanup());
  const stack = { stack: "dev", config: {}, secretKeys: [] };

  it(`shows the program's file and line with ${TRACES_VARIABLE}=1`, () => {
    const run = launch({ dir, stack, env: { [TRACES_VARIABLE]: "1" } });
    expect(run.status).toBe(32);
    expect(run.stderr).toContain("no applications declared");
    // Source-mapped to the TypeScript line, as the runner's source-map-support does.
    expect(run.stderr).toMatch(/build\.ts:4:\d+/);
    expect(run.stderr).not.toContain(TRACE_HINT);
  });

  it("without it, prints the message and a hint naming the variable, no frames", () => {
    const run = launch({ dir, stack, env: { [TRACES_VARIABLE]: "" } });
    expect(run.status).toBe(32);
    expect(run.stderr).toContain(`no applications declared ${TRACE_HINT}`);
    expect(run.stderr).not.toMatch(/build\.ts:\d+/);
  });

  // An error thrown inside an `apply` has frames in the SDK's top-level files, which its source maps name
  // node_modules/@pulumi/output.ts: printed as mapped, Node 22.23's colored inspect loops on them until the
  // heap is gone (infra/traces.ts, nodejs/node#64011). The launch would not end; a timeout stops it.
  it(`prints an error thrown inside an apply, with ${TRACES_VARIABLE}=1, with the program's line and the SDK's real files`, () => {
    const apply = projectBeside("traces-apply", {
      "index.ts": `import ${traces};\nimport * as pulumi from "@pulumi/pulumi";\n\n// The next line, line 5, throws.\nexport const size = pulumi.output(1).apply(() => { throw new Error("no size"); });\n`,
    });
    try {
      const run = launch({ dir: apply.dir, stack, env: { [TRACES_VARIABLE]: "1" }, timeoutMs: 20_000 });
      expect(run.status).toBe(32);
      expect(run.stderr).toContain("no size");
      expect(run.stderr).toMatch(/index\.ts:5:\d+/);
      expect(run.stderr).toMatch(/node_modules[\\/]\S*@pulumi\S*[\\/]pulumi\S*[\\/]output\.js:\d+/);
      expect(run.stderr).not.toContain("@pulumi/output.ts");
    } finally {
      apply.cleanup();
    }
  });
});

describe("infra/traces", () => {
  const saved = process.env[TRACES_VARIABLE];
  afterEach(() => {
    if (saved === undefined) delete process.env[TRACES_VARIABLE];
    else process.env[TRACES_VARIABLE] = saved;
  });

  it("prints unmapped only the frames Node 22.23's colored inspect would loop on", () => {
    const frame = (text: string) => ({ toString: () => text }) as NodeJS.CallSite;
    const frames = [
      frame("/app/index.ts:5:12"),
      frame("applyHelperAsync (/app/node_modules/@pulumi/pulumi/output.js:330:31)"),
      frame("run (/app/node_modules/left-pad/index.js:1:1)"),
    ];
    // What source-map-support writes: the error's own lines (here two), then one line per frame.
    const mapped = [
      "Error: two",
      "lines",
      "    at /app/index.ts:5:12",
      "    at applyHelperAsync (/app/node_modules/@pulumi/output.ts:95:31)",
      "    at run (/app/node_modules/left-pad/index.ts:1:1)",
    ];
    const prepare = inspectSafeStackTraces(() => mapped.join("\n"));
    expect(String(prepare(new Error("two\nlines"), frames)).split("\n")).toEqual([
      ...mapped.slice(0, 3),
      "    at applyHelperAsync (/app/node_modules/@pulumi/pulumi/output.js:330:31)",
      mapped[4],
    ]);
    expect(inspectSafeStackTraces(() => undefined)(new Error("x"), frames)).toBeUndefined();
  });

  it("reads PULUMI_TENANT_TRACES as 1/true, anything else as off", () => {
    expect(tracesRequested({ [TRACES_VARIABLE]: "1" })).toBe(true);
    expect(tracesRequested({ [TRACES_VARIABLE]: "TRUE" })).toBe(true);
    expect(tracesRequested({ [TRACES_VARIABLE]: "0" })).toBe(false);
    expect(tracesRequested({})).toBe(false);
  });

  it("caps traces while the work runs and restores the limit after, also when it fails", async () => {
    delete process.env[TRACES_VARIABLE];
    const before = Error.stackTraceLimit;
    let inside = -1;
    await withCappedTraces(async () => {
      inside = Error.stackTraceLimit;
    });
    expect(inside).toBe(0);
    expect(Error.stackTraceLimit).toBe(before);
    await expect(
      withCappedTraces(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(Error.stackTraceLimit).toBe(before);
  });

  it(`leaves traces alone when ${TRACES_VARIABLE}=1`, async () => {
    process.env[TRACES_VARIABLE] = "1";
    const before = Error.stackTraceLimit;
    await withCappedTraces(async () => expect(Error.stackTraceLimit).toBe(before));
  });

  it("adds the hint only while traces are capped, and never to a RunError", () => {
    const before = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 0;
      expect(() =>
        withTraceHint(() => {
          throw new Error("bad");
        }),
      ).toThrow(`bad ${TRACE_HINT}`);
      const runError = Object.assign(new Error("tenant:api is missing"), { __pulumiRunError: true });
      expect(() =>
        withTraceHint(() => {
          throw runError;
        }),
      ).toThrow(/^tenant:api is missing$/);
      Error.stackTraceLimit = 10;
      expect(() =>
        withTraceHint(() => {
          throw new Error("bad");
        }),
      ).toThrow(/^bad$/);
    } finally {
      Error.stackTraceLimit = before;
    }
    expect(withTraceHint(() => 42)).toBe(42);
  });
});
