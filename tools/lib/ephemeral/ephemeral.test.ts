// Ephemeral stacks: isolation inside the shared sandbox tenant, the guards, and the lifecycle against an
// in-memory Automation API.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseSettings, SettingsError } from "../../../infra/settings";
import { planConfig, type Plan } from "../../../harness/plan";
import { simulateLogin, eventClientFor } from "../../../harness/login";
import { ephemeralStackName, stackConfigFromText } from "../../../harness/stack-file";
import { claimsIn, destroy, gc, StepError, up, writeConfig } from "./lifecycle";
import { parseDuration, renderStackFile, TAGS, TEMPLATE_FILE } from "./stack-file";
import { fakeDeps } from "../../../test/support/fake-workspace";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const TEMPLATE = readFileSync(path.join(ROOT, TEMPLATE_FILE), "utf8");
const configOf = (id: string, text = TEMPLATE) => stackConfigFromText(ephemeralStackName(id), renderStackFile(text, id));
const settingsOf = (id: string, text = TEMPLATE) => parseSettings(ephemeralStackName(id), configOf(id, text).config);

function rejection(id: string, text: string): string {
  try {
    settingsOf(id, text);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("two ephemeral stacks planned side by side", () => {
  const plans: Plan[] = [];
  beforeAll(async () => {
    plans.push(await planConfig(configOf("alpha")), await planConfig(configOf("beta")));
  });
  const auth0Names = (plan: Plan) =>
    plan.resources.flatMap((r) => {
      const inputs = r.inputs as Record<string, unknown>;
      if (r.type === "auth0:index/resourceServer:ResourceServer") return [inputs.name, inputs.identifier];
      return ["Client", "Role", "Action"].some((t) => r.type.endsWith(`:${t}`)) ? [inputs.name] : [];
    });

  it("share no Auth0 name, with each other or with dev's", async () => {
    const dev = new Set(auth0Names(await planConfig(stackConfigFromText("dev", readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")))));
    const [alpha, beta] = plans.map((p) => auth0Names(p));
    expect(alpha.length).toBeGreaterThan(8);
    expect(alpha.filter((n) => beta.includes(n) || dev.has(n))).toEqual([]);
    expect(alpha.every((n) => String(n).includes("eph-alpha"))).toBe(true);
  });
  it("bind with one TriggerAction each and never with TriggerActions", () => {
    for (const plan of plans) {
      expect(plan.resources.filter((r) => r.type === "auth0:index/triggerActions:TriggerActions")).toEqual([]);
      expect(
        plan.resources
          .filter((r) => r.type === "auth0:index/triggerAction:TriggerAction")
          .map((r) => (r.inputs as { trigger: string }).trigger),
      ).toEqual(["post-login"]);
    }
  });
  it("keep dev's logical names for roles, so renaming nothing replaces nothing", () => {
    const roles = plans[0].resources.filter((r) => r.type === "auth0:index/role:Role").map((r) => r.name);
    expect(roles.sort()).toEqual(["roles-admin", "roles-editor", "roles-viewer"]);
  });
  it("mark every client with its stack", () => {
    plans.forEach((plan, i) => {
      const clients = plan.resources.filter((r) => r.type === "auth0:index/client:Client");
      expect(clients.length).toBeGreaterThan(0);
      for (const c of clients)
        expect((c.inputs as { clientMetadata: Record<string, string> }).clientMetadata.stack_marker).toBe(["eph-alpha", "eph-beta"][i]);
    });
  });
});

describe("an ephemeral stack's test logins, as planned", () => {
  const plans: Plan[] = [];
  beforeAll(async () => {
    plans.push(await planConfig(configOf("alpha")), await planConfig(configOf("beta")));
  });
  const of = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === `auth0:index/${type}`);

  it("give each stack a connection of its own, enabled for its interactive clients only", () => {
    const [alpha, beta] = plans.map((p) => of(p, "connection:Connection")[0].inputs as Record<string, unknown>);
    expect(alpha).toMatchObject({ name: "tests-eph-alpha", strategy: "auth0", options: { disableSignup: true } });
    expect(beta.name).toBe("tests-eph-beta");
    const enabled = of(plans[0], "connectionClients:ConnectionClients")[0].inputs as { enabledClients: unknown[] };
    // Client IDs are unknown until deployment; the interactive applications are four of the five.
    expect(enabled.enabledClients).toHaveLength(4);
  });

  it("create every fixture user in that connection, with a tagged email, and a password that is never in clear", () => {
    const users = of(plans[0], "user:User").map((r) => r.inputs as Record<string, unknown>);
    expect(users.map((u) => u.email).sort()).toEqual(
      ["admin-enterprise", "editor-premium", "no-metadata", "premium-no-tenant", "viewer-free"].map(
        (k) => `${k}.eph-alpha@example.invalid`,
      ),
    );
    for (const user of users) {
      expect(user.connectionName).toBe("tests-eph-alpha");
      expect(user.password).toBe("[secret]");
    }
    const passwords = plans[0].resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
    expect(passwords.map((r) => (r.inputs as { length: number }).length)).toEqual([32, 32, 32, 32, 32]);
    expect(JSON.parse(String(users.find((u) => u.email === "editor-premium.eph-alpha@example.invalid")!.appMetadata))).toEqual({
      tenant_id: "t-2",
      plan: "premium",
    });
  });

  it("give the interactive clients the test-only password-realm grant, and the worker none", () => {
    for (const client of of(plans[0], "client:Client")) {
      const inputs = client.inputs as { appType: string; grantTypes: string[] };
      expect(inputs.grantTypes.includes("http://auth0.com/oauth/grant-type/password-realm")).toBe(inputs.appType !== "non_interactive");
    }
  });

  it("assign roles only to users that have some", () => {
    expect(
      of(plans[0], "userRoles:UserRoles")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["test-login-admin-enterprise-roles", "test-login-editor-premium-roles", "test-login-viewer-free-roles"]);
  });
});

describe("the ephemeral bundle", () => {
  const settings = settingsOf("alpha");
  const user = { user_id: "auth0|1", app_metadata: { tenant_id: "t-1", plan: "premium", roles: ["viewer"] } };

  it("leaves a foreign application's login untouched: no claims, no denial", async () => {
    const foreign: Record<string, string>[] = [
      { tier: "pro" },
      { tier: "pro", stack_marker: "eph-beta", requires_tenant: "true", minimum_plan: "enterprise" },
    ];
    for (const metadata of foreign) {
      const result = await simulateLogin(
        { settings },
        {
          user: { user_id: "auth0|2" },
          client: { client_id: "foreign", name: "Foreign", metadata },
        },
      );
      expect(result).toMatchObject({ idToken: {}, accessToken: {}, denied: null, failed: null });
    }
  });
  it("maps its own prefixed roles to plain names and ignores other stacks' roles and app_metadata.roles", async () => {
    const result = await simulateLogin(
      { settings },
      {
        user,
        client: eventClientFor(settings, "marketing-site"),
        roles: ["eph-alpha:editor", "eph-beta:admin", "admin"],
      },
    );
    expect(result.accessToken).toEqual({
      "https://myapp.com/tenant": "t-1",
      "https://myapp.com/roles": ["editor"],
      "https://myapp.com/plan": "premium",
      "https://myapp.com/tier": "free",
      "https://myapp.com/features": ["reports"],
    });
  });
});

describe("the guards", () => {
  it("refuse a protected domain, however it is written, before anything is registered", () => {
    for (const domain of ["dev-myapp.eu.auth0.com", "HTTPS://Dev-MyApp.EU.auth0.com./", "login.myapp.com."]) {
      const message = rejection("alpha", TEMPLATE.replace("auth0:domain: sandbox-myapp.eu.auth0.com", `auth0:domain: "${domain}"`));
      expect(message).toContain(`auth0:domain: ${domain} is a protected domain (tenant:isolation.protectedDomains)`);
      expect(message).toMatch(/owns the post-login bindings with TriggerActions/);
    }
  });
  it("refuse an ephemeral stack that would own the post-login list", () => {
    expect(rejection("alpha", TEMPLATE.replace("mode: additive", "mode: owner"))).toMatch(
      /tenant:postLogin\.mode: an ephemeral stack shares the sandbox tenant's post-login list: it must bind with mode additive/,
    );
  });
  it("refuse a config that mixes TriggerActions and TriggerAction on one trigger", () => {
    const mixed = TEMPLATE.replace("actions: [claim-mapping]", "actions: [{ action: claim-mapping, mode: owner }]");
    expect(rejection("alpha", mixed)).toMatch(
      /tenant:postLogin\.actions\[0\]: mixes TriggerActions \(owner\) and TriggerAction \(additive\) on the post-login trigger/,
    );
  });
  it("refuse an eph- stack without isolation, and an id that does not match its stack", () => {
    const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
    expect(() => parseSettings("eph-x", stackConfigFromText("eph-x", dev).config)).toThrow(
      /tenant:isolation: is required for the ephemeral stack eph-x/,
    );
    expect(() => parseSettings("eph-x", configOf("y").config)).toThrow(/tenant:isolation.id: "y" does not match the stack name eph-x/);
  });
  it("refuse an id that is not a stack-name fragment", () => {
    expect(() => ephemeralStackName("Feature/Login")).toThrow(/must match/);
  });
});

describe("durations", () => {
  it("read 12h and 7d", () => {
    expect(parseDuration("12h")).toBe(12 * 3600_000);
    expect(parseDuration("7d")).toBe(7 * 86_400_000);
    expect(() => parseDuration("7 days")).toThrow(/write it like 12h or 7d/);
  });
});

describe("the lifecycle", () => {
  // The orchestration alone, in memory: without test users (the logins are tested against the loopback
  // sandbox in test-logins.test.ts), so compare-logins has nothing to log in with.
  const withoutTestLogin = TEMPLATE.replace(/ {2}# Test-only:[\s\S]*?(?= {2}tenant:isolation:)/, "");
  const files = () => new Map([[TEMPLATE_FILE, withoutTestLogin]]);
  const smokeClaims = (event: Record<string, unknown>) => {
    // What Auth0's test endpoint reports for a working Action: the claims it set.
    void event;
    return {
      accessToken: {
        customClaims: {
          "https://myapp.com/tenant": "t-smoke",
          "https://myapp.com/roles": ["admin"],
          "https://myapp.com/plan": "enterprise",
          "https://myapp.com/tier": "free",
          "https://myapp.com/features": ["reports"],
        },
      },
    };
  };

  it("`config` writes the stack file from the template, with the id", () => {
    const store = files();
    writeConfig(fakeDeps(store).deps, "pr-1");
    expect(store.get("Pulumi.eph-pr-1.yaml")).toMatch(/tenant:isolation:\n(.*\n)*\s+id: pr-1/);
  });

  it("`up` creates, tags, configures, deploys, verifies the binding and smoke-checks, in that order", async () => {
    const { deps, workspace, tenant, log } = fakeDeps(files());
    tenant.testPayload = smokeClaims;
    const result = await up(deps, "pr-1");
    expect(workspace.calls).toEqual([
      "createStack eph-pr-1",
      `setTag eph-pr-1 ${TAGS.createdAt}`,
      `setTag eph-pr-1 ${TAGS.creator}`,
      "setConfig eph-pr-1 auth0:clientId",
      "setConfig eph-pr-1 auth0:clientSecret (secret)",
      "up eph-pr-1",
    ]);
    expect(result).toMatchObject({
      stack: "eph-pr-1",
      domain: "sandbox-myapp.eu.auth0.com",
      actionId: "act-eph-pr-1",
      smoke: { application: "marketing-site" },
    });
    expect(log.filter((l) => l.startsWith("ephemeral:"))).toEqual(
      [
        "validate",
        "check-bindings",
        "create-stack",
        "write-config",
        "deploy",
        "read-outputs",
        "verify-binding",
        "smoke-check",
        "compare-logins",
      ].map((s) => `ephemeral: ${s}`),
    );
    expect(JSON.stringify(result) + log.join("\n")).not.toContain("sandbox-secret-value");
  });

  it("re-applies once when a concurrent update dropped its binding", async () => {
    const { deps, workspace, tenant } = fakeDeps(files());
    tenant.testPayload = smokeClaims;
    tenant.dropBindingOnUps.add(1);
    await up(deps, "pr-2");
    expect(workspace.calls.filter((c) => c.startsWith("up"))).toEqual(["up eph-pr-2", "up eph-pr-2"]);
  });

  it("refuses to start when post-login already holds 20 Actions, creating nothing", async () => {
    const { deps, workspace, tenant } = fakeDeps(files());
    tenant.bindings = Array.from({ length: 20 }, (_, i) => ({ actionId: `a${i}`, displayName: `other-${i}` }));
    await expect(up(deps, "pr-3")).rejects.toThrow(
      /step "check-bindings" failed: post-login already holds 20 Actions[\s\S]*nothing was created/,
    );
    expect(workspace.calls).toEqual([]);
  });

  it("fails the smoke check when the deployed Action does not set the expected claims", async () => {
    const { deps } = fakeDeps(files());
    await expect(up(deps, "pr-4")).rejects.toThrow(
      /step "smoke-check" failed: the deployed Action did not set https:\/\/myapp.com\/tenant/,
    );
  });

  it("after a failure in the middle of `up`, says which step and leaves what `destroy` removes cleanly", async () => {
    const store = files();
    const { deps, workspace, tenant } = fakeDeps(store);
    workspace.failOnce.add("up");
    const failure = await up(deps, "pr-5").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StepError);
    expect((failure as StepError).step).toBe("deploy");
    expect((failure as Error).message).toMatch(/the stack eph-pr-5 exists: remove it with `npm run ephemeral -- destroy pr-5`/);

    await expect(destroy(deps, "pr-5")).resolves.toEqual({ stack: "eph-pr-5", destroyed: true });
    expect(workspace.stacks.has("eph-pr-5")).toBe(false);
    expect(store.has("Pulumi.eph-pr-5.yaml")).toBe(false);
    expect(tenant.bindings).toEqual([]);
  });

  it("removes a stack whose tagging failed, so nothing is left untagged for gc to miss", async () => {
    const { deps, workspace } = fakeDeps(files());
    workspace.failOnce.add("setTag");
    await expect(up(deps, "pr-6")).rejects.toThrow(/step "create-stack" failed[\s\S]*destroy pr-6/);
    await destroy(deps, "pr-6");
    expect(workspace.stacks.size).toBe(0);
  });

  it("`gc` destroys only eph- stacks created before the cut-off", async () => {
    const { deps, workspace } = fakeDeps(files());
    const add = async (name: string, createdAt?: string) => {
      await workspace.createStack(name);
      if (createdAt) await workspace.setTag(name, TAGS.createdAt, createdAt);
    };
    await add("eph-old", "2026-11-20T12:00:00Z");
    await add("eph-new", "2026-11-29T06:00:00Z");
    await add("eph-untagged");
    await add("dev", "2020-01-01T00:00:00Z");
    const result = await gc(deps, parseDuration("2d"));
    expect(result).toEqual({ destroyed: ["eph-old"], kept: ["eph-new", "eph-untagged"], failed: [] });
    expect([...workspace.stacks.keys()].sort()).toEqual(["dev", "eph-new", "eph-untagged"]);
  });

  it("`gc` goes on past a stack that fails to destroy, and reports it", async () => {
    const { deps, workspace } = fakeDeps(files());
    for (const name of ["eph-a", "eph-b"]) {
      await workspace.createStack(name);
      await workspace.setTag(name, TAGS.createdAt, "2026-01-01T00:00:00Z");
    }
    workspace.failOnce.add("destroy");
    const result = await gc(deps, parseDuration("1d"));
    expect(result.destroyed).toEqual(["eph-b"]);
    expect(result.failed).toEqual([{ stack: "eph-a", error: expect.stringMatching(/step "destroy" failed/) }]);
  });
});

describe("claimsIn", () => {
  it("finds claims in a claims map and in recorded commands", () => {
    expect(
      claimsIn(
        {
          a: { "https://x/t": "1" },
          commands: [
            { name: "https://x/p", value: ["v"] },
            { name: "other", value: 1 },
          ],
        },
        "https://x/",
      ),
    ).toEqual({
      "https://x/t": "1",
      "https://x/p": ["v"],
    });
  });
});
