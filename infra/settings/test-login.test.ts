// tenant:testLogin: test-only by construction (refused on dev and prod), and what it derives for a stack.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { ephemeralStackName, stackConfigFromText } from "../../harness/stack-file";
import { renderStackFile, TEMPLATE_FILE } from "../../tools/lib/ephemeral/stack-file";
import { parseSettings } from ".";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const TEMPLATE = read(TEMPLATE_FILE);
const testLoginBlock = (users: unknown[] = [{ key: "viewer-free", roles: ["viewer"], appMetadata: { plan: "free" } }], extra = {}) =>
  `  tenant:testLogin:\n${stringify({ users, ...extra })
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}\n`;

describe("tenant:testLogin", () => {
  it.each(["dev", "prod"])("is refused on %s, naming the key and the stack file", (stack) => {
    const text = read(`Pulumi.${stack}.yaml`).replace("  tenant:postLogin:", `${testLoginBlock()}  tenant:postLogin:`);
    expect(() => parseSettings(stack, stackConfigFromText(stack, text).config)).toThrow(
      new RegExp(`Invalid configuration in Pulumi\\.${stack}\\.yaml:\\n[\\s\\S]*tenant:testLogin: is test-only`),
    );
  });

  const ephemeral = (text = TEMPLATE, id = "pr-7") =>
    parseSettings(ephemeralStackName(id), stackConfigFromText(ephemeralStackName(id), renderStackFile(text, id)).config);

  it("derives a tagged connection, tagged emails under a domain that cannot receive mail, and prefixed roles", () => {
    const testLogin = ephemeral().testLogin!;
    expect(testLogin.connection).toBe("tests-eph-pr-7");
    const editor = testLogin.users.find((u) => u.key === "editor-premium")!;
    expect(editor).toMatchObject({
      email: "editor-premium.eph-pr-7@example.invalid",
      roles: ["eph-pr-7:editor"],
      appMetadata: { tenant_id: "t-2", plan: "premium" },
    });
    for (const user of testLogin.users) expect(user.email).toMatch(/\.eph-pr-7@example\.invalid$/);
  });

  it("refuses a role the stack does not declare, a duplicate user and a domain that can receive mail", () => {
    const users = [
      { key: "a", roles: ["owner"] },
      { key: "a", roles: [] },
    ];
    const text = TEMPLATE.replace(/ {2}tenant:testLogin:\n( {4}.*\n|\s*#.*\n)*/, testLoginBlock(users, { emailDomain: "gmail.com" }));
    expect(() => ephemeral(text)).toThrow(/tenant:testLogin\.emailDomain: must be a domain that cannot receive mail \(RFC 2606\)/);
    const text2 = TEMPLATE.replace(/ {2}tenant:testLogin:\n( {4}.*\n|\s*#.*\n)*/, testLoginBlock(users));
    let message = "";
    try {
      ephemeral(text2);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('tenant:testLogin.users[0].roles[0]: "owner" is not a role in tenant:roles');
    expect(message).toContain('tenant:testLogin.users[1].key: "a" is declared twice');
  });

  it("refuses an id whose connection name Auth0 would refuse", () => {
    expect(() => ephemeral(TEMPLATE, "a--b")).toThrow(/tenant:isolation\.id: gives the connection name "tests-eph-a--b"/);
  });
});
