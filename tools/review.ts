// npm run review -- --base <git ref> [--stack <name>] [--format markdown|text]
// What a change does to each tenant and to the tokens its users get. Offline, no secrets.
import { BundleError } from "../infra/bundle";
import { SettingsError } from "../infra/settings";
import { flags, required, runCli, UsageError } from "./lib/cli";
import { ReviewError } from "./lib/review/base";
import { review } from "./lib/review";
import { formatReview } from "./lib/review/report";
import { StackConfigError } from "../harness/stack-file";

const USAGE = "npm run review -- --base <git ref> [--stack <name>] [--format markdown|text]";

runCli(async () => {
  const args = flags(USAGE, { base: { type: "string" }, stack: { type: "string" }, format: { type: "string", default: "text" } });
  if (args.format !== "markdown" && args.format !== "text") throw new UsageError(`--format is markdown or text\nusage: ${USAGE}`);
  const result = await review(required(args.base, "base", USAGE), args.stack);
  process.stdout.write(formatReview(result, args.format));
}, [SettingsError, StackConfigError, BundleError, ReviewError]);
