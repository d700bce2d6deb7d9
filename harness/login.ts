// The simulated login: an Action (a stack's bundle, or code a plan would deploy), loaded the way Auth0 loads
// it, and one login (a user, a client, roles) run through emulator/ as Auth0 runs the post-login trigger.
// `simulate`, the review, the ephemeral smoke check, the benchmark and the tests all go through here.
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import { bundleClaimMapping, type ActionBundle } from "../infra/bundle";
import { clientMetadataFor } from "../infra/clients";
import type { Settings } from "../infra/settings";
import { CLAIM_MAPPING, CLIENT_METADATA_KEYS } from "../actions/claim-mapping/settings";
import { DENY_REASONS } from "../actions/claim-mapping/claims";
import { INTERNAL_ERROR_REASON } from "../actions/claim-mapping/handler";
import type { PostLoginEvent, PostLoginHandler } from "../actions/types";
import { buildEvent, type EventClient, type Exchange } from "../emulator/event";
import { loadPostLoginHandler, STDERR_CONSOLE } from "../emulator/loader";
import { runPostLogin, type LoginResult, type RunOptions } from "../emulator/runtime";
import { UserError } from "../infra/errors";
import { suggestion } from "../infra/nearest";

/** Where the Action comes from: a stack (its bundle, built when not given) or Action code as a plan holds it. */
export type ActionSource =
  | { settings: Settings; bundle?: ActionBundle }
  | {
      code: string;
      /** The stack's API identifier, the audience a login asks for. */
      audience?: string;
      /** The tenant's domain. */
      domain?: string;
      /** A name for messages and stack traces, for example the stack. */
      label?: string;
    };

/** An Action loaded once, as Auth0 loads it once per instance, with what every login to it shares. */
export interface LoadedAction {
  handler: PostLoginHandler;
  audience?: string;
  domain?: string;
}

/** One login: who signs in, to which application, with which RBAC roles and Action secrets. */
export interface Login {
  user: Record<string, unknown>;
  client: EventClient;
  roles?: string[];
  secrets?: Record<string, string>;
  /** The audience asked for, when not the stack's API (a deployed stack's, for example). */
  audience?: string;
  /** "refresh": a refresh token exchange of that user at that client instead of a login (default "login"). */
  exchange?: Exchange;
}

/** A login's result, with the event it ran on (what Auth0's test endpoint would be sent). */
export interface SimulatedLogin extends LoginResult {
  event: PostLoginEvent;
  /** What the Action logged during this login, line by line, as Auth0 shows it with the execution. */
  logs: string[];
}

/** The log lines of the login running in this async context (simulateLogin), which the Action's console adds to. */
const actionLogs = new AsyncLocalStorage<string[]>();

/**
 * The console an Action is loaded with: every method of `base` (its prototype), with each line of the log
 * family also kept for the login that logged it.
 */
function recordingConsole(base: Console): Console {
  const recording = Object.create(base) as Console;
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    recording[method] = (...args: unknown[]) => {
      actionLogs.getStore()?.push(format(...args));
      base[method](...args);
    };
  }
  return recording;
}

/** Bundles (when needed) and loads the Action once; reuse the result for many logins. */
export async function loadAction(source: ActionSource | LoadedAction, console_: Console = STDERR_CONSOLE): Promise<LoadedAction> {
  if ("handler" in source) return source;
  const actionConsole = recordingConsole(console_);
  if ("code" in source) {
    const handler = loadPostLoginHandler(source.code, `${source.label ?? "action"}/${CLAIM_MAPPING}.js`, actionConsole);
    return { handler, audience: source.audience, domain: source.domain };
  }
  const bundle = source.bundle ?? (await bundleClaimMapping(source.settings.claimMapping));
  return {
    handler: loadPostLoginHandler(bundle.code, `${source.settings.stack}/${CLAIM_MAPPING}.js`, actionConsole),
    audience: source.settings.api.identifier,
    domain: source.settings.provider.domain,
  };
}

/** The post-login event of a login to a loaded Action (built outside any timer, for the benchmark). */
export function loginEvent(action: LoadedAction, login: Login): PostLoginEvent {
  return buildEvent({
    user: login.user,
    client: login.client,
    roles: login.roles,
    audience: login.audience ?? action.audience,
    domain: action.domain,
    secrets: login.secrets,
    exchange: login.exchange,
  });
}

/** Runs one login through the Action as Auth0 runs the post-login trigger. */
export async function simulateLogin(
  source: ActionSource | LoadedAction,
  login: Login,
  options: RunOptions & { console?: Console } = {},
): Promise<SimulatedLogin> {
  const { console: console_, ...runOptions } = options;
  const action = await loadAction(source, console_);
  const event = loginEvent(action, login);
  const logs: string[] = [];
  const result = await actionLogs.run(logs, () => runPostLogin(action.handler, event, runOptions));
  return { ...result, event, logs };
}

/** The client a declared application presents in a post-login event (its client ID is not known offline). */
export function eventClientFor(settings: Settings, key: string): EventClient {
  const app = settings.applications.find((a) => a.key === key);
  if (!app) {
    const keys = settings.applications.map((a) => a.key);
    throw new UserError(`no application "${key}" in ${settings.stackFile}${suggestion(key, keys)} (declared: ${keys.join(", ")})`);
  }
  if (app.type === "non_interactive") {
    throw new UserError(
      `"${key}" is a machine-to-machine (non_interactive) application: it signs in with client credentials, and post-login Actions never run for those logins`,
    );
  }
  return { client_id: `offline-${app.key}`, name: app.name, metadata: clientMetadataFor(app, settings.marker) as Record<string, string> };
}

/** Why a login was denied, as a script can test it: which policy, and the values it compared. */
export interface Denial {
  code: "minimum_plan" | "requires_tenant" | "unreadable_policy" | "enrichment_failed" | "internal_error" | "unknown";
  /** The client metadata key or config key behind the decision. */
  policy?: string;
  /** What the policy requires. */
  required?: string;
  /** What the user has (null: nothing). */
  actual?: unknown;
}

/**
 * How the claim-mapping Action's log line for a failed system-of-record lookup begins
 * (actions/claim-mapping/enrichment.ts). A denial for a failed lookup and one after an internal error give the
 * user the same reason on purpose, so this line is what tells them apart.
 */
export const LOOKUP_FAILED_LOG = "claim-mapping: lookup failed:";

/** The reason code behind a denial, read from the reason the Action gave, the event it ran on and its log. */
export function denialOf(login: Pick<SimulatedLogin, "denied" | "event" | "logs">): Denial | null {
  if (login.denied === null) return null;
  const client = login.event.client?.metadata ?? {};
  const appMetadata = (login.event.user?.app_metadata ?? {}) as Record<string, unknown>;
  const minimumPlan = client[CLIENT_METADATA_KEYS.minimumPlan];
  if (typeof minimumPlan === "string" && login.denied === DENY_REASONS.minimumPlan(minimumPlan)) {
    return { code: "minimum_plan", policy: CLIENT_METADATA_KEYS.minimumPlan, required: minimumPlan, actual: appMetadata.plan ?? null };
  }
  switch (login.denied) {
    case DENY_REASONS.requiresTenant:
      return {
        code: "requires_tenant",
        policy: CLIENT_METADATA_KEYS.requiresTenant,
        required: "app_metadata.tenant_id",
        actual: appMetadata.tenant_id ?? null,
      };
    case DENY_REASONS.unreadablePolicy:
      return {
        code: "unreadable_policy",
        policy: CLIENT_METADATA_KEYS.minimumPlan,
        actual: minimumPlan ?? client[CLIENT_METADATA_KEYS.requiresTenant] ?? null,
      };
    case INTERNAL_ERROR_REASON:
      return login.logs.some((line) => line.startsWith(LOOKUP_FAILED_LOG))
        ? { code: "enrichment_failed", policy: "tenant:enrichment.onFailure", required: "deny" }
        : { code: "internal_error" };
    default:
      return { code: "unknown" };
  }
}
