// One owner per trigger's binding list. auth0.TriggerActions replaces a trigger's whole ordered list on every
// update; auth0.TriggerAction appends one entry by read-modify-write. Mixed on one trigger, the next
// TriggerActions update silently removes the TriggerAction's binding (docs/auth0-facts.md, "Bindings and
// deploys"; https://www.pulumi.com/registry/packages/auth0/api-docs/triggeractions/).
import { stackPolicy, TYPES, type PlainResource, type StackViolation } from "./define";

export interface TriggerBindingsConfig {
  /** Ephemeral stacks share a sandbox tenant with each other: none may own a whole list (policy/config/ephemeral.json). */
  ephemeral: boolean;
}

export function checkTriggerBindings(resources: PlainResource[], config: Partial<TriggerBindingsConfig>): StackViolation[] {
  const violations: StackViolation[] = [];
  const owners = resources.filter((r) => r.type === TYPES.triggerActions);
  const appenders = resources.filter((r) => r.type === TYPES.triggerAction);

  for (const trigger of new Set([...owners, ...appenders].map(triggerOf))) {
    const triggerOwners = owners.filter((r) => triggerOf(r) === trigger);
    const [owner, ...others] = triggerOwners;
    for (const other of others) {
      violations.push({
        urn: other.urn,
        message:
          `TriggerActions "${other.name}" and "${owner.name}" both own the ${trigger} bindings: each update replaces the whole list, ` +
          `so one removes the other's Actions. Fix: list every ${trigger} Action, in order, in one TriggerActions.`,
      });
    }
    if (owner === undefined) continue;
    for (const appender of appenders.filter((r) => triggerOf(r) === trigger)) {
      violations.push({
        urn: appender.urn,
        message:
          `TriggerAction "${appender.name}" binds to ${trigger}, whose whole list TriggerActions "${owner.name}" owns: the next update of ` +
          `"${owner.name}" removes this binding. Fix: use one mode per trigger: add the Action to tenant:postLogin.actions with mode ` +
          `"owner", or bind every Action with mode "additive".`,
      });
    }
  }

  if (config.ephemeral ?? false) {
    for (const owner of owners) {
      violations.push({
        urn: owner.urn,
        message:
          `TriggerActions "${owner.name}" makes this ephemeral stack own the whole ${triggerOf(owner)} list of the shared sandbox tenant, ` +
          `removing the bindings of every other stack there. Fix: set tenant:postLogin.mode to "additive" in this stack's file, ` +
          "so each Action is appended with its own TriggerAction.",
      });
    }
  }
  return violations;
}

/** The trigger a binding resource targets ("post-login"); only this input is read, as ids are unknown in preview. */
function triggerOf(resource: PlainResource): string {
  const trigger = resource.props.trigger;
  return typeof trigger === "string" ? trigger : "(unknown trigger)";
}

export const triggerBindingsPolicy = stackPolicy<TriggerBindingsConfig>(
  {
    name: "auth0-trigger-binding-owner",
    description:
      "TriggerActions and TriggerAction never target one trigger, no trigger has two TriggerActions, and ephemeral stacks never use TriggerActions.",
    remediationSteps:
      'Choose one binding mode per trigger (tenant:postLogin.mode): "owner" (one TriggerActions) in the stacks that own a tenant, "additive" (TriggerAction) in ephemeral stacks.',
    severity: "high",
    url: "https://www.pulumi.com/registry/packages/auth0/api-docs/triggeractions/",
    configSchema: {
      properties: {
        ephemeral: {
          type: "boolean",
          default: false,
          description: "The stack is an ephemeral eph-<id> stack in the shared sandbox tenant.",
        },
      },
    },
  },
  checkTriggerBindings,
);
