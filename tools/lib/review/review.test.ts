// The review: resource diffs with the replacement table, the Action's source diff, and the token effect.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { planConfig, planStack, type Plan } from "../../../harness/plan";
import { readStackConfig } from "../../../harness/stack-file";
import { updateRisks } from "./risks";
import { review } from ".";
import { diffPlans } from "./diff";
import { COMMENT_MARKER, formatReview } from "./report";
import { REPLACE_ON } from "./replace";
import { reviewUsers, tokenEffect } from "./tokens";
import { bundleClaimMapping } from "../../../infra/bundle";
import { readStackSettings } from "../../../harness/stack-file";

let dev: Plan;
beforeAll(async () => {
  dev = await planStack("dev");
});

/** A copy of the dev plan with one resource's inputs changed. */
function changed(name: string, type: string, change: (inputs: Record<string, any>) => void): Plan {
  const copy = JSON.parse(JSON.stringify(dev)) as Plan;
  const resource = copy.resources.find((r) => r.name === name && r.type === type)!;
  change(resource.inputs);
  return copy;
}

describe("the resource diff", () => {
  it("finds nothing between a plan and itself", () => {
    expect(diffPlans(dev, dev)).toEqual({ added: [], removed: [], changed: [], actionSource: [] });
  });
  it("marks a changed API identifier as a replacement", () => {
    const head = changed("api", "auth0:index/resourceServer:ResourceServer", (i) => (i.identifier = "https://api2.example/"));
    const [change] = diffPlans(dev, head).changed;
    expect(change).toMatchObject({
      replace: true,
      inputs: [{ input: "identifier", before: "https://api.dev.myapp.com/", after: "https://api2.example/", replace: true }],
    });
  });
  it("marks a changed tier as an in-place update", () => {
    const head = changed("dashboard", "auth0:index/client:Client", (i) => (i.clientMetadata.tier = "enterprise"));
    expect(diffPlans(dev, head).changed).toEqual([
      expect.objectContaining({ replace: false, inputs: [expect.objectContaining({ input: "clientMetadata" })] }),
    ]);
  });
  it("lists added and removed resources, a stack that did not exist as all added", () => {
    const head: Plan = { ...dev, resources: dev.resources.filter((r) => r.name !== "mobile-credentials") };
    expect(diffPlans(dev, head).removed.map((r) => r.name)).toEqual(["mobile-credentials"]);
    expect(diffPlans(null, dev).added).toHaveLength(dev.resources.length);
  });
  it("shows the Action as a readable diff of its source", async () => {
    const settings = readStackSettings("dev");
    const other = await bundleClaimMapping({ ...settings.claimMapping, plans: ["free", "premium", "enterprise", "platinum"] });
    const head = changed("claim-mapping", "auth0:index/action:Action", (i) => (i.code = other.code));
    const [source] = diffPlans(dev, head).actionSource;
    expect(source.name).toBe("claim-mapping");
    // infra/bundle.ts writes one settings key per line: the changed key's line is the diff.
    expect(source.patch).toMatch(/^\+\s+plans: \[.*"platinum"\],$/m);
    expect(source.patch.split("\n").length).toBeLessThan(20);
  });
});

describe("the replacement table", () => {
  it.each(Object.entries(REPLACE_ON))("names real inputs of %s", (type, inputs) => {
    const module = type.split("/")[1].split(":")[0];
    const declarations = readFileSync(path.join(__dirname, "../../../node_modules/@pulumi/auth0", `${module}.d.ts`), "utf8");
    for (const input of inputs) expect(declarations).toMatch(new RegExp(`\\n\\s+${input}\\??: pulumi\\.Input`));
  });
});

describe("the token effect", () => {
  const users = reviewUsers();
  it("is empty when nothing changes", async () => {
    expect(await tokenEffect(dev, dev, users)).toEqual([]);
  });
  it("shows what a tier change gives each fixture user, and only that", async () => {
    const head = changed("dashboard", "auth0:index/client:Client", (i) => (i.clientMetadata.tier = "enterprise"));
    const changes = await tokenEffect(dev, head, users);
    expect(new Set(changes.map((c) => c.app))).toEqual(new Set(["dashboard"]));
    const editor = changes.find((c) => c.user === "editor-premium")!;
    expect(editor.claims).toEqual([
      {
        claim: "https://myapp.com/features",
        tokens: ["ID", "access"],
        before: ["reports", "export"],
        after: ["reports", "export", "sso", "audit-log"],
      },
      { claim: "https://myapp.com/tier", tokens: ["ID", "access"], before: "pro", after: "enterprise" },
    ]);
    const text = formatReview(
      { base: "abc", stacks: [{ stack: "dev", diff: diffPlans(dev, head), risks: [], tokens: changes }] },
      "markdown",
    );
    expect(text).toContain(
      '| `editor-premium` | `["reports","export"]` → `["reports","export","sso","audit-log"]` | `pro` → `enterprise` |',
    );
    expect(text.startsWith(COMMENT_MARKER)).toBe(true);
  });
  it("reports a login that becomes denied", async () => {
    const head = changed("marketing-site", "auth0:index/client:Client", (i) => (i.clientMetadata.minimum_plan = "enterprise"));
    const changes = await tokenEffect(dev, head, users);
    expect(changes.find((c) => c.user === "editor-premium")?.denied).toEqual({
      before: null,
      after: expect.stringMatching(/requires the enterprise plan/),
    });
  });
  it("covers every plan, a role mix and a user with no metadata", () => {
    const plans = new Set(users.map((u) => (u.profile.app_metadata as { plan?: string } | undefined)?.plan));
    expect(plans).toEqual(new Set([undefined, "free", "premium", "enterprise"]));
    expect(users.some((u) => u.profile.app_metadata === undefined)).toBe(true);
  });
});

describe("npm run review", () => {
  it("plans the merge-base from that revision's own tree", async () => {
    const result = await review("HEAD", "prod");
    const head = await planStack("prod");
    expect(result.base).toMatch(/^[0-9a-f]{40}$/);
    expect(result.stacks.map((s) => s.stack)).toEqual(["prod"]);
    // The base revision has a prod stack, so not everything shows as added.
    expect(result.stacks[0].diff.added.length).toBeLessThan(head.resources.length);
  });
});

describe("the review of a binding-mode switch", () => {
  it("names a one-update switch as a login-breaking risk, with the two-step migration", async () => {
    const stackConfig = readStackConfig("dev");
    const additive = await planConfig({
      ...stackConfig,
      config: { ...stackConfig.config, "tenant:postLogin": JSON.stringify({ mode: "additive", actions: ["claim-mapping"] }) },
    });
    const text = formatReview(
      { base: "abc", stacks: [{ stack: "dev", diff: diffPlans(dev, additive), risks: updateRisks(dev, additive), tokens: [] }] },
      "markdown",
    );
    expect(text).toMatch(/^> \*\*Login-breaking risk: post-login binding mode owner → additive in one update\.\*\* .*switchTo: additive/m);
  });
});
