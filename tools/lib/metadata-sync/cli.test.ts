// `npm run metadata:sync` as a user runs it: the tenant guard and the --state check refuse before any
// request, with exit code 2 and one message on stderr. (Runs against the fake tenant, in process, are in
// sync.test.ts; each spawned run costs seconds of start-up, so there are two.)
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const INPUT = path.join("test", "fixtures", "metadata-sync", "users.csv");

function run(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join("tools", "metadata-sync.ts"), ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run metadata:sync", () => {
  it("refuses credentials for a tenant other than the stack's", () => {
    const { code, stdout, stderr } = run(
      { AUTH0_DOMAIN: "prod-myapp.eu.auth0.com", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret" },
      "--stack",
      "dev",
      "--input",
      INPUT,
      "--apply",
    );
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'AUTH0_DOMAIN is "prod-myapp.eu.auth0.com" but stack dev deploys to "dev-myapp.eu.auth0.com" (auth0:domain in Pulumi.dev.yaml): refusing to sync users of another tenant\n',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a --state that is a folder, with exit 2, before any request to the tenant", () => {
    const { code, stdout, stderr } = run(
      { AUTH0_DOMAIN: "dev-myapp.eu.auth0.com", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret" },
      "--stack",
      "dev",
      "--input",
      INPUT,
      "--apply",
      "--state",
      "test",
    );
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`--state test is a directory: pass a file path, for example ${path.join("test", "metadata-sync.ndjson")}\n`);
  });
});
