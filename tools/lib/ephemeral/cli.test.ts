// `npm run ephemeral -- token | env` as a user runs them offline: flag mistakes exit 2 with one message
// naming the flag, before anything reaches Pulumi or the tenant.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "..");

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "tools/ephemeral.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run ephemeral -- token", () => {
  it("needs --app and --user", () => {
    const { code, stderr } = run("token", "pr-1", "--app", "dashboard");
    expect(code).toBe(2);
    expect(stderr).toMatch(/^token needs --app <key> and --user <fixture>\nusage: /);
  });
  it("names an unknown application or user, and what the stack declares", () => {
    const app = run("token", "pr-1", "--app", "reports-worker", "--user", "viewer-free");
    expect(app.code).toBe(2);
    expect(app.stderr).toBe(
      '--app reports-worker: no interactive application "reports-worker" in Pulumi.eph-pr-1.yaml (marketing-site, dashboard, mobile, analytics)\n',
    );
    const user = run("token", "pr-1", "--app", "dashboard", "--user", "mallory");
    expect(user.code).toBe(2);
    expect(user.stderr).toMatch(/^--user mallory: no test user "mallory" in tenant:testLogin.users \(no-metadata, viewer-free, /);
  });
  it("refuses an unknown flag", () => {
    const { code, stderr } = run("token", "pr-1", "--app", "dashboard", "--user", "viewer-free", "--password", "x");
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--password'/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("npm run ephemeral -- env", () => {
  it("needs exactly one id", () => {
    const { code, stderr } = run("env", "--json");
    expect(code).toBe(2);
    expect(stderr).toMatch(/^expected one <id>/);
  });
});
