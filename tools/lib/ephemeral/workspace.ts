// The real dependencies of the ephemeral lifecycle: Pulumi's Automation API over the project directory
// (LocalWorkspace + Stack.select, as Pulumi documents them), the sandbox Management API, the file system.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "../../../infra/bundle";
import { UserError } from "../../../infra/errors";
import type { EphemeralDeps } from "./lifecycle";
import { sandboxManagement } from "./management";
import { readCredentials, type CredentialVariables } from "../management-api";

/** Needs the Pulumi CLI on PATH and a backend login (`pulumi login`, or PULUMI_ACCESS_TOKEN). */
export async function realDeps(env: Readonly<Record<string, string | undefined>> = process.env, dir = REPO_ROOT): Promise<EphemeralDeps> {
  let workspace: LocalWorkspace;
  try {
    // Runs `pulumi version` first (PulumiCommand.get in @pulumi/pulumi automation/cmd.ts): fails without the CLI.
    workspace = await LocalWorkspace.create({ workDir: dir });
  } catch (error) {
    throw new UserError(
      `the Pulumi CLI could not be started (${(error as Error).message.split("\n")[0]}): install the version in .github/pulumi-version ` +
        "(https://www.pulumi.com/docs/install/), put it on PATH and log in (`pulumi login`, or PULUMI_ACCESS_TOKEN)",
      { cause: error },
    );
  }
  const sandbox = readCredentials(env, SANDBOX_VARIABLES).credentials ?? {};
  return {
    workspace,
    stack: (name) => Stack.select(name, workspace),
    management: lazyManagement(sandbox),
    files: projectFiles(dir),
    sandbox,
    now: () => new Date(),
    creator: env.GITHUB_ACTOR ?? userInfo().username,
    log: (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`),
    fetch: globalThis.fetch,
  };
}

export function projectFiles(dir: string): EphemeralDeps["files"] {
  return {
    read: (name) => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), "utf8") : undefined),
    write: (name, text) => writeFileSync(path.join(dir, name), text),
    remove: (name) => rmSync(path.join(dir, name), { force: true }),
  };
}

/** The sandbox deploy application's credentials. */
export const SANDBOX_VARIABLES: CredentialVariables = {
  domain: "AUTH0_SANDBOX_DOMAIN",
  clientId: "AUTH0_SANDBOX_CLIENT_ID",
  clientSecret: "AUTH0_SANDBOX_CLIENT_SECRET",
};

/** Built on first use, so `destroy` and `gc` do not need the sandbox credentials. */
function lazyManagement(sandbox: EphemeralDeps["sandbox"]): EphemeralDeps["management"] {
  const client = () => {
    const { domain, clientId, clientSecret } = sandbox;
    if (!domain || !clientId || !clientSecret)
      throw new UserError(`${Object.values(SANDBOX_VARIABLES).join(", ")} must be set (the sandbox deploy application)`);
    return sandboxManagement({ domain, clientId, clientSecret });
  };
  return {
    postLoginBindings: () => client().postLoginBindings(),
    testAction: (id, event) => client().testAction(id, event),
  };
}
