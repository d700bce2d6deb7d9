// The Auth0 Management API for the commands that talk to a live tenant (adopt --export, metadata:sync,
// ephemeral): one credentials shape, one reader of them from the environment, one SDK client.
import type { ManagementClient } from "auth0";
import { UserError } from "../../infra/errors";
import { normaliseDomain } from "../../infra/settings/isolation";

/** A machine-to-machine application's client credentials, and the tenant domain it belongs to. */
export interface ManagementCredentials {
  /** A bare host name (normalised: no scheme, no path, lower case). */
  domain: string;
  clientId: string;
  clientSecret: string;
}

/** The variables the credentials are read from: AUTH0_* by default, AUTH0_SANDBOX_* for ephemeral stacks. */
export interface CredentialVariables {
  domain: string;
  clientId: string;
  clientSecret: string;
}

export const CREDENTIAL_VARIABLES: CredentialVariables = {
  domain: "AUTH0_DOMAIN",
  clientId: "AUTH0_CLIENT_ID",
  clientSecret: "AUTH0_CLIENT_SECRET",
};

/** The credentials in `env`, or the names of the variables that are not set. */
export function readCredentials(
  env: Readonly<Record<string, string | undefined>>,
  variables: CredentialVariables = CREDENTIAL_VARIABLES,
): { credentials: ManagementCredentials; missing: [] } | { credentials?: undefined; missing: string[] } {
  const names = [variables.domain, variables.clientId, variables.clientSecret];
  const missing = names.filter((name) => !env[name]?.trim());
  if (missing.length > 0) return { missing };
  return {
    credentials: {
      domain: normaliseDomain(env[variables.domain]!),
      clientId: env[variables.clientId]!.trim(),
      clientSecret: env[variables.clientSecret]!.trim(),
    },
    missing: [],
  };
}

/** The credentials in `env`; a UserError made by `explain` from the missing names when any is not set. */
export function requireCredentials(
  env: Readonly<Record<string, string | undefined>>,
  explain: (missing: string[]) => string,
  variables: CredentialVariables = CREDENTIAL_VARIABLES,
): ManagementCredentials {
  const read = readCredentials(env, variables);
  if (!read.credentials) throw new UserError(explain(read.missing));
  return read.credentials;
}

export interface ClientOptions {
  /** The SDK's documented option for a custom fetch (a rate-limited one, or a test's). */
  fetch?: typeof globalThis.fetch;
  /** The SDK's own retries on 429; 0 where a caller paces and retries itself. */
  maxRetries?: number;
  timeoutInSeconds?: number;
}

/**
 * The official SDK (`auth0`), loaded when first needed: about 0.4 s of CPU, which a command that refuses its
 * flags or credentials, or a test file that never calls a tenant, does not pay (docs/performance.md).
 */
export function auth0Sdk(): typeof import("auth0") {
  return require("auth0");
}

/**
 * The official SDK's client, authenticating with client credentials for the normalised domain. A command that
 * uses one ends its process itself (runCli's `exitWhenDone`): for a request that fails without a response
 * (a lost or refused connection), the SDK leaves its request timer running (auth0
 * dist/cjs/management/core/fetcher/makeRequest.js clears it only after a response), which kept the process
 * alive for the SDK's timeout, 60 s by default, after the command had printed its error.
 */
export function managementClient(credentials: ManagementCredentials, options: ClientOptions = {}): ManagementClient {
  const { ManagementClient } = auth0Sdk();
  return new ManagementClient({
    domain: normaliseDomain(credentials.domain),
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.maxRetries !== undefined && { maxRetries: options.maxRetries }),
    ...(options.timeoutInSeconds !== undefined && { timeoutInSeconds: options.timeoutInSeconds }),
  });
}
