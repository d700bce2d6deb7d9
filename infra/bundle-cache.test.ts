// The cache of Action bundles (infra/bundle-cache.ts): a bundle is reused only while every file esbuild read,
// and every directory it read them from, is as it was. Over a small tree in a temp folder.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { BUNDLE_CACHE_DIR, bundleKey, MAX_ENTRIES, readCachedBundle, writeCachedBundle } from "./bundle-cache";

let root: string;
const INPUTS = ["settings:claim-mapping:settings", "actions/a/index.ts", "actions/a/claims.ts"];
const KEY = bundleKey({ esbuild: "0.28.2", action: "a", entry: "index.ts", settings: "{}" });
/** A time safely before any build in these tests (the cache looks a second back for edits during one). */
const PAST = 1_000_000;

/** Writes `file` and dates it, and every directory above it, in the past: edits made before any build. */
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
  for (let at = file; at !== "."; at = path.dirname(at)) utimesSync(path.join(root, at), PAST, PAST);
  utimesSync(root, PAST, PAST);
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "bundle-cache-"));
  write("actions/a/index.ts", "export const onExecutePostLogin = async () => {};\n");
  write("actions/a/claims.ts", "export const claims = 1;\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("bundleKey", () => {
  it("is the same for the same parts in any order, and differs when any part does", () => {
    expect(bundleKey({ a: "1", b: "2" })).toBe(bundleKey({ b: "2", a: "1" }));
    expect(bundleKey({ a: "1", b: "2" })).not.toBe(bundleKey({ a: "1", b: "3" }));
    expect(bundleKey({ a: "1", b: "2" })).not.toBe(bundleKey({ a: "1", c: "2" }));
  });
});

describe("a cached bundle", () => {
  it("is read back while nothing it was made from changed", () => {
    writeCachedBundle(root, KEY, INPUTS, "module.exports = {};\n", Date.now());
    expect(readCachedBundle(root, KEY)).toBe("module.exports = {};\n");
    expect(readCachedBundle(root, bundleKey({ other: "key" }))).toBeUndefined();
  });

  it("is not used once an input's contents change, even with the same size and time", () => {
    writeCachedBundle(root, KEY, INPUTS, "code", Date.now());
    write("actions/a/claims.ts", "export const claims = 2;\n");
    expect(readCachedBundle(root, KEY)).toBeUndefined();
  });

  it("is not used once an input is removed, or a file is added beside one (an import could resolve to it)", () => {
    writeCachedBundle(root, KEY, INPUTS, "code", Date.now());
    write("actions/a/claims.tsx", "export const claims = 3;\n");
    expect(readCachedBundle(root, KEY)).toBeUndefined();

    rmSync(path.join(root, "actions", "a", "claims.tsx"));
    expect(readCachedBundle(root, KEY)).toBe("code");
    rmSync(path.join(root, "actions", "a", "claims.ts"));
    expect(readCachedBundle(root, KEY)).toBeUndefined();
  });

  it("is not used once a tsconfig.json or package.json esbuild reads changes, appears or goes, up to the root", () => {
    write("tsconfig.json", '{"compilerOptions":{"target":"ES2022"}}');
    write("package.json", "{}");
    const record = () => writeCachedBundle(root, KEY, INPUTS, "code", Date.now());
    record();
    write("tsconfig.json", '{"compilerOptions":{"useDefineForClassFields":false}}');
    expect(readCachedBundle(root, KEY)).toBeUndefined();

    record();
    rmSync(path.join(root, "package.json"));
    expect(readCachedBundle(root, KEY)).toBeUndefined();

    record();
    write("actions/tsconfig.json", "{}");
    expect(readCachedBundle(root, KEY)).toBeUndefined();
  });

  it("is never recorded under a tsconfig that extends another (the chain can lead anywhere)", () => {
    write("tsconfig.json", '{ "extends": "@tsconfig/node22/tsconfig.json" }');
    writeCachedBundle(root, KEY, INPUTS, "code", Date.now());
    expect(existsSync(path.join(root, BUNDLE_CACHE_DIR))).toBe(false);
  });

  it("is not used once a symbolic link beside an input points elsewhere (esbuild lists the file it reaches)", () => {
    write("shared/v1.ts", "export const v = 1;\n");
    write("shared/v2.ts", "export const v = 2;\n");
    symlinkSync("../../shared/v1.ts", path.join(root, "actions", "a", "v.ts"));
    write("actions/a/index.ts", "export const onExecutePostLogin = async () => {};\n");
    writeCachedBundle(root, KEY, [...INPUTS, "shared/v1.ts"], "code", Date.now());
    expect(readCachedBundle(root, KEY)).toBe("code");
    rmSync(path.join(root, "actions", "a", "v.ts"));
    symlinkSync("../../shared/v2.ts", path.join(root, "actions", "a", "v.ts"));
    expect(readCachedBundle(root, KEY)).toBeUndefined();
  });

  it("is not recorded when an input changed while esbuild ran, or cannot be read", () => {
    const started = Date.now();
    writeFileSync(path.join(root, "actions", "a", "claims.ts"), "export const claims = 4;\n");
    writeCachedBundle(root, KEY, INPUTS, "code", started);
    expect(existsSync(path.join(root, BUNDLE_CACHE_DIR))).toBe(false);

    writeCachedBundle(root, KEY, [...INPUTS, "actions/a/gone.ts"], "code", Date.now());
    expect(existsSync(path.join(root, BUNDLE_CACHE_DIR))).toBe(false);
  });

  it("is not recorded without a file input (a plugin's namespace alone proves nothing)", () => {
    writeCachedBundle(root, KEY, ["settings:claim-mapping:settings"], "code", Date.now());
    expect(existsSync(path.join(root, BUNDLE_CACHE_DIR))).toBe(false);
  });

  it("is ignored when its entry is damaged or of another format, and a cache that cannot be written is no error", () => {
    writeCachedBundle(root, KEY, INPUTS, "code", Date.now());
    const entry = path.join(root, BUNDLE_CACHE_DIR, `${KEY}.json`);
    writeFileSync(entry, "{ half an entry");
    expect(readCachedBundle(root, KEY)).toBeUndefined();
    writeFileSync(entry, "null");
    expect(readCachedBundle(root, KEY)).toBeUndefined();
    writeFileSync(entry, JSON.stringify({ format: 1, inputs: { "actions/a/index.ts": "x" }, directories: {}, code: "old" }));
    expect(readCachedBundle(root, KEY)).toBeUndefined();

    rmSync(path.join(root, "node_modules"), { recursive: true });
    write("node_modules", "a file where the cache's directory would be");
    expect(() => writeCachedBundle(root, KEY, INPUTS, "code", Date.now())).not.toThrow();
    expect(readCachedBundle(root, KEY)).toBeUndefined();
  });

  it("keeps at most MAX_ENTRIES entries, dropping those written longest ago", () => {
    const dir = path.join(root, BUNDLE_CACHE_DIR);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < MAX_ENTRIES; i++) {
      writeFileSync(path.join(dir, `old-${i}.json`), "{}");
      utimesSync(path.join(dir, `old-${i}.json`), PAST + i, PAST + i);
    }
    utimesSync(root, PAST, PAST);
    writeCachedBundle(root, KEY, INPUTS, "code", Date.now());
    const left = readdirSync(dir);
    expect(left).toHaveLength(MAX_ENTRIES);
    expect(left).toContain(`${KEY}.json`);
    expect(left).not.toContain("old-0.json");
    expect(left).toContain("old-1.json");
  });

  it("leaves no temporary file behind, and removes those a killed process abandoned", () => {
    const dir = path.join(root, BUNDLE_CACHE_DIR);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "abandoned.1.tmp"), "{");
    utimesSync(path.join(dir, "abandoned.1.tmp"), PAST, PAST);
    writeFileSync(path.join(dir, "in-flight.2.tmp"), "{");
    utimesSync(root, PAST, PAST);
    writeCachedBundle(root, KEY, INPUTS, "code", Date.now());
    expect(readdirSync(dir).sort()).toEqual([`${KEY}.json`, "in-flight.2.tmp"]);
  });
});
