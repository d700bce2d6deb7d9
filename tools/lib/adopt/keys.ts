// Stable keys for live objects. A key becomes a Pulumi logical name, and a changed logical name replaces the
// live resource, so a key must be the same on every run: never a position in the export (its order is not
// guaranteed), and never a name alone, since Auth0 allows two applications with one name and role names
// that differ only in case or punctuation. A name's kebab-case is the key while it is unique; objects whose
// names collide are told apart by their own IDs.
import { AdoptError } from "./export-format";

/** The schema's key: lower-case kebab-case, starting with a letter, at most 48 characters. */
const MAX = 48;

/** A name's kebab-case, starting with a letter (prefixed with `prefix` when it does not). */
export function keyBase(name: string, prefix: string): string {
  let base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(base)) base = `${prefix}-${base}`.replace(/-+$/, "");
  return base.slice(0, MAX).replace(/-+$/, "");
}

export interface Keyed {
  name: string;
  /** The live ID (client_id, role id); absent in deploy-CLI exports made without identifiers. */
  id: string | undefined;
}

/**
 * Keys for objects that have none yet. `base` maps a name to its key while unique; `taken` holds the keys
 * already in use (the stack file's). Objects whose bases collide with each other or with a taken key get
 * the base plus the shortest lower-case prefix of their ID that tells them apart, the same whatever the
 * export's order. Without IDs, names that differ are numbered in sorted order; identical names cannot be
 * told apart and are refused.
 */
export function stableKeys<T extends Keyed>(
  items: T[],
  taken: ReadonlySet<string>,
  base: (name: string) => string,
  what: string,
): Map<T, string> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(base(item.name), [...(groups.get(base(item.name)) ?? []), item]);
  const keys = new Map<T, string>();
  const used = new Set(taken);
  for (const [key, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (group.length === 1 && !used.has(key)) {
      keys.set(group[0], key);
      used.add(key);
      continue;
    }
    const withoutId = group.filter((item) => !item.id);
    if (withoutId.length > 0) {
      const names = withoutId.map((item) => item.name);
      if (new Set(names).size < names.length) {
        const twice = names.find((n, i) => names.indexOf(n) !== i);
        throw new AdoptError(
          `two ${what}s are named "${twice}" and the export carries no ID to tell them apart: export again with IDs ` +
            "(AUTH0_EXPORT_IDENTIFIERS=true for the deploy CLI, or `npm run adopt -- --export`)",
        );
      }
    }
    const sorted = [...group].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    sorted.forEach((item, index) => {
      const suffixes = item.id ? idSuffixes(item.id, group) : [String(index + 2)];
      const candidates = suffixes.map((s) => `${key.slice(0, MAX - s.length - 1).replace(/-+$/, "")}-${s}`);
      const chosen = candidates.find((c) => !used.has(c)) ?? candidates[candidates.length - 1];
      keys.set(item, chosen);
      used.add(chosen);
    });
  }
  return keys;
}

/** The ID's lower-case letters and digits, shortest prefix first (6 characters at least) that no other item's ID shares. */
function idSuffixes(id: string, group: Keyed[]): string[] {
  const clean = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, "");
  const own = clean(id.replace(/^rol_/, ""));
  const others = group.filter((g) => g.id && g.id !== id).map((g) => clean(g.id!.replace(/^rol_/, "")));
  const result: string[] = [];
  for (let length = Math.min(6, own.length); length <= own.length; length++) {
    const prefix = own.slice(0, length);
    if (!others.some((other) => other.startsWith(prefix))) result.push(prefix);
  }
  return result.length > 0 ? result : [own];
}
