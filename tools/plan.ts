// npm run plan -- --stack <name> [--json]
// Runs the real program under Pulumi's mock engine with Pulumi.<name>.yaml and prints every resource.
import { planStack } from "../harness/plan";
import { projectDir, readStackSettings } from "../harness/stack-file";
import { defineCommand, runCli } from "./lib/cli";
import { formatPlan } from "./lib/plan-format";
import { policyFindings } from "./lib/policy-check";
import { planWarnings } from "./lib/warnings";

export const command = defineCommand(
  {
    name: "plan",
    summary:
      "Runs the real program under Pulumi's mock engine with the stack's config (Pulumi.yaml, then Pulumi.<stack>.yaml) and prints every resource it would register, offline. Warnings and the policy pack's findings go to stderr.",
    flags: {
      stack: { type: "string", value: "<name>", required: true, description: "The stack to plan: its Pulumi.<name>.yaml." },
      json: {
        type: "boolean",
        description: "Print the plan as JSON: { stack, resources: [{ urn, type, name, parent, options, inputs }] }.",
      },
    },
    examples: ["npm run plan -- --stack dev", "npm run --silent plan -- --stack prod --json > plan.json"],
  },
  async ({ flags }, io) => {
    const dir = projectDir(io.cwd);
    for (const warning of planWarnings(readStackSettings(flags.stack, dir))) io.stderr(`warning: ${warning}\n`);
    const plan = await planStack(flags.stack, dir);
    io.stdout(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
    // The policy pack's findings, as the stack's preview would enforce them (stderr: the plan stays parseable).
    const policy = await policyFindings(plan, dir);
    if (policy.skipped) io.stderr(`policy pack not run: ${policy.skipped}\n`);
    for (const f of policy.findings) io.stderr(`policy ${f.enforcementLevel} ${f.policy}: ${f.message}\n`);
    return 0;
  },
);

if (require.main === module) void runCli(command);
