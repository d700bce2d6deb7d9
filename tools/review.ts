// npm run review -- --base <git ref> [--stack <name>] [--format markdown|text]
// What a change does to each tenant and to the tokens its users get. Offline, no secrets.
import { flags, required, runCli } from "./lib/cli";
import { review } from "./lib/review";
import { formatReview } from "./lib/review/report";
import { UserError } from "../infra/errors";

const USAGE = "npm run review -- --base <git ref> [--stack <name>] [--format markdown|text]";

runCli(async () => {
  const args = flags(USAGE, { base: { type: "string" }, stack: { type: "string" }, format: { type: "string", default: "text" } });
  if (args.format !== "markdown" && args.format !== "text") throw new UserError(`--format is markdown or text\nusage: ${USAGE}`);
  const result = await review(required(args.base, "base", USAGE), args.stack);
  process.stdout.write(formatReview(result, args.format));
});
