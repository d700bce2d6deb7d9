import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { childNames, roleKey } from "../names";
import { childOptions } from "../options";
import type { RoleConfig } from "../settings/schema";
import { TYPES } from "../resource-types";

export interface RolesArgs {
  roles: RoleConfig[];
  protect: boolean;
  /** The API whose scopes the roles grant. */
  audience: pulumi.Input<string>;
  permissionsDependOn?: pulumi.Input<pulumi.Resource>[];
}

/** RBAC roles; their names reach post-login as event.authorization.roles. */
export class Roles extends pulumi.ComponentResource {
  readonly ids: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: RolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tenant:auth0:Roles", name, {}, opts);
    for (const role of args.roles) {
      const key = roleKey(role);
      const created = new auth0.Role(
        childNames.role(name, key),
        { name: role.name, description: role.description },
        childOptions(TYPES.role, args, this),
      );
      if (role.permissions.length > 0) {
        new auth0.RolePermissions(
          childNames.rolePermissions(name, key),
          {
            roleId: created.id,
            permissions: role.permissions.map((scope) => ({ name: scope, resourceServerIdentifier: args.audience })),
          },
          childOptions(TYPES.rolePermissions, args, this, { dependsOn: args.permissionsDependOn }),
        );
      }
      this.ids[role.name] = created.id;
    }
    this.registerOutputs({ ids: this.ids });
  }
}
