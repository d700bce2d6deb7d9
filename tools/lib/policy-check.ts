// What the policy pack would say about a planned stack, as `pulumi preview --policy-pack policy
// --policy-pack-config policy/config/<stack>.json` runs it, offline: `plan` prints it and `adopt` reports it,
// so an http:// callback in prod or a wildcard shows before anyone runs a preview.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Plan } from "../../harness/plan";
import { EPHEMERAL_TEMPLATE_STACK, isEphemeralStack } from "../../harness/stack-file";

export interface PolicyOutcome {
  /** The config file used, or why the pack was not run. */
  config?: string;
  skipped?: string;
  findings: { policy: string; enforcementLevel: string; message: string }[];
}

export async function policyFindings(plan: Plan, dir: string): Promise<PolicyOutcome> {
  const configName = isEphemeralStack(plan.stack) ? EPHEMERAL_TEMPLATE_STACK : plan.stack;
  const configFile = path.join(dir, "policy", "config", `${configName}.json`);
  if (!fs.existsSync(configFile)) {
    return { skipped: `no policy/config/${plan.stack}.json: pass one to \`pulumi preview --policy-pack policy\` and add it`, findings: [] };
  }
  let pack: typeof import("../../policy/pack");
  let harness: typeof import("../../policy/harness");
  try {
    pack = await import("../../policy/pack");
    harness = await import("../../policy/harness");
  } catch (error) {
    return {
      skipped: `the policy pack could not be loaded (run \`npm ci --prefix policy\`): ${(error as Error).message.split("\n")[0]}`,
      findings: [],
    };
  }
  const settings = harness.resolvePackConfig(pack.policies, JSON.parse(fs.readFileSync(configFile, "utf8")));
  const resources = plan.resources.map(({ type, name, urn, inputs }) => ({ type, name, urn, props: inputs }));
  const findings = await harness.runPack(pack.policies, resources, settings);
  return {
    config: path.relative(dir, configFile),
    findings: findings.map(({ policy, enforcementLevel, message }) => ({ policy, enforcementLevel, message })),
  };
}
