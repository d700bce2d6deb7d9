// Pulumi entry point (package.json `main`; Pulumi.yaml has none, see its comment): declare the tenant, export outputs.
// First: PULUMI_TENANT_TRACES=1 lifts Pulumi.yaml's stack-trace cap before the program's modules load.
import "./traces";
import { program } from "./program";
import type { TenantOutputs } from "./tenant";
import { withTraceHint } from "./traces";

/** The stack's outputs. Keys exist only where they have a value: Pulumi warns on every undefined output. */
interface StackOutputs {
  /** Client IDs by application key. */
  clientIds: TenantOutputs["clientIds"];
  /** The API audience. */
  apiAudience: TenantOutputs["apiAudience"];
  /** The deployed claim-mapping Action's id and version. */
  claimMappingAction: TenantOutputs["claimMappingAction"];
  /** Ephemeral stacks with tenant:testLogin: the test connection and each test user's email and id. */
  testLogin?: { connection: unknown; users: unknown };
  /** Secret: each test user's password by key (`pulumi stack output testPasswords --show-secrets`). */
  testPasswords?: unknown;
  /** Secret: the confidential applications' client secrets by key, for the password-realm grant. */
  testClientSecrets?: unknown;
}

/**
 * The program, as a function the runner calls once this module has loaded (pulumi/pulumi
 * sdk/nodejs/cmd/run/run.js: an exported function is called and its result is the stack's outputs). The
 * SDK reads a full, source-mapped stack for every resource it registers (resource.js `Resource.callsites`,
 * traces capped or not); called from the runner, those stacks leave out the module loader's and ts-node's
 * frames, about half of what formatting them costs at each start-up (docs/performance.md, target 3). An
 * error thrown here carries the runner's frames, which Node 22.23 cannot print in color: infra/traces.ts
 * guards against that.
 */
export = (): StackOutputs => {
  const tenant = withTraceHint(program);
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
  return outputs;
};
