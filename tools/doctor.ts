// npm run doctor -- --stack <name> [--json]
// Says what stands between this checkout and a successful real `pulumi preview` of the stack, one line per
// problem with the command that fixes it. Exit 0 when nothing is left, 3 when something is, 2 for bad flags.
import { projectDir } from "../harness/stack-file";
import { flags, required, runCli } from "./lib/cli";
import { diagnose, formatReport } from "./lib/doctor/checks";
import { realProbes } from "./lib/doctor/probes";

const USAGE = "npm run doctor -- --stack <name> [--json]";
const PROBLEMS_FOUND = 3;

runCli(async () => {
  const args = flags(USAGE, { stack: { type: "string" }, json: { type: "boolean", default: false } });
  const stack = required(args.stack, "stack", USAGE);
  const report = await diagnose(stack, realProbes(projectDir()));
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  if (report.findings.length > 0) process.exitCode = PROBLEMS_FOUND;
});
