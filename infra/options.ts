// Resource options in one tested place. The mock engine does not report options, so `npm run plan`
// asks this same function what each resource gets.
import type * as pulumi from "@pulumi/pulumi";
import { TYPES } from "./resource-types";
import type { BindingMode } from "./settings/schema";

/**
 * Resources whose loss would break logins, change client IDs, stop enforcing login policies (the
 * bindings: without them the Action never runs) or drop users' role assignments (the roles): protected
 * where config says so.
 */
export const PROTECTABLE_TYPES: ReadonlySet<string> = new Set([
  TYPES.client,
  TYPES.resourceServer,
  TYPES.action,
  TYPES.triggerActions,
  TYPES.triggerAction,
  TYPES.role,
]);

/** The two ways of binding an Action to a trigger (docs/auth0-facts.md, "Bindings and deploys"). */
export const BINDING_TYPES: ReadonlySet<string> = new Set([TYPES.triggerActions, TYPES.triggerAction]);

/** What options are derived from: tenant:protect, and tenant:postLogin.switchTo during a binding-mode switch. */
export interface OptionSettings {
  protect: boolean;
  switchTo?: BindingMode;
}

export interface DerivedOptions {
  protect: boolean;
  retainOnDelete: boolean;
}

/** Whether a resource of this type is protected, driven by tenant:protect (never by the stack's name). */
export function protectFor(type: string, settings: { protect: boolean }): boolean {
  return settings.protect && PROTECTABLE_TYPES.has(type);
}

/**
 * A resource's options. During step 1 of a binding-mode switch (tenant:postLogin.switchTo) the current
 * mode's binding resources get retainOnDelete, recorded in the state, so that step 2's delete of them
 * leaves Auth0's bindings alone (pulumi/pulumi pkg/resource/deploy/step.go, DeleteStep.Apply: "Deleting a
 * 'drop on delete' is a no-op"); unprotected, because the engine refuses to delete a protected resource
 * before it looks at retainOnDelete, and a retained binding's delete no longer loses anything.
 */
export function optionsFor(type: string, settings: OptionSettings): DerivedOptions {
  if (settings.switchTo !== undefined && BINDING_TYPES.has(type)) return { protect: false, retainOnDelete: true };
  return { protect: protectFor(type, settings), retainOnDelete: false };
}

/** Options for a resource inside a component: parented, protected when its type calls for it. */
export function childOptions(
  type: string,
  settings: OptionSettings,
  parent: pulumi.Resource,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  const { protect, retainOnDelete } = optionsFor(type, settings);
  return { ...extra, parent, protect, ...(retainOnDelete && { retainOnDelete }) };
}
