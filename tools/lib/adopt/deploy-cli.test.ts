// auth0-deploy-cli exports, YAML and directory, written for these tests after the deploy CLI's own examples:
// adopted like a Management API export, with IDs where the export carries them and placeholders where not.
import * as path from "node:path";
import { parseSettings } from "../../../infra/settings";
import { stackConfigFromText } from "../../../harness/stack-file";
import { readDeployCliDirectory, readDeployCliYaml, readKeywordMappings, replaceKeywords } from "./deploy-cli";
import { adoptStack, type AdoptResult } from "./index";
import { AdoptError } from "./export-format";
import { TYPES } from "./names";
import { FIXTURES, stackFileBefore, workspace, type Workspace } from "./testing";

const DOMAIN = "acme.eu.auth0.com";
const YAML = path.join(FIXTURES, "deploy-cli-yaml", "tenant.yaml");
const DIRECTORY = path.join(FIXTURES, "deploy-cli-directory");
const KEYWORDS = readKeywordMappings(path.join(FIXTURES, "deploy-cli-yaml", "config.json"));

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
  ws.write("prod", stackFileBefore(DOMAIN, "AcmePulumiDeployClient0000000001"));
});
afterAll(() => ws.remove());

const entries = (r: AdoptResult) => r.importFile.resources.filter((e) => !e.component);

describe("keyword replacement, as the deploy CLI does it", () => {
  it("replaces @@KEY@@ by the value's JSON, quoted or not, and ##KEY## by the value", () => {
    const mappings = { URLS: ["https://a/", "https://b/"], ENV: "dev" };
    expect(replaceKeywords('callbacks: @@URLS@@\nother: "@@URLS@@"\nhost: https://##ENV##.acme.example', mappings)).toBe(
      'callbacks: ["https://a/","https://b/"]\nother: ["https://a/","https://b/"]\nhost: https://dev.acme.example',
    );
  });
  it("reads mappings from a deploy-CLI config.json", () => {
    expect(KEYWORDS).toEqual({
      DOMAIN: "acme.example",
      PORTAL_CALLBACKS: ["https://portal.acme.example/callback", "https://portal.acme.example/sso"],
    });
  });
});

describe("a deploy-CLI YAML export (no IDs)", () => {
  let result: AdoptResult;
  beforeAll(async () => {
    result = await adoptStack({ stack: "prod", from: YAML, dir: ws.dir, keywords: KEYWORDS });
  });

  it("reads clients, APIs, grants by client name, roles, Actions with their code, post-login bindings by name, rules and connections", () => {
    const { export: data } = readDeployCliYaml(YAML, KEYWORDS);
    expect(data.clients.map((c) => c.name)).toEqual(["Acme Dashboard", "Legacy Portal", "Reports Worker", "Deploy CLI"]);
    expect(data.clients[1].callbacks).toEqual(["https://portal.acme.example/callback", "https://portal.acme.example/sso"]);
    expect(data.clientGrants[0]).toMatchObject({ client_id: "Reports Worker", audience: "https://api.acme.example/" });
    expect(data.actions[0].code).toContain("const namespace = 'https://acme.example/';");
    expect(data.bindings["post-login"].map((b) => [b.display_name, b.action.name])).toEqual([
      ["Add roles to tokens", "Add roles to tokens"],
      ["Sync to CRM (by hand)", "Sync to CRM"],
    ]);
    expect(data.rules[0].script).toContain("https://acme.example/plan");
    expect(data.connections.map((c) => c.name)).toEqual(["google-oauth2", "Username-Password-Authentication"]);
  });

  it("writes config plan refuses only for the Action ids the export does not carry, with the keywords resolved", () => {
    expect(result.problems).toEqual([
      'tenant:postLogin.actions[0].id: holds the placeholder "<PLACEHOLDER: id of the Action "Add roles to tokens">": replace it with the real value',
      'tenant:postLogin.actions[1].id: holds the placeholder "<PLACEHOLDER: id of the Action "Sync to CRM">": replace it with the real value',
    ]);
    expect(result.plan).toBeUndefined();
    expect(result.report).toContain("`npm run plan -- --stack prod` refuses this config until you fix");
    expect(result.stackFileText).toContain("https://api.acme.example/");
    expect(result.stackFileText).not.toMatch(/##|@@/);
  });

  it("once a reviewer fills in the ids, adopts again keeping them, and plans what the export describes", async () => {
    const filled = result.stackFileText
      .replace(`'<PLACEHOLDER: id of the Action "Add roles to tokens">'`, "act-add-roles")
      .replace(`'<PLACEHOLDER: id of the Action "Sync to CRM">'`, "act-sync-crm")
      .replace("adopted: false", "adopted: true");
    expect(filled).not.toContain("PLACEHOLDER");
    ws.write("yaml-filled", filled);
    const again = await adoptStack({ stack: "yaml-filled", from: YAML, dir: ws.dir, keywords: KEYWORDS });
    expect(again.stackFileText).toBe(filled);
    expect(again.problems).toEqual([]);
    const settings = parseSettings("yaml-filled", stackConfigFromText("yaml-filled", again.stackFileText, ws.dir).config);
    expect(settings.applications.map((a) => [a.key, a.type, a.tier])).toEqual([
      ["acme-dashboard", "spa", "pro"],
      ["legacy-portal", "regular_web", "free"],
      ["reports-worker", "non_interactive", "enterprise"],
    ]);
    expect(settings.claims.namespace).toBe("https://acme.example/");
    expect(settings.postLogin).toEqual({
      mode: "owner",
      adopted: true,
      actions: [
        { id: "act-add-roles", displayName: "Add roles to tokens" },
        { id: "act-sync-crm", displayName: "Sync to CRM (by hand)" },
        "claim-mapping",
      ],
    });
    expect([...new Set(again.changes.map((c) => c.subject))]).toEqual(['application "legacy-portal"', "post-login bindings"]);
  });

  it("has an entry for every adopted resource, with placeholders for the IDs the export does not carry", () => {
    const ids = Object.fromEntries(entries(result).map((e) => [e.logicalName ?? e.name, e.id]));
    expect(Object.keys(ids).sort()).toEqual(
      [
        "api",
        "api-scopes",
        "acme-dashboard",
        "acme-dashboard-credentials",
        "legacy-portal",
        "legacy-portal-credentials",
        "reports-worker",
        "reports-worker-credentials",
        "reports-worker-grant",
        "roles-admin",
        "roles-admin-permissions",
        "roles-viewer",
        "roles-viewer-permissions",
        "post-login",
      ].sort(),
    );
    // IDs that follow from the export itself are filled in; the rest name what to look up.
    expect(ids["api-scopes"]).toBe("https://api.acme.example/");
    expect(ids["post-login"]).toBe("post-login");
    expect(ids["acme-dashboard"]).toBe('<PLACEHOLDER: client_id of the application "Acme Dashboard">');
    expect(ids["reports-worker-grant"]).toMatch(/^<PLACEHOLDER: id of the client grant of "Reports Worker"/);
    expect(result.report).toMatch(
      /Import IDs the export did not carry[^\n]*\n {2}- auth0:index\/resourceServer:ResourceServer api: <PLACEHOLDER/,
    );
  });

  it("keeps the bound Actions in order with placeholder ids, and leaves the list not adopted until they are filled in", () => {
    const postLogin = result.adoption.values["tenant:postLogin"] as { actions: unknown[]; adopted: boolean };
    expect(postLogin).toEqual({
      mode: "owner",
      adopted: false,
      actions: [
        { id: '<PLACEHOLDER: id of the Action "Add roles to tokens">', displayName: "Add roles to tokens" },
        { id: '<PLACEHOLDER: id of the Action "Sync to CRM">', displayName: "Sync to CRM (by hand)" },
        "claim-mapping",
      ],
    });
    expect(result.report).toContain("fill in each <PLACEHOLDER> in tenant:postLogin.actions, then set adopted: true");
  });

  it("lists the deploy CLI's tool client, Auth0's API, the sections it has no counterpart for, and keywords without a value", () => {
    const leftOut = result.adoption.leftOut.map((n) => n.subject);
    expect(leftOut).toEqual(
      expect.arrayContaining([
        'application "Deploy CLI"',
        'API "Auth0 My Account API"',
        'rule "Enrich ID token"',
        'connection "google-oauth2"',
      ]),
    );
    expect(result.source.otherSections).toEqual(["tenant (tenant.yaml)", "emailProvider (tenant.yaml)"]);
    expect(result.source.unresolvedKeywords).toEqual(["##AUTH0_DOMAIN##", "##GOOGLE_CLIENT_SECRET##", "##SMTP_PASSWORD##"]);
    expect(result.report).toContain("keyword ##SMTP_PASSWORD## has no value");
    expect(result.stackFileText).not.toMatch(/##|@@/);
  });

  it("says which list keywords need values when the export cannot be read without them", () => {
    expect(() => readDeployCliYaml(YAML, { DOMAIN: "acme.example" })).toThrow(AdoptError);
    expect(() => readDeployCliYaml(YAML, { DOMAIN: "acme.example" })).toThrow(
      /clients\.1\.callbacks[\s\S]*@@PORTAL_CALLBACKS@@ stands for lists: give their values with --keywords/,
    );
  });

  it("needs the tenant's domain from the stack file or --domain, since the YAML does not name it", async () => {
    const fresh = await adoptStack({ stack: "yaml-fresh", from: YAML, dir: ws.dir, keywords: KEYWORDS });
    expect(fresh.problems).toContainEqual(expect.stringMatching(/^auth0:domain: is not set/));
    const withDomain = await adoptStack({ stack: "yaml-fresh", from: YAML, dir: ws.dir, keywords: KEYWORDS, domain: DOMAIN });
    expect(withDomain.stackFileText).toContain(`auth0:domain: ${DOMAIN}`);
    expect(withDomain.problems.filter((p) => p.startsWith("auth0:domain"))).toEqual([]);
  });
});

describe("a deploy-CLI directory export (made with AUTH0_EXPORT_IDENTIFIERS)", () => {
  let result: AdoptResult;
  beforeAll(async () => {
    result = await adoptStack({ stack: "prod", from: DIRECTORY, dir: ws.dir });
  });

  it("reads each folder, code files included, and lists the others", () => {
    const read = readDeployCliDirectory(DIRECTORY);
    expect(read.export.clients.map((c) => c.name)).toEqual(["Acme Dashboard", "Acme Mobile", "Acme Website", "Reports Worker"]);
    expect(read.export.actions.map((a) => [a.name, (a.code?.length ?? 0) > 0])).toEqual([
      ["Add roles to tokens", true],
      ["Sync to CRM", true],
    ]);
    expect(read.export.rules[0].script).toContain("context.idToken");
    expect(read.export.connections.map((c) => [c.name, c.strategy])).toEqual([
      ["google-oauth2", "google-oauth2"],
      ["Username-Password-Authentication", "auth0"],
    ]);
    expect(read.otherSections).toEqual(["emails/", "tenant.json"]);
  });

  it("uses the IDs the export carries; only the grant, which it does not, gets a placeholder", () => {
    expect(result.problems).toEqual([]);
    const byName = Object.fromEntries(entries(result).map((e) => [e.logicalName ?? e.name, e.id]));
    expect(byName["acme-dashboard"]).toBe("AcmeDashboardSpaClient0000000001");
    expect(byName.api).toBe("65f0c0ffee000000000000b1");
    expect(byName["roles-editor"]).toBe("rol_editor0000000001");
    expect(
      entries(result)
        .filter((e) => e.id?.startsWith("<PLACEHOLDER"))
        .map((e) => e.type),
    ).toEqual([TYPES.clientGrant]);
    expect((result.adoption.values["tenant:postLogin"] as { adopted: boolean }).adopted).toBe(true);
  });

  it("plans what the export describes: nothing changes but the appended claim-mapping", () => {
    expect(result.changes.map((c) => c.subject)).toEqual(["post-login bindings"]);
    expect(result.fresh.map((r) => r.name)).toEqual(["claim-mapping"]);
  });
});
