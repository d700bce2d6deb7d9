// Things a plan can be right about and still surprise someone: printed by `npm run plan`, never fatal.
import type { Settings } from "../../infra/settings";

export function planWarnings(settings: Settings): string[] {
  const warnings: string[] = [];
  if (settings.postLogin.mode === "owner" && !settings.postLogin.adopted) {
    warnings.push(
      `${settings.stackFile}: this stack takes ownership of the post-login bindings (auth0.TriggerActions). Any Action bound ` +
        "in the tenant and not listed in tenant:postLogin.actions will be unbound on the next update. Adopt the live list " +
        "with `npm run adopt`, or check the tenant and set tenant:postLogin.adopted: true.",
    );
  }
  const { mode, switchTo } = settings.postLogin;
  if (switchTo !== undefined) {
    // Step 1 of 2 (docs/bindings.md): say what the next edit is, so the switch is not left half done.
    warnings.push(
      `${settings.stackFile}: step 1 of switching post-login from ${mode} to ${switchTo}: the next update records retainOnDelete ` +
        `(unprotected) on the ${mode === "owner" ? "TriggerActions" : "TriggerAction"} and changes nothing in Auth0. After it has run, set ` +
        `tenant:postLogin.mode: ${switchTo} and remove switchTo (docs/bindings.md).`,
    );
  }
  return warnings;
}
