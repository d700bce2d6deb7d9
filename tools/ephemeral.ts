// npm run ephemeral -- config <id> | up <id> | destroy <id> | gc --older-than <duration>
// Progress goes to stderr; the one JSON result to stdout.
import { REPO_ROOT } from "../infra/bundle";
import { runCli } from "./lib/cli";
import { destroy, gc, up, writeConfig } from "./lib/ephemeral/lifecycle";
import { parseDuration } from "./lib/ephemeral/stack-file";
import { projectFiles, realDeps } from "./lib/ephemeral/workspace";
import { UserError } from "../infra/errors";

const USAGE = "npm run ephemeral -- config <id> | up <id> | destroy <id> | gc --older-than <duration>";

runCli(async () => {
  const [verb, ...rest] = process.argv.slice(2);
  const result = await (async () => {
    switch (verb) {
      case "config":
        return writeConfig({ files: projectFiles(REPO_ROOT) }, single(rest));
      case "up":
        return up(await realDeps(), single(rest));
      case "destroy":
        return destroy(await realDeps(), single(rest));
      case "gc":
        if (rest[0] !== "--older-than" || rest.length !== 2) throw new UserError(`gc needs --older-than <duration>\nusage: ${USAGE}`);
        {
          // The duration first: a bad one is the user's to fix even where Pulumi is not installed.
          const olderThan = parseDuration(rest[1]);
          return gc(await realDeps(), olderThan);
        }
      default:
        throw new UserError(`unknown verb "${verb ?? ""}"\nusage: ${USAGE}`);
    }
  })();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
});

function single(args: string[]): string {
  if (args.length !== 1) throw new UserError(`expected one <id>\nusage: ${USAGE}`);
  return args[0];
}
