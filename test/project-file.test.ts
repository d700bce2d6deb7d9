// Pulumi.yaml and the stack files follow the rules the Pulumi CLI enforces when it loads them.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { configKeys, SECRET_KEYS, tenantConfigSchema } from "../infra/settings/schema";
import { PROJECT } from "../infra/settings";
import { stackConfigFromText } from "../harness/stack-file";

const ROOT = path.resolve(__dirname, "..");
const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

describe("Pulumi.yaml", () => {
  it("is the tenant project on the nodejs runtime", () => {
    expect(project.name).toBe(PROJECT);
    expect(project.runtime.name).toBe("nodejs");
  });
  it("documents every key the program reads: required ones declared, optional ones in its comment", () => {
    const text = readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    const all = [...Object.keys(tenantConfigSchema.shape), ...SECRET_KEYS].map((k) => `${PROJECT}:${k}`);
    for (const key of [...all, "auth0:domain", "auth0:clientId", "auth0:clientSecret"]) expect(text).toContain(key);
    for (const key of Object.keys(project.config)) expect(project.config[key].description).toEqual(expect.any(String));
  });
  it("declares the schema's keys as the schema states them: required ones without a default, defaulted ones with it, same description", () => {
    const project_ = configKeys().filter((k) => k.key.startsWith(`${PROJECT}:`) && !k.secret);
    const declared = project_.filter((k) => k.required || "default" in k);
    expect(Object.keys(project.config).sort()).toEqual(declared.map((k) => k.key).sort());
    for (const key of declared) {
      const declaration = project.config[key.key];
      expect({ key: key.key, default: declaration.default, description: declaration.description }).toEqual({
        key: key.key,
        default: key.default,
        description: key.description,
      });
    }
    for (const key of configKeys()) expect(key.description).not.toBe("");
  });
  it("declares without a default only keys every stack sets, since Pulumi requires those", () => {
    const required = Object.entries(project.config)
      .filter(([, d]) => !("default" in (d as object)))
      .map(([k]) => k);
    expect(required.length).toBeGreaterThan(0);
    for (const file of ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.ephemeral.yaml"]) {
      const keys = Object.keys(parse(readFileSync(path.join(ROOT, file), "utf8")).config);
      expect({ file, missing: required.filter((k) => !keys.includes(k)) }).toEqual({ file, missing: [] });
    }
  });
  it("declares only project keys, which the CLI requires before it accepts a type or a default", () => {
    for (const key of Object.keys(project.config)) expect(key.startsWith(`${PROJECT}:`)).toBe(true);
  });
});

describe("a stack file without a required key", () => {
  it("is refused offline as the Pulumi CLI refuses it", () => {
    const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
    const withoutClaims = dev.replace(/\n {2}tenant:claims:\n( {4}.*\n| {6}.*\n)+/, "\n");
    expect(() => stackConfigFromText("dev", withoutClaims)).toThrow(
      "Stack 'dev' is missing configuration value(s) 'tenant:claims' in Pulumi.dev.yaml",
    );
  });
});

describe.each(["dev", "prod"])("Pulumi.%s.yaml", (stack) => {
  const file = parse(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
  it("holds no deploy secret: the deploy job gives it to the provider as AUTH0_CLIENT_SECRET (docs/pull-requests.md)", () => {
    expect(file.config["auth0:clientSecret"]).toBeUndefined();
    expect(file.config["auth0:apiToken"]).toBeUndefined();
  });
  it("claims no adoption: nobody has adopted the example tenant (`npm run adopt` sets adopted: true)", () => {
    expect(file.config["tenant:postLogin"].adopted).not.toBe(true);
  });
});

describe("the TypeScript configurations", () => {
  /** A tsconfig file's JSON (they carry // comments, which tsc allows). */
  const tsconfig = (file: string) => parse(readFileSync(path.join(ROOT, file), "utf8").replace(/^\s*\/\/.*$/gm, ""));

  it("type-check the policy pack with the root's options, so `npm run typecheck` checks it as Pulumi's policy runner does", () => {
    // tsconfig.json includes policy/; policy/tsconfig.json is the file the policy runner reads.
    expect(tsconfig("tsconfig.json").include).toContain("policy");
    expect(tsconfig("policy/tsconfig.json").compilerOptions).toEqual(tsconfig("tsconfig.json").compilerOptions);
  });
});

describe("the compile caches of a test run (tools/compile-cache.js)", () => {
  it("reach the jest workers and the processes they launch", () => {
    expect(process.env.NODE_COMPILE_CACHE).toBe(path.join(ROOT, "node_modules", ".cache", "node-compile-cache"));
    expect(process.env.DISABLE_V8_COMPILE_CACHE).toBe("1");
  });

  it("turn off ts-node's own cache for TypeScript through the variable that cache reads", () => {
    // ts-node requires the compiler through v8-compile-cache-lib; an upgrade that renamed the variable would
    // quietly bring back the cost of hashing typescript.js on every start.
    const tsNode = path.dirname(require.resolve("ts-node"));
    expect(readFileSync(path.join(tsNode, "util.js"), "utf8")).toContain("require('v8-compile-cache-lib').install()");
    const cacheLib = require.resolve("v8-compile-cache-lib", { paths: [tsNode] });
    expect(readFileSync(cacheLib, "utf8")).toContain("!process.env.DISABLE_V8_COMPILE_CACHE");
  });
});
