// Entry point Pulumi runs for `pulumi preview --policy-pack policy`: serves the pack, nothing else.
// Enforcement levels and per-policy settings come from `--policy-pack-config policy/config/<stack>.json`.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./pack";

new PolicyPack(PACK_NAME, {
  description:
    "Guards the Auth0 tenant: safe application URLs and OAuth settings, client metadata limits, deployable Actions without secrets, one owner per trigger.",
  enforcementLevel: "advisory",
  policies,
});
