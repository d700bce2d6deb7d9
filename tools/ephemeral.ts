// npm run ephemeral -- config <id> | up <id> | destroy <id> | gc --older-than <duration>
//                     | token <id> --app <key> --user <fixture> [--refresh] [--compare] | env <id> [--json]
// Progress goes to stderr; the one result (JSON, or dotenv for `env`) to stdout.
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../infra/bundle";
import { UserError } from "../infra/errors";
import { runCli } from "./lib/cli";
import { destroy, gc, render, up, writeConfig } from "./lib/ephemeral/lifecycle";
import { parseDuration } from "./lib/ephemeral/stack-file";
import { environment, pick, token, toDotenv } from "./lib/ephemeral/test-logins";
import { projectFiles, realDeps } from "./lib/ephemeral/workspace";

const USAGE = [
  "npm run ephemeral -- config <id> | up <id> | destroy <id> | gc --older-than <duration>",
  "                   | token <id> --app <key> --user <fixture> [--refresh] [--compare] | env <id> [--json]",
].join("\n");

runCli(async () => {
  const [verb, ...rest] = process.argv.slice(2);
  const print = (result: unknown): void => void process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  switch (verb) {
    case "config":
      return print(writeConfig({ files: projectFiles(REPO_ROOT) }, single(rest)));
    case "up":
      return print(await up(await realDeps(), single(rest)));
    case "destroy":
      return print(await destroy(await realDeps(), single(rest)));
    case "gc": {
      if (rest[0] !== "--older-than" || rest.length !== 2) throw new UserError(`gc needs --older-than <duration>\nusage: ${USAGE}`);
      // The duration first: a bad one is the user's to fix even where Pulumi is not installed.
      const olderThan = parseDuration(rest[1]);
      return print(await gc(await realDeps(), olderThan));
    }
    case "token": {
      const { id, values } = withFlags(rest, {
        app: { type: "string" },
        user: { type: "string" },
        refresh: { type: "boolean" },
        compare: { type: "boolean" },
      });
      if (typeof values.app !== "string" || typeof values.user !== "string")
        throw new UserError(`token needs --app <key> and --user <fixture>\nusage: ${USAGE}`);
      // The flags are checked against the stack's declarations before anything reaches Pulumi or the tenant.
      const settings = render({ files: projectFiles(REPO_ROOT) }, id).settings;
      const options = { app: values.app, user: values.user, refresh: values.refresh === true, compare: values.compare === true };
      pick(settings, options.app, options.user);
      const result = await token(await realDeps(), settings, options);
      print(result);
      // A difference or a refused login is a finding, not a user error: exit 1 after printing it.
      if (result.differences && result.differences.length > 0) {
        process.stderr.write(`the login differs from the offline simulation:\n${result.differences.map((d) => `  - ${d}`).join("\n")}\n`);
        process.exitCode = 1;
      } else if (!result.differences && "refused" in result.login) {
        process.exitCode = 1;
      }
      return;
    }
    case "env": {
      const { id, values } = withFlags(rest, { json: { type: "boolean" } });
      const settings = render({ files: projectFiles(REPO_ROOT) }, id).settings;
      const env = await environment(await realDeps(), settings);
      return values.json ? print(env) : void process.stdout.write(toDotenv(env));
    }
    default:
      throw new UserError(`unknown verb "${verb ?? ""}"\nusage: ${USAGE}`);
  }
});

function single(args: string[]): string {
  if (args.length !== 1) throw new UserError(`expected one <id>\nusage: ${USAGE}`);
  return args[0];
}

function withFlags<T extends NonNullable<Parameters<typeof parseArgs>[0]>["options"]>(args: string[], options: T) {
  try {
    const { positionals, values } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { id: single(positionals), values: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${(error as Error).message}\nusage: ${USAGE}`);
  }
}
