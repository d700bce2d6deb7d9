// The commands as a user runs them: one launch per command proves the wiring (ts-node, the entry point, the
// exit code reaching the shell); everything else runs in process through the same parser and runCli rules.
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { launch, ROOT, run } from "../test/support/cli";
import { command as adopt } from "./adopt";
import { command as bench } from "./bench/index";
import { command as bundle } from "./bundle";
import { command as doctor } from "./doctor";
import { command as ephemeral } from "./ephemeral";
import { command as faults } from "./faults";
import { command as metadataSync } from "./metadata-sync";
import { command as plan } from "./plan";
import { command as review } from "./review";
import { command as simulate } from "./simulate";

const COMMANDS = { plan, bundle, simulate, review, ephemeral, adopt, "metadata:sync": metadataSync, bench, doctor, faults };
// A project of its own for stacks the tests write: the commands read the project they run in, as Pulumi does.
const PROJECT = mkdtempSync(path.join(tmpdir(), "cli-test-"));
const USER_FILE = path.join("test", "fixtures", "users", "editor-premium.json");

beforeAll(() => {
  const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
  for (const file of ["Pulumi.yaml", "Pulumi.ephemeral.yaml"]) copyFileSync(path.join(ROOT, file), path.join(PROJECT, file));
  writeFileSync(path.join(PROJECT, "Pulumi.bad.yaml"), dev.replace("tier: pro", "tier: platinum"));
});
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

describe("every command", () => {
  it.each(Object.entries(COMMANDS))("%s: --help says what it does, every flag, an example and the exit codes", async (name, command) => {
    const { code, stdout } = await run(command, ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage: npm run ${name} --`));
    for (const flag of Object.keys(command.spec.flags)) expect(stdout).toContain(`--${flag}`);
    expect(stdout).toMatch(/\nExamples?:\n {2}npm run /);
    expect(stdout).toMatch(/\nExit codes:\n {2}0 .*\n {2}1 .*bug.*\n {2}2 .*user error/);
  });
  it.each(Object.entries(COMMANDS))("%s: refuses an unknown flag with exit code 2 and one message", async (_name, command) => {
    const { code, stdout, stderr } = await run(command, ["--bogus"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^unknown flag --bogus\nusage: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
  it.each(
    Object.entries(COMMANDS).flatMap(([name, command]) =>
      Object.entries(command.spec.flags as Record<string, { type: string; multiple?: boolean; value?: string }>)
        .filter(([, flag]) => !flag.multiple)
        .map(([flag, spec]) => [name, flag, command, spec.type === "boolean"] as const),
    ),
  )("%s: refuses --%s given twice", async (_name, flag, command, boolean) => {
    const once = boolean ? [`--${flag}`] : [`--${flag}`, "x"];
    const { code, stderr } = await run(command, [...once, ...once]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^--${flag} is given twice`));
  });
  it("suggests the flag meant", async () => {
    expect((await run(plan, ["--stak", "dev"])).stderr).toMatch(/^unknown flag --stak \(did you mean --stack\?\)/);
  });
});

describe("npm run plan", () => {
  it("prints every resource as JSON in the documented shape, sorted by URN (launched)", () => {
    const { code, stdout } = launch("plan", ["--stack", "dev", "--json"]);
    expect(code).toBe(0);
    const planned = JSON.parse(stdout);
    expect(Object.keys(planned)).toEqual(["stack", "resources"]);
    expect(planned.stack).toBe("dev");
    for (const resource of planned.resources) {
      expect(Object.keys(resource)).toEqual(["urn", "type", "name", "parent", "options", "inputs"]);
    }
    const urns = planned.resources.map((r: { urn: string }) => r.urn);
    expect(urns).toEqual([...urns].sort());
    expect(planned.resources.map((r: { type: string }) => r.type)).toEqual(
      expect.arrayContaining(["pulumi:providers:auth0", "tenant:auth0:LoginFlow"]),
    );
  });
  it("prints a readable table by default", async () => {
    const { code, stdout } = await run(plan, ["--stack", "prod"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Plan of stack prod: \d+ resources/);
    expect(stdout).toMatch(/auth0:Action\s+claim-mapping\s+login-flow\s+yes\s+"claim-mapping" node22 deploy=true/);
  });
  it("refuses invalid config naming the application by its key, the file, and no stack trace", async () => {
    const { code, stdout, stderr } = await run(plan, ["--stack", "bad"], { cwd: PROJECT });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Invalid configuration in Pulumi.bad.yaml");
    expect(stderr).toMatch(/tenant:applications\[dashboard\]\.tier: .*\(got "platinum"\)/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
  it("says so when the stack has no file, or --stack is missing", async () => {
    const missing = await run(plan, ["--stack", "nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Pulumi\.nope\.yaml not found/);
    expect((await run(plan, [])).stderr).toMatch(/^--stack is required\nusage: npm run plan -- --stack <name> \[--json\]/);
  });
});

describe("npm run bundle", () => {
  it("writes the code the stack deploys and prints its path, size and sha256 (launched)", () => {
    const { code, stdout } = launch("bundle", ["--stack", "dev", "--json"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.path).toBe("dist/actions/dev/claim-mapping.js");
    const written = readFileSync(path.join(ROOT, out.path));
    expect(out.bytes).toBe(written.length);
    expect(out.sha256).toBe(createHash("sha256").update(written).digest("hex"));
  });
  it("says the same in a sentence by default", async () => {
    const here = await run(bundle, ["--stack", "prod"]);
    expect(here.code).toBe(0);
    expect(here.stdout).toMatch(/^Wrote dist\/actions\/prod\/claim-mapping\.js: \d+ bytes, sha256 [0-9a-f]{64}\n$/);
  });
});

describe("npm run simulate", () => {
  it("prints a denial with its reason code and exits 3 with --exit-code (launched)", () => {
    const { code, stdout } = launch("simulate", ["--stack", "dev", "--app", "analytics", "--user", USER_FILE, "--json", "--exit-code"]);
    expect(code).toBe(3);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(["exchange", "idToken", "accessToken", "denied", "denial", "failed", "dropped", "appMetadata"]);
    expect(result.denied).toMatch(/requires the enterprise plan/);
    expect(result.denial).toEqual({ code: "minimum_plan", policy: "minimum_plan", required: "enterprise", actual: "premium" });
  });
  it("prints the claims, the failure, dropped names and metadata writes as JSON", async () => {
    const { code, stdout } = await run(simulate, [
      "--stack",
      "dev",
      "--app",
      "marketing-site",
      "--user",
      USER_FILE,
      "--roles",
      "editor",
      "--json",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.accessToken["https://myapp.com/tier"]).toBe("free");
    expect(result.idToken["https://myapp.com/theme"]).toBe("dark");
    expect(result.accessToken["https://myapp.com/tenant"]).toBe("t-42");
    expect(result.denial).toBeNull();
  });
  it("signs in a fixture user by key, with the fixture's roles, readable by default", async () => {
    const { code, stdout } = await run(simulate, ["--stack", "dev", "--app", "dashboard", "--user", "editor-premium", "--exit-code"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^auth0\|review-editor signing in to dashboard: allowed\n/);
    expect(stdout).toContain('https://myapp.com/roles = ["editor"]');
  });
  it("runs a refresh-token exchange with --refresh, which decides as the login does", async () => {
    const args = ["--stack", "dev", "--app", "dashboard", "--user", "editor-premium", "--json"];
    const login = JSON.parse((await run(simulate, args)).stdout);
    const refresh = await run(simulate, [...args, "--refresh"]);
    expect(refresh.code).toBe(0);
    const result = JSON.parse(refresh.stdout);
    expect([login.exchange, result.exchange]).toEqual(["login", "refresh"]);
    expect(result.accessToken).toEqual(login.accessToken);
    expect((await run(simulate, [...args.slice(0, -1), "--refresh"])).stdout).toMatch(/exchanging a refresh token at dashboard: allowed/);
  });
  it("completes a denied login with exit code 0 unless --exit-code is given, and says which policy denied it", async () => {
    const { code, stdout } = await run(simulate, ["--stack", "dev", "--app", "analytics", "--user", "editor-premium"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /: denied\n {2}reason: .*enterprise.*\n {2}code: minimum_plan \(minimum_plan requires enterprise, the user has "premium"\)/,
    );
  });
  it("refuses a machine-to-machine application, saying why, and suggests the key meant", async () => {
    const m2m = await run(simulate, ["--stack", "dev", "--app", "reports-worker", "--user", USER_FILE]);
    expect(m2m.code).toBe(2);
    expect(m2m.stderr).toMatch(/post-login Actions never run/);
    expect((await run(simulate, ["--stack", "dev", "--app", "dashbord", "--user", USER_FILE])).stderr).toMatch(
      /^no application "dashbord" in Pulumi\.dev\.yaml \(did you mean "dashboard"\?\)/,
    );
  });
  it("takes a client as a post-login event carries it, in place of --app", async () => {
    const client = path.join(PROJECT, "client.json");
    writeFileSync(client, JSON.stringify({ client_id: "abc", name: "Partner App", metadata: { tier: "enterprise" } }));
    const { code, stdout } = await run(simulate, ["--stack", "dev", "--client", client, "--user", USER_FILE, "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).accessToken["https://myapp.com/features"]).toEqual(["reports", "export", "sso", "audit-log"]);
    expect((await run(simulate, ["--stack", "dev", "--client", client, "--app", "dashboard", "--user", USER_FILE])).stderr).toMatch(
      /exactly one of --app and --client/,
    );
  });
  it("refuses a missing user file and an unknown fixture user, suggesting the nearest", async () => {
    expect((await run(simulate, ["--stack", "dev", "--app", "dashboard", "--user", "missing.json"])).stderr).toMatch(
      /--user missing\.json: no such file/,
    );
    expect((await run(simulate, ["--stack", "dev", "--app", "dashboard", "--user", "editor-premum"])).stderr).toMatch(
      /^--user editor-premum: no fixture user of that key \(did you mean "editor-premium"\?\)/,
    );
  });
});

describe("npm run ephemeral", () => {
  it("without the Pulumi CLI: exit 2 and one message saying what to install (launched)", () => {
    const { code, stdout, stderr } = launch("ephemeral", ["destroy", "pr-1"], { env: { PATH: path.dirname(process.execPath) } });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^the Pulumi CLI could not be started \(.*\): install the version in \.github\/pulumi-version/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
  it("refuses a negative duration before it needs Pulumi", async () => {
    const { code, stderr } = await run(ephemeral, ["gc", "--older-than", "-1d"]);
    expect(code).toBe(2);
    expect(stderr).toBe('"-1d" is not a duration: write it like 12h or 7d (units m, h, d, w)\n');
  });
  it("writes an ephemeral stack file into the project it runs in, readable or as JSON", async () => {
    const { code, stdout } = await run(ephemeral, ["config", "cli", "--json"], { cwd: PROJECT });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ stack: "eph-cli", file: "Pulumi.eph-cli.yaml" });
    expect(readFileSync(path.join(PROJECT, "Pulumi.eph-cli.yaml"), "utf8")).toMatch(/id: cli/);
    expect((await run(ephemeral, ["config", "cli"], { cwd: PROJECT })).stdout).toBe("Wrote Pulumi.eph-cli.yaml (stack eph-cli)\n");
  });
  it("refuses a missing or unknown verb, a missing id, and a flag of another verb", async () => {
    expect((await run(ephemeral, [])).stderr).toMatch(/^a verb is needed: config, up, destroy, gc, token, env/);
    expect((await run(ephemeral, ["deploy", "x"])).stderr).toMatch(/^unknown verb "deploy"/);
    expect((await run(ephemeral, ["env", "--json"])).stderr).toMatch(/^env needs one <id>/);
    expect((await run(ephemeral, ["up", "pr-1", "--older-than", "1d"])).stderr).toMatch(/^--older-than is not for up/);
  });
  it("token: needs --app and --user, and names an unknown application or user with what the stack declares", async () => {
    expect((await run(ephemeral, ["token", "pr-1", "--app", "dashboard"])).stderr).toMatch(/^token needs --app <key> and --user <fixture>/);
    const app = await run(ephemeral, ["token", "pr-1", "--app", "reports-worker", "--user", "viewer-free"]);
    expect(app.code).toBe(2);
    expect(app.stderr).toBe(
      '--app reports-worker: no interactive application "reports-worker" in Pulumi.eph-pr-1.yaml (marketing-site, dashboard, mobile, analytics)\n',
    );
    const user = await run(ephemeral, ["token", "pr-1", "--app", "dashboard", "--user", "mallory"]);
    expect(user.stderr).toMatch(/^--user mallory: no test user "mallory" in tenant:testLogin.users \(no-metadata, viewer-free, /);
    expect((await run(ephemeral, ["token", "pr-1", "--app", "dashboard", "--user", "viewer-free", "--password", "x"])).stderr).toMatch(
      /^unknown flag --password/,
    );
  });
});

describe("npm run review", () => {
  it("is wired (launched: --help)", () => {
    const { code, stdout } = launch("review", ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run review -- --base <git ref>/);
  });
  it("refuses an unknown format, and --json with --format", async () => {
    expect((await run(review, ["--base", "HEAD", "--format", "html"])).stderr).toBe('--format is text or markdown (got "html")\n');
    expect((await run(review, ["--base", "HEAD", "--format", "text", "--json"])).stderr).toBe("give --json or --format, not both\n");
  });
});

describe("npm run bench", () => {
  it("refuses --bogus before it measures anything (launched)", () => {
    const { code, stdout, stderr } = launch("bench", ["--bogus"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^unknown flag --bogus\nusage: npm run bench --/);
  });
  it("refuses an unknown section", async () => {
    expect((await run(bench, ["--only", "plans"])).stderr).toMatch(/^--only: unknown section plans; sections: action, plan/);
  });
});

describe("npm run metadata:sync", () => {
  it("refuses a concurrency that is not a positive whole number", async () => {
    const env = { AUTH0_DOMAIN: "dev-myapp.eu.auth0.com", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "s" };
    const input = path.join("test", "fixtures", "metadata-sync", "users.csv");
    const { code, stderr } = await run(metadataSync, ["--stack", "dev", "--input", input, "--concurrency", "0"], { env });
    expect(code).toBe(2);
    expect(stderr).toBe('--concurrency must be a positive whole number (got "0")\n');
  });
});
