// What could break logins in the update from one plan to the next, found by running that update through the
// model of Pulumi's step order and the provider's semantics (./update-model.ts): a binding-mode switch, a
// moment in which post-login runs without the claim-mapping Action, a create that collides with a unique
// name Auth0 still holds, an application that gets a new client ID, an update that stops half-way.
import { BINDING_TYPES } from "../../../infra/options";
import type { BindingMode } from "../../../infra/settings/schema";
import type { Plan, PlannedResource } from "../../../harness/plan";
import { TYPES } from "../../../infra/resource-types";
import { claimMappingBound, deployed, runUpdate, type TenantModel } from "./update-model";

export interface Risk {
  /** "breaks": logins or the update break if this is applied; "safe": named so a reviewer knows it is expected. */
  level: "breaks" | "safe";
  subject: string;
  message: string;
}

/** How a plan binds post-login: owner (one TriggerActions), additive (TriggerAction per Action), or not at all. */
export function bindingModeOf(plan: Plan): BindingMode | undefined {
  if (plan.resources.some((r) => r.type === TYPES.triggerActions)) return "owner";
  if (plan.resources.some((r) => r.type === TYPES.triggerAction)) return "additive";
  return undefined;
}

/** The safe two-step switch, as the message a user gets (docs/bindings.md says the same at length). */
export function twoStepSwitch(from: BindingMode, to: BindingMode, stackFile: string): string {
  return (
    `Switch in two updates instead: (1) keep mode: ${from}, add switchTo: ${to} under tenant:postLogin in ${stackFile} and run ` +
    `pulumi up (it records retainOnDelete on the ${from === "owner" ? "TriggerActions" : "TriggerAction"}, unprotected, and changes nothing in Auth0); ` +
    `(2) set mode: ${to}, remove switchTo, run pulumi up (docs/bindings.md).`
  );
}

/**
 * The risks of the update from `base` (what the stack's last update deployed) to `head`. The base's live
 * post-login list is modelled by deploying the base plan into an empty tenant, with another stack's binding
 * already there when the base binds additively (the list is shared then).
 */
export function updateRisks(base: Plan | null, head: Plan): Risk[] {
  if (!base) return [];
  const risks: Risk[] = [];
  const baseMode = bindingModeOf(base);
  const headMode = bindingModeOf(head);
  const foreign = baseMode === "additive" ? [{ actionId: "another-stacks-action", displayName: "another stack's Action" }] : [];
  let before: TenantModel;
  try {
    before = deployed(base, foreign);
  } catch (error) {
    // A base the model cannot deploy (an older revision's plan shape): say so rather than report nothing.
    return [{ level: "safe", subject: "update model", message: `not run: ${(error as Error).message}` }];
  }
  const run = runUpdate(base, head, before);
  const stackFile = `Pulumi.${head.stack}.yaml`;

  const gapAt = claimMappingBound(before) && headMode !== undefined ? run.steps.find((s) => !s.claimMappingBound) : undefined;
  const gap = gapAt
    ? `after "${gapAt.text}", post-login runs without the claim-mapping Action: tokens carry no claims and no login policy is enforced` +
      (run.failure || claimMappingBound(run.tenant) ? " until the update goes on" : ", and it stays so after the update")
    : undefined;

  if (baseMode && headMode && baseMode !== headMode) {
    const outgoing = base.resources.filter((r) => r.type === (baseMode === "owner" ? TYPES.triggerActions : TYPES.triggerAction));
    const retained = outgoing.every((r) => r.options.retainOnDelete);
    risks.push(
      retained && !gap
        ? {
            level: "safe",
            subject: `post-login binding mode ${baseMode} → ${headMode}`,
            message: `step 2 of the switch: the previous update recorded retainOnDelete on ${names(outgoing)}, so removing it leaves Auth0's list alone; the claim-mapping Action stays bound at every step.`,
          }
        : {
            level: "breaks",
            subject: `post-login binding mode ${baseMode} → ${headMode} in one update`,
            message: `${gap ?? modeSwitchHarm(baseMode)}. ${twoStepSwitch(baseMode, headMode, stackFile)}`,
          },
    );
  } else if (gap) {
    risks.push({ level: "breaks", subject: "post-login bindings", message: gap });
  }

  const retaining = head.resources.filter((r) => BINDING_TYPES.has(r.type) && r.options.retainOnDelete);
  const newlyRetained = retaining.filter((r) => !base.resources.some((old) => old.urn === r.urn && old.options.retainOnDelete));
  if (headMode && newlyRetained.length > 0) {
    risks.push({
      level: "safe",
      subject: `step 1 of switching post-login from ${headMode} to ${headMode === "owner" ? "additive" : "owner"}`,
      message: `this update records retainOnDelete, unprotected, on ${names(newlyRetained)} and changes nothing in Auth0. Once it has run, set mode and remove switchTo in ${stackFile} (docs/bindings.md).`,
    });
  }

  if (run.failure) {
    risks.push({ level: "breaks", subject: "update stops half-way", message: run.failure.message });
  }
  risks.push(...newClientIds(base, head));
  return risks;
}

function modeSwitchHarm(from: BindingMode): string {
  return from === "owner"
    ? "the TriggerActions' delete, at the end of the update, sets the post-login list to [] and removes the new TriggerAction's binding too"
    : "the old TriggerAction's delete, at the end of the update, removes the claim-mapping Action's entry from the list the new TriggerActions just wrote";
}

/**
 * An application whose Client leaves one URN for another (a renamed key, a moved component without
 * aliases) is created again before the old one is deleted: client names are not unique in Auth0, so the
 * create succeeds with a new client ID, and every app configured with the old one fails to log in.
 */
function newClientIds(base: Plan, head: Plan): Risk[] {
  const clients = (plan: Plan) => plan.resources.filter((r) => r.type === TYPES.client);
  const headUrns = new Set(clients(head).map((r) => r.urn));
  const baseUrns = new Set(clients(base).map((r) => r.urn));
  return clients(base)
    .filter((old) => !headUrns.has(old.urn))
    .flatMap((old) => {
      const successor = clients(head).find((r) => !baseUrns.has(r.urn) && r.inputs.name === old.inputs.name);
      return successor
        ? [
            {
              level: "breaks" as const,
              subject: `application "${String(old.inputs.name)}"`,
              message: `moves from "${old.name}" to "${successor.name}": Pulumi creates a second client (a new client ID) and deletes the old one at the end, so apps configured with the old client ID stop logging in. Keep the logical name, or add aliases: [{ name: "${old.name}" }] to the resource.`,
            },
          ]
        : [];
    });
}

function names(resources: PlannedResource[]): string {
  return resources.map((r) => `${r.type.split(":").pop()} "${r.name}"`).join(", ");
}
