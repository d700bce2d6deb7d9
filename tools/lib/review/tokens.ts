// The token effect of a change: every interactive application of a stack, signed into by a committed set
// of fixture users, through the Action each plan would deploy; only the differences are kept.
import { SILENT_CONSOLE } from "../../../emulator/loader";
import type { LoginResult } from "../../../emulator/runtime";
import { loadAction, simulateLogin, type LoadedAction } from "../../../harness/login";
import { AUTH0_PROVIDER_TYPE, TYPES } from "../../../infra/resource-types";
import { fixtureUsers, type FixtureUser } from "../../../harness/users";
import type { Plan, PlannedResource } from "../../../harness/plan";
import { CLAIM_MAPPING } from "../../../actions/claim-mapping/settings";
import { sameValue } from "../same-value";

export { fixtureUsers as reviewUsers, type FixtureUser };

export interface ClaimChange {
  claim: string;
  /** Which tokens carry the change. */
  tokens: ("ID" | "access")[];
  before: unknown;
  after: unknown;
}

export interface LoginChange {
  app: string;
  /** added: the application did not exist before (its logins are shown as they will be, not as changes). */
  status: "changed" | "added" | "removed";
  tier: string | undefined;
  user: string;
  denied: { before: string | null; after: string | null } | null;
  failed: { before: string | null; after: string | null } | null;
  claims: ClaimChange[];
}

/** An application as one plan deploys it, with the Action and audience it would sign in through. */
interface PlannedLogin {
  client: { client_id: string; name: string; metadata: Record<string, string> };
  /** The plan's Action, loaded once per plan as Auth0 loads it once per instance. */
  action: LoadedAction;
}

export async function tokenEffect(base: Plan | null, head: Plan, users: FixtureUser[]): Promise<LoginChange[]> {
  const before = base ? await interactiveLogins(base) : new Map<string, PlannedLogin>();
  const after = await interactiveLogins(head);
  const changes: LoginChange[] = [];
  for (const app of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    for (const user of users) {
      const [was, now] = await Promise.all([login(before.get(app), user), login(after.get(app), user)]);
      const status = !before.has(app) ? "added" : !after.has(app) ? "removed" : "changed";
      const change = compare(app, status, after.get(app) ?? before.get(app), user.key, was, now);
      if (change) changes.push(change);
    }
  }
  return changes;
}

async function interactiveLogins(plan: Plan): Promise<Map<string, PlannedLogin>> {
  const of = (type: string) => plan.resources.filter((r) => r.type === type);
  // The claim-mapping Action by its logical name: the one whose code every post-login runs.
  const action = of(TYPES.action).find((a) => a.name === CLAIM_MAPPING);
  const audience = of(TYPES.resourceServer)[0]?.inputs.identifier;
  const domain = of(AUTH0_PROVIDER_TYPE)[0]?.inputs.domain;
  const logins = new Map<string, PlannedLogin>();
  if (!action || typeof action.inputs.code !== "string") return logins;
  const loaded = await loadAction(
    {
      code: action.inputs.code,
      audience: typeof audience === "string" ? audience : undefined,
      domain: typeof domain === "string" ? domain : undefined,
      label: `review-${plan.stack}`,
    },
    SILENT_CONSOLE,
  );
  for (const client of of(TYPES.client).filter((c) => c.inputs.appType !== "non_interactive")) {
    logins.set(client.name, {
      client: { client_id: `review-${client.name}`, name: String(client.inputs.name), metadata: metadataOf(client) },
      action: loaded,
    });
  }
  return logins;
}

function metadataOf(client: PlannedResource): Record<string, string> {
  const metadata = client.inputs.clientMetadata;
  return metadata !== null && typeof metadata === "object" ? (metadata as Record<string, string>) : {};
}

async function login(planned: PlannedLogin | undefined, user: FixtureUser): Promise<LoginResult | null> {
  if (!planned) return null;
  return simulateLogin(planned.action, { user: user.profile, client: planned.client, roles: user.roles });
}

function compare(
  app: string,
  status: LoginChange["status"],
  planned: PlannedLogin | undefined,
  user: string,
  was: LoginResult | null,
  now: LoginResult | null,
): LoginChange | null {
  const claims: ClaimChange[] = [];
  const names = new Set([
    ...Object.keys(was?.idToken ?? {}),
    ...Object.keys(was?.accessToken ?? {}),
    ...Object.keys(now?.idToken ?? {}),
    ...Object.keys(now?.accessToken ?? {}),
  ]);
  for (const claim of [...names].sort()) {
    const tokens: ("ID" | "access")[] = [];
    let before: unknown;
    let after: unknown;
    for (const [label, key] of [
      ["ID", "idToken"],
      ["access", "accessToken"],
    ] as const) {
      const b = was?.[key][claim];
      const a = now?.[key][claim];
      if (!sameValue(a, b)) {
        tokens.push(label);
        before = b;
        after = a;
      }
    }
    if (tokens.length > 0) claims.push({ claim, tokens, before, after });
  }
  const deniedBefore = was?.denied ?? null;
  const deniedAfter = now?.denied ?? null;
  const failedBefore = was?.failed ?? null;
  const failedAfter = now?.failed ?? null;
  const denied = deniedBefore !== deniedAfter ? { before: deniedBefore, after: deniedAfter } : null;
  const failed = failedBefore !== failedAfter ? { before: failedBefore, after: failedAfter } : null;
  if (status === "changed" && claims.length === 0 && !denied && !failed) return null;
  return { app, status, tier: planned?.client.metadata.tier, user, denied, failed, claims };
}
