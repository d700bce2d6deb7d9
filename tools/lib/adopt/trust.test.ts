// Adoption that real tenants can trust (issue 12): absence is not emptiness, names are not identities, a
// re-run keeps the reviewer's edits, every client keeps its authentication, a malformed file is a clear
// error, and the report agrees with `plan`. Fixtures in the shapes the Management API and auth0-deploy-cli
// produce: test/fixtures/adopt/management-api/ (JSON export with Auth0's own objects, duplicate names,
// private_key_jwt), deploy-cli-directory-keywords/ (keyword mappings, no triggers/), deploy-cli-yaml/ and
// deploy-cli-directory/ (changed per test in a temporary copy).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseSettings, SettingsError } from "../../../infra/settings";
import { readStackConfig, stackConfigFromText } from "../../../harness/stack-file";
import { readKeywordMappings } from "./deploy-cli";
import { AdoptError } from "./export-format";
import { adoptStack, type AdoptResult } from "./index";
import { TYPES } from "./names";
import { FIXTURES, realisticExport, stackFileBefore, workspace, type Workspace } from "./testing";

const SHOP = path.join(FIXTURES, "management-api", "duplicates-and-auth.json");
const SHOP_DOMAIN = "shop.us.auth0.com";
const SHOP_DEPLOY = "ShopPulumiDeployClient0000000001";
const KEYWORD_DIR = path.join(FIXTURES, "deploy-cli-directory-keywords");
const YAML = path.join(FIXTURES, "deploy-cli-yaml", "tenant.yaml");
const DIRECTORY = path.join(FIXTURES, "deploy-cli-directory");

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

type App = { key: string; name: string; description?: string; tier?: string };
type Role = { key?: string; name: string };
const apps = (r: AdoptResult) => r.adoption.values["tenant:applications"] as App[];
const roles = (r: AdoptResult) => r.adoption.values["tenant:roles"] as Role[];
const postLogin = (r: AdoptResult) => r.adoption.values["tenant:postLogin"] as { mode: string; actions: unknown[]; adopted: boolean };
const customEntries = (r: AdoptResult) => r.importFile.resources.filter((e) => !e.component);
const decision = (r: AdoptResult, subject: string) =>
  r.adoption.decisions
    .filter((n) => n.subject === subject)
    .map((n) => n.detail)
    .join("\n");

/** Adopts as the CLI does: the stack file and the import file are written where the next run reads them. */
async function adoptAndWrite(stack: string, from: string, extra: Partial<Parameters<typeof adoptStack>[0]> = {}): Promise<AdoptResult> {
  const result = await adoptStack({ stack, from, dir: ws.dir, ...extra });
  fs.writeFileSync(result.stackPath, result.stackFileText);
  fs.writeFileSync(result.importFilePath, `${JSON.stringify(result.importFile, null, 2)}\n`);
  return result;
}

/** A copy of a fixture directory in the workspace, to change one file of it. */
function copyOf(dir: string, name: string): string {
  const copy = path.join(ws.dir, name);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

describe("absence is not emptiness", () => {
  it("a JSON export without bindings leaves the post-login list not adopted, and says why", async () => {
    const exp = realisticExport();
    delete exp.bindings;
    ws.write("no-bindings", stackFileBefore("acme.eu.auth0.com", "AcmePulumiDeployClient0000000001"));
    const result = await adoptStack({ stack: "no-bindings", from: ws.json("no-bindings.json", exp), dir: ws.dir });
    expect(postLogin(result)).toEqual({ mode: "owner", actions: ["claim-mapping"], adopted: false });
    expect(decision(result, "tenant:postLogin")).toMatch(/does not carry the post-login bindings \(bindings \(not in the file\)\)/);
    expect(decision(result, "tenant:postLogin")).toMatch(/unknown, not empty/);
    expect(result.report).not.toMatch(/nothing is bound/);
    expect(customEntries(result).map((e) => e.type)).not.toContain(TYPES.triggerActions);
    // plan accepts it and warns, as it does for every list not adopted.
    expect(result.warnings).toEqual([expect.stringMatching(/takes ownership of the post-login bindings/)]);
  });

  it("keeps the stack file's list as it is when the export lacks the bindings", async () => {
    const exp = realisticExport();
    exp.bindings = {};
    const before = stackFileBefore(
      "acme.eu.auth0.com",
      "AcmePulumiDeployClient0000000001",
      "  tenant:postLogin:\n    mode: owner\n    actions:\n      - id: act-1\n        displayName: Hand-bound\n      - claim-mapping\n    adopted: true",
    );
    ws.write("kept-bindings", before);
    const result = await adoptStack({ stack: "kept-bindings", from: ws.json("empty-bindings.json", exp), dir: ws.dir });
    expect(postLogin(result)).toEqual({
      mode: "owner",
      actions: [{ id: "act-1", displayName: "Hand-bound" }, "claim-mapping"],
      adopted: true,
    });
    expect(decision(result, "tenant:postLogin")).toMatch(/the stack file's list is kept as it is/);
  });

  it("never says the tenant lacks what the export does not carry", async () => {
    const exp = realisticExport();
    delete exp.roles;
    const before = stackFileBefore(
      "acme.eu.auth0.com",
      "AcmePulumiDeployClient0000000001",
      "  tenant:roles:\n    - name: auditor\n      description: Reads everything\n      permissions: []",
    );
    ws.write("no-roles", before);
    const result = await adoptStack({ stack: "no-roles", from: ws.json("no-roles.json", exp), dir: ws.dir });
    expect(result.source.absent).toEqual(["roles (not in the file)"]);
    expect(result.report).toContain("Not in the export (unknown, never taken as empty");
    expect(result.adoption.kept).toEqual([]);
    expect(decision(result, 'role "auditor"')).toMatch(
      /does not carry the roles \(roles \(not in the file\)\): whether the tenant has it is unknown/,
    );
    expect(roles(result)).toEqual([{ name: "auditor", description: "Reads everything", permissions: [] }]);
  });

  it("a deploy-CLI YAML export without triggers leaves the list not adopted", async () => {
    const text = fs.readFileSync(YAML, "utf8").replace(/^triggers:\n(?: {2}.*\n)+/m, "");
    expect(text).not.toMatch(/^triggers:/m);
    const file = path.join(path.dirname(YAML), "..", "deploy-cli-yaml", "tenant.yaml");
    const copy = copyOf(path.dirname(file), "yaml-no-triggers");
    fs.writeFileSync(path.join(copy, "tenant.yaml"), text);
    const result = await adoptStack({
      stack: "yaml-no-triggers",
      from: path.join(copy, "tenant.yaml"),
      dir: ws.dir,
      domain: "acme.eu.auth0.com",
      keywords: readKeywordMappings(path.join(copy, "config.json")),
    });
    expect(postLogin(result)).toEqual({ mode: "owner", actions: ["claim-mapping"], adopted: false });
    expect(decision(result, "tenant:postLogin")).toMatch(/\(bindings \(no triggers\)\)/);
  });

  it("a directory export without triggers/ (made with AUTH0_INCLUDED_ONLY) leaves the list not adopted", async () => {
    const keywords = readKeywordMappings(path.join(KEYWORD_DIR, "config.json"));
    const result = await adoptStack({
      stack: "shop-staging",
      from: KEYWORD_DIR,
      dir: ws.dir,
      keywords,
      domain: "shop-staging.us.auth0.com",
    });
    expect(result.source.absent).toEqual(["bindings (no triggers/triggers.json)", "rules (no rules/)"]);
    expect(postLogin(result)).toEqual({ mode: "owner", actions: ["claim-mapping"], adopted: false });
    expect(result.adoption.leftOut.find((n) => n.subject === 'Action "Tag orders"')?.detail).toMatch(
      /whether it is bound to post-login is unknown/,
    );
  });

  it.each([
    ["an empty folder", () => fs.mkdtempSync(path.join(ws.dir, "empty-"))],
    [
      "a folder that is not an export",
      () => {
        const dir = fs.mkdtempSync(path.join(ws.dir, "src-"));
        fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
        return dir;
      },
    ],
  ])("refuses %s as --from", async (_, make) => {
    const dir = make();
    await expect(adoptStack({ stack: "wrong", from: dir, dir: ws.dir })).rejects.toThrow(
      new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a deploy-CLI directory export: it has none of the folders clients/`),
    );
    expect(fs.existsSync(path.join(ws.dir, "Pulumi.wrong.yaml"))).toBe(false);
  });

  it("refuses a YAML file with none of a deploy-CLI export's sections", async () => {
    const file = path.join(ws.dir, "other.yaml");
    fs.writeFileSync(file, "name: my-service\nruntime: nodejs\n");
    await expect(adoptStack({ stack: "wrong", from: file, dir: ws.dir })).rejects.toThrow(
      /other\.yaml is not a deploy-CLI export: it has none of the sections clients/,
    );
  });
});

describe("names are not identities", () => {
  let result: AdoptResult;
  beforeAll(async () => {
    ws.write("shop", stackFileBefore(SHOP_DOMAIN, SHOP_DEPLOY));
    result = await adoptStack({ stack: "shop", from: SHOP, dir: ws.dir });
  });

  it("gives two applications of one name keys from their client ids, and plan accepts them", () => {
    expect(apps(result).map((a) => [a.key, a.name, a.description])).toEqual([
      ["customer-portal-zk3pq9", "Customer Portal", "EU storefront"],
      ["customer-portal-xy7mn2", "Customer Portal", "US storefront"],
    ]);
    const clientIds = Object.fromEntries(
      customEntries(result)
        .filter((e) => e.type === TYPES.client)
        .map((e) => [e.logicalName ?? e.name, e.id]),
    );
    expect(clientIds).toEqual({
      "customer-portal-zk3pq9": "Zk3pQ9tLmV0aXc2s8RbYu1NwE5oHdJf7",
      "customer-portal-xy7mn2": "Xy7mN2cVbK4rT8wQ1pLs6HdF0gJeA3zU",
    });
  });

  it("gives each client the same key whatever the export's order", async () => {
    const exp = JSON.parse(fs.readFileSync(SHOP, "utf8"));
    exp.clients.reverse();
    ws.write("shop-reversed", stackFileBefore(SHOP_DOMAIN, SHOP_DEPLOY));
    const reversed = await adoptStack({ stack: "shop-reversed", from: ws.json("shop-reversed.json", exp), dir: ws.dir });
    const keyOf = (r: AdoptResult) =>
      Object.fromEntries(
        customEntries(r)
          .filter((e) => e.type === TYPES.client)
          .map((e) => [e.id, e.logicalName ?? e.name]),
      );
    expect(keyOf(reversed)).toEqual(keyOf(result));
  });

  it("gives roles whose names differ only in case or punctuation distinct keys from their ids", () => {
    expect(roles(result).map((r) => [r.key, r.name])).toEqual([
      ["support-agent-q2slkp", "Support Agent"],
      ["support-agent-m8dwe4", "support-agent"],
      [undefined, "Admin"],
    ]);
    const roleIds = customEntries(result)
      .filter((e) => e.type === TYPES.role)
      .map((e) => [e.logicalName ?? e.name, e.id]);
    expect(roleIds).toEqual([
      ["roles-support-agent-q2slkp", "rol_Q2sLkP9aVbN3xR7t"],
      ["roles-support-agent-m8dwe4", "rol_M8dWe4Zc1YhJ6uGo"],
      ["roles-admin", "rol_T5nBq0Xr2KsV9aLe"],
    ]);
  });

  it("asks the reviewer to give them their own names, which plan requires", () => {
    expect(result.problems).toEqual(['tenant:applications[customer-portal-xy7mn2].name: "Customer Portal" is declared twice']);
    expect(decision(result, 'applications named "Customer Portal"')).toMatch(
      /2 live applications share this name \(Zk3pQ9tLmV0aXc2s8RbYu1NwE5oHdJf7, Xy7mN2cVbK4rT8wQ1pLs6HdF0gJeA3zU\); their keys come from their client ids/,
    );
  });

  it("refuses two applications of one name from an export without ids, which cannot tell them apart", async () => {
    const copy = copyOf(DIRECTORY, "directory-duplicate-names");
    const website = JSON.parse(fs.readFileSync(path.join(copy, "clients", "Acme Website.json"), "utf8"));
    delete website.client_id;
    fs.writeFileSync(path.join(copy, "clients", "Acme Website.json"), JSON.stringify(website));
    fs.writeFileSync(
      path.join(copy, "clients", "Acme Website (copy).json"),
      JSON.stringify({ ...website, callbacks: ["https://b.acme.example/cb"] }),
    );
    await expect(adoptStack({ stack: "dupes", from: copy, dir: ws.dir })).rejects.toThrow(
      /two applications are named "Acme Website" and the export carries no ID to tell them apart/,
    );
  });
});

describe("every client keeps its way of authenticating", () => {
  let result: AdoptResult;
  beforeAll(async () => {
    ws.write("shop-auth", stackFileBefore(SHOP_DOMAIN, SHOP_DEPLOY));
    result = await adoptStack({ stack: "shop-auth", from: SHOP, dir: ws.dir });
  });

  it("never turns private_key_jwt (client_authentication_methods) into a client secret: the client is left for the reviewer", () => {
    expect(decision(result, 'application "Fulfilment Service"')).toMatch(
      /authenticates with private_key_jwt \(client_authentication_methods\), and the program declares client_secret_post .* not adopted .*\(with its 1 client grant, also left alone\)/,
    );
    expect(result.stackFileText).not.toContain("Fulfilment");
    expect(customEntries(result).map((e) => e.id)).not.toContain("FulfilmentPrivateKeyJwtClient001");
    expect(customEntries(result).map((e) => e.id)).not.toContain("cgr_FulfilmentOrders000001");
  });

  it("never turns client_secret_basic into client_secret_post", () => {
    expect(decision(result, 'application "Back Office"')).toMatch(/authenticates with client_secret_basic \(token_endpoint_auth_method\)/);
    expect(result.stackFileText).not.toContain("Back Office");
    expect(result.changes.filter((c) => c.field === "token endpoint authentication")).toEqual([]);
  });

  it("warns when the stack file already declares such a client, which the first update would create a second time", async () => {
    const before = stackFileBefore(
      SHOP_DOMAIN,
      SHOP_DEPLOY,
      [
        "  tenant:applications:",
        "    - key: back-office",
        "      name: Back Office",
        "      type: regular_web",
        "      tier: enterprise",
        "      callbacks: [https://admin.shop.example/callback]",
      ].join("\n"),
    );
    ws.write("shop-held", before);
    const held = await adoptStack({ stack: "shop-held", from: SHOP, dir: ws.dir });
    expect(decision(held, 'application "back-office"')).toMatch(
      /the tenant has it \("Back Office"\), but it was not adopted .* would create a second application/,
    );
    expect(held.adoption.kept).toEqual([]);
  });

  it("lists every field it does not carry, token_lifetime_for_web included, with its value", () => {
    const leftOut = result.adoption.leftOut.map((n) => n.subject);
    expect(leftOut).toContain('API "Shop API", settings token_lifetime_for_web (7200)');
    expect(leftOut).toContain('application "customer-portal-zk3pq9", settings jwt_configuration.lifetime_in_seconds (36000)');
    for (const subject of leftOut) expect(result.report).toContain(subject);
  });
});

describe("a re-run respects the reviewer's edits", () => {
  let first: AdoptResult;
  let edited: string;
  let second: AdoptResult;
  beforeAll(async () => {
    ws.write("edits", stackFileBefore(SHOP_DOMAIN, SHOP_DEPLOY));
    first = await adoptAndWrite("edits", SHOP);
    // A reviewer renames a key before the import, fixes a tier and gives a role a key of their choosing.
    edited = first.stackFileText
      .replace("key: customer-portal-zk3pq9", "key: portal-eu")
      .replace(/(key: customer-portal-xy7mn2\n\s+name: )Customer Portal/, "$1Customer Portal (US)")
      .replace(/(key: customer-portal-xy7mn2\n\s+name: [^\n]*\n\s+type: spa\n\s+tier: )free/, "$1pro")
      .replace("  - name: Admin\n", "  - key: administrators\n      name: Admin\n");
    expect(edited).toContain("key: portal-eu");
    expect(edited).toContain("name: Customer Portal (US)");
    expect(edited).toContain("key: administrators");
    ws.write("edits", edited);
    second = await adoptAndWrite("edits", SHOP);
  });

  it("keeps the stack file as the reviewer left it", () => {
    expect(second.stackFileText).toBe(edited);
  });

  it("maps each live client to the entry already there, never adding it again under a new key", () => {
    expect(apps(second).map((a) => [a.key, a.tier])).toEqual([
      ["portal-eu", "pro"],
      ["customer-portal-xy7mn2", "pro"],
    ]);
    const byKey = Object.fromEntries(
      customEntries(second)
        .filter((e) => e.type === TYPES.client)
        .map((e) => [e.logicalName ?? e.name, e.id]),
    );
    expect(byKey).toEqual({
      "portal-eu": "Zk3pQ9tLmV0aXc2s8RbYu1NwE5oHdJf7",
      "customer-portal-xy7mn2": "Xy7mN2cVbK4rT8wQ1pLs6HdF0gJeA3zU",
    });
    expect(second.adoption.kept).toEqual([]);
  });

  it("keeps a role's key and imports the role under it", () => {
    expect(roles(second).find((r) => r.name === "Admin")?.key).toBe("administrators");
    expect(customEntries(second).find((e) => e.id === "rol_T5nBq0Xr2KsV9aLe" && e.type === TYPES.role)?.name).toBe("roles-administrators");
  });

  it("lists each kept value that differs from the tenant, which the first update applies", () => {
    expect(second.problems).toEqual([]);
    expect(second.adoption.edits).toEqual([
      {
        subject: 'application "customer-portal-xy7mn2", name',
        detail: 'kept "Customer Portal (US)" from the stack file; the tenant has "Customer Portal"',
      },
      { subject: 'application "customer-portal-xy7mn2", tier', detail: 'kept "pro" from the stack file; the tenant has "free"' },
    ]);
    expect(second.report).toContain('application "customer-portal-xy7mn2", tier: kept "pro" from the stack file; the tenant has "free"');
    expect(second.changes.map((c) => `${c.subject}: ${c.field}`)).toContain('application "customer-portal-xy7mn2": client metadata');
  });

  it("keeps claim-mapping where the reviewer moved it in the post-login list", async () => {
    ws.write("moved", stackFileBefore(SHOP_DOMAIN, SHOP_DEPLOY));
    const adopted = await adoptAndWrite("moved", SHOP);
    const moved = adopted.stackFileText.replace(
      /(tenant:postLogin:\n\s+mode: owner\n\s+actions:\n)(\s+- id: [^\n]+\n\s+displayName: [^\n]+\n)(\s+- claim-mapping\n)/,
      "$1$3$2",
    );
    expect(moved).not.toBe(adopted.stackFileText);
    ws.write("moved", moved);
    const again = await adoptStack({ stack: "moved", from: SHOP, dir: ws.dir });
    expect(again.stackFileText).toBe(moved);
    expect(postLogin(again).actions[0]).toBe("claim-mapping");
    expect(again.adoption.edits.map((n) => n.subject)).toEqual(["tenant:postLogin.actions"]);
  });

  it("still maps a renamed key to its client when the tenant's order changes", async () => {
    const exp = JSON.parse(fs.readFileSync(SHOP, "utf8"));
    exp.clients.reverse();
    exp.roles.reverse();
    const third = await adoptStack({ stack: "edits", from: ws.json("shop-reordered.json", exp), dir: ws.dir });
    expect(third.stackFileText).toBe(edited);
  });
});

describe("every malformed file is a clear error, and nothing is written", () => {
  const broken = (file: string, text: string) => {
    const copy = copyOf(DIRECTORY, `broken-${path.basename(file).replace(/\W/g, "-")}`);
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.writeFileSync(path.join(copy, file), text);
    return { copy, file: path.join(copy, file) };
  };
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  it.each([
    ["triggers/triggers.json", '{\n  "post-login": [\n    { "action_name": "x", }\n  ]\n}\n', "line 3, column"],
    [
      "database-connections/Username-Password-Authentication/database.json",
      '{ "name": "Username-Password-Authentication",\n  "options": {\n',
      "line 3, column 1",
    ],
    ["clients/Acme Website.json", "[1, 2]\n", "expected a JSON object, got a list"],
    ["roles/admin.json", '{ "name": "admin" \n "description": "x" }\n', "line 2, column"],
    ["triggers/triggers.json", '{ "post-login": { "action_name": "x" } }\n', '"post-login" must be a list of bindings'],
  ])("%s (%s)", async (name, text, what) => {
    const { copy, file } = broken(name, text);
    await expect(adoptStack({ stack: "broken", from: copy, dir: ws.dir })).rejects.toThrow(AdoptError);
    await expect(adoptStack({ stack: "broken", from: copy, dir: ws.dir })).rejects.toThrow(
      new RegExp(`${escapeRegExp(file)}.*${escapeRegExp(what)}`),
    );
    expect(fs.existsSync(path.join(ws.dir, "Pulumi.broken.yaml"))).toBe(false);
  });

  it("names the file of a directory export whose object has the wrong shape", async () => {
    const { copy } = broken("clients/Acme Website.json", '{ "name": 42 }\n');
    await expect(adoptStack({ stack: "broken", from: copy, dir: ws.dir })).rejects.toThrow(
      new RegExp(`${escapeRegExp(path.join(copy, "clients", "Acme Website.json"))}: name: Expected string, received number`),
    );
  });

  it("names the line of a broken JSON export and of a broken tenant.yaml", async () => {
    const json = path.join(ws.dir, "broken-export.json");
    fs.writeFileSync(json, '{\n  "clients": [\n    { "name": "x" ]\n}\n');
    await expect(adoptStack({ stack: "broken", from: json, dir: ws.dir })).rejects.toThrow(
      /broken-export\.json.* is not valid JSON at line 3, column/,
    );
    const yaml = path.join(ws.dir, "broken-tenant.yaml");
    fs.writeFileSync(yaml, "clients:\n  - name: x\n   app_type: spa\n");
    await expect(adoptStack({ stack: "broken", from: yaml, dir: ws.dir })).rejects.toThrow(
      /broken-tenant\.yaml is not valid YAML.*line 3/s,
    );
  });
});

describe("the report agrees with plan", () => {
  it("lists exactly what the settings parser refuses in the written stack file, as plan reads it", async () => {
    // A new stack from an export without IDs: no credentials, placeholders for the bound Actions.
    const keywords = readKeywordMappings(path.join(FIXTURES, "deploy-cli-yaml", "config.json"));
    const result = await adoptAndWrite("agree", YAML, { keywords });
    let planProblems: string[] = [];
    try {
      parseSettings("agree", readStackConfig("agree", ws.dir).config);
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      planProblems = error.problems.map((p) => `${p.key}: ${p.message}`);
    }
    expect(planProblems.length).toBeGreaterThanOrEqual(4);
    expect(result.problems).toEqual(planProblems);
    for (const problem of planProblems) expect(result.report).toContain(`  - ${problem}`);
  });
});

describe("keywords in quotes", () => {
  it("replaces a list keyword in single quotes, as the deploy CLI does", async () => {
    const copy = copyOf(path.dirname(YAML), "yaml-single-quotes");
    const text = fs
      .readFileSync(path.join(copy, "tenant.yaml"), "utf8")
      .replace("callbacks: @@PORTAL_CALLBACKS@@", "callbacks: '@@PORTAL_CALLBACKS@@'");
    expect(text).toContain("'@@PORTAL_CALLBACKS@@'");
    fs.writeFileSync(path.join(copy, "tenant.yaml"), text);
    const keywords = readKeywordMappings(path.join(copy, "config.json"));
    const result = await adoptStack({
      stack: "quotes",
      from: path.join(copy, "tenant.yaml"),
      dir: ws.dir,
      keywords,
      domain: "acme.eu.auth0.com",
    });
    expect(result.source.export.clients.find((c) => c.name === "Legacy Portal")?.callbacks).toEqual([
      "https://portal.acme.example/callback",
      "https://portal.acme.example/sso",
    ]);
  });

  it("resolves a directory export's keywords, a list keyword in JSON quotes included", async () => {
    const keywords = readKeywordMappings(path.join(KEYWORD_DIR, "config.json"));
    const result = await adoptStack({
      stack: "shop-keywords",
      from: KEYWORD_DIR,
      dir: ws.dir,
      keywords,
      domain: "shop-staging.us.auth0.com",
    });
    const storefront = result.source.export.clients.find((c) => c.name === "Storefront");
    expect(storefront?.allowed_logout_urls).toEqual(["https://staging.shop.example/", "https://staging.shop.example/signed-out"]);
    expect(storefront?.callbacks).toEqual(["https://staging.shop.example/callback"]);
    expect(result.source.unresolvedKeywords).toEqual([]);
    expect(result.stackFileText).not.toMatch(/##|@@/);
  });
});

describe("the round trip", () => {
  it("adopt -> plan -> the import file matches the plan -> adopt again is byte-identical -> an edit survives", async () => {
    ws.write("trip", stackFileBefore(SHOP_DOMAIN, SHOP_DEPLOY));
    const adopted = await adoptAndWrite("trip", SHOP);
    // The one decision plan insists on: two applications of one name get their own names.
    ws.write("trip", adopted.stackFileText.replace(/(key: customer-portal-xy7mn2\n\s+name: )Customer Portal/, "$1Customer Portal (US)"));
    const first = await adoptAndWrite("trip", SHOP);
    expect(first.problems).toEqual([]);

    // Every import entry names a resource the plan registers, by type, logical name and parent, with the live id.
    const plan = first.plan!;
    const parents = new Map(first.importFile.resources.filter((e) => e.component).map((e) => [e.name, e.logicalName ?? e.name]));
    const exp = JSON.parse(fs.readFileSync(SHOP, "utf8"));
    const liveIds = new Set<string>([
      ...exp.clients.map((c: { client_id: string }) => c.client_id),
      ...exp.resourceServers.flatMap((r: { id: string; identifier: string }) => [r.id, r.identifier]),
      ...exp.roles.map((r: { id: string }) => r.id),
      ...exp.clientGrants.map((g: { id: string }) => g.id),
      "post-login",
    ]);
    for (const entry of customEntries(first)) {
      const name = entry.logicalName ?? entry.name;
      const resource = plan.resources.find((r) => r.type === entry.type && r.name === name);
      expect(resource).toBeDefined();
      expect(resource!.parent?.endsWith(`::${parents.get(entry.parent!)}`)).toBe(true);
      expect(liveIds).toContain(entry.id);
    }
    const stackFileName = path.join(ws.dir, "Pulumi.trip.yaml");
    const importFileName = path.join(ws.dir, "adopt-import.trip.json");
    const stackText = fs.readFileSync(stackFileName, "utf8");
    const importText = fs.readFileSync(importFileName, "utf8");

    const again = await adoptAndWrite("trip", SHOP);
    expect(fs.readFileSync(stackFileName, "utf8")).toBe(stackText);
    expect(fs.readFileSync(importFileName, "utf8")).toBe(importText);
    expect(again.changes).toEqual(first.changes);

    const edited = stackText.replace("description: EU storefront", "description: EU storefront (reviewed)");
    fs.writeFileSync(stackFileName, edited);
    const third = await adoptAndWrite("trip", SHOP);
    expect(third.stackFileText).toBe(edited);
    expect(third.changes).toContainEqual({
      subject: 'application "customer-portal-zk3pq9"',
      field: "description",
      live: "EU storefront",
      planned: "EU storefront (reviewed)",
    });
    expect(parseSettings("trip", stackConfigFromText("trip", third.stackFileText, ws.dir).config).applications[0].description).toBe(
      "EU storefront (reviewed)",
    );
  });
});
