// npm run review -- --base <git ref> [--stack <name>] [--format markdown|text] [--json]
// What a change does to each tenant and to the tokens its users get. Offline, no secrets.
import { defineCommand, runCli, UserError } from "./lib/cli";

const FORMATS = ["text", "markdown"] as const;

export const command = defineCommand(
  {
    name: "review",
    summary:
      "Compares each committed stack (or one) at the merge-base with --base and in the working tree: the resources added, changed, replaced or deleted, the Action's source diff, and the tokens the fixture users (harness/fixture-users.json) get before and after. Offline; no secrets.",
    flags: {
      base: {
        type: "string",
        value: "<git ref>",
        required: true,
        description: "What the change is compared with (its merge-base with HEAD).",
      },
      stack: { type: "string", value: "<name>", description: "Review one stack (default: every committed stack)." },
      format: {
        type: "string",
        value: "<text|markdown>",
        description: "text for a terminal (default), markdown for a pull-request comment.",
      },
      json: { type: "boolean", description: "Print the review as JSON: { base, stacks: [{ stack, diff, tokens }] }." },
    },
    examples: ["npm run review -- --base origin/main", "npm run --silent review -- --base origin/main --format markdown > review.md"],
  },
  async ({ flags }, io) => {
    const format = flags.format ?? "text";
    if (!(FORMATS as readonly string[]).includes(format)) throw new UserError(`--format is ${FORMATS.join(" or ")} (got "${format}")`);
    if (flags.json && flags.format !== undefined) throw new UserError("give --json or --format, not both");
    // Loaded here, not at the top: --help and a mistyped flag answer without the plan engine and the SDK.
    const [{ review }, { formatReview }] = await Promise.all([import("./lib/review"), import("./lib/review/report")]);
    const result = await review(flags.base, flags.stack);
    io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatReview(result, format as (typeof FORMATS)[number]));
    return 0;
  },
);

if (require.main === module) void runCli(command);
