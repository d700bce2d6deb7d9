// npm run doctor -- --stack <name> [--json]
// Says what stands between this checkout and a successful real `pulumi preview` of the stack, one line per
// problem with the command that fixes it. Exit 0 when nothing is left, 3 when something is, 2 for bad flags.
import { projectDir } from "../harness/stack-file";
import { defineCommand, runCli } from "./lib/cli";
import { diagnose, formatReport } from "./lib/doctor/checks";
import { realProbes } from "./lib/doctor/probes";

const PROBLEMS_FOUND = 3;

export const command = defineCommand(
  {
    name: "doctor",
    summary:
      "Says what stands between this checkout and a successful real `pulumi preview` of the stack, one line per problem with the command that fixes it.",
    flags: {
      stack: { type: "string", value: "<name>", required: true, description: "The stack to check." },
      json: { type: "boolean", description: "Print the report as JSON." },
    },
    examples: ["npm run doctor -- --stack dev"],
    exitCodes: { [PROBLEMS_FOUND]: "something stands in the way (each problem is printed with its fix)" },
  },
  async ({ flags }, io) => {
    const report = await diagnose(flags.stack, realProbes(projectDir(io.cwd)));
    io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.findings.length > 0 ? PROBLEMS_FOUND : 0;
  },
);

if (require.main === module) void runCli(command);
