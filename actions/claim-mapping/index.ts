// Entry point of the claim-mapping post-login Action (trigger post-login v3). infra/bundle.ts bundles this
// file with the stack's settings as the module "claim-mapping:settings", and "claim-mapping:enrichment"
// as the lookup module, or as unused.ts on a stack without enrichment (which then ships none of it);
// likewise "claim-mapping:isolation", the ephemeral stacks' scoping.
import settings from "claim-mapping:settings";
import { enrichment } from "claim-mapping:enrichment";
import { isolation } from "claim-mapping:isolation";
import { postLoginHandler } from "./handler";

// A native async function, as Auth0 requires (the bundle targets node22, so `async` is kept);
// infra/bundle.ts turns this export into the `module.exports` Auth0's loader reads.
export const onExecutePostLogin = postLoginHandler(settings, enrichment, isolation);
