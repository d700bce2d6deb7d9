// Deploys a stack's real program into the loopback sandbox (fake-sandbox.ts): the program runs under
// @pulumi/pulumi's mock engine with preview off, and each registered resource is created through the
// sandbox's Management API the way the Auth0 provider does it (auth0/terraform-provider-auth0,
// internal/auth0/*/resource.go: one POST per resource, PATCH /connections/{id}/clients for
// ConnectionClients, POST /users/{id}/roles for UserRoles, read-modify-write of the bindings for
// TriggerAction). Destroy removes them in reverse order. Only what the ephemeral tests need is modelled;
// an unknown resource type throws, so nothing passes by accident.
import { randomInt } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { program } from "../../../../infra/program";
import { PROJECT } from "../../../../infra/settings";
import { withCappedTraces } from "../../../../infra/traces";
import type { StackConfig } from "../../../../harness/stack-file";

type Json = Record<string, unknown>;
/** @pulumi/pulumi's wire form of a secret (runtime/rpc.ts specialSigKey / specialSecretSig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface Deployed {
  type: string;
  name: string;
  id: string;
  state: Json;
}

export interface DeployResult {
  resources: Deployed[];
  outputs: Record<string, { value: unknown; secret: boolean }>;
  /** Inputs that reached the "provider" as secrets, as "<type>::<name>.<input>". */
  secretInputs: string[];
}

/** Management API calls against the sandbox, with a token from its client-credentials grant. */
export type ManagementCall = (method: string, path: string, body?: unknown) => Promise<unknown>;

export function managementClient(
  fetchImpl: typeof fetch,
  domain: string,
  credentials: { clientId: string; clientSecret: string },
): ManagementCall {
  let token: string | undefined;
  return async (method, path, body) => {
    if (!token) {
      const response = await fetchImpl(`https://${domain}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          audience: `https://${domain}/api/v2/`,
        }),
      });
      token = ((await response.json()) as { access_token: string }).access_token;
    }
    const response = await fetchImpl(`https://${domain}/api/v2/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} /api/v2/${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/**
 * Runs the program for `stackConfig` and creates what it registers in the sandbox. Stack traces are capped
 * while it runs, as the plan engine caps them (infra/traces.ts): under jest every one of the SDK's
 * per-promise traces is source-mapped, which was most of a deploy's time.
 */
export function deploy(stackConfig: StackConfig, call: ManagementCall): Promise<DeployResult> {
  return withCappedTraces(() => deployProgram(stackConfig, call));
}

async function deployProgram(stackConfig: StackConfig, call: ManagementCall): Promise<DeployResult> {
  const resources: Deployed[] = [];
  const secretInputs: string[] = [];
  const failures: Error[] = [];
  pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        // Components reach the mock engine too; they create nothing.
        if (args.custom === false) return { id: "", state: {} };
        const inputs = unwrap(args.inputs, (path) => secretInputs.push(`${args.type}::${args.name}.${path}`)) as Json;
        try {
          const { id, state } = await create(args.type, inputs, call);
          resources.push({ type: args.type, name: args.name, id, state });
          return { id, state };
        } catch (error) {
          // Reported after the run (a throw here would surface as an unhandled rejection in the engine).
          failures.push(new Error(`${args.type} "${args.name}": ${(error as Error).message}`));
          return { id: `failed-${args.name}`, state: inputs };
        }
      },
      call(args) {
        throw new Error(`the program made a call the loopback provider does not model: ${args.token}`);
      },
    },
    PROJECT,
    stackConfig.stack,
    false,
  );
  const tenant = program();
  const exported: Record<string, unknown> = {
    clientIds: tenant.clientIds,
    apiAudience: tenant.apiAudience,
    claimMappingAction: tenant.claimMappingAction,
    testLogin: tenant.testLogin && { connection: tenant.testLogin.connection, users: tenant.testLogin.users },
    testPasswords: tenant.testLogin?.passwords,
    testClientSecrets: tenant.testLogin?.clientSecrets,
  };
  const outputs: DeployResult["outputs"] = {};
  for (const [name, value] of Object.entries(exported)) {
    if (value === undefined) continue;
    const output = pulumi.output(value);
    const [resolved, secret] = await Promise.all([
      new Promise<unknown>((resolve) => output.apply((v) => resolve(v))),
      (output as unknown as { isSecret: Promise<boolean> }).isSecret,
    ]);
    outputs[name] = { value: resolved, secret };
  }
  await pulumi.runtime.disconnect();
  if (failures.length > 0) {
    await destroyAll(resources, call);
    throw failures[0];
  }
  return { resources, outputs, secretInputs };
}

/** Deletes what `deploy` created, last first, as `pulumi destroy` orders dependents before dependencies. */
export async function destroyAll(resources: Deployed[], call: ManagementCall): Promise<void> {
  for (const resource of [...resources].reverse()) await remove(resource, call);
}

async function create(type: string, inputs: Json, call: ManagementCall): Promise<{ id: string; state: Json }> {
  const post = (path: string, body: unknown) => call("POST", path, body) as Promise<Json>;
  switch (type) {
    case "pulumi:providers:auth0":
    case "pulumi:providers:random":
      return { id: "provider", state: inputs };
    case "auth0:index/resourceServer:ResourceServer": {
      const created = await post("resource-servers", {
        name: inputs.name,
        identifier: inputs.identifier,
        allow_offline_access: inputs.allowOfflineAccess,
        token_lifetime: inputs.tokenLifetime,
        signing_alg: inputs.signingAlg,
      });
      return { id: String(created.id), state: inputs };
    }
    case "auth0:index/client:Client": {
      const refresh = inputs.refreshToken as Json | undefined;
      const created = await post("clients", {
        name: inputs.name,
        app_type: inputs.appType,
        grant_types: inputs.grantTypes,
        client_metadata: inputs.clientMetadata,
        ...(refresh && { refresh_token: { rotation_type: refresh.rotationType } }),
      });
      return { id: String(created.client_id), state: { ...inputs, clientId: created.client_id } };
    }
    case "auth0:index/clientCredentials:ClientCredentials": {
      const updated = (await call("PATCH", `clients/${inputs.clientId}`, {
        token_endpoint_auth_method: inputs.authenticationMethod,
      })) as Json;
      const secret = inputs.authenticationMethod === "none" ? "" : updated.client_secret;
      return { id: String(inputs.clientId), state: { ...inputs, clientSecret: secret } };
    }
    case "auth0:index/clientGrant:ClientGrant": {
      const created = await post("client-grants", { client_id: inputs.clientId, audience: inputs.audience, scope: inputs.scopes });
      return { id: String(created.id), state: inputs };
    }
    case "auth0:index/resourceServerScopes:ResourceServerScopes":
      return { id: String(inputs.resourceServerIdentifier), state: inputs };
    case "auth0:index/role:Role": {
      const created = await post("roles", { name: inputs.name, description: inputs.description });
      return { id: String(created.id), state: inputs };
    }
    case "auth0:index/rolePermissions:RolePermissions": {
      const permissions = (inputs.permissions as Json[]).map((p) => ({
        permission_name: p.name,
        resource_server_identifier: p.resourceServerIdentifier,
      }));
      await post(`roles/${inputs.roleId}/permissions`, { permissions });
      return { id: String(inputs.roleId), state: inputs };
    }
    case "auth0:index/action:Action": {
      const created = await post("actions/actions", { name: inputs.name, code: inputs.code, runtime: inputs.runtime });
      return { id: String(created.id), state: { ...inputs, versionId: `${created.id}-v1` } };
    }
    case "auth0:index/triggerAction:TriggerAction": {
      const { bindings } = (await call("GET", `actions/triggers/${inputs.trigger}/bindings`)) as { bindings: Json[] };
      const refs = bindings.map((b) => ({ ref: { type: "action_id", value: (b.action as Json).id }, display_name: b.display_name }));
      refs.push({ ref: { type: "action_id", value: inputs.actionId }, display_name: inputs.displayName });
      await call("PATCH", `actions/triggers/${inputs.trigger}/bindings`, { bindings: refs });
      return { id: `${inputs.trigger}::${inputs.actionId}`, state: inputs };
    }
    case "auth0:index/connection:Connection": {
      const created = await post("connections", {
        name: inputs.name,
        strategy: inputs.strategy,
        metadata: inputs.metadata,
        options: inputs.options,
      });
      return { id: String(created.id), state: inputs };
    }
    case "auth0:index/connectionClients:ConnectionClients": {
      const changes = (inputs.enabledClients as string[]).map((client_id) => ({ client_id, status: true }));
      await call("PATCH", `connections/${inputs.connectionId}/clients`, changes);
      return { id: String(inputs.connectionId), state: inputs };
    }
    case "random:index/randomPassword:RandomPassword": {
      // Two of each kind first (minLower/minUpper/minNumeric 2), as random_password guarantees them.
      const [lower, upper, digits] = ["abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"];
      const pick = (set: string) => set[randomInt(set.length)];
      const result = [
        lower,
        lower,
        upper,
        upper,
        digits,
        digits,
        ...Array.from({ length: Number(inputs.length) - 6 }, () => lower + upper + digits),
      ]
        .map(pick)
        .join("");
      return { id: "none", state: { ...inputs, result } };
    }
    case "auth0:index/user:User": {
      const created = await post("users", {
        connection: inputs.connectionName,
        email: inputs.email,
        email_verified: inputs.emailVerified,
        name: inputs.name,
        password: inputs.password,
        app_metadata: JSON.parse(String(inputs.appMetadata ?? "{}")),
        user_metadata: JSON.parse(String(inputs.userMetadata ?? "{}")),
      });
      return { id: String(created.user_id), state: { ...inputs, userId: created.user_id } };
    }
    case "auth0:index/userRoles:UserRoles":
      await post(`users/${encodeURIComponent(String(inputs.userId))}/roles`, { roles: inputs.roles });
      return { id: String(inputs.userId), state: inputs };
    default:
      throw new Error(`the loopback provider does not model ${type}`);
  }
}

async function remove(resource: Deployed, call: ManagementCall): Promise<void> {
  const { type, id, state } = resource;
  switch (type) {
    case "auth0:index/resourceServer:ResourceServer":
      return void (await call("DELETE", `resource-servers/${id}`));
    case "auth0:index/client:Client":
      return void (await call("DELETE", `clients/${id}`));
    case "auth0:index/clientGrant:ClientGrant":
      return void (await call("DELETE", `client-grants/${id}`));
    case "auth0:index/role:Role":
      return void (await call("DELETE", `roles/${id}`));
    case "auth0:index/action:Action":
      return void (await call("DELETE", `actions/actions/${id}`));
    case "auth0:index/connection:Connection":
      return void (await call("DELETE", `connections/${id}`));
    case "auth0:index/user:User":
      return void (await call("DELETE", `users/${encodeURIComponent(id)}`));
    case "auth0:index/connectionClients:ConnectionClients": {
      const changes = (state.enabledClients as string[]).map((client_id) => ({ client_id, status: false }));
      return void (await call("PATCH", `connections/${id}/clients`, changes).catch(() => undefined));
    }
    case "auth0:index/triggerAction:TriggerAction": {
      // The provider removes only its own entry (read-modify-write), leaving other stacks' bindings.
      const { bindings } = (await call("GET", `actions/triggers/${state.trigger}/bindings`)) as { bindings: Json[] };
      const refs = bindings
        .filter((b) => (b.action as Json).id !== state.actionId)
        .map((b) => ({ ref: { type: "action_id", value: (b.action as Json).id }, display_name: b.display_name }));
      return void (await call("PATCH", `actions/triggers/${state.trigger}/bindings`, { bindings: refs }));
    }
    default:
      return; // removed with their parent (permissions, scopes, credentials, user roles) or local (providers, passwords)
  }
}

/** Plain values from the mock engine's inputs, noting where a secret was. */
function unwrap(value: unknown, onSecret: (path: string) => void, path = ""): unknown {
  if (Array.isArray(value)) return value.map((v, i) => unwrap(v, onSecret, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return value;
  const record = value as Json;
  if (record[SIG_KEY] === SECRET_SIG) {
    onSecret(path);
    return unwrap(record.value, () => undefined, path);
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrap(v, onSecret, path ? `${path}.${k}` : k)]));
}
