import { checkActionSecrets } from "./action-secrets";
import { action, actionCode } from "./fixtures";

const withBody = (body: string) => action({ code: actionCode({ body }) });
/** The settings block and the line a body lands on in actionCode(). */
const BODY_LINE = 6;
const FIX =
  "Fix: remove it from the source under actions/, rotate it if it was real, and pass it as an Action secret " +
  "(the Action's secrets input, from `pulumi config set --secret`), read at run time as event.secrets.NAME.";

describe("auth0-action-no-secret-literals", () => {
  it("accepts code without secrets", () => {
    expect(checkActionSecrets(action())).toEqual([]);
  });

  // Assembled at run time so this file itself holds no secret-shaped literal.
  const samples: Array<[string, string]> = [
    ["private key", `const key = "-----BEGIN RSA ${"PRIVATE"} KEY-----\\nMIIE...";`],
    ["JSON Web Token", `const jwt = "${"eyJ"}hbGciOiJIUzI1NiJ9.${"eyJ"}zdWIiOiIxMjM0NTY3ODkwIn0.abc";`],
    ["AWS access key id", `const id = "${"AKIA"}IOSFODNN7EXAMPLE";`],
    ["Slack token", `const hook = "${"xoxb"}-1234567890-abcdefghij";`],
    ["GitHub token", `const gh = "${"ghp"}_${"a".repeat(36)}";`],
    ["credential assigned to a string literal", `const config = { apiKey: "${"s3cr3t"}-value-1234" };`],
    ["credential assigned to a string literal", `const body = { "password": "${"hunter2"}hunter2" };`],
    ["credential assigned to a string literal", `let TOKEN = '${"0123456789"}abcdef';`],
  ];

  it.each(samples)("finds a %s and names its line, never its value", (kind, line) => {
    const messages = checkActionSecrets(withBody(line));
    expect(messages).toEqual([`Action "claim-mapping" code line ${BODY_LINE} holds what looks like a secret (${kind}). ${FIX}`]);
  });

  it("names every kind a line matches in one message", () => {
    const line = `const token = "${"eyJ"}hbGciOiJIUzI1NiJ9.${"eyJ"}zdWIiOiIxMjM0NTY3ODkwIn0.abc";`;
    expect(checkActionSecrets(withBody(line))).toEqual([
      expect.stringContaining("(JSON Web Token, credential assigned to a string literal)"),
    ]);
  });

  it("does not flag prose or short values under credential-like names", () => {
    const body = [
      'const messages = { token: "Your session has expired, sign in again." };',
      'const keys = { apiKey: "api_key" };',
      "const password = event.secrets.PASSWORD;",
    ].join("\n");
    expect(checkActionSecrets(withBody(body))).toEqual([]);
  });

  it("ignores other resources", () => {
    expect(checkActionSecrets({ type: "auth0:index/role:Role", name: "admin", props: { code: `"${"AKIA"}IOSFODNN7EXAMPLE"` } })).toEqual(
      [],
    );
  });
});
