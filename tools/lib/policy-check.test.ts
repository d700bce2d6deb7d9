import { REPO_ROOT } from "../../infra/bundle";
import { planStack } from "../../harness/plan";
import { policyFindings } from "./policy-check";

describe("policy findings on a plan", () => {
  it("are empty for the committed prod stack", async () => {
    const result = await policyFindings(await planStack("prod"), REPO_ROOT);
    expect(result).toEqual({ config: "policy/config/prod.json", findings: [] });
  });
  it("flag an http:// callback in prod as mandatory, with the fix", async () => {
    const plan = await planStack("prod");
    const client = plan.resources.find((r) => r.type === "auth0:index/client:Client" && r.name === "marketing-site")!;
    client.inputs = { ...client.inputs, callbacks: ["http://www.myapp.com/callback"] };
    const { findings } = await policyFindings(plan, REPO_ROOT);
    expect(findings).toEqual([
      {
        policy: "auth0-application-urls",
        enforcementLevel: "mandatory",
        message: expect.stringMatching(/"http:\/\/www\.myapp\.com\/callback" uses http\. Fix: use https/),
      },
    ]);
  });
  it("use the ephemeral config for eph- stacks", async () => {
    const plan = await planStack("dev");
    const result = await policyFindings({ ...plan, stack: "eph-x" }, REPO_ROOT);
    expect(result.config).toBe("policy/config/ephemeral.json");
  });
});
