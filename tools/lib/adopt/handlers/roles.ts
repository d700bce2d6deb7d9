// Roles: each live role becomes an entry of tenant:roles, its permissions on tenant:api with it. Entries the
// stack file already has keep their place, `key` and values, matched by role id (through the import file an
// earlier run wrote), else by name; a role whose name's kebab-case collides with another's gets a `key` from
// its id (keys.ts), so that the logical name is unique and the same on every run.
import { hasEphemeralTag } from "../../../../harness/stack-file";
import { roleKey, roleSlug } from "../../../../infra/names";
import { keepEdits, reportEntryNotLive } from "../existing";
import type { ExportRole } from "../export-format";
import { keyBase, stableKeys } from "../keys";
import type { Adoption, Context, RoleInput } from "../model";
import { components, names, TYPES } from "../names";

/** Sets tenant:roles: the stack file's roles (adopted where live), then the live roles it lacks. */
export function adoptRoles(ctx: Context, audience: string | undefined, adoption: Adoption): RoleInput[] {
  const { exp, existing } = ctx;
  const candidates: ExportRole[] = [];
  for (const role of exp.roles) {
    if (hasEphemeralTag(role.name)) {
      adoption.leftOut.push({ subject: `role "${role.name}"`, detail: "belongs to an ephemeral stack (its name carries the stack's tag)" });
      continue;
    }
    candidates.push(role);
  }

  const entries = existing.roles.filter((e): e is Partial<RoleInput> & { name: string } => typeof e.name === "string" && e.name !== "");
  const byKey = new Map(entries.map((e) => [roleKey(e), e]));
  const matched = new Map<ExportRole, Partial<RoleInput>>();
  const claimed = new Set<Partial<RoleInput>>();
  const claim = (role: ExportRole, entry: Partial<RoleInput> | undefined) => {
    if (!entry || claimed.has(entry) || matched.has(role)) return;
    matched.set(role, entry);
    claimed.add(entry);
  };
  for (const role of candidates) {
    const key = role.id ? ctx.previous.roles.get(role.id) : undefined;
    if (key !== undefined) claim(role, byKey.get(key));
  }
  for (const role of candidates) {
    if (!matched.has(role))
      claim(
        role,
        entries.find((e) => e.name === role.name && !claimed.has(e)),
      );
  }
  const unmatched = candidates.filter((role) => !matched.has(role));
  const keyed = unmatched.map((role) => ({ role, name: role.name, id: role.id ?? undefined }));
  const fresh = stableKeys(keyed, new Set(entries.map(roleKey)), (name) => keyBase(name, "role"), "role");
  const liveByEntry = new Map([...matched].map(([role, entry]) => [entry, role]));

  const roles: RoleInput[] = [];
  for (const entry of entries) {
    const role = liveByEntry.get(entry);
    if (role) roles.push(adoptRole(role, roleKey(entry), audience, adoption, entry));
    else {
      roles.push(entry as RoleInput);
      reportEntryNotLive(ctx, adoption, `role "${entry.name}"`, { prefix: "roles", noun: "roles" });
    }
  }
  for (const item of keyed) roles.push(adoptRole(item.role, fresh.get(item)!, audience, adoption));
  adoption.values["tenant:roles"] = roles;
  return roles;
}

function adoptRole(role: ExportRole, key: string, audience: string | undefined, adoption: Adoption, entry?: Partial<RoleInput>): RoleInput {
  const subject = `role "${role.name}"`;
  const permissions = [
    ...new Set((role.permissions ?? []).filter((p) => p.resource_server_identifier === audience).map((p) => p.permission_name)),
  ];
  const adopted: RoleInput = { name: role.name, description: role.description ?? "", permissions };
  // The key is written only where the name's kebab-case would not give it (a collision, or a person's choice).
  if (key !== roleSlug(role.name)) adopted.key = key;
  const result = keepEdits(adopted, entry, subject, adoption);
  adoption.imports.push({
    type: TYPES.role,
    name: names.role(key),
    parent: components.roles,
    id: role.id ?? undefined,
    idHint: `id of the role "${role.name}" (rol_…)`,
    subject,
    live: { kind: "role", role },
  });
  if ((result.permissions ?? []).length > 0) {
    adoption.imports.push({
      type: TYPES.rolePermissions,
      name: names.rolePermissions(key),
      parent: components.roles,
      id: role.id ?? undefined,
      idHint: `id of the role "${role.name}" (rol_…)`,
      subject: `${subject}, permissions`,
      live: { kind: "role", role },
    });
  }
  adoption.adopted.push({ subject, detail: `${permissions.length} permission${permissions.length === 1 ? "" : "s"} on the API` });
  return result;
}
