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
