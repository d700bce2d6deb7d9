// Builds realistic post-login events from Auth0's own default test event (fixtures/), overriding only
// what a login depends on: the user (an Auth0 user profile as the Management API returns it), the
// client, the RBAC roles and the audience.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { PostLoginEvent } from "../actions/types";
import { UserError } from "../infra/errors";

const FIXTURE = path.join(__dirname, "fixtures", "post-login-event.auth0-default.json");
let fixture: PostLoginEvent | undefined;

/** A fresh deep copy of Auth0's default post-login event. */
export function defaultEvent(): PostLoginEvent {
  fixture ??= JSON.parse(readFileSync(FIXTURE, "utf8")) as PostLoginEvent;
  return structuredClone(fixture);
}

/** An application as a post-login event carries it. */
export interface EventClient {
  client_id: string;
  name: string;
  metadata: Record<string, string>;
}

export interface LoginInput {
  /** An Auth0 user profile (GET /api/v2/users/{id}). */
  user: Record<string, unknown>;
  client: EventClient;
  /** RBAC role names (event.authorization.roles). */
  roles?: string[];
  /** The API audience the login asks for (event.resource_server.identifier). */
  audience?: string;
  /** The tenant's domain (event.request.hostname). */
  domain?: string;
  secrets?: Record<string, string>;
  /**
   * "login" (default): an interactive login through /authorize. "refresh": the same user and client
   * exchanging a refresh token at /oauth/token, which runs post-login too (see refreshExchange).
   */
  exchange?: Exchange;
}

export type Exchange = "login" | "refresh";

/** event.transaction.protocol of a refresh token exchange (post-login event object, transaction.protocol). */
export const REFRESH_PROTOCOL = "oauth2-refresh-token";

export function buildEvent(input: LoginInput): PostLoginEvent {
  const event = defaultEvent();
  const user = input.user;
  if (user === null || typeof user !== "object" || Array.isArray(user) || typeof user.user_id !== "string" || user.user_id === "") {
    throw new UserError("the user must be an Auth0 user profile object with a non-empty user_id");
  }
  // Fields the Management API returns but a post-login event does not carry.
  const { logins_count, last_login, last_ip, blocked, ...profile } = user;
  void last_login;
  void last_ip;
  void blocked;
  event.user = { app_metadata: {}, user_metadata: {}, identities: [], ...profile, user_id: user.user_id };
  if (typeof logins_count === "number") (event.stats as { logins_count: number }).logins_count = logins_count + 1;
  event.client = { ...input.client, metadata: { ...input.client.metadata } };
  (event.request as { query: Record<string, unknown> }).query.client_id = input.client.client_id;
  (event.session as { clients: { client_id: string }[] }).clients = [{ client_id: input.client.client_id }];
  event.authorization = { roles: [...(input.roles ?? [])] };
  if (input.audience !== undefined) event.resource_server = { identifier: input.audience };
  if (input.domain !== undefined) {
    (event.request as { hostname: string }).hostname = input.domain;
    event.tenant = { id: input.domain.split(".")[0] };
  }
  event.secrets = { ...(input.secrets ?? {}) };
  return input.exchange === "refresh" ? refreshExchange(event, typeof logins_count === "number" ? logins_count : undefined) : event;
}

/** /authorize parameters that a back-channel refresh request does not carry. */
const AUTHORIZE_ONLY_TRANSACTION_FIELDS = [
  "redirect_uri",
  "state",
  "prompt",
  "login_hint",
  "response_mode",
  "response_type",
  "ui_locales",
  "requested_authorization_details",
  "linking_id",
  "subject_token_type",
  "actor",
  "actor_token_type",
] as const;

/**
 * The event of a refresh token exchange built from a login's event. What Auth0 documents as different
 * (auth0/docs-v2, main/docs/):
 * - post-login runs "when a Refresh Token is exchanged" (customize/actions/explore-triggers/post-login.mdx)
 *   with event.transaction.protocol "oauth2-refresh-token" (actions/reference/post-login/post-login-event-object.mdx);
 * - the request is POST /oauth/token with grant_type=refresh_token, client_id and the token in the body
 *   (api/authentication/refresh-token/refresh-token.mdx); event.request.body is filled only in refresh and
 *   client-credentials flows (post-login-event-object.mdx, request.body), so there is no /authorize query;
 * - no redirect is possible: api.redirect.canRedirect() is false for oauth2-refresh-token
 *   (post-login-api-object.mdx), and Auth0's own MFA guidance skips MFA on this protocol
 *   (secure/tokens/refresh-tokens/use-refresh-tokens.mdx, "Bypass MFA");
 * - event.refresh_token describes the token being exchanged (Enterprise plans;
 *   secure/tokens/refresh-tokens/manage-refresh-tokens-actions.mdx).
 * The user, app_metadata, roles and client are read afresh, as on a login. A refresh is not a login, so
 * the login count is the profile's own.
 */
export function refreshExchange(event: PostLoginEvent, loginsCount?: number): PostLoginEvent {
  const refresh = structuredClone(event);
  const transaction: Record<string, unknown> = { ...refresh.transaction, protocol: REFRESH_PROTOCOL };
  for (const field of AUTHORIZE_ONLY_TRANSACTION_FIELDS) delete transaction[field];
  refresh.transaction = transaction;
  const request = refresh.request as Record<string, unknown>;
  // The refresh token itself is a credential: Auth0's event does not need it and neither do we.
  refresh.request = { ...request, method: "POST", query: {}, body: { grant_type: "refresh_token", client_id: refresh.client.client_id } };
  refresh.refresh_token = {
    id: "rt_emulated",
    client_id: refresh.client.client_id,
    user_id: refresh.user.user_id,
    created_at: "2026-01-01T00:00:00.000Z",
    rotating: true,
  };
  if (loginsCount !== undefined) (refresh.stats as { logins_count: number }).logins_count = loginsCount;
  return refresh;
}

/** Is this execution a refresh token exchange rather than a login? */
export function isRefreshExchange(event: PostLoginEvent): boolean {
  return event.transaction?.protocol === REFRESH_PROTOCOL;
}
