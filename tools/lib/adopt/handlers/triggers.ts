// Actions and their trigger bindings: the post-login list in order, with the program's claim-mapping Action in
// place and every other bound Action kept by id; other triggers and unbound Actions are listed.
import type { ExportAction, ExportBinding, TenantExport } from "../export-format";
import { type Adoption, type BindingInput, type Context, isPlaceholder, placeholder } from "../model";
import { components, MANAGED_ACTION_NAME, names, TYPES } from "../names";

type PostLogin = { mode: string; actions: BindingInput[]; adopted: boolean };

/**
 * Sets tenant:postLogin. The program owns the whole post-login list (auth0.TriggerActions), so a list it does
 * not know must never be taken as empty: without the tenant's bindings the first update would unbind every
 * Action. An export that does not carry them leaves the list not adopted (plan warns), and says why.
 */
export function adoptTriggers(ctx: Context, adoption: Adoption): void {
  const { exp } = ctx;
  const known = exp.bindings["post-login"] !== undefined;
  const derived = known ? adoptBindings(exp, adoption) : unknownBindings(ctx, adoption);
  adoption.values["tenant:postLogin"] = known ? keepReviewed(derived, ctx.existing.postLogin, adoption) : derived;
  for (const [trigger, bindings] of Object.entries(exp.bindings)) {
    if (trigger === "post-login" || bindings.length === 0) continue;
    adoption.leftOut.push({
      subject: `trigger ${trigger}`,
      detail: `${bindings.map((b) => b.display_name ?? b.action.name).join(", ")} bound there: the program binds post-login only; those bindings stay as they are`,
    });
  }
}

function unknownBindings(ctx: Context, adoption: Adoption): PostLogin {
  const why = ctx.absent.find((a) => a.startsWith("bindings")) ?? "bindings (no post-login list in it)";
  const existing = ctx.existing.postLogin;
  const claimMapping = ctx.exp.actions.find((a) => a.name === MANAGED_ACTION_NAME);
  if (claimMapping?.id) importClaimMapping(claimMapping.id, claimMapping, adoption);
  for (const action of ctx.exp.actions) {
    if (action.name === MANAGED_ACTION_NAME) continue;
    adoption.leftOut.push({
      subject: `Action "${action.name}"`,
      detail: "not managed by this program; whether it is bound to post-login is unknown (the export has no bindings)",
    });
  }
  if (existing !== undefined && Array.isArray(existing.actions)) {
    adoption.decisions.push({
      subject: "tenant:postLogin",
      detail: `the export does not carry the post-login bindings (${why}): the stack file's list is kept as it is. Check it against the tenant (Actions > Triggers > post-login) before \`pulumi up\`, which replaces the tenant's list with it`,
    });
    return existing as PostLogin;
  }
  adoption.decisions.push({
    subject: "tenant:postLogin",
    detail:
      `the export does not carry the post-login bindings (${why}), so what is bound is unknown, not empty: the list holds claim-mapping ` +
      "alone and is left not adopted (adopted: false), and plan warns. Re-run adopt on an export with the bindings (`npm run adopt -- --export`, or a " +
      "deploy-CLI export with its triggers), or list every bound Action in tenant:postLogin.actions by hand and then set adopted: true; " +
      "until then `pulumi up` would unbind every Action bound there",
  });
  return { mode: "owner", actions: [MANAGED_ACTION_NAME], adopted: false };
}

/**
 * The stack file's list where it names the same Actions as the tenant in the same order: a person may have
 * moved claim-mapping or filled in an id; placeholders are filled from the tenant where it now has the ids.
 * A list that names other Actions than the tenant has is rewritten from the tenant, and said so.
 */
function keepReviewed(derived: PostLogin, existing: ExistingPostLogin, adoption: Adoption): PostLogin {
  if (existing === undefined || !Array.isArray(existing.actions)) return derived;
  const unmanaged = (list: unknown[]) =>
    list.filter((b): b is { id: string; displayName: string } => typeof b === "object" && b !== null && "id" in b);
  const mine = unmanaged(existing.actions);
  const live = unmanaged(derived.actions);
  const same =
    mine.length === live.length &&
    mine.every(
      (b, i) => b.id === live[i].id || ((isPlaceholder(b.id) || isPlaceholder(live[i].id)) && b.displayName === live[i].displayName),
    );
  if (!same) {
    adoption.decisions.push({
      subject: "tenant:postLogin",
      detail: `the stack file listed ${listNames(existing.actions)}, the tenant binds ${listNames(derived.actions)}: rewritten from the tenant`,
    });
    return derived;
  }
  let index = 0;
  const actions = existing.actions.map((b) => {
    if (typeof b !== "object" || b === null || !("id" in b)) return b as BindingInput;
    const liveBinding = live[index++];
    return isPlaceholder((b as { id: string }).id) ? liveBinding : (b as BindingInput);
  });
  const complete = !actions.some((b) => typeof b === "object" && "id" in b && isPlaceholder(b.id));
  const adopted = complete && (derived.adopted || existing.adopted === true);
  if (JSON.stringify(actions) !== JSON.stringify(derived.actions)) {
    adoption.edits.push({
      subject: "tenant:postLogin.actions",
      detail: `kept the stack file's order ${listNames(actions)}; the tenant has ${listNames(derived.actions)}`,
    });
  }
  return { mode: typeof existing.mode === "string" ? existing.mode : derived.mode, actions, adopted };
}

type ExistingPostLogin = Context["existing"]["postLogin"];

function listNames(actions: unknown[]): string {
  return actions
    .map((b) =>
      typeof b === "string"
        ? b
        : typeof b === "object" && b !== null
          ? String((b as { displayName?: unknown; action?: unknown }).displayName ?? (b as { action?: unknown }).action)
          : String(b),
    )
    .join(" → ");
}

function importClaimMapping(id: string | undefined, action: ExportAction | undefined, adoption: Adoption): void {
  adoption.imports.push({
    type: TYPES.action,
    name: names.action(),
    parent: components.loginFlow,
    id,
    idHint: `id of the Action "${MANAGED_ACTION_NAME}"`,
    subject: `Action "${MANAGED_ACTION_NAME}"`,
    live: { kind: "action", action },
  });
}

function adoptBindings(exp: TenantExport, adoption: Adoption): PostLogin {
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

  if (claimMapping || claimMappingId) importClaimMapping(claimMappingId, claimMapping, adoption);
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
