// The readable plan `npm run plan` prints: one row per resource, then the counts by kind.
import type { Plan, PlannedResource } from "../../harness/plan";
import { AUTH0_PROVIDER_TYPE, TYPES } from "../../infra/resource-types";

export function formatPlan(plan: Plan): string {
  const rows = plan.resources.map((r) => [shortType(r.type), r.name, parentName(r), r.options.protect ? "yes" : "", details(r)]);
  return [
    `Plan of stack ${plan.stack}: ${plan.resources.length} resources`,
    "",
    ...textTable(["TYPE", "NAME", "PARENT", "PROTECT", "DETAILS"], rows),
    "",
    countsByKind(plan),
    "",
  ].join("\n");
}

/** The closing line, as `terraform plan` and `pulumi preview` end with their counts: how many of each kind. */
export function countsByKind(plan: Plan): string {
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(shortType(r.type), (counts.get(shortType(r.type)) ?? 0) + 1);
  const kinds = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([kind, n]) => `${n} ${kind}`);
  return `Resources: ${plan.resources.length} (${kinds.join(", ")})`;
}

function details(resource: PlannedResource): string {
  const text = summary(resource);
  // Step 1 of a binding-mode switch (docs/bindings.md): the next update may remove it without touching Auth0.
  return resource.options.retainOnDelete ? `${text} [retainOnDelete]`.trim() : text;
}

/** A resource type without its module: auth0:index/client:Client is auth0:Client. */
export function shortType(type: string): string {
  const match = /^([^:]+):[^:]*\/[^:]*:(.+)$/.exec(type);
  return match ? `${match[1]}:${match[2]}` : type;
}

/** Rows under a header, each column padded to its widest cell but the last, two spaces between columns. */
export function textTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
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
      // Secret names, as a real preview shows them; their values are "[secret]" in the plan and never printed.
      return `"${i.name}" ${i.runtime} deploy=${i.deploy} code=${Buffer.byteLength(String(i.code ?? ""))} bytes${Array.isArray(i.secrets) ? ` secrets=${i.secrets.map((s: { name: string }) => s.name).join(",")}` : ""}`;
    case TYPES.triggerAction:
      return `${i.trigger}: + ${i.displayName} (additive)`;
    case TYPES.triggerActions:
      return `${i.trigger}: ${(i.actions ?? []).map((a: { displayName: string }) => a.displayName).join(" -> ")}`;
    default:
      return "";
  }
}
