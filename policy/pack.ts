// The pack's contents: every policy, in the order previews list them. index.ts serves them; tests import
// this module instead, because constructing the PolicyPack starts its gRPC server.
import type { Policies } from "@pulumi/policy";
import { actionDeployablePolicy } from "./policies/action-deployable";
import { actionSecretsPolicy } from "./policies/action-secrets";
import { applicationUrlsPolicy } from "./policies/application-urls";
import { claimNamespacePolicy } from "./policies/claim-namespace";
import { clientMetadataPolicy } from "./policies/client-metadata";
import { clientOauthPolicy } from "./policies/client-oauth";
import { testLoginPolicy } from "./policies/test-login";
import { triggerBindingsPolicy } from "./policies/trigger-bindings";

export const PACK_NAME = "tenant-policy";

export const policies: Policies = [
  applicationUrlsPolicy,
  clientOauthPolicy,
  clientMetadataPolicy,
  actionDeployablePolicy,
  actionSecretsPolicy,
  claimNamespacePolicy,
  triggerBindingsPolicy,
  testLoginPolicy,
];
