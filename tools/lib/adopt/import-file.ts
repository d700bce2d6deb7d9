// The Pulumi bulk import file (`pulumi import --file <file>`) that maps each logical name the program
// registers to the live resource's ID, so the first `pulumi up` adopts instead of recreating.
//
// Format: pulumi/pulumi pkg/cmd/pulumi/operations/import.go (importFile, importSpec) and the Pulumi docs'
// "Bulk import operations". Choices that follow from it:
// - Component parents are declared in the same file as `component: true` entries without an ID (the engine
//   creates them empty, Pulumi >= 3.94) and children name them in `parent`. Entries need unique `name`s, so a
//   component and its child of the same logical name ("dashboard") get distinct names and a `logicalName`,
//   as `pulumi preview --import-file` does.
// - The explicit provider is referenced through `nameTable` (provider name -> URN). The engine looks that
//   URN up in the stack's state (pkg/resource/deploy/import.go, registerProviders), so the provider must
//   exist before the import: docs/adoption.md's procedure creates it first with `pulumi up --target <its URN>`.
// - IDs, per the Import section of each resource's docs in @pulumi/auth0 3.49.0: Client, ClientCredentials:
//   the client_id; ClientGrant: the grant id; ResourceServer: its id; ResourceServerScopes: the API's
//   identifier; Role, RolePermissions: the role id; Action: its id; TriggerActions: the trigger id.
import type { ImportTarget } from "./model";
import { isPlaceholder, placeholder } from "./model";
import { componentUrn, PROVIDER, providerUrn, type ComponentRef } from "./names";

export interface ImportSpec {
  type: string;
  name: string;
  logicalName?: string;
  id?: string;
  parent?: string;
  provider?: string;
  version?: string;
  component?: boolean;
}

export interface PulumiImportFile {
  nameTable: Record<string, string>;
  resources: ImportSpec[];
}

/** The name the provider goes by in nameTable and in each entry's `provider`. */
const PROVIDER_REF = `${PROVIDER.name}-provider`;

export function buildImportFile(stack: string, targets: ImportTarget[], providerVersion: string): PulumiImportFile {
  const taken = new Set<string>([PROVIDER_REF]);
  const unique = (logicalName: string, typeSuffix: string) => {
    if (!taken.has(logicalName)) return logicalName;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? `${logicalName}-${typeSuffix}` : `${logicalName}-${typeSuffix}-${n}`;
      if (!taken.has(candidate)) return candidate;
    }
  };
  const entry = (logicalName: string, typeSuffix: string) => {
    const name = unique(logicalName, typeSuffix);
    taken.add(name);
    return name === logicalName ? { name } : { name, logicalName };
  };

  // Custom resources keep their logical names where they can; components take the suffixed names.
  const customs = targets.map((target) => ({ target, ...entry(target.name, typeName(target.type)) }));
  const parents = new Map<string, { component: ComponentRef; name: string; logicalName?: string }>();
  for (const { target } of customs) {
    const key = componentUrn(stack, target.parent);
    if (!parents.has(key))
      parents.set(key, { component: target.parent, ...entry(target.parent.name, typeName(target.parent.type).toLowerCase()) });
  }

  const resources: ImportSpec[] = [
    ...[...parents.values()].map(({ component, name, logicalName }) => ({
      type: component.type,
      name,
      ...(logicalName && { logicalName }),
      component: true,
    })),
    ...customs.map(({ target, name, logicalName }) => ({
      type: target.type,
      name,
      ...(logicalName && { logicalName }),
      id: target.id ?? placeholder(target.idHint),
      parent: parents.get(componentUrn(stack, target.parent))!.name,
      provider: PROVIDER_REF,
      version: providerVersion,
    })),
  ];
  return { nameTable: { [PROVIDER_REF]: providerUrn(stack) }, resources };
}

/** "auth0:index/client:Client" -> "client"; "tenant:auth0:Application" -> "application". */
function typeName(type: string): string {
  const last = type.split(":").pop() ?? type;
  return last.charAt(0).toLowerCase() + last.slice(1);
}

/** The import entries whose ID the export did not carry. */
export function placeholders(file: PulumiImportFile): ImportSpec[] {
  return file.resources.filter((r) => r.id !== undefined && isPlaceholder(r.id));
}
