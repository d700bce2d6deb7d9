// The stack file offline: where the project is, which stacks are committed, the ephemeral names.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../infra/bundle";
import {
  committedStacks,
  ephemeralId,
  ephemeralStackName,
  hasEphemeralTag,
  projectDir,
  readStackConfig,
  stackConfigFromText,
  stackFileConfig,
  UNDECRYPTED_SECRET,
} from "./stack-file";
import { UserError } from "../infra/errors";

let project: string;
beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), "stack-file-"));
  copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

describe("the project directory", () => {
  it("is the nearest directory holding Pulumi.yaml, as the Pulumi CLI finds it", () => {
    mkdirSync(path.join(project, "a", "b"), { recursive: true });
    expect(projectDir(path.join(project, "a", "b"))).toBe(project);
  });
});

describe("committed stacks", () => {
  it("are every stack file but the ephemeral template and eph-* stacks", () => {
    for (const stack of ["prod", "dev", "ephemeral", "eph-pr-1", "staging"])
      writeFileSync(path.join(project, `Pulumi.${stack}.yaml`), "config: {}\n");
    expect(committedStacks(project)).toEqual(["dev", "prod", "staging"]);
  });
});

describe("reading a stack file", () => {
  it("hands values over as Pulumi does: defaults from Pulumi.yaml, JSON for structure, secrets never decrypted", () => {
    const text =
      "config:\n  tenant:api: { name: A }\n  claims: { namespace: x }\n  tenant:applications: []\n  tenant:postLogin: {}\n  auth0:clientSecret:\n    secure: abc\n";
    const config = stackConfigFromText("s", text, project);
    expect(config.config["tenant:protect"]).toBe("false");
    expect(config.config["tenant:claims"]).toBe('{"namespace":"x"}');
    expect(config.config["auth0:clientSecret"]).toBe(UNDECRYPTED_SECRET);
    expect(config.secretKeys).toEqual(["auth0:clientSecret"]);
  });
  it("refuses the ephemeral template, a missing file and invalid YAML by name", () => {
    expect(() => readStackConfig("ephemeral", project)).toThrow(/template of ephemeral stacks/);
    expect(() => readStackConfig("nope", project)).toThrow(/Pulumi\.nope\.yaml not found/);
    expect(() => stackFileConfig("config: [", "Pulumi.x.yaml")).toThrow(UserError);
    expect(() => stackFileConfig("config: [1]", "Pulumi.x.yaml")).toThrow(/"config" must be a map/);
  });
  it("hands every reader its own copy of a text parsed before, and refuses invalid YAML every time", () => {
    const text = "config:\n  tenant:roles: { editor: { permissions: [read] } }\n";
    const first = stackFileConfig(text, "Pulumi.x.yaml");
    (first["tenant:roles"] as { editor: { permissions: string[] } }).editor.permissions.push("write");
    expect(stackFileConfig(text, "Pulumi.x.yaml")).toEqual({ "tenant:roles": { editor: { permissions: ["read"] } } });
    for (let i = 0; i < 2; i++) expect(() => stackFileConfig("config: [", "Pulumi.x.yaml")).toThrow(/Pulumi\.x\.yaml is not valid YAML/);
  });
});

describe("ephemeral names", () => {
  it("are eph-<id> for a short kebab-case id, and refused otherwise", () => {
    expect(ephemeralStackName("pr-12")).toBe("eph-pr-12");
    expect(ephemeralId("eph-pr-12")).toBe("pr-12");
    expect(() => ephemeralStackName("Feature/Login")).toThrow(/must match/);
  });
  it("recognise a role carrying an ephemeral stack's tag", () => {
    expect(hasEphemeralTag("eph-pr-1:admin")).toBe(true);
    expect(hasEphemeralTag("admin")).toBe(false);
    expect(hasEphemeralTag("eph-:admin")).toBe(false);
  });
});
