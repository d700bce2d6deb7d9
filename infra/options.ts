// Resource options in one tested place. The mock engine does not report options, so `npm run plan`
// asks this same function what each resource gets.
import type * as pulumi from "@pulumi/pulumi";
import { TYPES } from "./resource-types";

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

/** Whether a resource of this type is protected, driven by tenant:protect (never by the stack's name). */
export function protectFor(type: string, settings: { protect: boolean }): boolean {
  return settings.protect && PROTECTABLE_TYPES.has(type);
}

/** Options for a resource inside a component: parented, and protected when its type calls for it. */
export function childOptions(
  type: string,
  settings: { protect: boolean },
  parent: pulumi.Resource,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { ...extra, parent, protect: protectFor(type, settings) };
}
