// `token` and `env`, and the login comparison `up` ends with: what an application's integration tests get
// from an ephemeral stack, read from the stack's outputs (passwords and client secrets stay secret outputs,
// used here and never printed).
import { clientMetadataFor } from "../../../infra/clients";
import type { Settings } from "../../../infra/settings";
import type { ApplicationConfig } from "../../../infra/settings/schema";
import type { TestUser } from "../../../infra/settings/test-login";
import type { LoginResult } from "../../../emulator/runtime";
import { type LoadedAction, loadAction, simulateLogin } from "../../../harness/login";
import { SILENT_CONSOLE } from "../../../emulator/loader";
import type { EphemeralDeps } from "./lifecycle";
import { compareWithSimulation, type LoginOutcome, type LoginTarget, passwordRealmLogin, refreshLogin, requireOutput } from "./login";
import { UserError } from "../../../infra/errors";
import { ephemeralId } from "../../../harness/stack-file";
import { TEMPLATE_FILE } from "./stack-file";

/** The stack outputs a login needs (infra/index.ts exports them for stacks with tenant:testLogin). */
export interface StackLogins {
  stack: string;
  domain: string;
  audience: string;
  connection: string;
  clientIds: Record<string, string>;
  users: Record<string, { email: string; userId: string }>;
  /** Secret outputs: used to log in, never printed. */
  passwords: Record<string, string>;
  clientSecrets: Record<string, string>;
}

/** Reads the deployed stack's login outputs; says what to run when the stack or its test logins are missing. */
export async function stackLogins(deps: Pick<EphemeralDeps, "workspace" | "stack">, settings: Settings): Promise<StackLogins> {
  const stack = settings.stack;
  if (!settings.testLogin) {
    throw new UserError(`${settings.stackFile} declares no tenant:testLogin: add test users to ${TEMPLATE_FILE} (docs/ephemeral.md)`);
  }
  if (!(await deps.workspace.listStacks()).some((s) => s.name === stack)) {
    throw new UserError(`there is no stack ${stack}: create it with \`npm run ephemeral -- up ${ephemeralId(stack)}\``);
  }
  const outputs = await (await deps.stack(stack)).outputs();
  const testLogin = requireOutput<{ connection: string; users: StackLogins["users"] }>(outputs, "testLogin", stack);
  return {
    stack,
    domain: settings.provider.domain,
    audience: requireOutput<string>(outputs, "apiAudience", stack),
    connection: testLogin.connection,
    clientIds: requireOutput<Record<string, string>>(outputs, "clientIds", stack),
    users: testLogin.users,
    passwords: requireOutput<Record<string, string>>(outputs, "testPasswords", stack),
    clientSecrets: (outputs.testClientSecrets?.value as Record<string, string> | undefined) ?? {},
  };
}

/** The interactive applications a test user can log in to (machine-to-machine clients never run post-login). */
export function loginApplications(settings: Settings): ApplicationConfig[] {
  return settings.applications.filter((a) => a.type !== "non_interactive");
}

/** Finds --app and --user among what the stack declares, or names the flag and what is declared. */
export function pick(settings: Settings, appKey: string, userKey: string): { app: ApplicationConfig; user: TestUser } {
  const apps = loginApplications(settings);
  const app = apps.find((a) => a.key === appKey);
  if (!app) {
    throw new UserError(
      `--app ${appKey}: no interactive application "${appKey}" in ${settings.stackFile} (${apps.map((a) => a.key).join(", ")})`,
    );
  }
  const users = settings.testLogin?.users ?? [];
  const user = users.find((u) => u.key === userKey);
  if (!user) {
    throw new UserError(`--user ${userKey}: no test user "${userKey}" in tenant:testLogin.users (${users.map((u) => u.key).join(", ")})`);
  }
  return { app, user };
}

export function loginTarget(logins: StackLogins, app: ApplicationConfig, user: TestUser): LoginTarget {
  const userOutputs = logins.users[user.key];
  const password = logins.passwords[user.key];
  const clientId = logins.clientIds[app.key];
  if (!userOutputs || !password || !clientId) {
    throw new UserError(
      `the stack ${logins.stack} has no deployed ${!clientId ? `client for ${app.key}` : `user ${user.key}`}: run \`npm run ephemeral -- up ${ephemeralId(logins.stack)}\``,
    );
  }
  return {
    domain: logins.domain,
    audience: logins.audience,
    connection: logins.connection,
    clientId,
    ...(logins.clientSecrets[app.key] ? { clientSecret: logins.clientSecrets[app.key] } : {}),
    username: userOutputs.email,
    password,
  };
}

/** The same login through the offline simulation: the committed fixture user, the declared application. */
export function simulateFor(
  action: LoadedAction,
  settings: Settings,
  logins: StackLogins,
  app: ApplicationConfig,
  user: TestUser,
  exchange: "login" | "refresh" = "login",
): Promise<LoginResult> {
  return simulateLogin(
    action,
    {
      client: {
        client_id: logins.clientIds[app.key],
        name: app.name,
        metadata: clientMetadataFor(app, settings.marker) as Record<string, string>,
      },
      user: {
        user_id: logins.users[user.key]?.userId ?? `auth0|${user.key}`,
        email: user.email,
        email_verified: true,
        name: user.name,
        app_metadata: user.appMetadata,
        user_metadata: user.userMetadata,
      },
      roles: user.roles,
      audience: logins.audience,
      exchange,
    },
    { console: SILENT_CONSOLE },
  );
}

export interface TokenOptions {
  app: string;
  user: string;
  refresh?: boolean;
  compare?: boolean;
}

/** One login's printable result: claims only, never a token or a password. */
export interface TokenResult {
  stack: string;
  app: string;
  user: string;
  login: PrintedOutcome;
  refreshed?: PrintedOutcome;
  /** With --compare: each difference from the simulation, naming the claim; empty when they agree. */
  differences?: string[];
}

type PrintedOutcome =
  | { idToken: Record<string, unknown>; accessToken: Record<string, unknown> }
  | { refused: { error: string; description: string } };

function printable(outcome: LoginOutcome): PrintedOutcome {
  return outcome.kind === "tokens"
    ? { idToken: outcome.idToken, accessToken: outcome.accessToken }
    : { refused: { error: outcome.error, description: outcome.description } };
}

/** `token <id> --app <key> --user <fixture> [--refresh] [--compare]`. */
export async function token(
  deps: Pick<EphemeralDeps, "workspace" | "stack" | "fetch">,
  settings: Settings,
  options: TokenOptions,
): Promise<TokenResult> {
  const { app, user } = pick(settings, options.app, options.user);
  const logins = await stackLogins(deps, settings);
  const target = loginTarget(logins, app, user);
  const login = await passwordRealmLogin(deps.fetch, target, { offline: options.refresh });
  const result: TokenResult = { stack: logins.stack, app: app.key, user: user.key, login: printable(login) };
  let refreshed: LoginOutcome | undefined;
  if (options.refresh && login.kind === "tokens") {
    if (!login.refreshToken) {
      throw new UserError(
        `--refresh: ${logins.domain} issued no refresh token for ${app.key} (offline_access needs the refresh_token grant and the API's allowOfflineAccess)`,
      );
    }
    refreshed = await refreshLogin(deps.fetch, target, login.refreshToken);
    result.refreshed = printable(refreshed);
  }
  if (options.compare) {
    const action = await loadAction({ settings }, SILENT_CONSOLE);
    result.differences = compareWithSimulation(login, await simulateFor(action, settings, logins, app, user));
    if (refreshed) {
      const simulated = await simulateFor(action, settings, logins, app, user, "refresh");
      result.differences.push(...compareWithSimulation(refreshed, simulated).map((d) => `after refresh: ${d}`));
    }
  }
  return result;
}

export interface LoginComparison {
  app: string;
  user: string;
  /** "tokens" or Auth0's error code. */
  outcome: string;
  differences: string[];
}

/** Every test user × interactive application, live and simulated: what `up` ends with. */
export async function compareAllLogins(
  deps: Pick<EphemeralDeps, "workspace" | "stack" | "fetch">,
  settings: Settings,
): Promise<LoginComparison[]> {
  const logins = await stackLogins(deps, settings);
  const action = await loadAction({ settings }, SILENT_CONSOLE);
  const comparisons: LoginComparison[] = [];
  for (const app of loginApplications(settings)) {
    for (const user of settings.testLogin?.users ?? []) {
      const live = await passwordRealmLogin(deps.fetch, loginTarget(logins, app, user));
      const differences = compareWithSimulation(live, await simulateFor(action, settings, logins, app, user));
      comparisons.push({ app: app.key, user: user.key, outcome: live.kind === "tokens" ? "tokens" : live.error, differences });
    }
  }
  return comparisons;
}

/** What `env` prints: everything an application's integration tests need, passwords by reference only. */
export interface TestEnvironment {
  stack: string;
  domain: string;
  audience: string;
  connection: string;
  clients: Record<string, string>;
  users: Record<string, { email: string; passwordCommand: string }>;
}

export async function environment(deps: Pick<EphemeralDeps, "workspace" | "stack">, settings: Settings): Promise<TestEnvironment> {
  const logins = await stackLogins(deps, settings);
  return {
    stack: logins.stack,
    domain: logins.domain,
    audience: logins.audience,
    connection: logins.connection,
    clients: Object.fromEntries(loginApplications(settings).map((a) => [a.key, logins.clientIds[a.key]])),
    users: Object.fromEntries(
      Object.entries(logins.users).map(([key, u]) => [key, { email: u.email, passwordCommand: passwordCommand(logins.stack, key) }]),
    ),
  };
}

/** How a CI job reads one test user's password: from the stack's secret output, into its own secret store. */
export function passwordCommand(stack: string, userKey: string): string {
  return `pulumi stack output testPasswords --stack ${stack} --show-secrets --json | jq -r '.["${userKey}"]'`;
}

/** Dotenv lines: AUTH0_* for the tenant, one AUTH0_CLIENT_ID_<APP> per application, TEST_USER_<KEY>_* per user. */
export function toDotenv(env: TestEnvironment): string {
  const name = (key: string) => key.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const lines = [
    `# ${env.stack}: written by \`npm run ephemeral -- env\`. Passwords are not here: run each *_PASSWORD_COMMAND.`,
    `AUTH0_DOMAIN=${quote(env.domain)}`,
    `AUTH0_AUDIENCE=${quote(env.audience)}`,
    `AUTH0_CONNECTION=${quote(env.connection)}`,
    ...Object.entries(env.clients).map(([key, id]) => `AUTH0_CLIENT_ID_${name(key)}=${quote(id)}`),
    ...Object.entries(env.users).flatMap(([key, u]) => [
      `TEST_USER_${name(key)}_EMAIL=${quote(u.email)}`,
      `TEST_USER_${name(key)}_PASSWORD_COMMAND=${quote(u.passwordCommand)}`,
    ]),
  ];
  return `${lines.join("\n")}\n`;
}
