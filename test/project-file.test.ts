// Pulumi.yaml and the stack files follow the rules the Pulumi CLI enforces when it loads them.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SECRET_KEYS, tenantConfigSchema } from "../infra/settings/schema";
import { PROJECT } from "../infra/settings";

const ROOT = path.resolve(__dirname, "..");
const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

describe("Pulumi.yaml", () => {
  it("is the tenant project on the nodejs runtime", () => {
    expect(project.name).toBe(PROJECT);
    expect(project.runtime.name).toBe("nodejs");
  });
  it("documents every key the program reads", () => {
    const declared = Object.keys(project.config).sort();
    expect(declared).toEqual([...Object.keys(tenantConfigSchema.shape), ...SECRET_KEYS].map((k) => `${PROJECT}:${k}`).sort());
    for (const key of SECRET_KEYS) expect(project.config[`${PROJECT}:${key}`].secret).toBe(true);
    for (const key of declared) expect(project.config[key].description).toEqual(expect.any(String));
    const text = readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    for (const key of ["auth0:domain", "auth0:clientId", "auth0:clientSecret"]) expect(text).toContain(key);
  });
  it("declares only project keys, which the CLI requires before it accepts a type or a default", () => {
    for (const key of Object.keys(project.config)) expect(key.startsWith(`${PROJECT}:`)).toBe(true);
  });
});

describe.each(["dev", "prod"])("Pulumi.%s.yaml", (stack) => {
  const file = parse(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
  it("keeps the client secret as a secure value", () => {
    expect(Object.keys(file.config["auth0:clientSecret"])).toEqual(["secure"]);
  });
});
