// The program under Pulumi's mock engine, with each committed stack file: what `pulumi up` would deploy.
import * as pulumi from "@pulumi/pulumi";
import { ENRICHMENT_SECRET } from "../actions/claim-mapping/settings";
import * as bundleModule from "./bundle";
import { bundleClaimMapping } from "./bundle";
import { defineTenant } from "./tenant";
import { planStack, SECRET, type Plan, type PlannedResource } from "../harness/plan";
import { readStackSettings } from "../harness/stack-file";
import { UNDECRYPTED_SECRET } from "../harness/stack-file";

const plans: Record<string, Plan> = {};
beforeAll(async () => {
  plans.dev = await planStack("dev");
  plans.prod = await planStack("prod");
});

const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === `auth0:index/${type}`);
const inputs = (r: PlannedResource) => r.inputs as Record<string, any>;

describe.each(["dev", "prod"])("the %s stack", (stack) => {
  const settings = readStackSettings(stack);

  it("declares one client per application, with its tier in client metadata", () => {
    const clients = ofType(plans[stack], "client:Client");
    expect(clients.map((c) => c.name).sort()).toEqual(settings.applications.map((a) => a.key).sort());
    for (const app of settings.applications) {
      const client = clients.find((c) => c.name === app.key)!;
      expect(inputs(client).clientMetadata.tier).toBe(app.tier);
      expect(inputs(client).appType).toBe(app.type);
      expect(inputs(client).name).toBe(app.name);
    }
    expect(new Set(settings.applications.map((a) => a.tier))).toEqual(new Set(["free", "pro", "enterprise"]));
  });

  it("gives every client Auth0's recommended grants for its type, never implicit or password", () => {
    for (const client of ofType(plans[stack], "client:Client")) {
      const { appType, grantTypes, oidcConformant } = inputs(client);
      expect(oidcConformant).toBe(true);
      expect(grantTypes).not.toContain("implicit");
      expect(grantTypes).not.toContain("password");
      expect(grantTypes).toEqual(appType === "non_interactive" ? ["client_credentials"] : ["authorization_code", "refresh_token"]);
      if (appType === "spa" || appType === "native") expect(inputs(client).refreshToken.rotationType).toBe("rotating");
    }
    const methods = Object.fromEntries(
      ofType(plans[stack], "clientCredentials:ClientCredentials").map((c) => [c.name, inputs(c).authenticationMethod]),
    );
    expect(methods["dashboard-credentials"]).toBe("none");
    expect(methods["marketing-site-credentials"]).toBe("client_secret_post");
  });

  it("grants machine-to-machine applications the API scopes config lists, on this stack's audience", () => {
    const grants = ofType(plans[stack], "clientGrant:ClientGrant");
    expect(grants.map((g) => [g.name, inputs(g).audience, inputs(g).scopes])).toEqual([
      ["reports-worker-grant", settings.api.identifier, ["read:reports", "export:reports"]],
    ]);
  });

  it("declares the API with RBAC and the roles from config", () => {
    const [api] = ofType(plans[stack], "resourceServer:ResourceServer");
    expect(inputs(api)).toMatchObject({ identifier: settings.api.identifier, enforcePolicies: true, signingAlg: "RS256" });
    expect(
      ofType(plans[stack], "role:Role")
        .map((r) => inputs(r).name)
        .sort(),
    ).toEqual(settings.roles.map((r) => r.name).sort());
  });

  it("deploys the claim-mapping Action with exactly the bundled code", async () => {
    const [action] = ofType(plans[stack], "action:Action");
    const bundle = await bundleClaimMapping(settings.claimMapping);
    expect(inputs(action)).toEqual({
      name: "claim-mapping",
      runtime: "node22",
      deploy: true,
      supportedTriggers: { id: "post-login", version: "v3" },
      code: bundle.code,
      // The system of record's key reaches the Action as a secret, never through the bundle; its name shows.
      ...(settings.enrichment && { secrets: [{ name: ENRICHMENT_SECRET, value: SECRET }] }),
    });
    expect(Boolean(settings.enrichment)).toBe(stack === "dev");
  });

  it("binds post-login with one TriggerActions, in the order config lists", () => {
    expect(ofType(plans[stack], "triggerAction:TriggerAction")).toEqual([]);
    const owners = ofType(plans[stack], "triggerActions:TriggerActions");
    expect(owners).toHaveLength(1);
    expect(inputs(owners[0]).trigger).toBe("post-login");
    expect(inputs(owners[0]).actions.map((a: { displayName: string }) => a.displayName)).toEqual(settings.postLogin.actions);
  });

  it("gives the provider no client secret, so neither config nor state holds the deploy secret", () => {
    const [provider] = plans[stack].resources.filter((r) => r.type === "pulumi:providers:auth0");
    expect(inputs(provider)).toMatchObject({ domain: settings.provider.domain, clientId: settings.provider.clientId });
    expect(inputs(provider)).not.toHaveProperty("clientSecret");
    expect(JSON.stringify(plans[stack])).not.toContain(UNDECRYPTED_SECRET);
  });

  it("protects clients, the API, the Action, its binding and the roles exactly when tenant:protect says so", () => {
    const protectedNames = plans[stack].resources.filter((r) => r.options.protect).map((r) => r.type.split(":").pop());
    const expected = settings.protect ? settings.applications.length + 3 + settings.roles.length : 0;
    expect(protectedNames).toHaveLength(expected);
    expect(new Set(protectedNames)).toEqual(
      new Set(settings.protect ? ["Client", "ResourceServer", "Action", "TriggerActions", "Role"] : []),
    );
  });
});

describe("environments", () => {
  it("differ in data: each has its own audience and domain", () => {
    const audience = (p: Plan) => inputs(ofType(p, "resourceServer:ResourceServer")[0]).identifier;
    expect(audience(plans.dev)).not.toBe(audience(plans.prod));
  });
  it("share logical names, so resources line up across stacks", () => {
    const names = (p: Plan) => p.resources.map((r) => `${r.type}::${r.name}`);
    expect(names(plans.prod)).toEqual(names(plans.dev));
  });
  it("protect prod and not dev", () => {
    expect(plans.prod.resources.some((r) => r.options.protect)).toBe(true);
    expect(plans.dev.resources.some((r) => r.options.protect)).toBe(false);
  });
});

describe("the Action's code in a preview and in an update", () => {
  // The bundle is the program's first step; the spy records how it was asked for and stops the program there.
  it.each([
    ["a preview", true, undefined],
    ["an update", false, false],
  ])("in %s (dry run: %s) the bundle's cache option is %s: an update always has esbuild make the code", async (_run, preview, cache) => {
    const settings = readStackSettings("prod");
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: args.name, state: args.inputs }), call: () => ({}) },
      "tenant",
      "prod",
      preview,
    );
    const spy = jest.spyOn(bundleModule, "bundleClaimMapping").mockImplementation(() => {
      throw new Error("stopped after the bundle");
    });
    try {
      expect(() => defineTenant(settings, {})).toThrow("stopped after the bundle");
      expect(spy).toHaveBeenCalledWith(settings.claimMapping, { cache });
    } finally {
      spy.mockRestore();
    }
  });
});
