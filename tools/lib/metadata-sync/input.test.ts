import { formatOf, parseInput } from "./input";
import { UserError } from "../../../infra/errors";

const declared = { plans: ["free", "premium", "enterprise"], roles: ["admin", "editor", "viewer"] };
const csv = (...lines: string[]) => parseInput(lines.join("\n"), "csv", declared);
const json = (text: string) => parseInput(text, "json", declared);

describe("CSV input", () => {
  it("reads the four columns in any order, ignores other columns, and splits roles on ';'", () => {
    const { rows, problems } = csv("email,roles,plan,user_id,tenant_id", "a@x.test, editor ; viewer ;,premium,auth0|a,acme");
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ line: 2, user_id: "auth0|a", tenant_id: "acme", plan: "premium", roles: ["editor", "viewer"] }]);
  });

  it("treats an empty tenant_id, plan or roles as none", () => {
    expect(csv("user_id,tenant_id,plan,roles", "auth0|a,,,").rows).toEqual([
      { line: 2, user_id: "auth0|a", tenant_id: null, plan: null, roles: [] },
    ]);
  });

  it("counts physical lines: quoted line breaks, CRLF, a BOM and blank lines", () => {
    // The quoted line break sits in roles: a tenant id with one is refused (actions/claim-mapping/values.ts).
    const text =
      '\uFEFFuser_id,tenant_id,plan,roles\r\n\r\n"auth0|a","Acme, ""Inc"" Europe",free,"editor;\r\nviewer"\r\nauth0|b,,gold,\r\n';
    const { rows, problems } = parseInput(text, "csv", declared);
    expect(rows).toEqual([{ line: 3, user_id: "auth0|a", tenant_id: 'Acme, "Inc" Europe', plan: "free", roles: ["editor", "viewer"] }]);
    expect(problems).toEqual([{ line: 5, message: 'plan "gold" is not one of the stack\'s plans (free, premium, enterprise)' }]);
  });

  it("reports a row without a user id, an unknown plan and an unknown role with their lines, and skips them", () => {
    const { rows, problems } = csv(
      "user_id,tenant_id,plan,roles",
      ",acme,free,",
      "auth0|b,acme,platinum,editor",
      "auth0|c,acme,free,editor;owner",
      "auth0|d,acme,free,viewer",
    );
    expect(rows.map((r) => r.user_id)).toEqual(["auth0|d"]);
    expect(problems).toEqual([
      { line: 2, message: "no user_id" },
      { line: 3, message: 'plan "platinum" is not one of the stack\'s plans (free, premium, enterprise)' },
      { line: 4, message: 'role "owner" is not one of the stack\'s roles (admin, editor, viewer)' },
    ]);
  });

  it("skips every row of a user listed twice, even when one of them is otherwise bad", () => {
    const { rows, problems } = csv("user_id,tenant_id,plan,roles", "auth0|a,acme,free,", "auth0|b,acme,free,", "auth0|a,acme,gold,");
    expect(rows.map((r) => r.user_id)).toEqual(["auth0|b"]);
    expect(problems).toEqual([
      { line: 2, message: 'user_id "auth0|a" is listed 2 times (lines 2, 4): every row of this user is skipped' },
      { line: 4, message: 'plan "gold" is not one of the stack\'s plans (free, premium, enterprise)' },
      { line: 4, message: 'user_id "auth0|a" is listed 2 times (lines 2, 4): every row of this user is skipped' },
    ]);
  });

  it("reports a row with too few or too many fields", () => {
    expect(csv("user_id,tenant_id,plan,roles", "auth0|a,acme,free").problems).toEqual([
      { line: 2, message: "has 3 fields where the header has 4" },
    ]);
  });

  it("refuses the whole file when the header lacks a column, so that a missing column never wipes a key", () => {
    expect(() => csv("user_id,tenant_id,roles", "auth0|a,acme,")).toThrow(
      new UserError('the CSV header (line 1) lacks "plan": it must name user_id, tenant_id, plan and roles'),
    );
    expect(() => csv("")).toThrow(/the CSV file is empty/);
  });

  it("refuses the whole file when a quote is never closed", () => {
    expect(() => csv("user_id,tenant_id,plan,roles", 'auth0|a,"acme,free,')).toThrow(
      new UserError("the CSV file has a quote opened on line 2 that is never closed"),
    );
  });
});

describe("JSON input", () => {
  it("reads an array of rows; null means none; a numeric tenant_id becomes its decimal string", () => {
    const { rows, problems } = json(
      '[{"user_id":"auth0|a","tenant_id":42,"plan":null,"roles":null},{"user_id":"auth0|b","tenant_id":"acme","plan":"free","roles":["admin","admin"]}]',
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 1, user_id: "auth0|a", tenant_id: "42", plan: null, roles: [] },
      { line: 1, user_id: "auth0|b", tenant_id: "acme", plan: "free", roles: ["admin"] },
    ]);
  });

  it("gives each problem the line on which its element starts", () => {
    const text = [
      "[",
      '  { "user_id": "auth0|a", "tenant_id": "acme", "plan": "free", "roles": [] },',
      "  {",
      '    "user_id": "", "tenant_id": "acme", "plan": "free", "roles": []',
      "  },",
      '  { "user_id": "auth0|c", "tenant_id": "acme", "plan": "gold", "roles": ["viewer"] },',
      '  { "user_id": "auth0|d", "tenant_id": {"id": 1}, "plan": "free", "roles": "viewer" },',
      '  { "user_id": "auth0|e", "tenant_id": "a,]}{\\"", "plan": "free" },',
      "  7",
      "]",
    ].join("\n");
    const { rows, problems } = json(text);
    expect(rows.map((r) => [r.line, r.user_id])).toEqual([[2, "auth0|a"]]);
    expect(problems).toEqual([
      { line: 3, message: "no user_id" },
      { line: 6, message: 'plan "gold" is not one of the stack\'s plans (free, premium, enterprise)' },
      { line: 7, message: "tenant_id must be a string (got an object)" },
      { line: 7, message: 'roles must be a list of role names (got string "viewer")' },
      { line: 8, message: '"roles" is missing (use an empty value for none)' },
      { line: 9, message: "must be an object { user_id, tenant_id, plan, roles } (got number 7)" },
    ]);
  });

  it("accepts a byte order mark, as CSV does", () => {
    const { rows, problems } = json('\uFEFF[{"user_id":"auth0|a","tenant_id":"acme","plan":"free","roles":[]}]');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.user_id)).toEqual(["auth0|a"]);
  });

  it("refuses a file that is not a JSON array", () => {
    expect(() => json('{"user_id":"auth0|a"}')).toThrow(/must hold an array of rows/);
    expect(() => json("[{")).toThrow(/is not valid JSON/);
  });
});

describe("tenant ids the Action would refuse", () => {
  it("are refused per row, with the row, and never written", () => {
    const text = JSON.stringify(
      [
        { user_id: "auth0|long", tenant_id: "t".repeat(256), plan: "free", roles: [] },
        { user_id: "auth0|nul", tenant_id: "acme\u0000", plan: "free", roles: [] },
        { user_id: "auth0|zwsp", tenant_id: "\u200b", plan: "free", roles: [] },
        { user_id: "auth0|exp", tenant_id: 1e21, plan: "free", roles: [] },
        { user_id: "auth0|ok", tenant_id: "t".repeat(255), plan: "free", roles: [] },
      ],
      null,
      1,
    );
    const { rows, problems } = json(text);
    expect(rows.map((r) => [r.line, r.user_id, r.tenant_id])).toEqual([[26, "auth0|ok", "t".repeat(255)]]);
    expect(problems).toEqual([
      { line: 2, message: `tenant_id "${"t".repeat(256)}" is 256 characters long; at most 255` },
      { line: 8, message: 'tenant_id "acme\\u0000" contains the control or invisible character U+0000' },
      { line: 14, message: 'tenant_id "\\u200b" contains the control or invisible character U+200B' },
      { line: 20, message: 'tenant_id "1e+21" the number 1e+21 is not written in plain decimal' },
    ]);
  });
  it("include a CSV tenant with a zero-width joiner inside", () => {
    expect(csv("user_id,tenant_id,plan,roles", "auth0|a,ac\u200dme,free,").problems).toEqual([
      { line: 2, message: 'tenant_id "ac\\u200dme" contains the control or invisible character U+200D' },
    ]);
  });
});

describe("duplicate user ids", () => {
  const row = (id: string) => ({ user_id: id, tenant_id: "acme", plan: "free", roles: [] });

  it.each([
    ["composed and decomposed é (NFC vs NFD)", "auth0|jos\u00e9", "auth0|jose\u0301"],
    ["a zero-width space", "auth0|alice", "auth0|al\u200bice"],
    ["a zero-width joiner and a BOM", "auth0|alice", "\ufeffauth0|ali\u200dce"],
    ["a bidi mark", "auth0|alice", "auth0|alice\u200e"],
    ["fullwidth letters (NFKC)", "auth0|alice", "auth0|\uff41lice"],
  ])("counts ids that differ only by %s as one user and skips both rows", (_, first, second) => {
    const { rows, problems } = parseInput(JSON.stringify([row(first), row(second)], null, 1), "json", declared);
    expect(rows).toEqual([]);
    expect(problems).toHaveLength(2);
    for (const problem of problems) expect(problem.message).toMatch(/is listed 2 times .*spelled differently/);
  });

  it("shows invisible characters in the message as escapes", () => {
    const { problems } = parseInput(JSON.stringify([row("auth0|a"), row("auth0|\u200ba")]), "json", declared);
    expect(problems.map((p) => p.message)).toContain(
      'user_id "auth0|\\u200ba" is listed 2 times (lines 1, 1) (spelled differently: ids that differ only in Unicode normal form or invisible characters are one user): every row of this user is skipped',
    );
  });
});

describe("formatOf", () => {
  it("takes the format from the file's extension", () => {
    expect([formatOf("users.CSV"), formatOf("export.json"), formatOf("users.xlsx")]).toEqual(["csv", "json", undefined]);
  });
});
