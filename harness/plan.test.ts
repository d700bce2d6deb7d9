// The plan engine's printing of secrets: where a real preview hides a value, the plan hides it too, and
// nothing else (an Action secret's name stays readable); no secret value ever reaches plan output.
import * as programModule from "../infra/program";
import { planConfig } from "./plan";
import { formatPlan } from "../tools/lib/plan-format";
import { readStackConfig } from "./stack-file";

const CLIENT_SECRET = "client-secret-that-must-never-print";
const SOR_KEY = "sor-api-key-that-must-never-print";

/** The dev stack with secrets whose values a test can look for (the committed ones are not decryptable). */
function devWithKnownSecrets() {
  const stackConfig = readStackConfig("dev");
  return {
    ...stackConfig,
    config: { ...stackConfig.config, "auth0:clientSecret": CLIENT_SECRET, "tenant:enrichmentApiKey": SOR_KEY },
  };
}

describe("secrets in the plan", () => {
  it("shows an Action secret's name with only its value hidden, as a real preview does", async () => {
    const plan = await planConfig(devWithKnownSecrets());
    const action = plan.resources.find((r) => r.type === "auth0:index/action:Action")!;
    expect(action.inputs.secrets).toEqual([{ name: "SOR_API_KEY", value: "[secret]" }]);
    expect(plan.resources.find((r) => r.type === "pulumi:providers:auth0")?.inputs.clientSecret).toBe("[secret]");
  });
  it("never prints a secret value, in JSON or in the table", async () => {
    const plan = await planConfig(devWithKnownSecrets());
    for (const printed of [JSON.stringify(plan), formatPlan(plan)]) {
      expect(printed).not.toContain(CLIENT_SECRET);
      expect(printed).not.toContain(SOR_KEY);
    }
    expect(formatPlan(plan)).toMatch(/"claim-mapping" node22 deploy=true code=\d+ bytes secrets=SOR_API_KEY/);
  });
});

describe("the readable plan", () => {
  it("ends with the counts by kind, as terraform plan and pulumi preview do", async () => {
    const plan = await planConfig(readStackConfig("prod"));
    const last = formatPlan(plan).trimEnd().split("\n").pop();
    expect(last).toMatch(/^Resources: \d+ \(/);
    expect(last).toContain("5 auth0:Client, ");
    expect(last).toContain("1 auth0:TriggerActions");
    expect(Number(/^Resources: (\d+)/.exec(last!)?.[1])).toBe(plan.resources.length);
    const byKind = [...last!.matchAll(/(\d+) [\w:]+/g)].map((m) => Number(m[1]));
    expect(byKind.reduce((a, b) => a + b, 0)).toBe(plan.resources.length);
  });
});

describe("planning a config again", () => {
  it("hands back a copy of the plan it made, runs the program again when asked to, and refuses a bad config every time", async () => {
    const config = readStackConfig("prod");
    const runs = jest.spyOn(programModule, "program");
    try {
      const first = await planConfig(config);
      const ran = runs.mock.calls.length;
      const copy = structuredClone(first);
      first.resources.length = 0;
      expect(await planConfig(config)).toEqual(copy);
      expect(runs.mock.calls.length).toBe(ran);
      expect(await planConfig(config, { fresh: true })).toEqual(copy);
      expect(runs.mock.calls.length).toBe(ran + 1);
    } finally {
      runs.mockRestore();
    }
    const bad = { ...config, config: { ...config.config, "tenant:api": "{}" } };
    for (let i = 0; i < 2; i++) await expect(planConfig(bad)).rejects.toThrow(/tenant:api/);
  });
});
