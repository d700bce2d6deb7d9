// npm run plan -- --stack <name> [--json]
// Runs the real program under Pulumi's mock engine with Pulumi.<name>.yaml and prints every resource.
import * as pulumi from "@pulumi/pulumi";
import { BundleError, REPO_ROOT } from "../infra/bundle";
import { policyFindings } from "./lib/policy-check";
import { SettingsError } from "../infra/settings";
import { flags, required, runCli } from "./lib/cli";
import { planStack, type Plan, type PlannedResource } from "../harness/plan";
import { StackConfigError } from "../harness/stack-file";
import { readStackSettings } from "../harness/stack-file";
import { planWarnings } from "./lib/warnings";
import { AUTH0_PROVIDER_TYPE, TYPES } from "../infra/resource-types";

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
}, [SettingsError, StackConfigError, BundleError, pulumi.RunError]);

export function formatPlan(plan: Plan): string {
  const rows = plan.resources.map((r) => [shortType(r.type), r.name, parentName(r), r.options.protect ? "yes" : "", summary(r)]);
  const header = ["TYPE", "NAME", "PARENT", "PROTECT", "DETAILS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [`Plan of stack ${plan.stack}: ${plan.resources.length} resources`, "", line(header), ...rows.map(line), ""].join("\n");
}

function shortType(type: string): string {
  const match = /^([^:]+):[^:]*\/[^:]*:(.+)$/.exec(type);
  return match ? `${match[1]}:${match[2]}` : type;
}

function parentName(resource: PlannedResource): string {
  return resource.parent ? (resource.parent.split("::").pop() ?? "") : "";
}

function summary({ type, inputs }: PlannedResource): string {
  // biome-ignore lint/suspicious/noExplicitAny: provider inputs are an untyped bag, read field by field
  const i = inputs as Record<string, any>;
  switch (type) {
    case AUTH0_PROVIDER_TYPE:
      return `domain=${i.domain}`;
    case TYPES.client:
      return `${i.appType} "${i.name}" tier=${i.clientMetadata?.tier}${i.clientMetadata?.minimum_plan ? ` minimum_plan=${i.clientMetadata.minimum_plan}` : ""}${i.clientMetadata?.requires_tenant ? " requires_tenant" : ""}`;
    case TYPES.clientCredentials:
      return `authenticationMethod=${i.authenticationMethod}`;
    case TYPES.clientGrant:
      return `${i.audience} scopes=${(i.scopes ?? []).join(",")}`;
    case TYPES.resourceServer:
      return `"${i.name}" identifier=${i.identifier}`;
    case TYPES.resourceServerScopes:
      return (i.scopes ?? []).map((s: { name: string }) => s.name).join(",");
    case TYPES.role:
      return `"${i.name}"`;
    case TYPES.rolePermissions:
      return (i.permissions ?? []).map((p: { name: string }) => p.name).join(",");
    case TYPES.action:
      return `"${i.name}" ${i.runtime} deploy=${i.deploy} code=${Buffer.byteLength(String(i.code ?? ""))} bytes`;
    case TYPES.triggerAction:
      return `${i.trigger}: + ${i.displayName} (additive)`;
    case TYPES.triggerActions:
      return `${i.trigger}: ${(i.actions ?? []).map((a: { displayName: string }) => a.displayName).join(" -> ")}`;
    default:
      return "";
  }
}
