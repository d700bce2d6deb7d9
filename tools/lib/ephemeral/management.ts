// The few Management API calls the ephemeral lifecycle makes against the sandbox tenant.
import { managementClient, type ManagementCredentials } from "../management-api";

export interface PostLoginBinding {
  actionId: string;
  displayName: string;
}

export interface SandboxManagement {
  /** The tenant's post-login bindings, in execution order. */
  postLoginBindings(): Promise<PostLoginBinding[]>;
  /** Runs a deployed Action with a post-login event (POST /api/v2/actions/actions/{id}/test). */
  testAction(actionId: string, event: object): Promise<Record<string, unknown>>;
}

/** Through the official SDK, with a read of bindings and the Action test endpoint only. */
export function sandboxManagement(credentials: ManagementCredentials): SandboxManagement {
  const client = managementClient(credentials);
  return {
    async postLoginBindings() {
      const bindings: PostLoginBinding[] = [];
      const pages = await client.actions.triggers.bindings.list("post-login", { per_page: 50 });
      for await (const binding of pages) {
        bindings.push({ actionId: binding.action?.id ?? "", displayName: binding.display_name ?? binding.action?.name ?? "" });
      }
      return bindings;
    },
    async testAction(actionId, event) {
      const response = await client.actions.test(actionId, { payload: { event } });
      return response.payload ?? {};
    },
  };
}
