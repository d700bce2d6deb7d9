// npm run plan -- --stack <name> [--json]
// Runs the real program under Pulumi's mock engine with Pulumi.<name>.yaml and prints every resource.
import { REPO_ROOT } from "../infra/bundle";
import { policyFindings } from "./lib/policy-check";
import { flags, required, runCli } from "./lib/cli";
import { planStack } from "../harness/plan";
import { formatPlan } from "./lib/plan-format";
import { readStackSettings } from "../harness/stack-file";
import { planWarnings } from "./lib/warnings";

const USAGE = "npm run plan -- --stack <name> [--json]";

runCli(async () => {
  const args = flags(USAGE, { stack: { type: "string" }, json: { type: "boolean", default: false } });
  const stack = required(args.stack, "stack", USAGE);
  for (const warning of planWarnings(readStackSettings(stack))) process.stderr.write(`warning: ${warning}\n`);
  const plan = await planStack(stack);
  process.stdout.write(args.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
  // The policy pack's findings, as the stack's preview would enforce them (stderr: the plan stays parseable).
  const policy = await policyFindings(plan, REPO_ROOT);
  if (policy.skipped) process.stderr.write(`policy pack not run: ${policy.skipped}\n`);
  for (const f of policy.findings) process.stderr.write(`policy ${f.enforcementLevel} ${f.policy}: ${f.message}\n`);
});
