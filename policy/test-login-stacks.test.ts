// An ephemeral stack's test logins (tenant:testLogin) pass the pack under the ephemeral config and are
// refused, mandatory, under prod's config and advisory under dev's, planned by the same engine as `npm run plan`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planConfig } from "../harness/plan";
import { ephemeralStackName, stackConfigFromText } from "../harness/stack-file";
import { renderStackFile, TEMPLATE_FILE } from "../tools/lib/ephemeral/stack-file";
import { resolvePackConfig, runPack } from "./harness";
import { policies } from "./pack";
import type { PlainResource } from "./policies/define";

const packConfig = (name: string) =>
  resolvePackConfig(policies, JSON.parse(readFileSync(join(__dirname, "config", `${name}.json`), "utf8")));

let planned: PlainResource[] = [];
beforeAll(async () => {
  const template = readFileSync(join(__dirname, "..", TEMPLATE_FILE), "utf8");
  const plan = await planConfig(stackConfigFromText(ephemeralStackName("pol"), renderStackFile(template, "pol")));
  planned = plan.resources.map(({ type, name, urn, inputs }) => ({ type, name, urn, props: inputs }));
});

describe("an ephemeral stack with test logins", () => {
  it("plans a connection, test users and their roles", () => {
    const types = planned.map((r) => r.type);
    expect(types).toContain("auth0:index/connection:Connection");
    expect(types.filter((t) => t === "auth0:index/user:User").length).toBeGreaterThan(1);
  });

  it("passes the test-login policy under the ephemeral config", async () => {
    const findings = await runPack(policies, planned, packConfig("ephemeral"));
    expect(findings.filter((f) => f.policy === "auth0-test-login-ephemeral-only")).toEqual([]);
  });

  it.each([
    ["prod", "mandatory"],
    ["dev", "advisory"],
  ])("is refused under %s's config (%s): the grant, the connection and every test user", async (name, level) => {
    const findings = (await runPack(policies, planned, packConfig(name))).filter((f) => f.policy === "auth0-test-login-ephemeral-only");
    for (const f of findings) expect(f.enforcementLevel).toBe(level);
    const messages = findings.map((f) => f.message).join("\n");
    expect(messages).toMatch(/allows the test-only grant http:\/\/auth0.com\/oauth\/grant-type\/password-realm/);
    expect(messages).toMatch(/Connection "test-login-connection" is a test connection/);
    expect(messages).toMatch(/User "test-login-viewer-free" is a test user/);
    expect(messages).toMatch(/UserRoles "test-login-viewer-free-roles" is a test user/);
  });
});
