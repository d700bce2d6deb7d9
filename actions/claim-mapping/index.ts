// Entry point of the claim-mapping post-login Action (trigger post-login v3). infra/bundle.ts bundles
// this file with esbuild and injects the stack's settings as the module "claim-mapping:settings".
import settings from "claim-mapping:settings";
import { handlePostLogin } from "./handler";
import type { PostLoginApi, PostLoginEvent } from "../types";

// Auth0 requires a native async function here (the bundle targets node22, so `async` is kept).
export const onExecutePostLogin = async (event: PostLoginEvent, api: PostLoginApi): Promise<void> => handlePostLogin(event, api, settings);
