// The post-login binding list from config, as data: which Actions, in which order, bound how.
import type { BindingMode, TenantConfig } from "./settings/schema";

export type Binding = { kind: "managed"; action: string; mode: BindingMode } | { kind: "unmanaged"; id: string; displayName: string };

/** Each entry of tenant:postLogin.actions, with its mode resolved (an entry's own, else the list's). */
export function bindingsOf(postLogin: TenantConfig["postLogin"]): Binding[] {
  return postLogin.actions.map((entry): Binding => {
    if (typeof entry === "string") return { kind: "managed", action: entry, mode: postLogin.mode };
    if ("id" in entry) return { kind: "unmanaged", id: entry.id, displayName: entry.displayName };
    return { kind: "managed", action: entry.action, mode: entry.mode };
  });
}

/** A stable key for duplicate detection and messages. */
export function bindingLabel(binding: Binding): string {
  return binding.kind === "managed" ? binding.action : `${binding.displayName} (${binding.id})`;
}
