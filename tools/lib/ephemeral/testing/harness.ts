// The ephemeral lifecycle wired to the loopback sandbox: the in-memory Automation API of
// test/support/fake-workspace.ts, whose stacks deploy the real program through loopback-provider.ts into
// fake-sandbox.ts, a SandboxManagement over the sandbox's Management API, and a fetch that reaches only it.
import type { DestroyResult, OutputMap, UpResult } from "@pulumi/pulumi/automation";
import { fakeDeps } from "../../../../test/support/fake-workspace";
import { loopbackFetch } from "../../metadata-sync/testing/loopback-fetch";
import { makeTestTls } from "../../metadata-sync/testing/tls";
import { stackConfigFromText, stackFileName } from "../../../../harness/stack-file";
import type { StackApi } from "../lifecycle";
import type { SandboxManagement } from "../management";
import { FakeSandbox } from "./fake-sandbox";
import { type Deployed, type DeployResult, deploy, destroyAll, type ManagementCall, managementClient } from "./loopback-provider";

export const SANDBOX_DOMAIN = "sandbox-myapp.eu.auth0.com";
const DEPLOY_CLIENT = { clientId: "sandbox-client", clientSecret: "sandbox-secret-value" };

export interface Loopback {
  sandbox: FakeSandbox;
  fetch: typeof fetch;
  call: ManagementCall;
  stop(): Promise<void>;
}

export async function startLoopback(): Promise<Loopback> {
  const tls = makeTestTls([SANDBOX_DOMAIN]);
  const sandbox = new FakeSandbox({ domain: SANDBOX_DOMAIN, deployClient: DEPLOY_CLIENT });
  const port = await sandbox.start(tls);
  const loopback = loopbackFetch({ port, hosts: [SANDBOX_DOMAIN], ca: tls.ca });
  return {
    sandbox,
    fetch: loopback.fetch,
    call: managementClient(loopback.fetch, SANDBOX_DOMAIN, DEPLOY_CLIENT),
    stop: async () => {
      loopback.close();
      await sandbox.stop();
    },
  };
}

/** A stack whose `up` deploys its stack file (and the config `up` set) into the sandbox. */
class LoopbackStack implements StackApi {
  deployed: Deployed[] = [];
  last?: DeployResult;
  constructor(
    private readonly name: string,
    private readonly files: Map<string, string>,
    private readonly config: () => Record<string, { value: string; secret?: boolean }>,
    private readonly call: ManagementCall,
  ) {}
  async up(): Promise<UpResult> {
    const text = this.files.get(stackFileName(this.name));
    if (text === undefined) throw new Error(`no ${stackFileName(this.name)}`);
    const stackConfig = stackConfigFromText(this.name, text);
    for (const [key, { value, secret }] of Object.entries(this.config())) {
      stackConfig.config[key] = value;
      if (secret && !stackConfig.secretKeys.includes(key)) stackConfig.secretKeys.push(key);
    }
    // An update of a deployed stack: replace what it created (the tests deploy each stack once or re-apply it whole).
    await destroyAll(this.deployed, this.call);
    this.last = await deploy(stackConfig, this.call);
    this.deployed = this.last.resources;
    return {} as UpResult;
  }
  async destroy(): Promise<DestroyResult> {
    await destroyAll(this.deployed, this.call);
    this.deployed = [];
    return {} as DestroyResult;
  }
  async outputs(): Promise<OutputMap> {
    return this.deployed.length > 0 && this.last ? structuredClone(this.last.outputs) : {};
  }
}

/** The Action test endpoint and the bindings, through the sandbox's Management API. */
function loopbackManagement(call: ManagementCall): SandboxManagement {
  return {
    async postLoginBindings() {
      const { bindings } = (await call("GET", "actions/triggers/post-login/bindings")) as {
        bindings: { action: { id: string }; display_name: string }[];
      };
      return bindings.map((b) => ({ actionId: b.action.id, displayName: b.display_name }));
    },
    async testAction(actionId, event) {
      return ((await call("POST", `actions/actions/${actionId}/test`, { payload: { event } })) as { payload: Record<string, unknown> })
        .payload;
    },
  };
}

/** The lifecycle's dependencies over one shared sandbox (several stacks may live in it). */
export function loopbackDeps(loopback: Loopback, files: Map<string, string>) {
  const fake = fakeDeps(files);
  const stacks = new Map<string, LoopbackStack>();
  fake.deps.stack = async (name) => {
    if (!fake.workspace.stacks.has(name)) throw new Error(`no stack ${name}`);
    if (!stacks.has(name)) {
      const config = () => fake.workspace.stacks.get(name)?.config as Record<string, { value: string; secret?: boolean }>;
      stacks.set(name, new LoopbackStack(name, files, config, loopback.call));
    }
    return stacks.get(name)!;
  };
  fake.deps.management = loopbackManagement(loopback.call);
  fake.deps.fetch = loopback.fetch;
  return { ...fake, stacks };
}
