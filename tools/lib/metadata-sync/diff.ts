// What the sync would change for one user, computed from what the tenant holds and what the system of
// record wants. The sync owns exactly two app_metadata keys and the user's assignments of the roles the
// stack declares; everything else on the user (other app_metadata keys, `app_metadata.roles`, which the
// Action still reads for tenants not yet on RBAC, roles the stack does not declare) is never written.

/** The app_metadata keys the sync owns. `roles` is deliberately not one of them. */
export const OWNED_KEYS = ["tenant_id", "plan"] as const;
export type OwnedKey = (typeof OWNED_KEYS)[number];

export interface CurrentUser {
  /** As the tenant returns it; absent when the user has none. */
  app_metadata?: Record<string, unknown> | null;
  /** Names of the roles assigned to the user directly. */
  roles: readonly string[];
}

export interface DesiredState {
  tenant_id: string | null;
  plan: string | null;
  roles: readonly string[];
}

export interface UserChange {
  /** The body of `PATCH /api/v2/users/{id}`'s `app_metadata`: only owned keys that differ; `null` deletes. */
  appMetadata: Partial<Record<OwnedKey, string | null>>;
  /** The values those keys had, for the report. */
  previous: Partial<Record<OwnedKey, unknown>>;
  /** Role names to assign and to remove, sorted; only roles the stack declares. */
  assignRoles: string[];
  removeRoles: string[];
}

/** The change that brings `current` to `desired`, or null when the user is already in sync. */
export function diffUser(current: CurrentUser, desired: DesiredState, declaredRoles: readonly string[]): UserChange | null {
  const metadata = isRecord(current.app_metadata) ? current.app_metadata : {};
  const appMetadata: UserChange["appMetadata"] = {};
  const previous: UserChange["previous"] = {};
  for (const key of OWNED_KEYS) {
    const has = metadata[key] ?? null;
    const wants = desired[key];
    if (has !== wants) {
      appMetadata[key] = wants;
      previous[key] = has;
    }
  }

  const owned = new Set(declaredRoles);
  const held = new Set(current.roles.filter((r) => owned.has(r)));
  const wanted = new Set(desired.roles.filter((r) => owned.has(r)));
  const assignRoles = [...wanted].filter((r) => !held.has(r)).sort();
  const removeRoles = [...held].filter((r) => !wanted.has(r)).sort();

  if (Object.keys(appMetadata).length === 0 && assignRoles.length === 0 && removeRoles.length === 0) return null;
  return { appMetadata, previous, assignRoles, removeRoles };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
