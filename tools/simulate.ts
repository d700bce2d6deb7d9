// npm run simulate -- --stack <name> (--app <key> | --client <client.json>) --user <key | user.json> [--roles a,b] [--secret NAME=value] [--refresh]
// Runs one login through the stack's bundle, loaded and executed the way Auth0 does.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { denialOf, eventClientFor, simulateLogin, type SimulatedLogin } from "../harness/login";
import { projectDir, readStackSettings } from "../harness/stack-file";
import { fixtureUser, fixtureUsers } from "../harness/users";
import type { EventClient } from "../emulator/event";
import { suggestion } from "../infra/nearest";
import { defineCommand, runCli, UserError } from "./lib/cli";

/** With --exit-code: what a script tests for. */
export const EXIT_DENIED = 3;
export const EXIT_FAILED = 4;

export const command = defineCommand(
  {
    name: "simulate",
    summary:
      "Signs one user into one application of a stack, through the stack's real bundle loaded and run the way Auth0 runs a post-login Action, and prints the claims each token gets, or the denial and its reason code.",
    flags: {
      stack: { type: "string", value: "<name>", required: true, description: "The stack whose Action and applications to use." },
      app: { type: "string", value: "<key>", description: "The application signed into, by its key in tenant:applications." },
      client: {
        type: "string",
        value: "<client.json>",
        description: "Instead of --app: a client as a post-login event carries it, { client_id, name, metadata }.",
      },
      user: {
        type: "string",
        value: "<key | user.json>",
        required: true,
        description: `A fixture user by key (${fixtureUsers()
          .map((u) => u.key)
          .join(", ")}; harness/fixture-users.json, with their roles) or an Auth0 user profile as JSON.`,
      },
      roles: { type: "string", value: "<a,b>", description: "RBAC role names, comma-separated (default: the fixture user's, else none)." },
      secret: { type: "string", value: "<NAME=value>", multiple: true, description: "An Action secret (event.secrets)." },
      refresh: {
        type: "boolean",
        description: "A refresh-token exchange of that user instead of a login (Auth0 runs post-login for both).",
      },
      json: {
        type: "boolean",
        description: "Print { exchange, idToken, accessToken, denied, denial, failed, dropped, appMetadata } as JSON.",
      },
      "exit-code": {
        type: "boolean",
        description: `Exit ${EXIT_DENIED} when the login is denied and ${EXIT_FAILED} when it fails, so a script can test the outcome.`,
      },
    },
    examples: [
      "npm run simulate -- --stack dev --app dashboard --user editor-premium",
      "npm run simulate -- --stack dev --app dashboard --user editor-premium --refresh",
      "npm run simulate -- --stack dev --app analytics --user test/fixtures/users/editor-premium.json --roles editor --json --exit-code",
    ],
    exitCodes: {
      [EXIT_DENIED]: "with --exit-code: the login was denied (the denial and its reason code are printed)",
      [EXIT_FAILED]: "with --exit-code: the login failed (the Action threw, or broke one of Auth0's limits)",
    },
  },
  async ({ flags }, io) => {
    const settings = readStackSettings(flags.stack, projectDir(io.cwd));
    if ((flags.app === undefined) === (flags.client === undefined)) throw usage("give exactly one of --app and --client");
    const client: EventClient = flags.app
      ? eventClientFor(settings, flags.app)
      : eventClientFromJson(readJson(flags.client!, io.cwd, "--client"));
    const fixture = fixtureUser(flags.user);
    const user = fixture?.profile ?? readJson(userFile(flags.user, io.cwd), io.cwd, "--user");
    const roles = flags.roles !== undefined ? list(flags.roles) : (fixture?.roles ?? []);
    const secrets = Object.fromEntries(flags.secret.map(parseSecret));
    const exchange = flags.refresh ? "refresh" : "login";
    const result = await simulateLogin({ settings }, { client, user, roles, secrets, exchange });
    io.stdout(
      flags.json
        ? `${JSON.stringify({ exchange, ...jsonOf(result) }, null, 2)}\n`
        : formatLogin(result, flags.app ?? client.name, exchange),
    );
    if (!flags["exit-code"]) return 0;
    return result.failed !== null ? EXIT_FAILED : result.denied !== null ? EXIT_DENIED : 0;
  },
);

if (require.main === module) void runCli(command);

function usage(message: string): UserError {
  return new UserError(`${message}\nSee npm run simulate -- --help`);
}

/** The JSON contract: the tokens' claims, the denial with its reason code, the failure, dropped claims, writes. */
export function jsonOf(result: SimulatedLogin) {
  const { idToken, accessToken, denied, failed, dropped, appMetadata } = result;
  return { idToken, accessToken, denied, denial: denialOf(result), failed, dropped, appMetadata };
}

export function formatLogin(result: SimulatedLogin, app: string, exchange: "login" | "refresh" = "login"): string {
  const user = String(result.event.user.user_id);
  const outcome = result.failed !== null ? "failed" : result.denied !== null ? "denied" : "allowed";
  const doing = exchange === "refresh" ? "exchanging a refresh token at" : "signing in to";
  const lines = [`${user} ${doing} ${app}: ${outcome}`];
  if (result.failed !== null) lines.push(`  ${result.failed}`);
  const denial = denialOf(result);
  if (result.denied !== null && denial) {
    lines.push(`  reason: ${result.denied}`, `  code: ${denial.code}${describeDenial(denial)}`);
  }
  for (const [label, claims] of [
    ["ID token", result.idToken],
    ["access token", result.accessToken],
  ] as const) {
    const entries = Object.entries(claims);
    if (entries.length === 0) continue;
    lines.push(`${label} claims:`, ...entries.map(([name, value]) => `  ${name} = ${JSON.stringify(value)}`));
  }
  if (result.dropped.length > 0) lines.push(`dropped by Auth0: ${result.dropped.join(", ")}`);
  const writes = Object.entries(result.appMetadata);
  if (writes.length > 0) lines.push("app_metadata writes:", ...writes.map(([key, value]) => `  ${key} = ${JSON.stringify(value)}`));
  return `${lines.join("\n")}\n`;
}

function describeDenial(denial: NonNullable<ReturnType<typeof denialOf>>): string {
  if (denial.policy === undefined) return "";
  const required = denial.required === undefined ? "" : ` requires ${denial.required}`;
  const actual = denial.actual === undefined ? "" : `, the user has ${JSON.stringify(denial.actual)}`;
  return ` (${denial.policy}${required}${actual})`;
}

function list(text: string): string[] {
  return text
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/** --user: a fixture user's key, else a file; neither gets the nearest fixture key as a suggestion. */
function userFile(value: string, cwd: string): string {
  if (existsSync(path.resolve(cwd, value)) || /[./\\]/.test(value)) return value;
  const keys = fixtureUsers().map((u) => u.key);
  throw new UserError(
    `--user ${value}: no fixture user of that key${suggestion(value, keys)} and no such file (fixture users: ${keys.join(", ")})`,
  );
}

function readJson(file: string, cwd: string, flag: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), "utf8");
  } catch (error) {
    throw new UserError(
      `${flag} ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`${flag} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A client as a post-login event carries it: { client_id, name, metadata }. */
function eventClientFromJson(json: Record<string, unknown>): EventClient {
  const { client_id, name, metadata = {} } = json;
  const stringMap = metadata !== null && typeof metadata === "object" && Object.values(metadata).every((v) => typeof v === "string");
  if (typeof client_id !== "string" || typeof name !== "string" || !stringMap) {
    throw new UserError("--client must be a JSON object { client_id: string, name: string, metadata: { [key]: string } }");
  }
  return { client_id, name, metadata: metadata as Record<string, string> };
}

function parseSecret(pair: string): [string, string] {
  const eq = pair.indexOf("=");
  if (eq <= 0) throw new UserError(`--secret must be NAME=value (got "${pair.split("=")[0]}=…")`);
  return [pair.slice(0, eq), pair.slice(eq + 1)];
}
