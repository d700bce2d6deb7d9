// The offline commands as a user runs them: exit codes, output shapes, and errors without stack traces.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const BAD_STACK = "bad";
// A project of its own for the broken stack: the commands read the project they are run in, as Pulumi does.
const BAD_PROJECT = mkdtempSync(path.join(tmpdir(), "cli-test-"));

function run(tool: string, ...args: string[]) {
  return runIn(ROOT, tool, ...args);
}

function runIn(cwd: string, tool: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(ROOT, "tools", `${tool}.ts`), ...args],
    { cwd, encoding: "utf8" },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
  copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(BAD_PROJECT, "Pulumi.yaml"));
  writeFileSync(path.join(BAD_PROJECT, `Pulumi.${BAD_STACK}.yaml`), dev.replace("tier: pro", "tier: platinum"));
});
afterAll(() => rmSync(BAD_PROJECT, { recursive: true, force: true }));

describe("npm run plan", () => {
  it("prints every resource as JSON in the documented shape, sorted by URN", () => {
    const { code, stdout } = run("plan", "--stack", "dev", "--json");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(Object.keys(plan)).toEqual(["stack", "resources"]);
    expect(plan.stack).toBe("dev");
    for (const resource of plan.resources) {
      expect(Object.keys(resource)).toEqual(["urn", "type", "name", "parent", "options", "inputs"]);
    }
    const urns = plan.resources.map((r: { urn: string }) => r.urn);
    expect(urns).toEqual([...urns].sort());
    expect(plan.resources.map((r: { type: string }) => r.type)).toEqual(
      expect.arrayContaining(["pulumi:providers:auth0", "tenant:auth0:LoginFlow"]),
    );
  });
  it("prints a readable table by default", () => {
    const { code, stdout } = run("plan", "--stack", "prod");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Plan of stack prod: \d+ resources/);
    expect(stdout).toMatch(/auth0:Action\s+claim-mapping\s+login-flow\s+yes\s+"claim-mapping" node22 deploy=true/);
  });
  it("refuses invalid config with the key and the file, and no stack trace", () => {
    const { code, stdout, stderr } = runIn(BAD_PROJECT, "plan", "--stack", BAD_STACK);
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain(`Invalid configuration in Pulumi.${BAD_STACK}.yaml`);
    expect(stderr).toMatch(/tenant:applications\[1\]\.tier: .*\(got "platinum"\)/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
  it("says so when the stack has no file", () => {
    const { code, stderr } = run("plan", "--stack", "nope");
    expect(code).toBe(2);
    expect(stderr).toMatch(/Pulumi\.nope\.yaml not found/);
  });
});

describe("npm run bundle", () => {
  it("writes the code the stack deploys and prints its path, size and sha256", () => {
    const { code, stdout } = run("bundle", "--stack", "dev");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.path).toBe("dist/actions/dev/claim-mapping.js");
    const written = readFileSync(path.join(ROOT, out.path));
    expect(out.bytes).toBe(written.length);
    expect(out.sha256).toBe(createHash("sha256").update(written).digest("hex"));
  });
});

describe("npm run simulate", () => {
  const user = path.join("test", "fixtures", "users", "editor-premium.json");
  it("prints the claims, the denial, the failure, dropped names and metadata writes", () => {
    const { code, stdout } = run("simulate", "--stack", "dev", "--app", "marketing-site", "--user", user, "--roles", "editor");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(["idToken", "accessToken", "denied", "failed", "dropped", "appMetadata"]);
    expect(result.accessToken["https://myapp.com/tier"]).toBe("free");
    expect(result.idToken["https://myapp.com/theme"]).toBe("dark");
    expect(result.accessToken["https://myapp.com/tenant"]).toBe("t-42");
  });
  it("completes a denied login with exit code 0", () => {
    const { code, stdout } = run("simulate", "--stack", "dev", "--app", "analytics", "--user", user);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).denied).toMatch(/requires the enterprise plan/);
  });
  it("refuses a machine-to-machine application, saying why", () => {
    const { code, stderr } = run("simulate", "--stack", "dev", "--app", "reports-worker", "--user", user);
    expect(code).toBe(2);
    expect(stderr).toMatch(/post-login Actions never run/);
  });
  it("takes a client as a post-login event carries it, in place of --app", () => {
    const client = path.join(BAD_PROJECT, "client.json");
    writeFileSync(client, JSON.stringify({ client_id: "abc", name: "Partner App", metadata: { tier: "enterprise" } }));
    const { code, stdout } = run("simulate", "--stack", "dev", "--client", client, "--user", user);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).accessToken["https://myapp.com/features"]).toEqual(["reports", "export", "sso", "audit-log"]);
    expect(run("simulate", "--stack", "dev", "--client", client, "--app", "dashboard", "--user", user).stderr).toMatch(
      /exactly one of --app and --client/,
    );
  });
  it("refuses a missing user file and an unknown application", () => {
    expect(run("simulate", "--stack", "dev", "--app", "dashboard", "--user", "missing.json").stderr).toMatch(
      /--user missing\.json: no such file/,
    );
    expect(run("simulate", "--stack", "dev", "--app", "nope", "--user", user).stderr).toMatch(/no application "nope" in Pulumi\.dev\.yaml/);
  });
});
