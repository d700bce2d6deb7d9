// Pulumi entry point (Pulumi.yaml `main`): declare the tenant from the stack's config, export outputs.
import { program } from "./program";

const tenant = program();

/** Client IDs by application key. */
export const clientIds = tenant.clientIds;
/** The API audience. */
export const apiAudience = tenant.apiAudience;
/** The deployed claim-mapping Action's id and version. */
export const claimMappingAction = tenant.claimMappingAction;
