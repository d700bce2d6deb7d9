// One simulated login against a stack's real bundle: settings from the stack file, the bundle from
// infra/bundle.ts, the loader, event and runtime from emulator/.
import { bundleClaimMapping, type ActionBundle } from "../infra/bundle";
import { clientMetadataFor } from "../infra/clients";
import type { Settings } from "../infra/settings";
import { CLAIM_MAPPING } from "../actions/claim-mapping/settings";
import { buildEvent, type EventClient, type Exchange } from "../emulator/event";
import { loadPostLoginHandler } from "../emulator/loader";
import { runPostLogin, type LoginResult } from "../emulator/runtime";

export class SimulateError extends Error {}

/** The client a declared application presents in a post-login event (its client ID is not known offline). */
export function eventClientFor(settings: Settings, key: string): EventClient {
  const app = settings.applications.find((a) => a.key === key);
  if (!app) {
    throw new SimulateError(
      `no application "${key}" in ${settings.stackFile} (declared: ${settings.applications.map((a) => a.key).join(", ")})`,
    );
  }
  if (app.type === "non_interactive") {
    throw new SimulateError(
      `"${key}" is a machine-to-machine (non_interactive) application: it signs in with client credentials, and post-login Actions never run for those logins`,
    );
  }
  return { client_id: `offline-${app.key}`, name: app.name, metadata: clientMetadataFor(app, settings.marker) as Record<string, string> };
}

export interface SimulateInput {
  settings: Settings;
  client: EventClient;
  user: Record<string, unknown>;
  roles?: string[];
  secrets?: Record<string, string>;
  /** "refresh": a refresh token exchange of that user at that client instead of a login. */
  exchange?: Exchange;
  /** A bundle built earlier for these settings; built now when absent. */
  bundle?: ActionBundle;
}

export async function simulateLogin(input: SimulateInput): Promise<LoginResult> {
  const bundle = input.bundle ?? (await bundleClaimMapping(input.settings.claimMapping));
  const handler = loadPostLoginHandler(bundle.code, `${input.settings.stack}/${CLAIM_MAPPING}.js`);
  const event = buildEvent({
    user: input.user,
    client: input.client,
    roles: input.roles,
    audience: input.settings.api.identifier,
    domain: input.settings.provider.domain,
    secrets: input.secrets,
    exchange: input.exchange,
  });
  return runPostLogin(handler, event);
}
