// A model of one `pulumi up` from one plan to the next, applied to a model of the Auth0 tenant, step by step.
// No Pulumi CLI, provider or tenant is reachable from here, so the order and the semantics are copied from
// their sources (cited at each rule) and kept small: what decides whether logins keep running the
// claim-mapping Action and whether a create collides with a name Auth0 keeps unique.
//
// Pulumi's order (pulumi/pulumi pkg/resource/deploy):
// - while the program runs, each registration is diffed and its step runs: a new resource is created, a
//   changed one updated, and one whose change touches a replace-on-change input (the provider's ForceNew
//   fields, ./replace.ts) is replaced create-before-delete: the new object is created at once, the old one is
//   only marked for deletion (step_generator.go, generateStepsFromDiff / continueStepsFromDiff);
// - after the program ends, every resource left in the old state (removed, or replaced) is deleted, in
//   reverse dependency order (step_generator.go, GenerateDeletes and ScheduleDeletes; deployment_executor.go);
// - a delete of a resource protected in the old state fails the update, and so does a replacement of one
//   still protected in the program (step_generator.go, continueStepsFromDiff); a delete of a
//   resource whose *previous* state says retainOnDelete calls no provider at all (step.go, DeleteStep.Apply:
//   "Deleting a 'drop on delete' is a no-op"). The options used at delete time are the old state's, written
//   by the previous update (step.go, SameStep.Apply writes the new options even when nothing else changed).
//
// The provider's semantics (auth0/terraform-provider-auth0 internal/auth0/action/):
// - auth0.TriggerActions (resource_trigger_actions.go): create and update PATCH the whole list to `actions`;
//   delete PATCHes it to [] (deleteTriggerBinding), whatever else is bound;
// - auth0.TriggerAction (resource_trigger_action.go): create reads the list and appends its Action, or, when
//   that Action is already bound, adopts the entry and changes nothing (createTriggerAction); delete reads the
//   list and writes it back without every entry of its Action (deleteTriggerAction).
// Auth0 (docs/auth0-facts.md): deleting a bound Action fails with 409; Action names, role names, API identifiers and
// (client, audience) grants are unique per tenant, so a create that repeats a live one fails with 409; client
// names are not unique, a second client is created with a new client ID.
import { type Plan, type PlannedResource, UNKNOWN } from "../../../harness/plan";
import { CLAIM_MAPPING } from "../../../actions/claim-mapping/settings";
import { TYPES } from "../../../infra/resource-types";
import { changedInputs } from "./diff";

/**
 * Creation order by dependency (what the program's Outputs and dependsOn impose: infra/components/*.ts);
 * deletes run in the reverse order.
 */
const RANK: Readonly<Record<string, number>> = {
  [TYPES.resourceServerScopes]: 1,
  [TYPES.clientCredentials]: 1,
  [TYPES.triggerActions]: 1,
  [TYPES.triggerAction]: 1,
  [TYPES.clientGrant]: 2,
  [TYPES.rolePermissions]: 2,
};
const rank = (r: PlannedResource) => RANK[r.type] ?? 0;

export type Step =
  | { op: "create"; resource: PlannedResource; replaces?: PlannedResource }
  | { op: "update"; old: PlannedResource; resource: PlannedResource }
  | { op: "delete"; resource: PlannedResource; replaced: boolean };

/** Pulumi's steps from the base plan (the last update's state) to the head plan, in the order they run. */
export function updateSteps(base: Plan | null, head: Plan): Step[] {
  const managed = (plan: Plan | null) => (plan?.resources ?? []).filter((r) => r.type.startsWith("auth0:"));
  const before = new Map(managed(base).map((r) => [r.urn, r]));
  const after = managed(head);
  const steps: Step[] = [];
  const condemned: { resource: PlannedResource; replaced: boolean }[] = [];
  for (const resource of [...after].sort((a, b) => rank(a) - rank(b) || a.urn.localeCompare(b.urn))) {
    const old = before.get(resource.urn);
    if (!old) {
      steps.push({ op: "create", resource });
      continue;
    }
    const changed = changedInputs(old, resource);
    if (changed.some((change) => change.replace)) {
      steps.push({ op: "create", resource, replaces: old });
      condemned.push({ resource: old, replaced: true });
    } else if (changed.length > 0) steps.push({ op: "update", old, resource });
  }
  const kept = new Set(after.map((r) => r.urn));
  for (const old of before.values()) if (!kept.has(old.urn)) condemned.push({ resource: old, replaced: false });
  condemned.sort((a, b) => rank(b.resource) - rank(a.resource) || a.resource.urn.localeCompare(b.resource.urn));
  return [...steps, ...condemned.map(({ resource, replaced }): Step => ({ op: "delete", resource, replaced }))];
}

interface LiveObject {
  id: string;
  urn: string;
  type: string;
  /** The value Auth0 keeps unique per tenant, when the type has one. */
  unique?: string;
  /** A TriggerAction's Action, as resolved when it was created. */
  actionId?: string;
}

/** The slice of a tenant the model tracks: live objects and the post-login list, in execution order. */
export interface TenantModel {
  objects: LiveObject[];
  postLogin: { actionId: string; displayName: string }[];
}

export interface ModelStep {
  step: Step;
  /** One line, as a reader of the update's log would want it. */
  text: string;
  /** After this step: is an Action the stack manages as claim-mapping in the post-login list? */
  claimMappingBound: boolean;
}

export interface UpdateRun {
  steps: ModelStep[];
  /** Why the update stopped half-way, if it did (Auth0's or the engine's error). */
  failure?: { step: Step; message: string };
  tenant: TenantModel;
}

/** Deploys `plan` from an empty tenant (optionally with other stacks' bindings already in post-login). */
export function deployed(plan: Plan, postLogin: TenantModel["postLogin"] = []): TenantModel {
  const run = runUpdate(null, plan, { objects: [], postLogin: postLogin.map((b) => ({ ...b })) });
  if (run.failure) throw new Error(`the first deployment of ${plan.stack} fails: ${run.failure.message}`);
  return run.tenant;
}

/** Runs the update from `base` to `head` against `tenant` (the base's live state), step by step. */
export function runUpdate(base: Plan | null, head: Plan, tenant: TenantModel): UpdateRun {
  const live: TenantModel = { objects: tenant.objects.map((o) => ({ ...o })), postLogin: tenant.postLogin.map((b) => ({ ...b })) };
  const run: UpdateRun = { steps: [], tenant: live };
  let generation = tenant.objects.length;
  for (const step of updateSteps(base, head)) {
    const message = apply(step, head, live, () => ++generation);
    if (message) {
      run.failure = { step, message };
      break;
    }
    run.steps.push({ step, text: describe(step), claimMappingBound: claimMappingBound(live) });
  }
  return run;
}

export function claimMappingBound(tenant: TenantModel): boolean {
  return tenant.postLogin.some((b) =>
    tenant.objects.some((o) => o.id === b.actionId && o.type === TYPES.action && o.urn.endsWith(`::${CLAIM_MAPPING}`)),
  );
}

export function describe(step: Step): string {
  const what = `${step.resource.type.split(":").pop()} "${step.resource.name}"`;
  if (step.op === "create") return `${step.replaces ? "create the replacement of" : "create"} ${what}`;
  if (step.op === "update") return `update ${what}`;
  return `delete ${step.replaced ? "the replaced " : ""}${what}${step.resource.options.retainOnDelete ? " (retainOnDelete: Auth0 untouched)" : ""}`;
}

function apply(step: Step, head: Plan, tenant: TenantModel, nextGeneration: () => number): string | undefined {
  const { resource } = step;
  // The live object a URN names now: the newest (a replacement is created before its old object goes).
  const current = (urn: string) => [...tenant.objects].reverse().find((o) => o.urn === urn);
  if (step.op === "delete") {
    // step.go, DeleteStep.Apply: protect is checked first, then retainOnDelete, then the provider's Delete.
    if (resource.options.protect && !step.replaced) {
      return `${describe(step)}: the resource is protected, so the engine stops the update here (pulumi up fails half-way)`;
    }
    // The old object: the oldest with this URN (a replacement's new object was pushed after it).
    const victim = tenant.objects.find((o) => o.urn === resource.urn);
    if (!victim) return undefined;
    if (resource.options.retainOnDelete) {
      // The object stays in Auth0, unmanaged: nothing resolves its URN any more, its unique name stays taken.
      victim.urn = `${victim.urn}#retained`;
      return undefined;
    }
    if (resource.type === TYPES.action && tenant.postLogin.some((b) => b.actionId === victim.id)) {
      return `${describe(step)}: Auth0 refuses to delete an Action that is still bound (409)`;
    }
    if (resource.type === TYPES.triggerActions) tenant.postLogin = [];
    if (resource.type === TYPES.triggerAction) tenant.postLogin = tenant.postLogin.filter((b) => b.actionId !== victim.actionId);
    tenant.objects = tenant.objects.filter((o) => o !== victim);
    return undefined;
  }

  // step_generator.go refuses to replace a resource protected in the old state and in the program both
  // ("we do allow unprotecting and replacing to happen in a single update cycle").
  if (step.op === "create" && step.replaces?.options.protect && resource.options.protect) {
    return `${describe(step)}: the resource is protected, so the engine refuses to replace it (pulumi up fails)`;
  }
  const unique = uniqueKey(resource, head, current);
  let object = current(resource.urn);
  if (step.op === "create") {
    const clash = unique && tenant.objects.find((o) => o.type === resource.type && o.unique === unique);
    if (clash) {
      const holder = clash.urn.endsWith("#retained") ? "retained, no longer managed" : `"${clash.urn.split("::").pop()}"`;
      return `${describe(step)}: Auth0 already has ${uniqueLabel(resource.type)} ${unique} (${holder}), and Pulumi deletes only at the end of the update (409)`;
    }
    object = { id: `${resource.type.split(":").pop()}:${resource.name}#${nextGeneration()}`, urn: resource.urn, type: resource.type };
    tenant.objects.push(object);
  }
  if (!object) return undefined;
  object.unique = unique;
  if (resource.type === TYPES.triggerActions) {
    const actions = (resource.inputs.actions ?? []) as { id: string; displayName: string }[];
    tenant.postLogin = actions.map((a) => ({ actionId: resolveId(a.id, a.displayName, head, current), displayName: a.displayName }));
  }
  if (resource.type === TYPES.triggerAction) {
    const displayName = String(resource.inputs.displayName ?? "");
    const actionId = resolveId(String(resource.inputs.actionId), displayName, head, current);
    object.actionId = actionId;
    const entry = tenant.postLogin.find((b) => b.actionId === actionId);
    // createTriggerAction adopts an entry already bound to its Action; updateTriggerAction renames it.
    if (entry) entry.displayName = displayName;
    else if (step.op === "create") tenant.postLogin.push({ actionId, displayName });
  }
  return undefined;
}

/** An Action's live id: an input the plan knows, or (unknown until deployment) the Action named like the binding. */
function resolveId(id: string, displayName: string, plan: Plan, current: (urn: string) => LiveObject | undefined): string {
  if (id !== UNKNOWN) return id;
  const action = plan.resources.find((r) => r.type === TYPES.action && r.inputs.name === displayName);
  return (action && current(action.urn)?.id) ?? `unresolved:${displayName}`;
}

/** The value Auth0 keeps unique for this type, or undefined (clients: names are not unique). */
function uniqueKey(resource: PlannedResource, plan: Plan, current: (urn: string) => LiveObject | undefined): string | undefined {
  const i = resource.inputs;
  if (resource.type === TYPES.action || resource.type === TYPES.role) return `"${String(i.name)}"`;
  if (resource.type === TYPES.resourceServer) return String(i.identifier);
  if (resource.type === TYPES.clientGrant) {
    // The grant's clientId is unknown until deployment: it is its application's client (infra/components/application.ts).
    const client = plan.resources.find((r) => r.type === TYPES.client && r.parent === resource.parent);
    const clientId = client ? (current(client.urn)?.id ?? client.urn) : String(i.clientId);
    return `(${clientId}, ${String(i.audience)})`;
  }
  return undefined;
}

function uniqueLabel(type: string): string {
  if (type === TYPES.resourceServer) return "an API with the identifier";
  if (type === TYPES.clientGrant) return "a grant for";
  if (type === TYPES.role) return "a role named";
  return "an Action named";
}
