// The committed stacks pass the pack under their own policy config, planned by the same engine as
// `npm run plan`; and each config file sets the levels its environment needs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planStack, type PlannedResource } from "../harness/plan";
import { resolvePackConfig, runPack } from "./harness";
import { policies } from "./pack";
import type { PlainResource } from "./policies/define";

function packConfig(name: string) {
  return resolvePackConfig(policies, JSON.parse(readFileSync(join(__dirname, "config", `${name}.json`), "utf8")));
}

function plain(resources: PlannedResource[]): PlainResource[] {
  return resources.map(({ type, name, urn, inputs }) => ({ type, name, urn, props: inputs }));
}

const plans = new Map<string, PlainResource[]>();
beforeAll(async () => {
  for (const stack of ["dev", "prod"]) plans.set(stack, plain((await planStack(stack)).resources));
});

function planned(stack: string): PlainResource[] {
  const resources = plans.get(stack);
  if (!resources) throw new Error(`no plan for ${stack}`);
  return resources;
}

describe("policy config files", () => {
  it.each([
    ["prod", "mandatory"],
    ["dev", "advisory"],
    ["ephemeral", "advisory"],
  ])("%s.json names every policy of the pack and sets each to %s", (name, level) => {
    const file = JSON.parse(readFileSync(join(__dirname, "config", `${name}.json`), "utf8")) as Record<string, unknown>;
    expect(Object.keys(file).sort()).toEqual(policies.map((p) => p.name).sort());
    for (const [policy, settings] of packConfig(name)) expect([policy, settings.enforcementLevel]).toEqual([policy, level]);
  });

  it("allows localhost only outside prod, and marks only the ephemeral config ephemeral", () => {
    const property = (name: string, policy: string, key: string) => packConfig(name).get(policy)?.properties[key];
    expect(["prod", "dev", "ephemeral"].map((name) => property(name, "auth0-application-urls", "allowLocalhost"))).toEqual([
      false,
      true,
      true,
    ]);
    expect(["prod", "dev", "ephemeral"].map((name) => property(name, "auth0-trigger-binding-owner", "ephemeral"))).toEqual([
      false,
      false,
      true,
    ]);
  });
});

describe.each(["dev", "prod"])("the committed %s stack", (stack) => {
  it("passes every policy under its own config, with no policy skipped for unknown values", async () => {
    expect(await runPack(policies, planned(stack), packConfig(stack))).toEqual([]);
  });

  it("has an Action the checks actually read: deployed node22 code with a claim namespace", () => {
    const action = planned(stack).find((r) => r.type === "auth0:index/action:Action");
    expect(action?.props).toMatchObject({ runtime: "node22", deploy: true });
    expect(action?.props.code).toMatch(/\bnamespace:\s*"https:\/\/myapp\.com\/"/);
  });
});

describe("config decides what a stack may do, not its name", () => {
  it("prod's config refuses dev's localhost URLs, as mandatory violations", async () => {
    const findings = await runPack(policies, planned("dev"), packConfig("prod"));
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding).toMatchObject({ policy: "auth0-application-urls", enforcementLevel: "mandatory" });
      expect(finding.message).toContain("points at localhost");
    }
  });

  it("the ephemeral config refuses a plan that owns post-login with TriggerActions", async () => {
    const findings = await runPack(policies, planned("dev"), packConfig("ephemeral"));
    expect(findings).toEqual([
      expect.objectContaining({
        policy: "auth0-trigger-binding-owner",
        enforcementLevel: "advisory",
        message: expect.stringContaining('set tenant:postLogin.mode to "additive"'),
      }),
    ]);
  });
});
