// The real dependencies of the ephemeral lifecycle: Pulumi's Automation API over the project directory
// (LocalWorkspace + Stack.select, as Pulumi documents them), the sandbox Management API, the file system.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "../../../infra/bundle";
import type { EphemeralDeps } from "./lifecycle";
import { sandboxManagement } from "./management";

/** Needs the Pulumi CLI on PATH and a backend login (`pulumi login`, or PULUMI_ACCESS_TOKEN). */
export async function realDeps(env: NodeJS.ProcessEnv = process.env): Promise<EphemeralDeps> {
  const workspace = await LocalWorkspace.create({ workDir: REPO_ROOT });
  const sandbox = {
    domain: env.AUTH0_SANDBOX_DOMAIN,
    clientId: env.AUTH0_SANDBOX_CLIENT_ID,
    clientSecret: env.AUTH0_SANDBOX_CLIENT_SECRET,
  };
  return {
    workspace,
    stack: (name) => Stack.select(name, workspace),
    management: lazyManagement(sandbox),
    files: projectFiles(REPO_ROOT),
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

/** Built on first use, so `destroy` and `gc` do not need the sandbox credentials. */
function lazyManagement(sandbox: EphemeralDeps["sandbox"]): EphemeralDeps["management"] {
  const client = () => {
    const { domain, clientId, clientSecret } = sandbox;
    if (!domain || !clientId || !clientSecret)
      throw new Error("AUTH0_SANDBOX_DOMAIN, AUTH0_SANDBOX_CLIENT_ID and AUTH0_SANDBOX_CLIENT_SECRET must be set");
    return sandboxManagement({ domain, clientId, clientSecret });
  };
  return {
    postLoginBindings: () => client().postLoginBindings(),
    testAction: (id, event) => client().testAction(id, event),
  };
}
