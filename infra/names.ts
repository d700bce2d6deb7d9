// Pulumi logical names derived from config. Renaming a logical name replaces a live resource, so these
// functions are part of the public contract: change them only with `aliases`. The components and
// `npm run adopt` (which addresses live resources by these names in an import file) both use them.

/** A stable logical name from a role name: "Support Agent" -> "support-agent". */
export function roleSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "role"
  );
}

/** A role's stable key: the one config gives (kept across renames), else its name in kebab-case. */
export function roleKey(role: { key?: string; name: string }): string {
  return role.key ?? roleSlug(role.name);
}

/** Children's logical names, from their component's name (and, for roles, the role's key). */
export const childNames = {
  credentials: (application: string) => `${application}-credentials`,
  grant: (application: string) => `${application}-grant`,
  scopes: (api: string) => `${api}-scopes`,
  role: (roles: string, key: string) => `${roles}-${key}`,
  rolePermissions: (roles: string, key: string) => `${roles}-${key}-permissions`,
  connection: (testLogin: string) => `${testLogin}-connection`,
  connectionClients: (testLogin: string) => `${testLogin}-connection-clients`,
  testUser: (testLogin: string, key: string) => `${testLogin}-${key}`,
  testUserPassword: (testLogin: string, key: string) => `${testLogin}-${key}-password`,
  testUserRoles: (testLogin: string, key: string) => `${testLogin}-${key}-roles`,
};
