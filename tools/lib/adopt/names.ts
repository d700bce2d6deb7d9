// The logical names, types and parents the program registers (infra/tenant.ts and infra/components/*), as
// `npm run adopt` needs them to address live resources in a Pulumi import file. They are the program's
// public contract (renaming one replaces a live resource); adopt.test.ts plans an adopted stack and checks
// that every name here is one the program really registers, so a rename there fails a test here.
import { childNames } from "../../../infra/names";
import { PROJECT } from "../../../infra/settings";

import { AUTH0_PROVIDER_TYPE, TYPES, type ResourceType } from "../../../infra/resource-types";
import { CLAIM_MAPPING } from "../../../actions/claim-mapping/settings";

export { TYPES, type ResourceType };

/** A component resource (never imported itself: the import file declares it empty, as a parent). */
export interface ComponentRef {
  type: "tenant:auth0:Application" | "tenant:auth0:Api" | "tenant:auth0:Roles" | "tenant:auth0:LoginFlow";
  name: string;
}

/** The explicit provider every Auth0 resource uses (infra/provider.ts). */
export const PROVIDER = { type: AUTH0_PROVIDER_TYPE, name: "auth0" } as const;

export const components = {
  application: (key: string): ComponentRef => ({ type: "tenant:auth0:Application", name: key }),
  api: { type: "tenant:auth0:Api", name: "api" } as ComponentRef,
  roles: { type: "tenant:auth0:Roles", name: "roles" } as ComponentRef,
  loginFlow: { type: "tenant:auth0:LoginFlow", name: "login-flow" } as ComponentRef,
};

/** Logical names of the custom resources, from the component's name as each component derives them. */
export const names = {
  client: (key: string) => key,
  credentials: childNames.credentials,
  grant: childNames.grant,
  resourceServer: () => components.api.name,
  scopes: () => childNames.scopes(components.api.name),
  /** By the role's key (infra/names.ts roleKey: its `key`, else its name's kebab-case). */
  role: (key: string) => childNames.role(components.roles.name, key),
  rolePermissions: (key: string) => childNames.rolePermissions(components.roles.name, key),
  action: () => CLAIM_MAPPING,
  postLogin: () => "post-login",
};

/** The name of the one Action this program manages (outside ephemeral stacks). */
export const MANAGED_ACTION_NAME = CLAIM_MAPPING;

export function providerUrn(stack: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${PROVIDER.type}::${PROVIDER.name}`;
}

export function componentUrn(stack: string, component: ComponentRef): string {
  return `urn:pulumi:${stack}::${PROJECT}::${component.type}::${component.name}`;
}

/** The URN Pulumi gives a custom resource registered with a component parent. */
export function childUrn(stack: string, parent: ComponentRef, type: string, name: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${parent.type}$${type}::${name}`;
}
