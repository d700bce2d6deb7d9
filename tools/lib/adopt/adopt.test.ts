// Adopting a live tenant: export -> adopt -> plan, with the realistic export fixture (the default client, the
// Management API, a legacy application with wildcards and legacy grants, a hand-bound Action, a rule, secrets
// in client settings), planned by the same engine as `npm run plan`.
import * as path from "node:path";
import { bundleClaimMapping } from "../../../infra/bundle";
import { parseSettings, SettingsError } from "../../../infra/settings";
import { stackConfigFromText } from "../../../harness/stack-file";
import { adoptStack, type AdoptResult } from "./index";
import { AdoptError } from "./export-format";
import { childUrn, componentUrn, providerUrn, TYPES } from "./names";
import { plannedChanges } from "./changes";
import { FIXTURES, realisticExport, stackFileBefore, workspace, type Workspace } from "./testing";

const DOMAIN = "acme.eu.auth0.com";
const DEPLOY_CLIENT = "AcmePulumiDeployClient0000000001";
const EXPORT = path.join(FIXTURES, "tenant-export.json");

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

async function adopt(stackText: string | undefined, from: string = EXPORT, stack = "prod"): Promise<AdoptResult> {
  if (stackText !== undefined) ws.write(stack, stackText);
  return adoptStack({ stack, from, dir: ws.dir });
}

const customEntries = (r: AdoptResult) => r.importFile.resources.filter((e) => !e.component);
const subjects = (notes: { subject: string }[]) => notes.map((n) => n.subject);

describe("adopting the realistic export", () => {
  let result: AdoptResult;
  beforeAll(async () => {
    result = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT));
  });

  it("writes config that npm run plan accepts", () => {
    expect(result.problems).toEqual([]);
    expect(result.plan?.resources.length).toBeGreaterThan(20);
  });

  it("reproduces the tenant: planned inputs match the export, except the changes the report lists", () => {
    const changes = result.changes.map((c) => `${c.subject}: ${c.field}`);
    expect(changes.sort()).toEqual(
      [
        'application "legacy-portal": grant types',
        'application "legacy-portal": OIDC conformant',
        'application "legacy-portal": cross-origin authentication',
        'application "legacy-portal": JWT signing algorithm',
        'application "legacy-portal": client metadata',
        'application "legacy-portal": refresh token rotation',
        'application "legacy-portal": refresh token expiration',
        'application "legacy-portal": refresh token lifetime',
        'application "legacy-portal": refresh token idle lifetime',
        'application "legacy-portal": refresh token infinite lifetime',
        'application "legacy-portal": refresh token infinite idle lifetime',
        'role "Support Agent", permissions: permissions',
        "post-login bindings: bound Actions, in order",
      ].sort(),
    );
    for (const change of result.changes)
      expect(result.report).toContain(`${change.subject}: ${change.field}: ${change.live} -> ${change.planned}`);
  });

  it("states the legacy grants it cannot keep as a change the preview will show", () => {
    expect(result.report).toContain(
      'application "legacy-portal": grant types: implicit, password, authorization_code, refresh_token -> authorization_code, refresh_token',
    );
  });

  it("plans the adopted applications with their type, tier, URLs, wildcards and grant as the tenant has them", () => {
    const client = (key: string) =>
      result.plan!.resources.find((r) => r.type === TYPES.client && r.name === key)!.inputs as Record<string, any>;
    expect(client("acme-dashboard")).toMatchObject({
      name: "Acme Dashboard",
      appType: "spa",
      callbacks: ["https://app.acme.example/callback"],
      clientMetadata: { tier: "pro", requires_tenant: "true" },
    });
    expect(client("legacy-portal").callbacks).toEqual(["https://*.portal.acme.example/callback", "https://portal.acme.example/callback"]);
    const grant = result.plan!.resources.find((r) => r.type === TYPES.clientGrant)!;
    expect([grant.name, grant.inputs.audience, grant.inputs.scopes]).toEqual([
      "reports-worker-grant",
      "https://api.acme.example/",
      ["read:reports", "export:reports"],
    ]);
  });

  it("has an import entry for every adopted resource, with its live ID, and none for what the program creates", () => {
    const imported = customEntries(result).map((e) => `${e.type} ${e.logicalName ?? e.name} ${e.id}`);
    expect(imported.sort()).toEqual(
      [
        `${TYPES.resourceServer} api 65f0c0ffee000000000000b1`,
        `${TYPES.resourceServerScopes} api-scopes https://api.acme.example/`,
        ...[
          ["acme-dashboard", "AcmeDashboardSpaClient0000000001"],
          ["acme-website", "AcmeWebsiteRegularWebClient00001"],
          ["legacy-portal", "AcmeLegacyPortalClient0000000001"],
          ["acme-mobile", "AcmeMobileNativeClient0000000001"],
          ["reports-worker", "AcmeReportsWorkerM2MClient000001"],
        ].flatMap(([key, id]) => [`${TYPES.client} ${key} ${id}`, `${TYPES.clientCredentials} ${key}-credentials ${id}`]),
        `${TYPES.clientGrant} reports-worker-grant cgr_worker0000000001`,
        ...[
          ["admin", "rol_admin00000000001"],
          ["editor", "rol_editor0000000001"],
          ["viewer", "rol_viewer0000000001"],
          ["support-agent", "rol_support000000001"],
        ].flatMap(([slug, id]) => [`${TYPES.role} roles-${slug} ${id}`, `${TYPES.rolePermissions} roles-${slug}-permissions ${id}`]),
        `${TYPES.triggerActions} post-login post-login`,
      ].sort(),
    );
    // Everything the program registers is either imported or, with nothing live, created fresh.
    const planned = result.plan!.resources.filter((r) => r.type.startsWith("auth0:")).map((r) => `${r.type} ${r.name}`);
    const fresh = result.fresh.map((r) => `${r.type} ${r.name}`);
    expect(fresh).toEqual([`${TYPES.action} claim-mapping`]);
    expect([...customEntries(result).map((e) => `${e.type} ${e.logicalName ?? e.name}`), ...fresh].sort()).toEqual(planned.sort());
  });

  it("addresses each entry at the URN the program registers, through component parents and the explicit provider", () => {
    const { nameTable, resources } = result.importFile;
    expect(nameTable).toEqual({ "auth0-provider": providerUrn("prod") });
    expect(new Set(resources.map((r) => r.name)).size).toBe(resources.length);
    const urns = new Set(result.plan!.resources.map((r) => r.urn));
    const components = new Map(resources.filter((r) => r.component).map((r) => [r.name, r]));
    for (const component of components.values()) {
      expect(component.id).toBeUndefined();
      expect(urns).toContain(componentUrn("prod", { type: component.type as never, name: component.logicalName ?? component.name }));
    }
    for (const entry of customEntries(result)) {
      const parent = components.get(entry.parent!)!;
      expect(parent).toBeDefined();
      expect(entry).toMatchObject({ provider: "auth0-provider", version: "3.49.0" });
      expect(urns).toContain(
        childUrn(
          "prod",
          { type: parent.type as never, name: parent.logicalName ?? parent.name },
          entry.type,
          entry.logicalName ?? entry.name,
        ),
      );
    }
  });

  it("leaves Auth0's own objects alone: the default client, the Management API and My Account API", () => {
    const ids = customEntries(result).map((e) => e.id);
    for (const id of ["AcmeAllApplicationsGlobalClient01", "5f0c0ffee0000000000000a1", "5f0c0ffee0000000000000a2", "cgr_explorer00000001"])
      expect(ids).not.toContain(id);
    expect(subjects(result.adoption.leftOut)).toEqual(
      expect.arrayContaining([
        'API "Auth0 Management API"',
        'API "Auth0 My Account API"',
        'application "All Applications"',
        'application "API Explorer Application"',
      ]),
    );
  });

  it("never adopts the application the stack deploys with", () => {
    expect(customEntries(result).map((e) => e.id)).not.toContain(DEPLOY_CLIENT);
    expect(result.adoption.leftOut.find((n) => n.subject === 'application "Pulumi Deploy"')?.detail).toMatch(
      /deploys with \(auth0:clientId\)/,
    );
  });

  it("keeps the hand-bound Actions in order by id, and appends claim-mapping, saying so", () => {
    const settings = parseSettings("prod", stackConfigFromText("prod", result.stackFileText, ws.dir).config);
    expect(settings.postLogin).toEqual({
      mode: "owner",
      adopted: true,
      actions: [
        { id: "8b7f1a6e-0000-4000-8000-00000000a001", displayName: "Add roles to tokens" },
        { id: "8b7f1a6e-0000-4000-8000-00000000a002", displayName: "Sync to CRM (by hand)" },
        "claim-mapping",
      ],
    });
    expect(result.report).toMatch(
      /claim-mapping was not bound: the program appends it at the end, after "Add roles to tokens", "Sync to CRM \(by hand\)"/,
    );
    const trigger = result.plan!.resources.find((r) => r.type === TYPES.triggerActions)!;
    expect((trigger.inputs.actions as { displayName: string }[]).map((a) => a.displayName)).toEqual([
      "Add roles to tokens",
      "Sync to CRM (by hand)",
      "claim-mapping",
    ]);
    expect(result.warnings).toEqual([]);
  });

  it("lists what it cannot represent, each with its reason", () => {
    const leftOut = Object.fromEntries(result.adoption.leftOut.map((n) => [n.subject, n.detail]));
    expect(leftOut['rule "Enrich ID token"']).toMatch(/legacy .* does not model them; it stays as it is, and keeps running on every login/);
    expect(leftOut['connection "google-oauth2"']).toMatch(/connections are not managed by this program/);
    expect(leftOut['application "Okta SSO"']).toMatch(/type "sso_integration" is not one the program models/);
    expect(leftOut['Action "Send SMS through gateway"']).toMatch(/not bound to post-login \(triggers: send-phone-message\)/);
    // Nested fields the program does not set are named with their values, never dropped silently.
    expect(
      leftOut[
        'application "legacy-portal", settings logo_uri, initiate_login_uri, jwt_configuration.lifetime_in_seconds (36000), jwt_configuration.secret_encoded (true)'
      ],
    ).toMatch(/does not model them/);
    expect(leftOut['API "Acme API", settings token_lifetime_for_web (7200)']).toMatch(/does not model them/);
    for (const subject of Object.keys(leftOut)) expect(result.report).toContain(subject);
  });

  it("adopts an application without a tier as free and asks for a review", () => {
    const legacy = result.adoption.values["tenant:applications"] as { key: string; tier: string }[];
    expect(legacy.find((a) => a.key === "legacy-portal")?.tier).toBe("free");
    expect(result.report).toMatch(/application "legacy-portal": no tier in its client metadata: adopted as "free"/);
  });

  it("infers the claim namespace from the tenant's own Action and rule", () => {
    expect((result.adoption.values["tenant:claims"] as { namespace: string }).namespace).toBe("https://acme.example/");
    expect(result.report).toContain('"https://acme.example/", inferred from Action "Add roles to tokens", rule "Enrich ID token"');
  });

  it("never writes a secret, and names the pulumi config set --secret commands instead", () => {
    const secrets = [
      ...realisticExport().clients.map((c: { client_secret?: string }) => c.client_secret),
      "whsec_not_real_0123456789abcdef",
      "MIIDAzCCAeugAwIBAgIJAcme",
    ].filter(Boolean);
    const written = [result.stackFileText, JSON.stringify(result.importFile), result.report];
    for (const secret of secrets) for (const text of written) expect(text).not.toContain(secret);
    expect(result.stackFileText).not.toContain("webhook_secret");
    expect(result.report).toMatch(/client metadata "webhook_secret": looks like a secret, so it was not written/);
    expect(result.report).toContain("holds 18 secret fields");
  });

  it("keeps what the stack file already had: keys, comments and secure values", () => {
    const text = result.stackFileText;
    expect(text).toMatch(/^# The production tenant, before adoption\./);
    expect(text).toContain(
      "  # The deploy application's secret.\n  auth0:clientSecret:\n    secure: AAABAHJlYWwtY2lwaGVydGV4dC1mcm9tLXRoZS1iYWNrZW5k",
    );
    expect(text).toContain("tenant:protect: true");
    expect(text).toContain(`auth0:clientId: ${DEPLOY_CLIENT}`);
    expect(result.adoption.commands).toEqual([]);
  });

  it("runs the policy pack the prod preview runs, and reports the wildcard it refuses", () => {
    expect(result.policy?.config).toBe(path.join("policy", "config", "prod.json"));
    expect(result.policy?.findings.map((f) => [f.policy, f.enforcementLevel])).toEqual([["auth0-application-urls", "mandatory"]]);
    expect(result.report).toMatch(/\[mandatory\] auth0-application-urls: Client "legacy-portal" .* contains a wildcard/);
  });
});

describe("the round trip for every resource kind", () => {
  it("export -> adopt -> plan gives back the export for a tenant set up as the program sets it up", async () => {
    // The fixture without its quirks, plus a live claim-mapping Action bound between the hand-bound ones.
    const exp = realisticExport();
    exp.clients = exp.clients.filter((c: { name: string }) => c.name !== "Legacy Portal");
    exp.roles = exp.roles.filter((r: { name: string }) => r.name !== "Support Agent");
    const first = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT), ws.json("clean.json", exp), "clean");
    const settings = parseSettings("clean", stackConfigFromText("clean", first.stackFileText, ws.dir).config);
    const bundle = await bundleClaimMapping(settings.claimMapping);
    exp.actions.push({
      id: "8b7f1a6e-0000-4000-8000-00000000c1a1",
      name: "claim-mapping",
      code: bundle.code,
      runtime: "node22",
      supported_triggers: [{ id: "post-login", version: "v3" }],
    });
    exp.bindings["post-login"].splice(1, 0, {
      id: "b-cm",
      display_name: "claim-mapping",
      action: { id: "8b7f1a6e-0000-4000-8000-00000000c1a1", name: "claim-mapping" },
    });

    const result = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT), ws.json("clean.json", exp), "clean");
    expect(result.problems).toEqual([]);
    // Every resource type but the additive binding (adoption writes the owner mode, one TriggerActions) and
    // the test logins, which only ephemeral stacks declare and adoption never writes.
    const notAdopted: string[] = [TYPES.triggerAction, TYPES.connection, TYPES.connectionClients, TYPES.user, TYPES.userRoles];
    const adoptable = Object.values(TYPES).filter((type) => !notAdopted.includes(type));
    expect(new Set(customEntries(result).map((e) => e.type))).toEqual(new Set(adoptable));
    expect(result.fresh).toEqual([]);
    expect(result.changes).toEqual([]);
    expect(result.report).toContain("No adopted resource would change");
    expect((result.adoption.values["tenant:postLogin"] as { actions: unknown[] }).actions).toEqual([
      { id: "8b7f1a6e-0000-4000-8000-00000000a001", displayName: "Add roles to tokens" },
      "claim-mapping",
      { id: "8b7f1a6e-0000-4000-8000-00000000a002", displayName: "Sync to CRM (by hand)" },
    ]);
    expect(customEntries(result).find((e) => e.type === TYPES.action)?.id).toBe("8b7f1a6e-0000-4000-8000-00000000c1a1");
  });

  it("is stable: adopting again over the adopted stack file changes nothing and keeps renamed keys", async () => {
    const first = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT), EXPORT, "again");
    const renamed = first.stackFileText.replace("key: acme-dashboard", "key: dashboard");
    const second = await adopt(renamed, EXPORT, "again");
    expect(second.stackFileText).toBe(renamed);
    expect(
      customEntries(second)
        .filter((e) => e.type === TYPES.client)
        .map((e) => e.name),
    ).toContain("dashboard");
  });

  it("keeps applications the stack file declares and the tenant lacks: the program creates them", async () => {
    const before = stackFileBefore(
      DOMAIN,
      DEPLOY_CLIENT,
      [
        "  tenant:applications:",
        "    - key: analytics",
        "      name: Acme Analytics",
        "      type: spa",
        "      tier: enterprise",
        "      callbacks: [https://analytics.acme.example/callback]",
      ].join("\n"),
    );
    const result = await adopt(before, EXPORT, "kept");
    expect(result.problems).toEqual([]);
    expect(subjects(result.adoption.kept)).toEqual(['application "analytics"']);
    expect(result.fresh.map((r) => r.name).sort()).toEqual(["analytics", "analytics-credentials", "claim-mapping"]);
  });
});

describe("validation on adopted data", () => {
  it("flags an http:// callback in prod through the prod policy pack, without failing", async () => {
    const exp = realisticExport();
    exp.clients.find((c: { name: string }) => c.name === "Acme Website").callbacks.push("http://www.acme.example/callback");
    const result = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT), ws.json("http.json", exp), "prod");
    expect(result.problems).toEqual([]);
    expect(result.policy?.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          policy: "auth0-application-urls",
          enforcementLevel: "mandatory",
          message: expect.stringMatching(/"http:\/\/www\.acme\.example\/callback".*https/),
        }),
      ]),
    );
  });

  it("writes config with too many metadata keys, which plan refuses naming the key, and reports it", async () => {
    const exp = realisticExport();
    const website = exp.clients.find((c: { name: string }) => c.name === "Acme Website");
    for (let i = 1; i <= 10; i++) website.client_metadata[`feature_${i}`] = "on";
    const result = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT), ws.json("metadata.json", exp), "prod");
    expect(result.problems).toEqual([
      expect.stringMatching(/^tenant:applications\[acme-website\]\.metadata: client metadata has 11 keys; Auth0 allows at most 10/),
    ]);
    expect(result.plan).toBeUndefined();
    expect(result.report).toMatch(
      /`npm run plan -- --stack prod` refuses this config until you fix[^\n]*\n {2}- tenant:applications\[acme-website\]\.metadata: client metadata has 11 keys/,
    );
    expect(() => parseSettings("prod", stackConfigFromText("prod", result.stackFileText, ws.dir).config)).toThrow(SettingsError);
  });

  it("keeps an unknown tier as it is, for plan to name and a person to choose", async () => {
    const exp = realisticExport();
    exp.clients.find((c: { name: string }) => c.name === "Acme Website").client_metadata.tier = "gold";
    const result = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT), ws.json("tier.json", exp), "prod");
    expect(result.problems).toEqual([expect.stringMatching(/^tenant:applications\[acme-website\]\.tier: .*\(got "gold"\)/)]);
  });
  it("keeps a minimum plan that is no plan name as it is, never as a declared plan, and says so", async () => {
    const exp = realisticExport();
    exp.clients.find((c: { name: string }) => c.name === "Acme Website").client_metadata.minimum_plan = "Gold\u200b";
    const result = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT), ws.json("plan.json", exp), "prod");
    expect(result.report).toMatch(/minimum_plan "Gold\u200b" is not a plan name/);
    expect(result.stackFileText).not.toMatch(/plans:[^\n]*\n(\s+- [a-z-]+\n)*\s+- Gold/);
    expect(result.problems).toEqual([expect.stringMatching(/minimumPlan|Gold/)]);
  });
});

describe("refusals", () => {
  it("refuses to adopt one tenant's export into a stack that deploys to another", async () => {
    await expect(adopt(stackFileBefore("other.eu.auth0.com", DEPLOY_CLIENT), EXPORT, "wrong")).rejects.toThrow(
      new AdoptError(
        "the export is of acme.eu.auth0.com, but Pulumi.wrong.yaml deploys to other.eu.auth0.com (auth0:domain): adopt each tenant into its own stack",
      ),
    );
  });
  it("refuses ephemeral stacks", async () => {
    await expect(adoptStack({ stack: "eph-pr-1", from: EXPORT, dir: ws.dir })).rejects.toThrow(/ephemeral/);
  });
  it("refuses an --api the export does not have, naming those it has", async () => {
    ws.write("api", stackFileBefore(DOMAIN, DEPLOY_CLIENT));
    await expect(adoptStack({ stack: "api", from: EXPORT, dir: ws.dir, apiIdentifier: "https://nope/" })).rejects.toThrow(
      /--api https:\/\/nope\/: the export has no such API \(its APIs: https:\/\/api\.acme\.example\/\)/,
    );
  });
  it("refuses a JSON file that is not an export", async () => {
    await expect(adoptStack({ stack: "x", from: ws.json("not.json", { hello: 1 }), dir: ws.dir })).rejects.toThrow(
      /is not a tenant export/,
    );
  });
});

describe("a new stack", () => {
  it("gets a stack file with the tenant's domain, and the commands for the credentials adopt never writes", async () => {
    const result = await adoptStack({ stack: "fresh", from: EXPORT, dir: ws.dir });
    expect(result.stackFileText).toMatch(/^# Stack fresh, adopted from tenant-export\.json/);
    expect(result.stackFileText).toContain(`auth0:domain: ${DOMAIN}`);
    expect(result.adoption.commands).toEqual([
      "pulumi config set auth0:clientId <client id of the application Pulumi deploys with> --stack fresh",
      "read -rs AUTH0_CLIENT_SECRET && export AUTH0_CLIENT_SECRET   # its secret, for pulumi up/import: never in the stack file",
    ]);
    // The deploy client's id is what plan refuses, as it will until it is set; the rest is planned.
    expect(result.problems).toEqual([expect.stringMatching(/^auth0:clientId: is not set/)]);
    expect(result.plan).toBeDefined();
    // Without a deploy client to recognise, "Pulumi Deploy" is left out as a tool for Auth0's own APIs.
    expect(result.adoption.leftOut.find((n) => n.subject === 'application "Pulumi Deploy"')?.detail).toMatch(/for Auth0's own APIs/);
  });
});

describe("the change report", () => {
  it("compares sets where order does not matter to Auth0 and lists where it does", async () => {
    const exp = realisticExport();
    const dashboard = exp.clients.find((c: { name: string }) => c.name === "Acme Dashboard");
    dashboard.grant_types = ["refresh_token", "authorization_code"];
    const result = await adopt(stackFileBefore(DOMAIN, DEPLOY_CLIENT), ws.json("order.json", exp), "order");
    expect(result.changes.filter((c) => c.subject.includes("acme-dashboard"))).toEqual([]);
    dashboard.web_origins = ["https://app.acme.example", "https://other.acme.example"];
    const again = await adopt(undefined, ws.json("order.json", exp), "order");
    expect(
      plannedChanges(again.plan!, again.adoption.imports)
        .filter((c) => c.subject.includes("acme-dashboard"))
        .map((c) => c.field),
    ).toEqual(["allowed origins (CORS)"]);
  });
});
