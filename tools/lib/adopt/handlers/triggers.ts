// Actions and their trigger bindings: the post-login list in order, with the program's claim-mapping Action in
// place and every other bound Action kept by id; other triggers and unbound Actions are listed.
import type { ExportBinding, TenantExport } from "../export-format";
import { type Adoption, type BindingInput, placeholder } from "../model";
import { components, MANAGED_ACTION_NAME, names, TYPES } from "../names";

/** Sets tenant:postLogin. */
export function adoptTriggers(exp: TenantExport, adoption: Adoption): void {
  // The post-login bindings, in order, with the program's claim-mapping Action in place.
  adoption.values["tenant:postLogin"] = adoptBindings(exp, adoption);
  for (const [trigger, bindings] of Object.entries(exp.bindings)) {
    if (trigger === "post-login" || bindings.length === 0) continue;
    adoption.leftOut.push({
      subject: `trigger ${trigger}`,
      detail: `${bindings.map((b) => b.display_name ?? b.action.name).join(", ")} bound there: the program binds post-login only; those bindings stay as they are`,
    });
  }
}

function adoptBindings(exp: TenantExport, adoption: Adoption): { mode: "owner"; actions: BindingInput[]; adopted: boolean } {
  const live = exp.bindings["post-login"] ?? [];
  const claimMapping = exp.actions.find((a) => a.name === MANAGED_ACTION_NAME);
  const claimMappingId = claimMapping?.id ?? live.find((b) => b.action.name === MANAGED_ACTION_NAME)?.action.id ?? undefined;
  const isClaimMapping = (b: ExportBinding) =>
    b.action.name === MANAGED_ACTION_NAME || (claimMappingId !== undefined && b.action.id === claimMappingId);

  const actions: BindingInput[] = [];
  let complete = true;
  for (const binding of live) {
    if (isClaimMapping(binding)) {
      actions.push(MANAGED_ACTION_NAME);
      continue;
    }
    const name = binding.action.name ?? binding.display_name ?? "?";
    const displayName = binding.display_name ?? name;
    const id = binding.action.id ?? exp.actions.find((a) => a.name === name)?.id ?? undefined;
    if (id === undefined) complete = false;
    actions.push({ id: id ?? placeholder(`id of the Action "${name}"`), displayName });
    adoption.adopted.push({
      subject: `post-login binding "${displayName}"`,
      detail: `Action "${name}", not managed by this program: kept in place by id, position ${actions.length}`,
    });
  }
  if (!actions.includes(MANAGED_ACTION_NAME)) {
    actions.push(MANAGED_ACTION_NAME);
    adoption.decisions.push({
      subject: "tenant:postLogin",
      detail:
        live.length === 0
          ? "nothing is bound to post-login yet: the program binds claim-mapping alone"
          : `claim-mapping was not bound: the program appends it at the end, after ${live.map((b) => `"${b.display_name ?? b.action.name}"`).join(", ")}. Move it in tenant:postLogin.actions if it must run earlier`,
    });
  }
  if (!complete) {
    adoption.decisions.push({
      subject: "tenant:postLogin",
      detail:
        "the export does not carry the ids of the Actions bound to post-login: fill in each <PLACEHOLDER> in tenant:postLogin.actions, then set adopted: true",
    });
  }

  if (claimMapping || claimMappingId) {
    adoption.imports.push({
      type: TYPES.action,
      name: names.action(),
      parent: components.loginFlow,
      id: claimMappingId,
      idHint: `id of the Action "${MANAGED_ACTION_NAME}"`,
      subject: `Action "${MANAGED_ACTION_NAME}"`,
      live: { kind: "action", action: claimMapping },
    });
  }
  if (live.length > 0) {
    adoption.imports.push({
      type: TYPES.triggerActions,
      name: names.postLogin(),
      parent: components.loginFlow,
      id: "post-login",
      idHint: "the trigger id",
      subject: "post-login bindings",
      live: { kind: "bindings", bindings: live, claimMappingId },
    });
  }
  const bound = new Set(live.map((b) => b.action.id ?? b.action.name));
  for (const action of exp.actions) {
    if (action.name === MANAGED_ACTION_NAME || bound.has(action.id ?? action.name) || bound.has(action.name)) continue;
    const triggers = (action.supported_triggers ?? []).map((t) => t.id).join(", ");
    adoption.leftOut.push({
      subject: `Action "${action.name}"`,
      detail: `not bound to post-login${triggers ? ` (triggers: ${triggers})` : ""} and not managed by this program; it stays as it is`,
    });
  }
  return { mode: "owner", actions, adopted: complete };
}
