// The ephemeral stack lifecycle: up, destroy, gc. All orchestration lives here and runs against an
// injected workspace whose types are Picks of Pulumi's Automation API, so the offline tests drive the same
// code path that `npm run ephemeral` drives with a real LocalWorkspace (tools/lib/ephemeral/workspace.ts).
import type { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { ACTIONS_PER_TRIGGER_MAX } from "../../../auth0/rules";
import { parseSettings, type Settings } from "../../../infra/settings";
import type { EventClient } from "../../../emulator/event";
import { simulateLogin } from "../../../harness/login";
import { clientMetadataFor } from "../../../infra/clients";
import { ephemeralId, ephemeralStackName, isEphemeralStack, stackConfigFromText, stackFileName } from "../../../harness/stack-file";
import type { SandboxManagement } from "./management";
import type { ManagementCredentials } from "../management-api";
import { compareAllLogins, type LoginComparison } from "./test-logins";
import { normaliseDomain } from "../../../infra/settings/isolation";
import { renderStackFile, TAGS, TEMPLATE_FILE } from "./stack-file";
import { UserError } from "../../../infra/errors";

export type WorkspaceApi = Pick<
  LocalWorkspace,
  "listStacks" | "createStack" | "selectStack" | "removeStack" | "setConfig" | "setTag" | "listTags"
>;
export type StackApi = Pick<Stack, "up" | "destroy" | "outputs">;

export interface EphemeralDeps {
  workspace: WorkspaceApi;
  /** The Automation API stack object of an existing stack (Stack.select in the real path). */
  stack(name: string): Promise<StackApi>;
  management: SandboxManagement;
  /** Files in the project directory (the template, the stack's own file). */
  files: { read(name: string): string | undefined; write(name: string, text: string): void; remove(name: string): void };
  /** The sandbox deploy application's credentials (AUTH0_SANDBOX_*); the secret is stored only as a secret. */
  sandbox: Partial<ManagementCredentials>;
  now(): Date;
  creator: string;
  /** Progress, to stderr. */
  log(line: string): void;
  /** HTTPS to the sandbox tenant's authentication endpoints (/oauth/token, the JWKS): the global fetch. */
  fetch: typeof fetch;
}

/** A failed step, named so the user knows where it stopped and what is left. */
export class StepError extends UserError {
  constructor(
    readonly step: string,
    readonly cause: unknown,
    readonly leftBehind: string | null,
  ) {
    super(
      `step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}` +
        (leftBehind ? `\n${leftBehind}` : "\nnothing was created."),
    );
    this.name = "StepError";
  }
}

export interface UpResult {
  stack: string;
  domain: string;
  clientIds: Record<string, string>;
  audience: string;
  actionId: string;
  /** Claims the deployed Action set in the smoke check. */
  smoke: { application: string; claims: Record<string, unknown> };
  /** Every test user × interactive application, logged in for real and compared with the simulation. */
  logins: LoginComparison[];
}

interface RenderedStack {
  stack: string;
  file: string;
  text: string;
  settings: Settings;
}

/** The stack file of eph-<id> from the template, validated by the settings parser (and its guard). */
export function render(deps: Pick<EphemeralDeps, "files">, id: string): RenderedStack {
  const stack = ephemeralStackName(id);
  const file = stackFileName(stack);
  const text = renderStackFile(template(deps), id, deps.files.read(file));
  return { stack, file, text, settings: parseSettings(stack, stackConfigFromText(stack, text).config) };
}

/** `config <id>`: writes Pulumi.eph-<id>.yaml from the template (offline), so plan and simulate work for it. */
export function writeConfig(deps: Pick<EphemeralDeps, "files">, id: string): { stack: string; file: string } {
  const { stack, file, text } = render(deps, id);
  deps.files.write(file, text);
  return { stack, file };
}

export async function up(deps: EphemeralDeps, id: string): Promise<UpResult> {
  let created: string | null = null;
  const step = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    deps.log(`ephemeral: ${name}`);
    try {
      return await run();
    } catch (error) {
      const left = created && `the stack ${created} exists: remove it with \`npm run ephemeral -- destroy ${id}\``;
      throw new StepError(name, error, left);
    }
  };

  const {
    stack: name,
    file,
    text,
    settings,
  } = await step("validate", () => {
    const rendered = render(deps, id);
    const { domain, clientId, clientSecret } = deps.sandbox;
    if (!domain || !clientId || !clientSecret) {
      throw new UserError(
        "AUTH0_SANDBOX_DOMAIN, AUTH0_SANDBOX_CLIENT_ID and AUTH0_SANDBOX_CLIENT_SECRET must be set (the sandbox deploy application)",
      );
    }
    if (normaliseDomain(domain) !== normaliseDomain(rendered.settings.provider.domain)) {
      throw new UserError(`AUTH0_SANDBOX_DOMAIN is ${domain} but ${TEMPLATE_FILE} targets ${rendered.settings.provider.domain}`);
    }
    return rendered;
  });

  await step("check-bindings", async () => {
    const bindings = await deps.management.postLoginBindings();
    const ours = bindings.some((b) => b.displayName === settings.actionName);
    if (!ours && bindings.length >= ACTIONS_PER_TRIGGER_MAX) {
      throw new UserError(
        `post-login already holds ${bindings.length} Actions, Auth0's maximum is ${ACTIONS_PER_TRIGGER_MAX}: run \`npm run ephemeral -- gc --older-than 1d\` or wait`,
      );
    }
  });

  await step("create-stack", async () => {
    const exists = (await deps.workspace.listStacks()).some((s) => s.name === name);
    if (exists) return deps.workspace.selectStack(name);
    await deps.workspace.createStack(name);
    created = name;
    await deps.workspace.setTag(name, TAGS.createdAt, deps.now().toISOString());
    await deps.workspace.setTag(name, TAGS.creator, deps.creator);
  });
  created = name;

  await step("write-config", async () => {
    deps.files.write(file, text);
    await deps.workspace.setConfig(name, "auth0:clientId", { value: deps.sandbox.clientId! });
    await deps.workspace.setConfig(name, "auth0:clientSecret", { value: deps.sandbox.clientSecret!, secret: true });
  });

  const stack = await step("deploy", async () => {
    const selected = await deps.stack(name);
    await selected.up({ onOutput: deps.log });
    return selected;
  });

  const outputs = await step("read-outputs", async () => {
    const out = await stack.outputs();
    const clientIds = out.clientIds?.value as Record<string, string> | undefined;
    const action = out.claimMappingAction?.value as { id?: string } | undefined;
    if (!clientIds || !action?.id || typeof out.apiAudience?.value !== "string") {
      throw new Error("the stack outputs lack clientIds, apiAudience or claimMappingAction.id");
    }
    return { clientIds, audience: out.apiAudience.value as string, actionId: action.id };
  });

  await step("verify-binding", async () => {
    // TriggerAction is read-modify-write: a concurrent update may have dropped our binding. Re-apply once.
    if (await isBound(deps, outputs.actionId)) return;
    deps.log(`ephemeral: binding of ${settings.actionName} missing; re-applying once`);
    await stack.up({ onOutput: deps.log, refresh: true });
    if (!(await isBound(deps, outputs.actionId)))
      throw new Error(`${settings.actionName} is not bound to post-login after a second update`);
  });

  const smoke = await step("smoke-check", () => smokeCheck(deps, settings, outputs));

  // The strongest check that offline and live agree: real logins, compared claim by claim (and denial by denial).
  const logins = await step("compare-logins", async () => {
    if (!settings.testLogin) return [];
    const comparisons = await compareAllLogins(deps, settings);
    const differing = comparisons.filter((c) => c.differences.length > 0);
    if (differing.length > 0) {
      throw new UserError(
        `${differing.length} of ${comparisons.length} logins differ from the offline simulation:\n` +
          differing.map((c) => `  ${c.user} → ${c.app}: ${c.differences.join("; ")}`).join("\n"),
      );
    }
    return comparisons;
  });
  return { stack: name, domain: settings.provider.domain, ...outputs, smoke, logins };
}

export interface DestroyResult {
  stack: string;
  destroyed: boolean;
}

export async function destroy(deps: EphemeralDeps, id: string): Promise<DestroyResult> {
  const name = ephemeralStackName(id);
  const run = async <T>(step: string, fn: () => Promise<T> | T): Promise<T> => {
    deps.log(`ephemeral: ${step}`);
    try {
      return await fn();
    } catch (error) {
      throw new StepError(step, error, `the stack ${name} may still exist: run \`npm run ephemeral -- destroy ${id}\` again`);
    }
  };
  const exists = await run("find-stack", async () => (await deps.workspace.listStacks()).some((s) => s.name === name));
  if (exists) {
    await run("destroy", async () => (await deps.stack(name)).destroy({ onOutput: deps.log }));
    await run("remove-stack", () => deps.workspace.removeStack(name));
  }
  deps.files.remove(stackFileName(name));
  return { stack: name, destroyed: exists };
}

export interface GcResult {
  destroyed: string[];
  kept: string[];
  failed: { stack: string; error: string }[];
}

/** Destroys every eph-* stack created longer than `olderThanMs` ago (by its creation tag). */
export async function gc(deps: EphemeralDeps, olderThanMs: number): Promise<GcResult> {
  const result: GcResult = { destroyed: [], kept: [], failed: [] };
  const stacks = (await deps.workspace.listStacks())
    .map((s) => s.name)
    .filter(isEphemeralStack)
    .sort();
  for (const name of stacks) {
    const tags = await deps.workspace.listTags(name);
    const createdAt = Date.parse(tags[TAGS.createdAt] ?? "");
    if (Number.isNaN(createdAt) || deps.now().getTime() - createdAt <= olderThanMs) {
      result.kept.push(name);
      continue;
    }
    try {
      await destroy(deps, ephemeralId(name));
      result.destroyed.push(name);
    } catch (error) {
      result.failed.push({ stack: name, error: (error as Error).message });
    }
  }
  return result;
}

function template(deps: Pick<EphemeralDeps, "files">): string {
  const text = deps.files.read(TEMPLATE_FILE);
  if (text === undefined) throw new UserError(`${TEMPLATE_FILE} not found: it is the template of every ephemeral stack`);
  return text;
}

async function isBound(deps: EphemeralDeps, actionId: string): Promise<boolean> {
  return (await deps.management.postLoginBindings()).some((b) => b.actionId === actionId);
}

/**
 * Runs the deployed Action through Auth0's test endpoint with a fixture login on the stack's first
 * interactive application, and checks it sets the claims our emulator expects from the same bundle.
 */
async function smokeCheck(
  deps: EphemeralDeps,
  settings: Settings,
  outputs: { clientIds: Record<string, string>; audience: string; actionId: string },
): Promise<UpResult["smoke"]> {
  const app = settings.applications.find((a) => a.type !== "non_interactive" && a.policy.minimumPlan === undefined);
  if (!app) throw new UserError("the stack has no interactive application without a minimum plan to sign in to");
  const client: EventClient = {
    client_id: outputs.clientIds[app.key],
    name: app.name,
    metadata: clientMetadataFor(app, settings.marker) as Record<string, string>,
  };
  const expected = await simulateLogin(
    { settings },
    {
      user: {
        user_id: "auth0|ephemeral-smoke",
        email: "smoke@example.com",
        email_verified: true,
        app_metadata: { tenant_id: "t-smoke", plan: settings.claims.plans.at(-1) },
      },
      client,
      roles: settings.roles.slice(0, 1).map((r) => r.name),
      audience: outputs.audience,
    },
  );
  if (expected.denied || expected.failed || Object.keys(expected.accessToken).length === 0) {
    throw new UserError(`the fixture login does not produce claims offline (${expected.denied ?? expected.failed ?? "no claims"})`);
  }
  const payload = await deps.management.testAction(outputs.actionId, expected.event);
  const found = claimsIn(payload, settings.claims.namespace);
  const missing = Object.entries(expected.accessToken).filter(([name, value]) => JSON.stringify(found[name]) !== JSON.stringify(value));
  if (missing.length > 0) {
    throw new UserError(
      `the deployed Action did not set ${missing.map(([n]) => n).join(", ")}; test payload: ${JSON.stringify(payload).slice(0, 500)}`,
    );
  }
  return { application: app.key, claims: found };
}

/**
 * Claim names and values under our namespace anywhere in the test endpoint's payload. Auth0 documents the
 * payload only as "the resulting payload", so this reads both a claims map ({ "<ns>tier": "pro" }) and
 * recorded commands ({ name: "<ns>tier", value: "pro" }) rather than one exact shape.
 */
export function claimsIn(payload: unknown, namespace: string): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (typeof record.name === "string" && record.name.startsWith(namespace) && "value" in record) found[record.name] = record.value;
    for (const [key, value] of Object.entries(record)) {
      if (key.startsWith(namespace)) found[key] = value;
      else visit(value);
    }
  };
  visit(payload);
  return found;
}
