// Pulumi entry point (Pulumi.yaml `main`): declare the tenant from the stack's config, export outputs.
// First: PULUMI_TENANT_TRACES=1 lifts Pulumi.yaml's stack-trace cap before the program's modules load.
import "./traces";
import { program } from "./program";
import { withTraceHint } from "./traces";

const tenant = withTraceHint(program);

/** Client IDs by application key. */
export const clientIds = tenant.clientIds;
/** The API audience. */
export const apiAudience = tenant.apiAudience;
/** The deployed claim-mapping Action's id and version. */
export const claimMappingAction = tenant.claimMappingAction;

// Ephemeral stacks with tenant:testLogin only (docs/ephemeral.md): added to the module's exports when the
// stack has them, because an export whose value is undefined makes Pulumi warn on every other stack.
//   testLogin          the test connection and each test user's email and userId
//   testPasswords      secret: each test user's password by key (`pulumi stack output testPasswords --show-secrets`)
//   testClientSecrets  secret: the confidential applications' client secrets by key, for the password-realm grant
if (tenant.testLogin) {
  Object.assign(exports, {
    testLogin: { connection: tenant.testLogin.connection, users: tenant.testLogin.users },
    testPasswords: tenant.testLogin.passwords,
    testClientSecrets: tenant.testLogin.clientSecrets,
  });
}
