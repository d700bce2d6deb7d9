// Test logins are for ephemeral stacks only. An ephemeral stack may carry a database connection of its own,
// test users with generated passwords and the password-realm grant (infra/components/test-login.ts); on
// dev and prod each would be a standing way in: a known user, or a grant that takes a password in the
// client (the Resource Owner Password flow, which Auth0 advises against for real users:
// https://auth0.com/docs/get-started/authentication-and-authorization-flow/resource-owner-password-flow).
import { label, resourcePolicy, stringsOf, TYPES, type PlainResource } from "./define";

import { PASSWORD_REALM_GRANT, TEST_CONNECTION_PURPOSE } from "../../infra/resource-types";

/** The grants that put a user's password into a client: the plain password grant and the realm variant. */
export const PASSWORD_GRANTS: readonly string[] = ["password", PASSWORD_REALM_GRANT];

export interface TestLoginConfig {
  /** Ephemeral stacks may carry test logins (policy/config/ephemeral.json). */
  ephemeral: boolean;
}

export function checkTestLogin(resource: PlainResource, config: Partial<TestLoginConfig>): string[] {
  if (config.ephemeral ?? false) return [];
  const fix = "Fix: test logins (tenant:testLogin) belong in ephemeral stacks only; remove it from this stack file.";
  switch (resource.type) {
    case TYPES.client: {
      const grants = stringsOf(resource.props.grantTypes).filter((g) => PASSWORD_GRANTS.includes(g));
      return grants.length > 0
        ? [`${label(resource)} allows the test-only grant ${grants.join(", ")} outside an ephemeral stack. ${fix}`]
        : [];
    }
    case TYPES.user:
    case TYPES.userRoles:
      return [`${label(resource)} is a test user outside an ephemeral stack: real users are never managed as code. ${fix}`];
    case TYPES.connection: {
      const metadata = resource.props.metadata;
      const purpose = metadata !== null && typeof metadata === "object" ? (metadata as Record<string, unknown>).purpose : undefined;
      return purpose === TEST_CONNECTION_PURPOSE ? [`${label(resource)} is a test connection outside an ephemeral stack. ${fix}`] : [];
    }
    default:
      return [];
  }
}

export const testLoginPolicy = resourcePolicy<TestLoginConfig>(
  {
    name: "auth0-test-login-ephemeral-only",
    description: "The password and password-realm grants, test connections and test users exist only in ephemeral stacks.",
    remediationSteps: "Remove tenant:testLogin from the stack file; integration tests log in to an ephemeral stack (docs/ephemeral.md).",
    severity: "critical",
    url: "https://auth0.com/docs/get-started/authentication-and-authorization-flow/resource-owner-password-flow",
    configSchema: {
      properties: {
        ephemeral: {
          type: "boolean",
          default: false,
          description: "The stack is an ephemeral eph-<id> stack in the shared sandbox tenant: test logins are allowed.",
        },
      },
    },
  },
  checkTestLogin,
);
