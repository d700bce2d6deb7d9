// Test factories: resources shaped like the program's planned inputs, compliant by default, with overrides.
import { TYPES, type PlainResource } from "./define";

type Props = Record<string, unknown>;

/** A client as the program plans an SPA: https URLs, code + refresh grants, rotating refresh tokens. */
export function client(name: string, overrides: Props = {}): PlainResource {
  return {
    type: TYPES.client,
    name,
    urn: `urn:pulumi:test::tenant::tenant:auth0:Application$${TYPES.client}::${name}`,
    props: {
      name: `MyApp ${name}`,
      appType: "spa",
      callbacks: ["https://app.example.com/callback"],
      allowedLogoutUrls: ["https://app.example.com/"],
      webOrigins: ["https://app.example.com"],
      allowedOrigins: ["https://app.example.com"],
      grantTypes: ["authorization_code", "refresh_token"],
      oidcConformant: true,
      clientMetadata: { tier: "pro" },
      refreshToken: { rotationType: "rotating", expirationType: "expiring" },
      ...overrides,
    },
  };
}

/** The claim-mapping Action, with a settings block like the one esbuild prints. */
export function action(overrides: Props = {}): PlainResource {
  return {
    type: TYPES.action,
    name: "claim-mapping",
    urn: `urn:pulumi:test::tenant::tenant:auth0:LoginFlow$${TYPES.action}::claim-mapping`,
    props: {
      name: "claim-mapping",
      runtime: "node22",
      deploy: true,
      supportedTriggers: { id: "post-login", version: "v3" },
      code: actionCode(),
      ...overrides,
    },
  };
}

export function actionCode({ namespace = "https://myapp.com/", body = "" } = {}): string {
  return [
    '"use strict";',
    "var claim_mapping_settings_default = {",
    `  namespace: ${JSON.stringify(namespace)},`,
    '  plans: ["free", "premium", "enterprise"]',
    "};",
    body,
    "async function onExecutePostLogin(event, api) {}",
    "module.exports = { onExecutePostLogin };",
  ].join("\n");
}

export function triggerActions(name = "post-login", trigger = "post-login"): PlainResource {
  return {
    type: TYPES.triggerActions,
    name,
    urn: `urn:pulumi:test::tenant::${TYPES.triggerActions}::${name}`,
    props: { trigger, actions: [{ id: "[unknown]", displayName: "claim-mapping" }] },
  };
}

export function triggerAction(name = "post-login-claim-mapping", trigger = "post-login"): PlainResource {
  return {
    type: TYPES.triggerAction,
    name,
    urn: `urn:pulumi:test::tenant::${TYPES.triggerAction}::${name}`,
    props: { trigger, actionId: "[unknown]", displayName: "claim-mapping" },
  };
}
