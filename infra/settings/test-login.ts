// Test logins (tenant:testLogin): what an ephemeral stack adds so that integration tests can log in to it.
// Test-only by construction: the parser refuses the key on any stack without tenant:isolation (dev, prod),
// and the policy pack refuses what it creates there too (policy/policies/test-login.ts).
import type { Problem } from "./validate";
import { rolePrefix, stackTag } from "./isolation";
import type { IsolationConfig, TenantConfig, TestLoginConfig } from "./schema";

export { PASSWORD_REALM_GRANT } from "../resource-types";

/** Auth0's connection names: alphanumerics and single hyphens, starting and ending alphanumeric, 128 at most. */
const CONNECTION_NAME = /^[A-Za-z0-9](-?[A-Za-z0-9])*$/;

/** One fixture user as the stack creates it: tagged email, the stack's prefixed role names. */
export interface TestUser {
  key: string;
  email: string;
  name: string;
  /** Auth0 role names (the stack's prefixed roles). */
  roles: string[];
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
}

export interface TestLoginSettings {
  /** The stack's own database connection: the realm of the password-realm grant. */
  connection: string;
  passwordLength: number;
  users: TestUser[];
}

/** The connection's name: carries the stack's tag, so no two stacks share one. */
export function testConnectionName(isolation: Pick<IsolationConfig, "id">): string {
  return `tests-${stackTag(isolation)}`;
}

/** A fixture user's email: its key and the stack's tag, under a domain that cannot receive mail. */
export function testUserEmail(userKey: string, isolation: Pick<IsolationConfig, "id">, domain: string): string {
  return `${userKey}.${stackTag(isolation)}@${domain}`;
}

/** Refuses tenant:testLogin on a stack that is not ephemeral, and checks its users against the config. */
export function testLoginProblems(config: TenantConfig): Problem[] {
  const testLogin = config.testLogin;
  if (testLogin === undefined) return [];
  if (config.isolation === undefined) {
    return [
      {
        key: "tenant:testLogin",
        message:
          "is test-only: a test connection, test users and the password-realm grant exist only in ephemeral stacks " +
          "(tenant:isolation, written by `npm run ephemeral -- config <id>`). Remove it from this stack file.",
      },
    ];
  }
  const problems: Problem[] = [];
  const connection = testConnectionName(config.isolation);
  if (!CONNECTION_NAME.test(connection) || connection.length > 128) {
    problems.push({
      key: "tenant:isolation.id",
      message: `gives the connection name "${connection}", which Auth0 refuses (letters, digits, single hyphens): use single hyphens`,
    });
  }
  const roles = new Set(config.roles.map((r) => r.name));
  const seen = new Set<string>();
  testLogin.users.forEach((user, i) => {
    if (seen.has(user.key)) problems.push({ key: `tenant:testLogin.users[${i}].key`, message: `"${user.key}" is declared twice` });
    seen.add(user.key);
    user.roles.forEach((role, j) => {
      if (!roles.has(role)) {
        problems.push({
          key: `tenant:testLogin.users[${i}].roles[${j}]`,
          message: `"${role}" is not a role in tenant:roles (${[...roles].join(", ")})`,
        });
      }
    });
    const email = testUserEmail(user.key, config.isolation!, testLogin.emailDomain);
    if (email.length > 254)
      problems.push({ key: `tenant:testLogin.users[${i}].key`, message: `gives an email longer than 254 characters` });
  });
  return problems;
}

/** The derived test-login settings of a valid ephemeral config (undefined when it declares none). */
export function testLoginSettings(
  testLogin: TestLoginConfig | undefined,
  isolation: IsolationConfig | undefined,
): TestLoginSettings | undefined {
  if (testLogin === undefined || isolation === undefined) return undefined;
  const prefix = rolePrefix(isolation);
  return {
    connection: testConnectionName(isolation),
    passwordLength: testLogin.passwordLength,
    users: testLogin.users.map((user) => ({
      key: user.key,
      email: testUserEmail(user.key, isolation, testLogin.emailDomain),
      name: user.name ?? user.key,
      roles: user.roles.map((role) => `${prefix}${role}`),
      appMetadata: user.appMetadata,
      userMetadata: user.userMetadata,
    })),
  };
}
