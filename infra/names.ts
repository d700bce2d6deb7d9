// Pulumi logical names derived from config. Renaming a logical name replaces a live resource, so these
// functions are part of the public contract: change them only with `aliases`.

/** A stable logical name from a role name: "Support Agent" -> "support-agent". */
export function roleSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "role";
}
