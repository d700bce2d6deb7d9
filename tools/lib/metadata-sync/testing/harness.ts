// One fake tenant per test: the fake Management API on loopback HTTPS (certificate from a CA made for
// this test file), and the fetch that routes the tenant's host names to it.
import { readStackSettings } from "../../../../harness/stack-file";
import type { Settings } from "../../../../infra/settings";
import type { ManagementCredentials } from "../../management-api";
import { FakeManagementApi, type FakeOptions, type FakeRole } from "./fake-management-api";
import { loopbackFetch } from "./loopback-fetch";
import { makeTestTls, type TestTls } from "./tls";

/** The dev stack's `auth0:domain`: the fake answers for it, on 127.0.0.1 only. */
export const DEV = readStackSettings("dev");
export const DOMAIN = DEV.provider.domain;
export const EXPORT_HOST = "user-exports.metadata-sync.test";
export const CREDENTIALS: ManagementCredentials = { domain: DOMAIN, clientId: "sync-client", clientSecret: "sync-secret" };

/** The tenant's roles: the stack's, as Pulumi created them, plus one the stack does not manage. */
export const TENANT_ROLES: FakeRole[] = [
  ...DEV.roles.map((r) => ({ id: `rol_${r.name}`, name: r.name })),
  { id: "rol_support", name: "support" },
];

export interface FakeTenant {
  api: FakeManagementApi;
  /** The loopback port the fake listens on. */
  port: number;
  transport: typeof fetch;
  settings: Settings;
  close(): Promise<void>;
}

let tls: TestTls | undefined;

export async function startFakeTenant(options: Pick<FakeOptions, "users"> & Partial<FakeOptions>): Promise<FakeTenant> {
  tls ??= makeTestTls([DOMAIN, EXPORT_HOST]);
  const api = new FakeManagementApi({
    domain: DOMAIN,
    exportHost: EXPORT_HOST,
    clientId: CREDENTIALS.clientId,
    clientSecret: CREDENTIALS.clientSecret,
    roles: TENANT_ROLES,
    ...options,
  });
  const port = await api.start(tls);
  const client = loopbackFetch({ port, hosts: [DOMAIN, EXPORT_HOST], ca: tls.ca });
  return {
    api,
    port,
    transport: client.fetch,
    settings: DEV,
    close: async () => {
      client.close();
      await api.stop();
    },
  };
}
