// npm run ephemeral -- config <id> | up <id> | destroy <id> | gc --older-than <duration>
// Progress goes to stderr; the one JSON result to stdout.
import { SettingsError } from "../infra/settings";
import { REPO_ROOT } from "../infra/bundle";
import { runCli, UsageError } from "./lib/cli";
import { destroy, gc, StepError, up, writeConfig } from "./lib/ephemeral/lifecycle";
import { EphemeralError, parseDuration } from "./lib/ephemeral/stack-file";
import { projectFiles, realDeps } from "./lib/ephemeral/workspace";
import { StackConfigError } from "../harness/stack-file";

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
        if (rest[0] !== "--older-than" || rest.length !== 2) throw new UsageError(`gc needs --older-than <duration>\nusage: ${USAGE}`);
        return gc(await realDeps(), parseDuration(rest[1]));
      default:
        throw new UsageError(`unknown verb "${verb ?? ""}"\nusage: ${USAGE}`);
    }
  })();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}, [SettingsError, StackConfigError, EphemeralError, StepError]);

function single(args: string[]): string {
  if (args.length !== 1) throw new UsageError(`expected one <id>\nusage: ${USAGE}`);
  return args[0];
}
