// npm run simulate -- --stack <name> (--app <key> | --client <client.json>) --user <user.json> [--roles a,b] [--secret NAME=value] [--refresh]
// Runs one login through the stack's bundle, loaded and executed the way Auth0 does.
import { readFileSync } from "node:fs";
import type { EventClient } from "../emulator/event";
import { flags, required, runCli } from "./lib/cli";
import { eventClientFor, simulateLogin } from "../harness/login";
import { readStackSettings } from "../harness/stack-file";
import { UserError } from "../infra/errors";

const USAGE =
  "npm run simulate -- --stack <name> (--app <application key> | --client <client.json>) --user <user.json> [--roles a,b] [--secret NAME=value] [--refresh]";

runCli(async () => {
  const args = flags(USAGE, {
    stack: { type: "string" },
    app: { type: "string" },
    client: { type: "string" },
    user: { type: "string" },
    roles: { type: "string" },
    secret: { type: "string", multiple: true },
    // A refresh token exchange of that user instead of a login (post-login runs for both).
    refresh: { type: "boolean" },
  });
  const settings = readStackSettings(required(args.stack, "stack", USAGE));
  if ((args.app === undefined) === (args.client === undefined))
    throw new UserError(`give exactly one of --app and --client\nusage: ${USAGE}`);
  const client: EventClient = args.app ? eventClientFor(settings, args.app) : eventClientFromJson(readJson(args.client!, "--client"));
  const user = readJson(required(args.user, "user", USAGE), "--user");
  const roles = args.roles
    ? args.roles
        .split(",")
        .map((r) => r.trim())
        .filter((r) => r !== "")
    : [];
  const secrets = Object.fromEntries((args.secret ?? []).map(parseSecret));
  const exchange = args.refresh ? "refresh" : "login";
  const result = await simulateLogin({ settings }, { client, user, roles, secrets, exchange });
  const { idToken, accessToken, denied, failed, dropped, appMetadata } = result;
  process.stdout.write(`${JSON.stringify({ exchange, idToken, accessToken, denied, failed, dropped, appMetadata }, null, 2)}\n`);
});

function readJson(file: string, flag: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
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
