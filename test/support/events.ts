// Post-login events for tests: Auth0's default test event with per-field overrides, fresh every call.
import { buildEvent, type EventClient, type Exchange } from "../../emulator/event";
import type { PostLoginEvent } from "../../actions/types";

export interface EventOverrides {
  appMetadata?: unknown;
  userMetadata?: unknown;
  roles?: string[];
  clientMetadata?: Record<string, string>;
  audience?: string;
  /** "refresh": a refresh token exchange instead of a login. */
  exchange?: Exchange;
}

export const TEST_CLIENT: EventClient = { client_id: "test-client-id", name: "Test App", metadata: {} };

export function loginEvent(overrides: EventOverrides = {}): PostLoginEvent {
  const event = buildEvent({
    user: { user_id: "auth0|test-user", email: "test@example.com", email_verified: true },
    client: { ...TEST_CLIENT, metadata: overrides.clientMetadata ?? {} },
    roles: overrides.roles,
    audience: overrides.audience ?? "https://api.test.example/",
    exchange: overrides.exchange,
  });
  if ("appMetadata" in overrides) event.user.app_metadata = overrides.appMetadata as Record<string, unknown>;
  if ("userMetadata" in overrides) event.user.user_metadata = overrides.userMetadata as Record<string, unknown>;
  return event;
}
