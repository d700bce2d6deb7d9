// Roles: each live role becomes an entry of tenant:roles, its permissions on tenant:api with it.
import type { ExportRole } from "../export-format";
import type { Adoption, Context, RoleInput } from "../model";
import { components, names, TYPES } from "../names";

/** Sets tenant:roles: the adopted roles, then the stack file's roles the tenant lacks. */
export function adoptRoles(ctx: Context, audience: string | undefined, adoption: Adoption): RoleInput[] {
  const { exp, existing } = ctx;
  const roles: RoleInput[] = [];
  for (const role of exp.roles) {
    if (/^eph-[a-z0-9-]{1,24}:/.test(role.name)) {
      adoption.leftOut.push({ subject: `role "${role.name}"`, detail: "belongs to an ephemeral stack (its name carries the stack's tag)" });
      continue;
    }
    roles.push(adoptRole(role, audience, adoption));
  }
  for (const role of existing.roles) {
    if (role.name && !roles.some((r) => r.name === role.name)) {
      roles.push(role as RoleInput);
      adoption.kept.push({
        subject: `role "${role.name}"`,
        detail: `in Pulumi.${ctx.stack}.yaml but not in the tenant: the first \`pulumi up\` creates it`,
      });
    }
  }
  adoption.values["tenant:roles"] = roles;
  return roles;
}

function adoptRole(role: ExportRole, audience: string | undefined, adoption: Adoption): RoleInput {
  const subject = `role "${role.name}"`;
  const permissions = [
    ...new Set((role.permissions ?? []).filter((p) => p.resource_server_identifier === audience).map((p) => p.permission_name)),
  ];
  adoption.imports.push({
    type: TYPES.role,
    name: names.role(role.name),
    parent: components.roles,
    id: role.id ?? undefined,
    idHint: `id of the role "${role.name}" (rol_…)`,
    subject,
    live: { kind: "role", role },
  });
  if (permissions.length > 0) {
    adoption.imports.push({
      type: TYPES.rolePermissions,
      name: names.rolePermissions(role.name),
      parent: components.roles,
      id: role.id ?? undefined,
      idHint: `id of the role "${role.name}" (rol_…)`,
      subject: `${subject}, permissions`,
      live: { kind: "role", role },
    });
  }
  adoption.adopted.push({ subject, detail: `${permissions.length} permission${permissions.length === 1 ? "" : "s"} on the API` });
  return { name: role.name, description: role.description ?? "", permissions };
}
