// An in-memory stand-in for Pulumi's Automation API (the Picks the ephemeral lifecycle uses) and for the
// sandbox Management API. It records every call, so tests assert the order of steps.
import type { ConfigValue, DestroyResult, OutputMap, StackSummary, TagMap, UpResult } from "@pulumi/pulumi/automation";
import type { EphemeralDeps, StackApi, WorkspaceApi } from "../../tools/lib/ephemeral/lifecycle";
import type { PostLoginBinding, SandboxManagement } from "../../tools/lib/ephemeral/management";

export class FakeWorkspace implements WorkspaceApi {
  readonly calls: string[] = [];
  readonly stacks = new Map<string, { tags: TagMap; config: Record<string, ConfigValue> }>();
  /** Step names (method names) that throw once when called. */
  readonly failOnce = new Set<string>();

  private record(call: string): void {
    this.calls.push(call);
    const method = call.split(" ")[0];
    if (this.failOnce.delete(method)) throw new Error(`${method} failed (injected)`);
  }
  async listStacks(): Promise<StackSummary[]> {
    return [...this.stacks.keys()].map((name) => ({ name, current: false }));
  }
  async createStack(name: string): Promise<void> {
    this.record(`createStack ${name}`);
    this.stacks.set(name, { tags: {}, config: {} });
  }
  async selectStack(name: string): Promise<void> {
    this.record(`selectStack ${name}`);
  }
  async removeStack(name: string): Promise<void> {
    this.record(`removeStack ${name}`);
    this.stacks.delete(name);
  }
  async setConfig(name: string, key: string, value: ConfigValue): Promise<void> {
    this.record(`setConfig ${name} ${key}${value.secret ? " (secret)" : ""}`);
    this.stacks.get(name)!.config[key] = value;
  }
  async setTag(name: string, key: string, value: string): Promise<void> {
    this.record(`setTag ${name} ${key}`);
    this.stacks.get(name)!.tags[key] = value;
  }
  async listTags(name: string): Promise<TagMap> {
    return { ...this.stacks.get(name)!.tags };
  }
}

/** A stack whose `up` deploys: it binds the Action in the fake tenant (unless told to lose the binding). */
export class FakeStack implements StackApi {
  ups = 0;
  destroyed = false;
  constructor(
    private readonly workspace: FakeWorkspace,
    private readonly tenant: FakeTenant,
    private readonly name: string,
  ) {}
  async up(): Promise<UpResult> {
    this.workspace.calls.push(`up ${this.name}`);
    if (this.workspace.failOnce.delete("up")) throw new Error("up failed (injected)");
    this.ups += 1;
    if (this.tenant.dropBindingOnUps.has(this.ups)) return {} as UpResult;
    if (!this.tenant.bindings.some((b) => b.actionId === `act-${this.name}`)) {
      this.tenant.bindings.push({ actionId: `act-${this.name}`, displayName: `claim-mapping-${this.name}` });
    }
    return {} as UpResult;
  }
  async destroy(): Promise<DestroyResult> {
    this.workspace.calls.push(`destroy ${this.name}`);
    if (this.workspace.failOnce.delete("destroy")) throw new Error("destroy failed (injected)");
    this.destroyed = true;
    this.tenant.bindings = this.tenant.bindings.filter((b) => b.actionId !== `act-${this.name}`);
    return {} as DestroyResult;
  }
  async outputs(): Promise<OutputMap> {
    return {
      clientIds: { value: { dashboard: "cid-dashboard", "marketing-site": "cid-marketing" }, secret: false },
      apiAudience: { value: `https://api.sandbox.myapp.com/${this.name}/`, secret: false },
      claimMappingAction: { value: { id: `act-${this.name}`, version: "v1" }, secret: false },
    };
  }
}

/** The sandbox tenant: its post-login bindings and an Action test endpoint that answers with given claims. */
export class FakeTenant implements SandboxManagement {
  bindings: PostLoginBinding[] = [];
  /** Ups (1-based) after which the binding is lost, as a concurrent read-modify-write would lose it. */
  dropBindingOnUps = new Set<number>();
  testPayload: (event: Record<string, unknown>) => Record<string, unknown> = () => ({});
  async postLoginBindings(): Promise<PostLoginBinding[]> {
    return this.bindings.map((b) => ({ ...b }));
  }
  async testAction(_actionId: string, event: object): Promise<Record<string, unknown>> {
    return this.testPayload(event as Record<string, unknown>);
  }
}

export function fakeDeps(files: Map<string, string>, overrides: Partial<EphemeralDeps> = {}) {
  const workspace = new FakeWorkspace();
  const tenant = new FakeTenant();
  const stacks = new Map<string, FakeStack>();
  const log: string[] = [];
  const deps: EphemeralDeps = {
    workspace,
    stack: async (name) => {
      if (!workspace.stacks.has(name)) throw new Error(`no stack ${name}`);
      if (!stacks.has(name)) stacks.set(name, new FakeStack(workspace, tenant, name));
      return stacks.get(name)!;
    },
    management: tenant,
    files: {
      read: (name) => files.get(name),
      write: (name, text) => void files.set(name, text),
      remove: (name) => void files.delete(name),
    },
    sandbox: { domain: "sandbox-myapp.eu.auth0.com", clientId: "sandbox-client", clientSecret: "sandbox-secret-value" },
    now: () => new Date("2026-11-29T12:00:00Z"),
    creator: "test-runner",
    log: (line) => void log.push(line),
    fetch: () => Promise.reject(new Error("no sandbox tenant in this test")),
    ...overrides,
  };
  return { deps, workspace, tenant, stacks, log };
}
