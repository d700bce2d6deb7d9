// A loopback stand-in for the shared sandbox tenant, over HTTPS, for the ephemeral tests: the Management API
// routes an ephemeral stack's resources use, and the authentication endpoints integration tests log in with.
// Beside tools/lib/metadata-sync/testing/fake-management-api.ts (the sync's; it reuses its TLS and loopback
// fetch) rather than inside it, because this one models resources and logins, not bulk user metadata.
//
// Management API (https://auth0.com/docs/api/management/v2), the behaviour our stacks depend on:
// - clients, resource servers, roles (+ permissions), client grants, Actions, the post-login bindings;
// - connections: names unique in the tenant (409), `PATCH /connections/{id}/clients` enables clients, and
//   deleting a connection deletes its users (Auth0 does);
// - users: created in a database connection (email unique per connection, 409 "The user already exists."),
//   roles assigned by id; deleting a role removes it from its users; deleting a bound Action is a 409.
// Authentication API:
// - `POST /oauth/token` with client_credentials (Management API audience), the password-realm grant
//   (https://auth0.com/docs/api/authentication#resource-owner-password, `realm` = the connection) and the
//   refresh-token grant (rotation for clients with rotationType "rotating": the old token stops working);
// - `GET /.well-known/jwks.json` and `/.well-known/openid-configuration`.
// Tokens are RS256 JWTs signed by a test key. Their custom claims come from the Actions bound to
// post-login, in order, each run through the emulator (emulator/runtime.ts applies Auth0's rules for custom
// claims), with the event built from the stored user, client and roles; a denial answers 403 access_denied
// with the reason as description (docs/auth0-facts.md, "The post-login event and api").
import { randomBytes } from "node:crypto";
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from "jose";
import { buildEvent } from "../../../../emulator/event";
import { loadPostLoginHandler, SILENT_CONSOLE } from "../../../../emulator/loader";
import { runPostLogin } from "../../../../emulator/runtime";
import type { PostLoginEvent } from "../../../../actions/types";

import { PASSWORD_REALM_GRANT as PASSWORD_REALM } from "../../../../infra/settings/test-login";
/** Auth0's profile fields per OIDC scope (https://auth0.com/docs/get-started/apis/scopes/openid-connect-scopes). */
const PROFILE_CLAIMS = { profile: ["name", "nickname", "picture", "updated_at"], email: ["email", "email_verified"] } as const;

type Json = Record<string, unknown>;
/** The literal segments of the routes served; any other segment is the route's id. */
const ROUTE_WORDS = new Set([
  "clients",
  "resource-servers",
  "client-grants",
  "roles",
  "permissions",
  "actions",
  "triggers",
  "post-login",
  "bindings",
  "test",
  "connections",
  "users",
]);
interface Client extends Json {
  client_id: string;
  client_secret: string;
  name: string;
  app_type: string;
  grant_types: string[];
  client_metadata: Record<string, string>;
  token_endpoint_auth_method: string;
  refresh_token?: { rotation_type?: string };
}
interface Connection extends Json {
  id: string;
  name: string;
  strategy: string;
  enabled_clients: string[];
}
interface User extends Json {
  user_id: string;
  email: string;
  connection: string;
  name: string;
  app_metadata: Json;
  user_metadata: Json;
}
interface RefreshGrant {
  clientId: string;
  userId: string;
  audience: string;
  scope: string;
}

export interface SandboxOptions {
  domain: string;
  /** The deploy application (client credentials for the Management API). */
  deployClient: { clientId: string; clientSecret: string };
  now?: () => number;
}

export class FakeSandbox {
  readonly clients = new Map<string, Client>();
  readonly resourceServers = new Map<string, Json & { identifier: string; allow_offline_access?: boolean }>();
  readonly roles = new Map<string, { id: string; name: string; permissions: string[] }>();
  readonly actions = new Map<string, Json & { id: string; name: string; code: string }>();
  readonly connections = new Map<string, Connection>();
  readonly users = new Map<string, User>();
  readonly clientGrants = new Map<string, Json & { id: string }>();
  bindings: { action: { id: string; name: string }; display_name: string }[] = [];
  /** Every request, for tests: "<METHOD> <path>". */
  readonly log: string[] = [];
  /** The keys GET /.well-known/jwks.json publishes (the signing key's by default); a test may swap them. */
  publishedKeys: JWK[] = [];
  /** Models an Action edited in the dashboard after deployment: the code the tenant stores and runs. */
  editActionCode?: (code: string) => string;
  private readonly passwords = new Map<string, string>();
  private readonly userRoles = new Map<string, Set<string>>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly managementTokens = new Set<string>();
  private key?: { privateKey: KeyLike; jwk: JWK };
  private server?: https.Server;
  private seq = 0;
  private readonly now: () => number;

  constructor(readonly options: SandboxOptions) {
    this.now = options.now ?? Date.now;
  }

  get issuer(): string {
    return `https://${this.options.domain}/`;
  }

  async start(tls: { key: string; cert: string }): Promise<number> {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    this.key = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: "sandbox-test-key", alg: "RS256", use: "sig" } };
    this.publishedKeys = [this.key.jwk];
    this.server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => void this.handle(req, res));
    // Longer than any pause between a test's requests: the client's kept-alive sockets must not be closed under it.
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A user's role names, for assertions. */
  roleNamesOf(userId: string): string[] {
    return [...(this.userRoles.get(userId) ?? [])].map((id) => this.roles.get(id)?.name ?? id).sort();
  }

  private id(prefix: string): string {
    return `${prefix}_${(++this.seq).toString(36)}${randomBytes(6).toString("hex")}`;
  }

  // ---------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `https://${req.headers.host}`);
    const method = req.method ?? "GET";
    this.log.push(`${method} ${url.pathname}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, payload === undefined ? {} : { "content-type": "application/json; charset=utf-8" });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (url.hostname !== this.options.domain) return send(404, { error: "not_found", error_description: `unknown host ${url.hostname}` });
    try {
      if (method === "GET" && url.pathname === "/.well-known/jwks.json") return send(200, { keys: this.publishedKeys });
      if (method === "GET" && url.pathname === "/.well-known/openid-configuration") {
        return send(200, {
          issuer: this.issuer,
          token_endpoint: `${this.issuer}oauth/token`,
          jwks_uri: `${this.issuer}.well-known/jwks.json`,
          id_token_signing_alg_values_supported: ["HS256", "RS256", "PS256"],
        });
      }
      if (method === "POST" && url.pathname === "/oauth/token") {
        const form = (req.headers["content-type"] ?? "").includes("json")
          ? (JSON.parse(text || "{}") as Record<string, string>)
          : Object.fromEntries(new URLSearchParams(text));
        const [status, body] = await this.token(form);
        return send(status, body);
      }
      if (!url.pathname.startsWith("/api/v2/")) return send(404, { error: "not_found" });
      if (!this.managementTokens.has((req.headers.authorization ?? "").replace(/^Bearer /, ""))) {
        return send(401, { statusCode: 401, error: "Unauthorized", message: "Missing authentication" });
      }
      const [status, body] = await this.management(
        method,
        url.pathname.slice("/api/v2/".length).split("/").map(decodeURIComponent),
        url.searchParams,
        text ? JSON.parse(text) : undefined,
      );
      return send(status, body);
    } catch (error) {
      return send(500, { statusCode: 500, error: "Internal Server Error", message: (error as Error).message });
    }
  }

  private async management(method: string, path: string[], query: URLSearchParams, body: Json | undefined): Promise<[number, unknown]> {
    const notFound = (what: string): [number, unknown] => [
      404,
      { statusCode: 404, error: "Not Found", message: `The ${what} does not exist.` },
    ];
    const conflict = (message: string): [number, unknown] => [409, { statusCode: 409, error: "Conflict", message }];
    // The route with its one path parameter replaced by :id ("POST actions/actions/:id/test").
    const id = path.find((segment) => !ROUTE_WORDS.has(segment)) ?? "";
    const b = body ?? {};
    switch (`${method} ${path.map((segment) => (ROUTE_WORDS.has(segment) ? segment : ":id")).join("/")}`) {
      case "POST clients": {
        const client: Client = {
          grant_types: [],
          client_metadata: {},
          token_endpoint_auth_method: "client_secret_post",
          ...(b as Partial<Client>),
          client_id: this.id("cid"),
          client_secret: randomBytes(24).toString("base64url"),
          name: String(b.name),
          app_type: String(b.app_type),
        };
        this.clients.set(client.client_id, client);
        return [201, client];
      }
      case "PATCH clients/:id": {
        const client = this.clients.get(id);
        if (!client) return notFound("client");
        Object.assign(client, b);
        return [200, client];
      }
      case "DELETE clients/:id":
        this.clients.delete(id);
        for (const connection of this.connections.values()) connection.enabled_clients = connection.enabled_clients.filter((c) => c !== id);
        return [204, undefined];
      case "POST resource-servers": {
        if ([...this.resourceServers.values()].some((r) => r.identifier === b.identifier))
          return conflict("A resource server with the same identifier already exists");
        const server = { ...b, id: this.id("rs"), identifier: String(b.identifier) };
        this.resourceServers.set(server.id, server);
        return [201, server];
      }
      case "DELETE resource-servers/:id":
        this.resourceServers.delete(id);
        return [204, undefined];
      case "POST client-grants": {
        const grant = { ...b, id: this.id("cgr") };
        this.clientGrants.set(grant.id, grant);
        return [201, grant];
      }
      case "DELETE client-grants/:id":
        this.clientGrants.delete(id);
        return [204, undefined];
      case "POST roles": {
        if ([...this.roles.values()].some((r) => r.name === b.name)) return conflict("Role name already exists");
        const role = { id: this.id("rol"), name: String(b.name), permissions: [] };
        this.roles.set(role.id, role);
        return [200, role];
      }
      case "DELETE roles/:id":
        this.roles.delete(id);
        for (const assigned of this.userRoles.values()) assigned.delete(id);
        return [204, undefined];
      case "POST roles/:id/permissions": {
        const role = this.roles.get(id);
        if (!role) return notFound("role");
        role.permissions.push(...((b.permissions as { permission_name: string }[]) ?? []).map((p) => p.permission_name));
        return [201, {}];
      }
      case "POST actions/actions": {
        const code = this.editActionCode ? this.editActionCode(String(b.code)) : String(b.code);
        const action = { ...b, id: this.id("act"), name: String(b.name), code };
        this.actions.set(action.id, action);
        return [201, action];
      }
      case "GET actions/triggers/post-login/bindings":
      case "PATCH actions/triggers/post-login/bindings": {
        if (method === "PATCH") {
          const wanted = (b.bindings as { ref: { type: string; value: string }; display_name: string }[]) ?? [];
          this.bindings = wanted.map((w) => {
            const action = this.actions.get(w.ref.value);
            if (!action) throw new Error(`no action ${w.ref.value}`);
            return { action: { id: action.id, name: action.name }, display_name: w.display_name };
          });
        }
        return [200, { bindings: structuredClone(this.bindings), total: this.bindings.length, page: 0, per_page: 50 }];
      }
      case "POST actions/actions/:id/test": {
        // Runs the deployed code with the posted event; the payload carries the claims it set.
        const action = this.actions.get(id);
        if (!action) return notFound("action");
        const event = (b.payload as { event: PostLoginEvent }).event;
        const result = await runPostLogin(loadPostLoginHandler(action.code, `${action.name}.js`, SILENT_CONSOLE), event);
        return [200, { payload: { idToken: result.idToken, accessToken: result.accessToken, denied: result.denied } }];
      }
      case "DELETE actions/actions/:id": {
        if (!this.actions.has(id)) return notFound("action");
        if (this.bindings.some((x) => x.action.id === id)) return conflict("action is bound to a trigger and cannot be deleted");
        this.actions.delete(id);
        return [204, undefined];
      }
      case "POST connections": {
        if ([...this.connections.values()].some((c) => c.name === b.name))
          return conflict("A connection with the same name already exists");
        const connection: Connection = {
          ...b,
          id: this.id("con"),
          name: String(b.name),
          strategy: String(b.strategy),
          enabled_clients: [],
        };
        this.connections.set(connection.id, connection);
        return [201, connection];
      }
      case "GET connections":
        return [200, [...this.connections.values()].filter((c) => !query.get("name") || c.name === query.get("name"))];
      case "GET connections/:id":
        return this.connections.has(id) ? [200, this.connections.get(id)] : notFound("connection");
      case "DELETE connections/:id": {
        const connection = this.connections.get(id);
        if (!connection) return notFound("connection");
        this.connections.delete(id);
        for (const user of [...this.users.values()]) if (user.connection === connection.name) this.deleteUser(user.user_id);
        return [204, undefined];
      }
      case "PATCH connections/:id/clients": {
        const connection = this.connections.get(id);
        if (!connection) return notFound("connection");
        for (const change of (body as unknown as { client_id: string; status: boolean }[]) ?? []) {
          connection.enabled_clients = connection.enabled_clients.filter((c) => c !== change.client_id);
          if (change.status) connection.enabled_clients.push(change.client_id);
        }
        return [204, undefined];
      }
      case "GET connections/:id/clients": {
        const connection = this.connections.get(id);
        return connection ? [200, { clients: connection.enabled_clients.map((client_id) => ({ client_id })) }] : notFound("connection");
      }
      case "POST users": {
        const connection = [...this.connections.values()].find((c) => c.name === b.connection);
        if (!connection)
          return [
            400,
            { statusCode: 400, error: "Bad Request", message: "The connection does not exist.", errorCode: "inexistent_connection" },
          ];
        const email = String(b.email ?? "").toLowerCase();
        if ([...this.users.values()].some((u) => u.connection === connection.name && u.email === email))
          return conflict("The user already exists.");
        const password = String(b.password ?? "");
        // The connection's password policy "good": 8 characters, three of lower, upper, digits, special.
        const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
        if (password.length < 8 || kinds < 3)
          return [400, { statusCode: 400, error: "Bad Request", message: "PasswordStrengthError: Password is too weak" }];
        const user: User = {
          user_id: `auth0|${randomBytes(12).toString("hex")}`,
          email,
          email_verified: b.email_verified === true,
          name: String(b.name ?? email),
          nickname: email.split("@")[0],
          picture: "https://s.gravatar.com/avatar/0?s=480&r=pg&d=identicon",
          connection: connection.name,
          app_metadata: (b.app_metadata as Json) ?? {},
          user_metadata: (b.user_metadata as Json) ?? {},
          created_at: new Date(this.now()).toISOString(),
          updated_at: new Date(this.now()).toISOString(),
        };
        this.users.set(user.user_id, user);
        this.passwords.set(user.user_id, password);
        return [201, this.profile(user)];
      }
      case "GET users/:id":
        return this.users.has(id) ? [200, this.profile(this.users.get(id)!)] : notFound("user");
      case "DELETE users/:id":
        this.deleteUser(id);
        return [204, undefined];
      case "POST users/:id/roles": {
        if (!this.users.has(id)) return notFound("user");
        const assigned = this.userRoles.get(id) ?? new Set<string>();
        for (const roleId of (b.roles as string[]) ?? []) {
          if (!this.roles.has(roleId)) return notFound("role");
          assigned.add(roleId);
        }
        this.userRoles.set(id, assigned);
        return [204, undefined];
      }
      case "GET users/:id/roles":
        return [200, [...(this.userRoles.get(id) ?? [])].map((roleId) => ({ id: roleId, name: this.roles.get(roleId)?.name }))];
      default:
        return notFound(`route ${method} /api/v2/${path.join("/")}`);
    }
  }

  private deleteUser(userId: string): void {
    this.users.delete(userId);
    this.passwords.delete(userId);
    this.userRoles.delete(userId);
    for (const [token, grant] of this.refreshTokens) if (grant.userId === userId) this.refreshTokens.delete(token);
  }

  /** The user as GET /api/v2/users/{id} returns it (identities from the connection). */
  private profile(user: User): Json {
    const { connection, ...rest } = user;
    return {
      ...structuredClone(rest),
      identities: [{ connection, provider: "auth0", user_id: user.user_id.replace(/^auth0\|/, ""), isSocial: false }],
    };
  }

  // ---------------------------------------------------------------------------------------------------

  private async token(form: Record<string, string>): Promise<[number, Json]> {
    const fail = (status: number, error: string, description: string): [number, Json] => [
      status,
      { error, error_description: description },
    ];
    if (form.grant_type === "client_credentials") {
      const { clientId, clientSecret } = this.options.deployClient;
      if (form.client_id !== clientId || form.client_secret !== clientSecret) return fail(401, "access_denied", "Unauthorized");
      if (form.audience !== `${this.issuer}api/v2/`) return fail(403, "access_denied", `Service not found: ${form.audience}`);
      const token = randomBytes(16).toString("hex");
      this.managementTokens.add(token);
      return [200, { access_token: token, token_type: "Bearer", expires_in: 86400 }];
    }
    const client = this.clients.get(form.client_id ?? "");
    if (!client) return fail(401, "access_denied", "Unauthorized");
    if (client.token_endpoint_auth_method !== "none" && form.client_secret !== client.client_secret) {
      return fail(401, "access_denied", "Unauthorized");
    }
    if (!client.grant_types.includes(form.grant_type)) {
      return fail(403, "unauthorized_client", `Grant type '${form.grant_type}' not allowed for the client.`);
    }
    if (form.grant_type === PASSWORD_REALM) {
      const connection = [...this.connections.values()].find((c) => c.name === form.realm);
      if (!connection) return fail(400, "invalid_request", "Unknown realm");
      if (!connection.enabled_clients.includes(client.client_id)) {
        return fail(403, "unauthorized_client", `The connection ${connection.name} is not enabled for this client.`);
      }
      const user = [...this.users.values()].find(
        (u) => u.connection === connection.name && u.email === (form.username ?? "").toLowerCase(),
      );
      if (!user || this.passwords.get(user.user_id) !== form.password) return fail(403, "invalid_grant", "Wrong email or password.");
      return this.issue(client, user, form.audience ?? "", form.scope ?? "", "oauth2-password");
    }
    if (form.grant_type === "refresh_token") {
      const grant = this.refreshTokens.get(form.refresh_token ?? "");
      const user = grant && this.users.get(grant.userId);
      if (!grant || !user || grant.clientId !== client.client_id) return fail(403, "invalid_grant", "Unknown or invalid refresh token.");
      if (client.refresh_token?.rotation_type === "rotating") this.refreshTokens.delete(form.refresh_token);
      return this.issue(client, user, grant.audience, grant.scope, "oauth2-refresh-token");
    }
    return fail(400, "unsupported_grant_type", `Unsupported grant type: ${form.grant_type}`);
  }

  /** Runs post-login and signs the tokens, as Auth0 does after the password is checked or a refresh token is redeemed. */
  private async issue(client: Client, user: User, audience: string, scope: string, protocol: string): Promise<[number, Json]> {
    const api = [...this.resourceServers.values()].find((r) => r.identifier === audience);
    if (audience && !api) return [403, { error: "access_denied", error_description: `Service not found: ${audience}` }];
    const roleIds = [...(this.userRoles.get(user.user_id) ?? [])];
    const event = buildEvent({
      user: this.profile(user),
      client: { client_id: client.client_id, name: client.name, metadata: { ...client.client_metadata } },
      roles: roleIds.map((id) => this.roles.get(id)!.name),
      audience: audience || undefined,
      domain: this.options.domain,
      // A refresh runs post-login on the emulator's refresh event (transaction.protocol oauth2-refresh-token).
      exchange: protocol === "oauth2-refresh-token" ? "refresh" : "login",
    });
    // A password-realm login keeps the default event's protocol, as the simulation does.
    const idClaims: Json = {};
    const accessClaims: Json = {};
    for (const binding of this.bindings) {
      const action = this.actions.get(binding.action.id)!;
      const result = await runPostLogin(loadPostLoginHandler(action.code, `${action.name}.js`, SILENT_CONSOLE), structuredClone(event));
      if (result.failed) return [400, { error: "access_denied", error_description: result.failed }];
      Object.assign(idClaims, result.idToken);
      Object.assign(accessClaims, result.accessToken);
      if (result.denied !== null) return [403, { error: "access_denied", error_description: result.denied }];
    }
    const scopes = scope.split(" ").filter(Boolean);
    const iat = Math.floor(this.now() / 1000);
    const sign = (claims: Json, lifetime: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.key!.jwk.kid })
        .setIssuer(this.issuer)
        .setSubject(user.user_id)
        .setIssuedAt(iat)
        .setExpirationTime(iat + lifetime)
        .sign(this.key!.privateKey);
    const permissions = [...new Set(roleIds.flatMap((id) => this.roles.get(id)!.permissions))].sort();
    const response: Json = {
      access_token: await sign(
        {
          ...accessClaims,
          aud: scopes.includes("openid") && audience ? [audience, `${this.issuer}userinfo`] : audience || `${this.issuer}userinfo`,
          azp: client.client_id,
          scope: scopes.filter((s) => s !== "offline_access").join(" "),
          gty: protocol === "oauth2-refresh-token" ? ["refresh_token", "password"] : "password",
          ...(audience && { permissions }),
        },
        Number(api?.token_lifetime ?? 86400),
      ),
      token_type: "Bearer",
      expires_in: Number(api?.token_lifetime ?? 86400),
      scope: scopes.join(" "),
    };
    if (scopes.includes("openid")) {
      const profile = this.profile(user);
      const standard = Object.fromEntries(
        scopes.flatMap((s) => (PROFILE_CLAIMS as Record<string, readonly string[]>)[s] ?? []).map((name) => [name, profile[name]]),
      );
      response.id_token = await sign({ ...idClaims, ...standard, aud: client.client_id }, 36000);
    }
    const offline = scopes.includes("offline_access") && api?.allow_offline_access === true && client.grant_types.includes("refresh_token");
    if (offline && (protocol !== "oauth2-refresh-token" || client.refresh_token?.rotation_type === "rotating")) {
      const refresh = randomBytes(24).toString("base64url");
      this.refreshTokens.set(refresh, { clientId: client.client_id, userId: user.user_id, audience, scope: scopes.join(" ") });
      response.refresh_token = refresh;
    }
    return [200, response];
  }
}
