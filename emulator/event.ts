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
}

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
  return event;
}
