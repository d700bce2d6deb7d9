// A loopback stand-in for the parts of Auth0 the sync uses, over HTTPS, behaving as Auth0 documents them:
// - `POST /oauth/token` (client credentials, audience `https://{domain}/api/v2/`); a bearer token on every
//   `/api/v2` call;
// - `POST /api/v2/jobs/users-exports`, `GET /api/v2/jobs/{id}` (pending → processing → completed with a
//   `location`), and the file at that location on another host: gzipped NDJSON, a pre-signed URL that
//   refuses an Authorization header as S3 does;
// - `GET /api/v2/users`, which stops at 1,000 results (page × per_page ≥ 1000 is a 400), so that a tool
//   relying on it would fail the 1,200-user tests;
// - `PATCH /api/v2/users/{id}` with the shallow merge of app_metadata (keys sent replace, others remain,
//   `null` deletes);
// - `GET /api/v2/roles`, `GET /api/v2/roles/{id}/users` (offset pagination capped at 1,000, or checkpoint
//   with `take`/`from`), `GET|POST|DELETE /api/v2/users/{id}/roles`;
// - rate limits: a window of `limit` requests, `X-RateLimit-Limit`/`-Remaining`/`-Reset` (Unix seconds) on
//   every /api/v2 response, 429 past the limit;
// - `GET /api/v2/users/{id}` (with `fields`), which the sync uses to read a user back after a lost answer;
// - injected faults chosen per request by the test: an HTTP error, a connection dropped before the request
//   is served, a request that is never answered, and the fault that makes writes hard: the write is
//   committed and then the connection is dropped (or answered 5xx), so the client cannot know it landed.
// https://auth0.com/docs/api/management/v2
import { randomBytes } from "node:crypto";
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";

export interface FakeUser {
  user_id: string;
  email?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  /** Names of roles assigned directly. */
  roles?: string[];
}

export interface FakeRole {
  id: string;
  name: string;
}

export type Route =
  | "token"
  | "export-create"
  | "job-get"
  | "export-file"
  | "users-list"
  | "user-get"
  | "user-update"
  | "roles-list"
  | "role-users"
  | "user-roles-get"
  | "user-roles-assign"
  | "user-roles-remove"
  | "unknown";

export interface LoggedRequest {
  /** 1-based arrival order over the server's life. */
  seq: number;
  /** Arrival time, epoch ms. */
  at: number;
  method: string;
  route: Route;
  /** For user routes, the decoded user id. */
  userId?: string;
  /** The JSON body, for writes. */
  body?: unknown;
  /** What the server did: its status (for a committed fault, the status of the commit), or what it did instead. */
  status: number | "dropped" | "hung";
  /** The server committed this request but the client never saw that answer (a committed fault). */
  answerLost?: boolean;
}

/**
 * What a test injects for one request:
 * - `{ status }`: that error answer instead of serving the request; with `committed: true`, the request
 *   is served (a write lands) and then that error is answered instead of the real one;
 * - `"dropped"`: the connection is destroyed before the request is served;
 * - `"commit-then-drop"`: the request is served (a write lands), then the connection is destroyed
 *   before the answer leaves: the client sees a reset;
 * - `"hang"`: never answered; the connection stays open until the client gives up or the server stops.
 */
export type Fault =
  | { status: number; message?: string; headers?: Record<string, string>; committed?: boolean }
  | "dropped"
  | "commit-then-drop"
  | "hang";

export interface FakeOptions {
  domain: string;
  /** Host of the export files' pre-signed URLs. */
  exportHost: string;
  clientId: string;
  clientSecret: string;
  roles: FakeRole[];
  users: FakeUser[];
  /** Management API requests allowed per window; unlimited when absent. */
  rateLimit?: { limit: number; windowMs: number };
  /** How many polls of an export job answer "processing" before it completes. Default 1. */
  exportPolls?: number;
  /** Called for each request before it is served; a returned fault replaces the answer. */
  fault?: (request: Omit<LoggedRequest, "status" | "body">, log: readonly LoggedRequest[]) => Fault | undefined;
}

interface StoredUser {
  user_id: string;
  email?: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  roleIds: Set<string>;
}

interface Job {
  id: string;
  polls: number;
  file: Buffer;
  created_at: string;
}

const LISTING_CAP = 1000;

export class FakeManagementApi {
  readonly log: LoggedRequest[] = [];
  private readonly users = new Map<string, StoredUser>();
  private readonly jobs = new Map<string, Job>();
  private readonly tokens = new Set<string>();
  private server?: https.Server;
  private window = { start: 0, count: 0 };
  private seq = 0;

  constructor(readonly options: FakeOptions) {
    for (const user of options.users) {
      this.users.set(user.user_id, {
        user_id: user.user_id,
        email: user.email,
        app_metadata: structuredClone(user.app_metadata ?? {}),
        user_metadata: structuredClone(user.user_metadata ?? {}),
        roleIds: new Set((user.roles ?? []).map((name) => this.roleByName(name).id)),
      });
    }
  }

  /** Starts serving HTTPS on 127.0.0.1; returns the port. */
  async start(tls: { key: string; cert: string }): Promise<number> {
    this.server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** One user as the tenant now holds it, roles by name (sorted). */
  user(userId: string): { app_metadata: Record<string, unknown>; user_metadata: Record<string, unknown>; roles: string[] } {
    const user = this.users.get(userId);
    if (!user) throw new Error(`no user ${userId}`);
    return {
      app_metadata: structuredClone(user.app_metadata),
      user_metadata: structuredClone(user.user_metadata),
      roles: [...user.roleIds].map((id) => this.options.roles.find((r) => r.id === id)!.name).sort(),
    };
  }

  /** The requests that reached a route and were answered with a 2xx, optionally for one user. */
  succeeded(route: Route, userId?: string): LoggedRequest[] {
    return this.log.filter(
      (r) => r.route === route && typeof r.status === "number" && r.status < 300 && (userId === undefined || r.userId === userId),
    );
  }

  /** Successful writes (update, assign, remove) per user id. */
  writesByUser(): Map<string, number> {
    const writes = new Map<string, number>();
    for (const r of this.log) {
      if (
        (r.route === "user-update" || r.route === "user-roles-assign" || r.route === "user-roles-remove") &&
        typeof r.status === "number" &&
        r.status < 300
      ) {
        writes.set(r.userId!, (writes.get(r.userId!) ?? 0) + 1);
      }
    }
    return writes;
  }

  // -------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? "/", `https://${req.headers.host ?? this.options.domain}`);
    const method = req.method ?? "GET";
    const { route, userId, roleId, jobId } = this.route(url, method);
    const entry: LoggedRequest = { seq: ++this.seq, at, method, route, userId, status: 0 };
    this.log.push(entry);
    const body = await readBody(req);

    const fault = this.options.fault?.({ seq: entry.seq, at, method, route, userId }, this.log);
    if (fault === "dropped") {
      entry.status = "dropped";
      req.socket.destroy();
      return;
    }
    if (fault === "hang") {
      entry.status = "hung";
      return;
    }
    // A committed fault serves the request, then replaces the answer.
    const committed = fault === "commit-then-drop" || (typeof fault === "object" && fault.committed === true) ? fault : undefined;
    const injected = typeof fault === "object" && !committed ? fault : undefined;
    const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const data = payload === undefined ? undefined : Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload));
      res.writeHead(status, {
        ...(data && !Buffer.isBuffer(payload) ? { "content-type": "application/json; charset=utf-8" } : {}),
        ...headers,
      });
      res.end(data);
    };
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      if (!committed) return answer(status, payload, headers);
      entry.answerLost = true;
      if (committed === "commit-then-drop") {
        entry.status = status;
        req.socket.destroy();
        return;
      }
      const replaced = committed as Exclude<Fault, string>;
      answer(
        replaced.status,
        { statusCode: replaced.status, error: STATUS_TEXT[replaced.status] ?? "Error", message: replaced.message ?? "injected failure" },
        { ...headers, ...replaced.headers },
      );
      entry.status = status;
    };
    const error = (status: number, message: string, errorCode?: string, headers?: Record<string, string>) =>
      send(status, { statusCode: status, error: STATUS_TEXT[status] ?? "Error", message, ...(errorCode ? { errorCode } : {}) }, headers);

    if (route === "export-file") {
      if (injected) return send(injected.status, Buffer.from("<Error><Code>InternalError</Code></Error>"), injected.headers);
      return this.exportFile(req, jobId!, send);
    }
    if (url.hostname !== this.options.domain) return error(404, `unknown host ${url.hostname}`);
    if (route === "token") {
      if (injected) return error(injected.status, injected.message ?? "injected failure", undefined, injected.headers);
      return this.token(body, req, send);
    }
    if (route === "unknown") return error(404, `Not found: ${method} ${url.pathname}`);

    const limitHeaders = this.rateLimitHeaders(at);
    if (!this.tokens.has((req.headers.authorization ?? "").replace(/^Bearer /, ""))) {
      return error(401, "Missing authentication", undefined, limitHeaders.headers);
    }
    if (injected)
      return error(injected.status, injected.message ?? "injected failure", undefined, { ...limitHeaders.headers, ...injected.headers });
    if (limitHeaders.limited) return error(429, "Too Many Requests", "too_many_requests", limitHeaders.headers);
    const h = limitHeaders.headers;

    let json: unknown;
    if (body.length > 0) {
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        return error(400, "Invalid request payload JSON format", "invalid_body", h);
      }
      if (method !== "GET") entry.body = json;
    }
    const query = url.searchParams;
    switch (route) {
      case "export-create":
        return this.createExport(json, send, error, h);
      case "job-get":
        return this.getJob(jobId!, send, error, h);
      case "users-list":
        return this.listUsers(query, send, error, h);
      case "user-get":
        return this.getUser(userId!, query, send, error, h);
      case "user-update":
        return this.updateUser(userId!, json, send, error, h);
      case "roles-list":
        return this.listRoles(query, send, h);
      case "role-users":
        return this.listRoleUsers(roleId!, query, send, error, h);
      case "user-roles-get":
      case "user-roles-assign":
      case "user-roles-remove":
        return this.userRoles(route, userId!, json, query, send, error, h);
    }
  }

  private route(url: URL, method: string): { route: Route; userId?: string; roleId?: string; jobId?: string } {
    const path = url.pathname;
    if (url.hostname === this.options.exportHost) {
      const match = /^\/exports\/([^/]+)\//.exec(path);
      return method === "GET" && match ? { route: "export-file", jobId: match[1] } : { route: "unknown" };
    }
    if (method === "POST" && path === "/oauth/token") return { route: "token" };
    if (method === "POST" && path === "/api/v2/jobs/users-exports") return { route: "export-create" };
    let match = /^\/api\/v2\/jobs\/([^/]+)$/.exec(path);
    if (method === "GET" && match) return { route: "job-get", jobId: decodeURIComponent(match[1]) };
    if (method === "GET" && path === "/api/v2/users") return { route: "users-list" };
    if (method === "GET" && path === "/api/v2/roles") return { route: "roles-list" };
    match = /^\/api\/v2\/roles\/([^/]+)\/users$/.exec(path);
    if (method === "GET" && match) return { route: "role-users", roleId: decodeURIComponent(match[1]) };
    match = /^\/api\/v2\/users\/([^/]+)\/roles$/.exec(path);
    if (match) {
      const userId = decodeURIComponent(match[1]);
      if (method === "GET") return { route: "user-roles-get", userId };
      if (method === "POST") return { route: "user-roles-assign", userId };
      if (method === "DELETE") return { route: "user-roles-remove", userId };
    }
    match = /^\/api\/v2\/users\/([^/]+)$/.exec(path);
    if (method === "PATCH" && match) return { route: "user-update", userId: decodeURIComponent(match[1]) };
    if (method === "GET" && match) return { route: "user-get", userId: decodeURIComponent(match[1]) };
    return { route: "unknown" };
  }

  /** Fixed windows aligned on epoch multiples of windowMs; Reset is the window's end in Unix seconds. */
  private rateLimitHeaders(now: number): { limited: boolean; headers: Record<string, string> } {
    const rate = this.options.rateLimit;
    if (!rate) return { limited: false, headers: {} };
    const start = Math.floor(now / rate.windowMs) * rate.windowMs;
    if (start !== this.window.start) this.window = { start, count: 0 };
    const limited = this.window.count >= rate.limit;
    if (!limited) this.window.count++;
    return {
      limited,
      headers: {
        "x-ratelimit-limit": String(rate.limit),
        "x-ratelimit-remaining": String(rate.limit - this.window.count),
        "x-ratelimit-reset": String(Math.ceil((start + rate.windowMs) / 1000)),
      },
    };
  }

  private token(body: Buffer, req: IncomingMessage, send: Send): void {
    const type = req.headers["content-type"] ?? "";
    const form: Record<string, string> = type.includes("application/json")
      ? (JSON.parse(body.toString("utf8")) as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(body.toString("utf8")));
    if (form.grant_type !== "client_credentials")
      return send(400, { error: "unsupported_grant_type", error_description: "Unsupported grant type" });
    if (form.client_id !== this.options.clientId || form.client_secret !== this.options.clientSecret) {
      return send(401, { error: "access_denied", error_description: "Unauthorized" });
    }
    if (form.audience !== `https://${this.options.domain}/api/v2/`) {
      return send(403, { error: "access_denied", error_description: `Service not found: ${form.audience}` });
    }
    const token = randomBytes(16).toString("hex");
    this.tokens.add(token);
    send(200, { access_token: token, token_type: "Bearer", expires_in: 86400, scope: "read:users update:users read:roles" });
  }

  private createExport(json: unknown, send: Send, error: ErrorSend, h: HeaderMap): void {
    const request = (json ?? {}) as { format?: string; fields?: { name: string }[] };
    if (request.format !== "json") return error(400, "this fake serves JSON-format exports only", undefined, h);
    const fields = (request.fields ?? []).map((f) => f.name);
    const lines = [...this.users.values()].map((user) => {
      const record: Record<string, unknown> = {};
      for (const field of fields) {
        const value =
          field === "user_id" ? user.user_id : field === "email" ? user.email : field === "app_metadata" ? user.app_metadata : undefined;
        if (value !== undefined && !(field === "app_metadata" && Object.keys(user.app_metadata).length === 0))
          record[field] = structuredClone(value);
      }
      return JSON.stringify(record);
    });
    const job: Job = {
      id: `job_${randomBytes(8).toString("hex")}`,
      polls: 0,
      file: gzipSync(`${lines.join("\n")}\n`),
      created_at: new Date().toISOString(),
    };
    this.jobs.set(job.id, job);
    send(
      201,
      { type: "users_export", status: "pending", format: "json", fields: request.fields, id: job.id, created_at: job.created_at },
      h,
    );
  }

  private getJob(jobId: string, send: Send, error: ErrorSend, h: HeaderMap): void {
    const job = this.jobs.get(jobId);
    if (!job) return error(404, "Job not found", "inexistent_job", h);
    job.polls++;
    const base = { type: "users_export", id: job.id, created_at: job.created_at, format: "json" };
    if (job.polls <= (this.options.exportPolls ?? 1))
      return send(200, { ...base, status: "processing", percentage_done: 50, time_left_seconds: 1 }, h);
    send(
      200,
      {
        ...base,
        status: "completed",
        location: `https://${this.options.exportHost}/exports/${job.id}/tenant.json.gz?X-Amz-Signature=${randomBytes(8).toString("hex")}`,
      },
      h,
    );
  }

  private exportFile(req: IncomingMessage, jobId: string, send: Send): void {
    const job = this.jobs.get(jobId);
    if (req.headers.authorization)
      return send(400, Buffer.from("<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>"));
    if (!job) return send(404, Buffer.from("<Error><Code>NoSuchKey</Code></Error>"));
    send(200, job.file, { "content-type": "application/gzip" });
  }

  private listUsers(query: URLSearchParams, send: Send, error: ErrorSend, h: HeaderMap): void {
    const page = Number(query.get("page") ?? 0);
    const perPage = Number(query.get("per_page") ?? 50);
    if (perPage > 100) return error(400, "Query validation error: 'per_page' must be at most 100", "invalid_query_string", h);
    if (page * perPage >= LISTING_CAP) {
      return error(
        400,
        "You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation",
        "invalid_paging",
        h,
      );
    }
    const all = [...this.users.values()];
    const users = all.slice(page * perPage, Math.min((page + 1) * perPage, LISTING_CAP)).map((u) => this.profile(u));
    send(
      200,
      query.get("include_totals") === "true"
        ? { start: page * perPage, limit: perPage, length: users.length, total: all.length, users }
        : users,
      h,
    );
  }

  /** `fields` with `include_fields` (default true) picks the profile's top-level keys; user_id always comes. */
  private getUser(userId: string, query: URLSearchParams, send: Send, error: ErrorSend, h: HeaderMap): void {
    const user = this.users.get(userId);
    if (!user) return error(404, "The user does not exist.", "inexistent_user", h);
    const profile = this.profile(user);
    const fields = query.get("fields")?.split(",").filter(Boolean);
    if (!fields) return send(200, profile, h);
    const include = query.get("include_fields") !== "false";
    send(200, Object.fromEntries(Object.entries(profile).filter(([key]) => key === "user_id" || fields.includes(key) === include)), h);
  }

  private updateUser(userId: string, json: unknown, send: Send, error: ErrorSend, h: HeaderMap): void {
    const user = this.users.get(userId);
    if (!user) return error(404, "The user does not exist.", "inexistent_user", h);
    const body = (json ?? {}) as Record<string, unknown>;
    for (const key of ["app_metadata", "user_metadata"] as const) {
      if (!(key in body)) continue;
      const patch = body[key];
      if (patch === null || typeof patch !== "object" || Array.isArray(patch))
        return error(400, `Payload validation error: '${key}' must be an object`, "invalid_body", h);
      // Shallow merge: top-level keys sent replace the stored ones, null deletes, the rest remain.
      for (const [name, value] of Object.entries(patch)) {
        if (value === null) delete user[key][name];
        else user[key][name] = structuredClone(value);
      }
    }
    send(200, this.profile(user), h);
  }

  private listRoles(query: URLSearchParams, send: Send, h: HeaderMap): void {
    const filter = query.get("name_filter")?.toLowerCase();
    const all = this.options.roles.filter((r) => !filter || r.name.toLowerCase().includes(filter));
    const page = Number(query.get("page") ?? 0);
    const perPage = Number(query.get("per_page") ?? 50);
    const roles = all.slice(page * perPage, (page + 1) * perPage).map((r) => ({ id: r.id, name: r.name, description: r.name }));
    send(200, query.get("include_totals") === "true" ? { start: page * perPage, limit: perPage, total: all.length, roles } : roles, h);
  }

  private listRoleUsers(roleId: string, query: URLSearchParams, send: Send, error: ErrorSend, h: HeaderMap): void {
    if (!this.options.roles.some((r) => r.id === roleId)) return error(404, "The role does not exist.", "inexistent_role", h);
    const members = [...this.users.values()].filter((u) => u.roleIds.has(roleId)).map((u) => ({ user_id: u.user_id, email: u.email }));
    if (query.has("take") || query.has("from")) {
      const take = Number(query.get("take") ?? 50);
      if (take > 100) return error(400, "Query validation error: 'take' must be at most 100", "invalid_query_string", h);
      const from = query.get("from") ? Number(Buffer.from(query.get("from")!, "base64url").toString("utf8")) : 0;
      const users = members.slice(from, from + take);
      const next = from + take < members.length ? Buffer.from(String(from + take)).toString("base64url") : undefined;
      return send(200, next ? { next, users } : { users }, h);
    }
    const page = Number(query.get("page") ?? 0);
    const perPage = Number(query.get("per_page") ?? 50);
    if (page * perPage >= LISTING_CAP)
      return error(
        400,
        "You can only page through the first 1000 records with offset pagination; use checkpoint pagination",
        "invalid_paging",
        h,
      );
    const users = members.slice(page * perPage, (page + 1) * perPage);
    send(200, query.get("include_totals") === "true" ? { start: page * perPage, limit: perPage, total: members.length, users } : users, h);
  }

  private userRoles(route: Route, userId: string, json: unknown, query: URLSearchParams, send: Send, error: ErrorSend, h: HeaderMap): void {
    const user = this.users.get(userId);
    if (!user) return error(404, "The user does not exist.", "inexistent_user", h);
    if (route === "user-roles-get") {
      const all = this.options.roles.filter((r) => user.roleIds.has(r.id)).map((r) => ({ id: r.id, name: r.name, description: r.name }));
      const page = Number(query.get("page") ?? 0);
      const perPage = Number(query.get("per_page") ?? 50);
      const roles = all.slice(page * perPage, (page + 1) * perPage);
      return send(
        200,
        query.get("include_totals") === "true" ? { start: page * perPage, limit: perPage, total: all.length, roles } : roles,
        h,
      );
    }
    const ids = (json as { roles?: unknown } | undefined)?.roles;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) {
      return error(400, "Payload validation error: 'roles' must be a non-empty array of role ids", "invalid_body", h);
    }
    const unknown = ids.find((id) => !this.options.roles.some((r) => r.id === id));
    if (unknown) return error(404, `The role ${unknown} does not exist.`, "inexistent_role", h);
    for (const id of ids) {
      if (route === "user-roles-assign") user.roleIds.add(id);
      else user.roleIds.delete(id);
    }
    send(204, undefined, h);
  }

  private profile(user: StoredUser): Record<string, unknown> {
    return {
      user_id: user.user_id,
      email: user.email,
      app_metadata: structuredClone(user.app_metadata),
      user_metadata: structuredClone(user.user_metadata),
    };
  }

  private roleByName(name: string): FakeRole {
    const role = this.options.roles.find((r) => r.name === name);
    if (!role) throw new Error(`no role named ${name} in the fake tenant`);
    return role;
  }
}

type HeaderMap = Record<string, string>;
type Send = (status: number, payload?: unknown, headers?: HeaderMap) => void;
type ErrorSend = (status: number, message: string, errorCode?: string, headers?: HeaderMap) => void;

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
