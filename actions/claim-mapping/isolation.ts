// Ephemeral stacks share a sandbox tenant, where a binding runs on every login: their Action acts only for
// their own clients (the stack marker in client metadata) and reads only the RBAC roles carrying their
// prefix, under their plain names; app_metadata.roles belong to no stack, so they are left out.
// Bundled only for stacks with a marker ("claim-mapping:isolation", infra/bundle.ts OPTIONAL_PARTS).
import { asRecord, rolesOf } from "./claims";
import type { ClientMetadata } from "./settings";
import type { Isolation } from "./handler";

export const isolation: Isolation = {
  scope(event, settings) {
    if (asRecord<ClientMetadata>(event.client?.metadata).stack_marker !== settings.marker) return undefined;
    const prefix = settings.rolePrefix ?? "";
    const roles = rolesOf(event.authorization?.roles, undefined).flatMap((role) =>
      role.startsWith(prefix) ? [role.slice(prefix.length)] : [],
    );
    const user = { ...event.user, app_metadata: { ...asRecord(event.user?.app_metadata), roles: undefined } };
    return { ...event, user, authorization: { roles } };
  },
};
