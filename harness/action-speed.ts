// Per-login timing of a post-login Action, for the benchmark's ratio of the claim-mapping Action to its
// hand-written floor (issue 13, target 4). Both are bundled by infra/bundle.ts, loaded by emulator/loader.ts
// and run through the same events with the same minimal recording `api`, so only the Actions' own work differs.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { type ActionBundle, bundleAction, REPO_ROOT } from "../infra/bundle";
import type { Settings } from "../infra/settings";
import { CLAIM_MAPPING, type ClaimMappingSettings } from "../actions/claim-mapping/settings";
import { buildEvent } from "../emulator/event";
import type { PostLoginApi, PostLoginEvent, PostLoginHandler } from "../actions/types";
import { eventClientFor } from "./login";

/** The hand-written floor (actions/claim-mapping/bench/hand-written.ts) with a stack's settings. */
export function bundleHandWritten(settings: ClaimMappingSettings): Promise<ActionBundle> {
  return bundleAction(CLAIM_MAPPING, settings, { entry: "bench/hand-written.ts" });
}

/** Users the benchmark signs in: test/fixtures/users/*.json, plus profiles covering what the Action branches on. */
export function benchmarkUsers(): { label: string; user: Record<string, unknown>; roles: string[] }[] {
  const dir = path.join(REPO_ROOT, "test", "fixtures", "users");
  const fixtures = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ label: `fixture ${name}`, user: JSON.parse(readFileSync(path.join(dir, name), "utf8")), roles: ["editor"] }));
  return [
    ...fixtures,
    { label: "no app_metadata", user: { user_id: "auth0|bench-bare", email: "bare@example.com" }, roles: [] },
    {
      label: "free plan, tenant, no roles",
      user: { user_id: "auth0|bench-free", app_metadata: { tenant_id: "t-1", plan: "free" }, user_metadata: { theme: "light" } },
      roles: [],
    },
    {
      label: "enterprise plan, RBAC + metadata roles",
      user: {
        user_id: "auth0|bench-ent",
        app_metadata: { tenant_id: 7, plan: "enterprise", roles: ["admin", "auditor"] },
        user_metadata: { theme: "dark" },
      },
      roles: ["admin", "viewer"],
    },
    {
      label: "malformed metadata",
      user: { user_id: "auth0|bench-odd", app_metadata: { tenant_id: "", plan: "platinum", roles: "admin" }, user_metadata: { theme: 42 } },
      roles: ["viewer"],
    },
  ];
}

/** Every benchmark user on every interactive application of the stack, as ready-built login events. */
export function benchmarkEvents(settings: Settings): PostLoginEvent[] {
  const apps = settings.applications.filter((app) => app.type !== "non_interactive");
  return benchmarkUsers().flatMap(({ user, roles }) =>
    apps.map((app) =>
      buildEvent({
        user,
        client: eventClientFor(settings, app.key),
        roles,
        audience: settings.api.identifier,
        domain: settings.provider.domain,
      }),
    ),
  );
}

export interface LoginTimings {
  /** Milliseconds per login, ascending. */
  times: number[];
  allowed: number;
  denied: number;
}

/**
 * Runs `logins` logins of `handler` (after `warmup` untimed ones), cycling through `events`; only
 * `await handler(event, api)` is inside the timer. The `api` records claims in plain objects: the least a
 * real one must do, the same for any Action timed.
 */
export async function timeLogins(handler: PostLoginHandler, events: PostLoginEvent[], logins: number, warmup = 0): Promise<LoginTimings> {
  const times: number[] = [];
  let denied = 0;
  for (let i = 0; i < warmup + logins; i++) {
    const recorder = new Recorder();
    const start = process.hrtime.bigint();
    await handler(events[i % events.length], recorder.api);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (i < warmup) continue;
    times.push(ms);
    if (recorder.denied !== null) denied++;
  }
  return { times: times.sort((a, b) => a - b), allowed: logins - denied, denied };
}

/** The cheapest `api` that still does the work a real one must: claims land in plain objects. */
export class Recorder {
  readonly idToken: Record<string, unknown> = {};
  readonly accessToken: Record<string, unknown> = {};
  denied: string | null = null;
  readonly api: PostLoginApi = {
    access: { deny: (reason) => ((this.denied = reason), this.api) },
    idToken: { setCustomClaim: (name, value) => ((this.idToken[name] = value), this.api) },
    accessToken: {
      setCustomClaim: (name, value) => ((this.accessToken[name] = value), this.api),
      addScope: () => this.api,
      removeScope: () => this.api,
    },
    user: { setAppMetadata: () => this.api, setUserMetadata: () => this.api },
    cache: { get: () => undefined, set: () => ({ type: "success" }), delete: () => ({ type: "success" }) },
  };
}
