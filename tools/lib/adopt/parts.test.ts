// The pure parts of adoption: the stack file merge, application keys, the claim namespace, the import file.
import { parse } from "yaml";
import { inferNamespace } from "./handlers/claims";
import { keyBase, stableKeys } from "./keys";
import type { ImportTarget } from "./model";
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
  const keysOf = (items: { name: string; id?: string }[], taken: string[] = []) => {
    const keyed = items.map((i) => ({ name: i.name, id: i.id }));
    const keys = stableKeys(keyed, new Set(taken), (name) => keyBase(name, "app"), "application");
    return keyed.map((i) => keys.get(i));
  };

  it("are lower-case kebab-case, start with a letter and fit 48 characters", () => {
    const keys = keysOf([{ name: "MyApp Dashboard (dev)" }, { name: "123 Go!" }, { name: "A".repeat(60) }, { name: "Über App" }]);
    expect(keys).toEqual(["myapp-dashboard-dev", "app-123-go", "a".repeat(48), "ber-app"]);
    for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9-]{0,47}$/);
  });

  it("tell two applications of one name apart by their client ids, the same in any export order", () => {
    const a = { name: "Acme App", id: "Zk3pQ9aaaaaaaaaaaaaaaaaaaaaaaaa1" };
    const b = { name: "Acme App", id: "Xy7mN2bbbbbbbbbbbbbbbbbbbbbbbbb2" };
    expect(keysOf([a, b])).toEqual(["acme-app-zk3pq9", "acme-app-xy7mn2"]);
    expect(keysOf([b, a])).toEqual(["acme-app-xy7mn2", "acme-app-zk3pq9"]);
  });

  it("tell apart names that differ only in case or punctuation, and a name whose key the stack file already uses", () => {
    expect(
      keysOf([
        { name: "Acme-App", id: "idONE111" },
        { name: "acme app", id: "idTWO222" },
      ]),
    ).toEqual(["acme-app-idone1", "acme-app-idtwo2"]);
    expect(keysOf([{ name: "Acme App", id: "Qw12Er34" }], ["acme-app"])).toEqual(["acme-app-qw12er"]);
  });

  it("lengthen the id part until it tells the ids apart", () => {
    expect(
      keysOf([
        { name: "X", id: "abcdef1" },
        { name: "X", id: "abcdef2" },
      ]),
    ).toEqual(["x-abcdef1", "x-abcdef2"]);
  });

  it("refuse two applications of one name when the export carries no ids", () => {
    expect(() => keysOf([{ name: "Acme App" }, { name: "Acme App" }])).toThrow(
      /two applications are named "Acme App".*AUTH0_EXPORT_IDENTIFIERS/,
    );
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
    const file = buildImportFile("dev", [target(TYPES.role, names.role("admin"), components.roles)], "3.49.0");
    expect(file.resources[1]).toMatchObject({ name: "roles-admin", id: "<PLACEHOLDER: the thing's id>", provider: "auth0-provider" });
    expect(parse(JSON.stringify(file))).toEqual(file);
  });
});
