// Pulumi entry point (package.json `main`; Pulumi.yaml has none, see its comment): declare the tenant, export outputs.
// First: PULUMI_TENANT_TRACES=1 lifts Pulumi.yaml's stack-trace cap before the program's modules load.
import "./traces";
import { program } from "./program";
import { withTraceHint } from "./traces";

// The program runs while Node loads this module, not as an exported function the runner calls (which would
// shorten the stack the SDK formats for every resource): with PULUMI_TENANT_TRACES=1, an error thrown there
// carries a frame in node_modules/@pulumi/resource.ts, and on Node 22.23 the runner's colored printing of
// such a stack loops until the heap is exhausted (nodejs/node#64011, fixed upstream by #64022).
const tenant = withTraceHint(program);

/** The stack's outputs. Keys exist only where they have a value: Pulumi warns on every undefined output. */
interface StackOutputs {
  /** Client IDs by application key. */
  clientIds: typeof tenant.clientIds;
  /** The API audience. */
  apiAudience: typeof tenant.apiAudience;
  /** The deployed claim-mapping Action's id and version. */
  claimMappingAction: typeof tenant.claimMappingAction;
  /** Ephemeral stacks with tenant:testLogin: the test connection and each test user's email and id. */
  testLogin?: { connection: unknown; users: unknown };
  /** Secret: each test user's password by key (`pulumi stack output testPasswords --show-secrets`). */
  testPasswords?: unknown;
  /** Secret: the confidential applications' client secrets by key, for the password-realm grant. */
  testClientSecrets?: unknown;
}

const outputs: StackOutputs = {
  clientIds: tenant.clientIds,
  apiAudience: tenant.apiAudience,
  claimMappingAction: tenant.claimMappingAction,
};
if (tenant.testLogin) {
  outputs.testLogin = { connection: tenant.testLogin.connection, users: tenant.testLogin.users };
  outputs.testPasswords = tenant.testLogin.passwords;
  outputs.testClientSecrets = tenant.testLogin.clientSecrets;
}

export = outputs;
