// The review comment as GitHub shows it: rendered by markdown-it (CommonMark with GFM tables, the rules
// GitHub's renderer follows; raw HTML on, as GitHub allows <details>), then read back as a reader would.
import MarkdownIt from "markdown-it";
import { planStack, type Plan } from "../../../harness/plan";
import { diffPlans } from "./diff";
import { code, formatReview, type StackReview } from "./report";
import { updateRisks } from "./risks";
import { reviewUsers, tokenEffect } from "./tokens";

const markdown = new MarkdownIt({ html: true });

let dev: Plan;
beforeAll(async () => {
  dev = await planStack("dev");
});

function copy(plan: Plan): Plan {
  return JSON.parse(JSON.stringify(plan)) as Plan;
}

function resource(plan: Plan, type: string, name: string) {
  return plan.resources.find((r) => r.type === `auth0:index/${type}` && r.name === name)!;
}

/** A client's metadata in a copied plan, to change in place. */
function metadata(plan: Plan, client: string): Record<string, string> {
  return resource(plan, "client:Client", client).inputs.clientMetadata as Record<string, string>;
}

async function stackReview(head: Plan): Promise<StackReview> {
  return {
    stack: "dev",
    diff: diffPlans(dev, head),
    risks: updateRisks(dev, head),
    tokens: await tokenEffect(dev, head, reviewUsers()),
  };
}

async function rendered(head: Plan): Promise<string> {
  return markdown.render(formatReview({ base: "0123456789abcdef", stacks: [await stackReview(head)] }, "markdown"));
}

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();

/** Every table in rendered HTML, as rows of cell texts (header first). */
function tables(html: string): string[][][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, table]) =>
    [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
      [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, c]) => decode(c)),
    ),
  );
}

/** The text of the element that follows a paragraph containing `marker`, up to the next paragraph. */
function sectionAfter(html: string, marker: string): string {
  const start = html.indexOf(marker);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start);
}

describe("the review comment, rendered as GitHub renders it", () => {
  it("opens each stack with one summary line of counts", async () => {
    const head = copy(dev);
    resource(head, "client:Client", "dashboard").inputs.clientMetadata = {
      tier: "pro",
      requires_tenant: "true",
      minimum_plan: "enterprise",
    };
    resource(head, "resourceServer:ResourceServer", "api").inputs.identifier = "https://api2.dev.myapp.com/";
    head.resources = head.resources.filter((r) => r.name !== "mobile-credentials");
    const extra = resource(dev, "role:Role", "roles-viewer");
    head.resources.push({
      ...extra,
      urn: extra.urn.replace(/roles-viewer$/, "roles-auditor"),
      name: "roles-auditor",
      inputs: { name: "auditor" },
    });
    const html = await rendered(head);
    const summary = /<p><strong>([^<]*)<\/strong><\/p>/.exec(html)?.[1];
    // Added: the role; changed: the dashboard; replaced: the API (its identifier); deleted: the credentials.
    // Newly denied: the two fixture users below the enterprise plan who had a tenant (the others were denied before).
    expect(summary).toBe("1 added, 1 changed, 1 replaced, 1 deleted; logins: 2 newly denied, 0 newly allowed");
  });

  it("shows per application one table of fixture users × claims, before → after", async () => {
    const head = copy(dev);
    metadata(head, "dashboard").tier = "enterprise";
    const html = await rendered(head);
    const section = sectionAfter(html, "app <code>dashboard</code> (enterprise)");
    const [table] = tables(section);
    expect(table[0]).toEqual(["user", "https://myapp.com/features", "https://myapp.com/tier"]);
    expect(table).toContainEqual(["editor-premium", '["reports","export"] → ["reports","export","sso","audit-log"]', "pro → enterprise"]);
    expect(table.slice(1).every((row) => row.length === 3)).toBe(true);
    expect(tables(html)).toHaveLength(2); // the resource changes, and this one application's logins
  });

  it("shows an added resource with its inputs", async () => {
    const head = copy(dev);
    const role = resource(head, "role:Role", "roles-viewer");
    head.resources.push({
      ...role,
      urn: `${role.urn}-2`,
      name: "roles-viewer-2",
      inputs: { name: "auditor", description: "Reads audit logs" },
    });
    const html = await rendered(head);
    const details = /<details><summary>\+ add <code>auth0:Role<\/code> <code>roles-viewer-2<\/code><\/summary>([\s\S]*?)<\/details>/.exec(
      html,
    );
    expect(details).not.toBeNull();
    expect(JSON.parse(decode(details![1]))).toEqual({ name: "auditor", description: "Reads audit logs" });
  });

  it("shows a changed value whole, never cut at the difference, and names the nested key that changed", async () => {
    const long = `${"A description long enough to be cut by any summary. ".repeat(6)}The end differs | with a pipe and a \`tick\`.`;
    const head = copy(dev);
    resource(head, "client:Client", "dashboard").inputs.description = long;
    metadata(head, "analytics").tier = "pro";
    const rows = tables(await rendered(head))[0];
    expect(rows[0]).toEqual(["change", "resource", "input", "before", "after"]);
    expect(rows).toContainEqual(["~ update", "auth0:Client dashboard", "description", "Managed by Pulumi", long]);
    expect(rows).toContainEqual(["~ update", "auth0:Client analytics", "clientMetadata.tier", "enterprise", "pro"]);
    expect(rows.every((row) => row.length === 5)).toBe(true);
  });

  it("shows a new application's logins as who it allows and denies, not as changes", async () => {
    const head = copy(dev);
    const analytics = resource(head, "client:Client", "analytics");
    head.resources.push({
      ...analytics,
      urn: analytics.urn.replace(/analytics$/, "insights"),
      name: "insights",
      inputs: { ...analytics.inputs, name: "MyApp Insights (dev)" },
    });
    const html = await rendered(head);
    expect(html).not.toMatch(/now denied|→ denied/);
    const section = sectionAfter(html, "app <code>insights</code> (enterprise)</strong>: new application");
    const [table] = tables(section);
    expect(table[0].slice(0, 2)).toEqual(["user", "login"]);
    const login = Object.fromEntries(table.slice(1).map((row) => [row[0], row[1]]));
    expect(login["admin-enterprise"]).toBe("allowed");
    expect(login["viewer-free"]).toMatch(/^denied: .*enterprise/);
    expect(table.slice(1).some((row) => row.some((c) => c.includes("→")))).toBe(false);
  });

  it("puts a login-breaking risk in a quote a reader cannot miss", async () => {
    const head = copy(dev);
    const bindings = resource(head, "triggerActions:TriggerActions", "post-login");
    head.resources = head.resources.filter((r) => r !== bindings);
    head.resources.push({
      ...bindings,
      type: "auth0:index/triggerAction:TriggerAction",
      urn: bindings.urn.replace("triggerActions:TriggerActions::post-login", "triggerAction:TriggerAction::post-login-claim-mapping"),
      name: "post-login-claim-mapping",
      inputs: { trigger: "post-login", actionId: "[unknown]", displayName: "claim-mapping" },
    });
    const html = await rendered(head);
    expect(html).toMatch(
      /<blockquote>\s*<p><strong>Login-breaking risk: post-login binding mode owner → additive in one update\.<\/strong>/,
    );
  });
});

describe("code spans", () => {
  it.each(["plain", "a `tick`", "`starts", "ends`", "``double``", "pipe | inside"])("hold %j exactly", (text) => {
    const html = markdown.renderInline(code(text));
    expect(decode(html)).toBe(text);
  });
});
