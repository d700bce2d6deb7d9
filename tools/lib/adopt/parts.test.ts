// The pure parts of adoption: the stack file merge, application keys, the claim namespace, the import file.
import { parse } from "yaml";
import { inferNamespace, uniqueKey, type ImportTarget } from "./adopt";
import { buildImportFile } from "./import-file";
import { components, names, TYPES } from "./names";
import { mergeStackFile, stackFileConfig } from "../../../harness/stack-file";

describe("merging into a stack file", () => {
  const before = [
    "# Our prod tenant.",
    "config:",
    "  auth0:domain: acme.eu.auth0.com",
    "  # keep this comment",
    "  auth0:clientSecret:",
    "    secure: AAABAHJlYWw=",
    "  aws:region: eu-west-1",
    "  tenant:roles:",
    "    - name: old",
    "",
  ].join("\n");

  it("replaces only the adopted keys and keeps every other key, comment and secure value", () => {
    const after = mergeStackFile(before, { "tenant:roles": [{ name: "admin", permissions: ["read:reports"] }] }, "unused");
    expect(after).toBe(
      [
        "# Our prod tenant.",
        "config:",
        "  auth0:domain: acme.eu.auth0.com",
        "  # keep this comment",
        "  auth0:clientSecret:",
        "    secure: AAABAHJlYWw=",
        "  aws:region: eu-west-1",
        "  tenant:roles:",
        "    - name: admin",
        "      permissions: [read:reports]",
        "",
      ].join("\n"),
    );
  });

  it("writes short lists of plain values on one line, as the committed stack files do, and quotes what YAML would misread", () => {
    const after = mergeStackFile(
      undefined,
      { "tenant:x": { urls: ["https://a.example/", "https://b.example/"], flag: "true", empty: [] } },
      " header",
    );
    expect(after).toBe(
      '# header\nconfig:\n  tenant:x:\n    urls: [https://a.example/, https://b.example/]\n    flag: "true"\n    empty: []\n',
    );
    expect(stackFileConfig(after, "x")).toEqual({
      "tenant:x": { urls: ["https://a.example/", "https://b.example/"], flag: "true", empty: [] },
    });
  });

  it("refuses to write a secret", () => {
    expect(() => mergeStackFile(before, { "auth0:clientSecret": { secure: "x" } }, "")).toThrow(/never write a secret/);
  });
});

describe("application keys", () => {
  it("are lower-case kebab-case, start with a letter, fit 48 characters and are unique", () => {
    const taken = new Set<string>();
    const keys = ["MyApp Dashboard (dev)", "MyApp Dashboard (dev)", "123 Go!", "A".repeat(60), "Über App"].map((name) => {
      const key = uniqueKey(name, taken);
      taken.add(key);
      return key;
    });
    expect(keys).toEqual(["myapp-dashboard-dev", "myapp-dashboard-dev-2", "app-123-go", "a".repeat(48), "ber-app"]);
    for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9-]{0,47}$/);
  });
});

describe("the claim namespace", () => {
  it("comes from a namespace constant or from claim names set with literals, the most used winning", () => {
    expect(
      inferNamespace([
        { label: "a", code: "const NAMESPACE = 'https://myapp.com/';\napi.idToken.setCustomClaim(`${NAMESPACE}roles`, r);" },
        { label: "b", code: "context.accessToken['https://myapp.com/tenant'] = t;" },
        { label: "c", code: "api.idToken.setCustomClaim('https://other.example/x', 1);" },
      ]),
    ).toEqual({ namespace: "https://myapp.com/", from: ["a", "b"] });
  });
  it("is not guessed from code that sets no namespaced claim", () => {
    expect(
      inferNamespace([{ label: "a", code: "api.idToken.setCustomClaim('roles', r); fetch('https://crm.example/hook');" }]),
    ).toBeUndefined();
  });
});

describe("the import file", () => {
  const target = (type: ImportTarget["type"], name: string, parent: ImportTarget["parent"], id?: string): ImportTarget => ({
    type,
    name,
    parent,
    id,
    idHint: "the thing's id",
    subject: name,
    live: { kind: "action", action: undefined },
  });

  it("gives components and children that share a logical name distinct names, and keeps the logical name", () => {
    const file = buildImportFile(
      "dev",
      [
        target(TYPES.client, names.client("api"), components.application("api"), "c1"),
        target(TYPES.resourceServer, names.resourceServer(), components.api, "rs1"),
      ],
      "3.49.0",
    );
    expect(file.resources.map((r) => [r.name, r.logicalName, r.type, r.parent])).toEqual([
      ["api-application", "api", "tenant:auth0:Application", undefined],
      ["api-api", "api", "tenant:auth0:Api", undefined],
      ["api", undefined, TYPES.client, "api-application"],
      ["api-resourceServer", "api", TYPES.resourceServer, "api-api"],
    ]);
  });

  it("leaves a named placeholder where the export has no ID", () => {
    const file = buildImportFile("dev", [target(TYPES.role, names.role("Admin"), components.roles)], "3.49.0");
    expect(file.resources[1]).toMatchObject({ name: "roles-admin", id: "<PLACEHOLDER: the thing's id>", provider: "auth0-provider" });
    expect(parse(JSON.stringify(file))).toEqual(file);
  });
});
