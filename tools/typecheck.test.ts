// `npm run typecheck` skips tsc when nothing tsc read has changed since a check that passed (tools/typecheck.js).
// These tests build the record over a small project in a temp folder and change it the ways a user does.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

interface Record {
  files: { [file: string]: [number, number] | null };
  dirs: { [dir: string]: number };
  libraryDirs: { [dir: string]: number | null };
}
const { changedInput, extendsAnother, libraryDirectories, modifiedSince, projectSnapshot, recordInputs, splitListing, TSC_ARGS } =
  require("./typecheck") as {
    changedInput: (root: string, record: unknown, args: string[]) => string | null;
    extendsAnother: (tsconfigText: string) => boolean;
    libraryDirectories: (files: string[]) => string[];
    modifiedSince: (record: Record, since: number) => string | null;
    projectSnapshot: (root: string) => string;
    recordInputs: (root: string, listed: string[], args: string[]) => Record;
    splitListing: (output: string) => { files: string[]; rest: string };
    TSC_ARGS: string[];
  };

let root: string;
/** Writes `file` (relative to the project) and gives it a modification time in the past. */
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
  age(file);
};
const age = (file: string) => utimesSync(path.join(root, file), 1_000_000, 1_000_000);
/** The record of a check that read the program's files, the compiler's manifest and the lockfiles. */
const check = () =>
  recordInputs(root, [path.join(root, "infra", "index.ts"), path.join(root, "node_modules", "lib", "types", "index.d.ts")], TSC_ARGS);

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "typecheck-"));
  write("tsconfig.json", "{}");
  write("package.json", "{}");
  write("infra/index.ts", "export const a = 1;\n");
  write("node_modules/lib/types/index.d.ts", "export declare const b: number;\n");
  write("node_modules/lib/package.json", '{"types":"types/index.d.ts"}');
  write("node_modules/typescript/package.json", '{"version":"5.9.3"}');
  write("node_modules/.package-lock.json", "{}");
  for (const dir of ["infra", "node_modules/lib/types", "node_modules/lib", "node_modules/typescript", "node_modules", "."]) age(dir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the record of a check that passed", () => {
  it("holds when nothing changed", () => {
    expect(changedInput(root, check(), TSC_ARGS)).toBeNull();
  });

  it("is stale without a record, with another format, or with other arguments to tsc", () => {
    expect(changedInput(root, null, TSC_ARGS)).toBe("no record of a check that passed");
    expect(changedInput(root, { ...check(), format: 0 }, TSC_ARGS)).toBe("no record of a check that passed");
    expect(changedInput(root, check(), [...TSC_ARGS, "--strict"])).toBe("tsc's arguments changed");
  });

  it("is stale when a source file is edited, even to the same size", () => {
    const record = check();
    write("infra/index.ts", "export const a = 2;\n");
    utimesSync(path.join(root, "infra", "index.ts"), 2_000_000, 2_000_000);
    expect(changedInput(root, record, TSC_ARGS)).toBe(`${path.join("infra", "index.ts")} changed`);
  });

  it("is stale when a declaration file in node_modules changes (what `tsc -b` misses)", () => {
    const record = check();
    writeFileSync(path.join(root, "node_modules", "lib", "types", "index.d.ts"), "export declare const b: string;\n");
    expect(changedInput(root, record, TSC_ARGS)).toBe(`${path.join("node_modules", "lib", "types", "index.d.ts")} changed`);
  });

  it("is stale when a package's package.json changes, or a file appears where tsc resolves from, though tsc lists neither", () => {
    let record = check();
    writeFileSync(path.join(root, "node_modules", "lib", "package.json"), '{"types":"types/other.d.ts"}');
    expect(changedInput(root, record, TSC_ARGS)).toBe(`${path.join("node_modules", "lib", "package.json")} changed`);

    record = check();
    writeFileSync(path.join(root, "node_modules", "lib", "index.d.ts"), "export declare const b: string;\n");
    expect(changedInput(root, record, TSC_ARGS)).toBe(`a file was added to or removed from ${path.join("node_modules", "lib")}`);
  });

  it("is stale after an install (npm rewrites node_modules/.package-lock.json), in the root or a nested project", () => {
    write("policy/node_modules/.package-lock.json", "{}");
    for (const dir of ["policy/node_modules", "policy", "."]) age(dir);
    const record = check();
    writeFileSync(path.join(root, "policy", "node_modules", ".package-lock.json"), '{"lockfileVersion":3}');
    expect(changedInput(root, record, TSC_ARGS)).toBe(`${path.join("policy", "node_modules", ".package-lock.json")} changed`);
  });

  it("is stale when tsconfig.json, package.json or the compiler changes, though tsc does not list them", () => {
    for (const file of ["tsconfig.json", "package.json", "node_modules/typescript/package.json"]) {
      const record = check();
      writeFileSync(path.join(root, file), '{"changed":true}');
      expect(changedInput(root, record, TSC_ARGS)).toBe(`${path.normalize(file)} changed`);
    }
  });

  it("is stale when a file is added to or removed from a project directory, or a directory is added", () => {
    let record = check();
    writeFileSync(path.join(root, "infra", "new.ts"), "export {};\n");
    expect(changedInput(root, record, TSC_ARGS)).toBe("a file was added to or removed from infra");

    record = check();
    unlinkSync(path.join(root, "infra", "new.ts"));
    expect(changedInput(root, record, TSC_ARGS)).toBe("a file was added to or removed from infra");

    record = check();
    mkdirSync(path.join(root, "actions"));
    expect(changedInput(root, record, TSC_ARGS)).toBe("a directory was added or removed");
  });

  it("is stale when a listed file is deleted", () => {
    const record = check();
    unlinkSync(path.join(root, "infra", "index.ts"));
    expect(changedInput(root, record, TSC_ARGS)).toBe(`${path.join("infra", "index.ts")} changed`);
  });

  it("is not kept when an input changed while tsc ran (modified at or after its start)", () => {
    utimesSync(path.join(root, "tsconfig.json"), 3_000_000, 3_000_000);
    const record = check();
    // A second of slack: the file system's clock may run a tick behind Date.now().
    expect(modifiedSince(record, 3_000_001_001)).toBeNull();
    expect(modifiedSince(record, 3_000_001_000)).toBe("tsconfig.json");
    expect(modifiedSince(record, 3_000_000_000)).toBe("tsconfig.json");
  });
});

describe("what else decides whether a check is recorded", () => {
  it("names the node_modules directories a listed file was resolved through, up to its package", () => {
    expect(
      libraryDirectories([
        "infra/index.ts",
        "node_modules/@pulumi/auth0/types/input.d.ts",
        "node_modules/zod/v3/index.d.ts",
        "policy/node_modules/@pulumi/policy/index.d.ts",
      ]),
    ).toEqual([
      "node_modules/@pulumi",
      "node_modules/@pulumi/auth0",
      "node_modules/@pulumi/auth0/types",
      "node_modules/zod",
      "node_modules/zod/v3",
      "policy/node_modules/@pulumi",
      "policy/node_modules/@pulumi/policy",
    ]);
  });

  it("takes a snapshot of the project's files that an edit during tsc's run changes, whatever the clocks say", () => {
    const before = projectSnapshot(root);
    expect(projectSnapshot(root)).toBe(before);
    write("dist/bundle.js", "module.exports = {};\n");
    age(".");
    expect(projectSnapshot(root)).not.toBe(before); // a new directory
    const withDist = projectSnapshot(root);
    write("dist/bundle.js", "module.exports = { rewritten: true };\n");
    age(".");
    expect(projectSnapshot(root)).toBe(withDist); // tsc reads no .js here
    write("infra/index.ts", "export const a = 10;\n");
    expect(projectSnapshot(root)).not.toBe(withDist);
  });

  it("never records under a tsconfig that extends another file", () => {
    expect(extendsAnother('{ "extends": "@tsconfig/node22/tsconfig.json" }')).toBe(true);
    expect(extendsAnother('{ "compilerOptions": { "strict": true } }')).toBe(false);
  });
});

describe("tsc's output with --listFiles", () => {
  it("splits the listed files from the diagnostics", () => {
    const output = [
      "/work/node_modules/typescript/lib/lib.es2022.d.ts",
      "infra/index.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "/work/infra/index.ts",
      "/work/node_modules/@pulumi/auth0/package.json",
      "",
    ].join("\n");
    expect(splitListing(output)).toEqual({
      files: ["/work/node_modules/typescript/lib/lib.es2022.d.ts", "/work/infra/index.ts", "/work/node_modules/@pulumi/auth0/package.json"],
      rest: "infra/index.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\n",
    });
  });
});
