// `npm run adopt` as a person runs it: the files it writes, the report on stdout, and errors without traces.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../../infra/bundle";
import { launch, run } from "../../../test/support/cli";
import { command } from "../../adopt";
import { FIXTURES, realisticExport, stackFileBefore } from "./testing";

const STACK = "adopted";
// The command writes into the project it runs in (as Pulumi finds it): a temporary copy, never the repository.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-cli-"));
const STACK_FILE = path.join(tmp, `Pulumi.${STACK}.yaml`);
const IMPORT_FILE = path.join(tmp, "import.json");
fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(tmp, "Pulumi.yaml"));
const NO_CREDENTIALS = { AUTH0_DOMAIN: "", AUTH0_CLIENT_ID: "", AUTH0_CLIENT_SECRET: "" };

/**
 * The one launch: the wiring, as a person runs it, for an export whose connection to the tenant fails
 * (test/support/failing-network.js stands in for the network; no plan, no tenant).
 */
function exportOverFailingNetwork(out: string) {
  return launch("adopt", ["--export", "--out", out], {
    cwd: tmp,
    env: {
      ...process.env,
      AUTH0_DOMAIN: "acme.eu.auth0.com",
      AUTH0_CLIENT_ID: "AcmeExportClient0000000000000001",
      AUTH0_CLIENT_SECRET: "not-a-real-secret",
      NODE_OPTIONS: `--require ${path.join(REPO_ROOT, "test", "support", "failing-network.js")}`,
    },
  });
}

/** In process, with the same parser and exit codes. */
function adoptHere(...args: string[]) {
  return run(command, args, { cwd: tmp, env: NO_CREDENTIALS });
}

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run adopt", () => {
  it("writes the stack file and the import file, and prints the report", async () => {
    fs.writeFileSync(STACK_FILE, stackFileBefore("acme.eu.auth0.com", "AcmePulumiDeployClient0000000001"));
    const { code, stdout, stderr } = await adoptHere(
      "--stack",
      STACK,
      "--from",
      path.join(FIXTURES, "tenant-export.json"),
      "--import-file",
      IMPORT_FILE,
    );
    expect(stderr).toContain(`Wrote ${STACK_FILE} and ${IMPORT_FILE}`);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Adopted .*tenant-export\\.json \\(Management API export\\) into Pulumi\\.${STACK}\\.yaml`));
    expect(stdout).toContain(`pulumi import --stack ${STACK} --file import.json --generate-code=false`);
    const written = fs.readFileSync(STACK_FILE, "utf8");
    expect(written).toContain("tenant:applications:");
    const importFile = JSON.parse(fs.readFileSync(IMPORT_FILE, "utf8"));
    expect(Object.keys(importFile)).toEqual(["nameTable", "resources"]);
    for (const client of realisticExport().clients)
      expect(written + JSON.stringify(importFile) + stdout).not.toContain(client.client_secret);
  });

  it("refuses bad input with one message and exit code 2", async () => {
    const missing = await adoptHere("--stack", STACK);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/^--from is required\nusage: npm run adopt/);
    const noFile = await adoptHere("--stack", STACK, "--from", path.join(tmp, "nope.json"));
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe(`--from ${path.join(tmp, "nope.json")}: no such file or directory\n`);
  });

  it("--export: ends as soon as it has said the tenant could not be read, though the SDK leaves a timer (launched)", () => {
    const out = path.join(tmp, "failed-export.json");
    const started = Date.now();
    const { code, stdout, stderr } = exportOverFailingNetwork(out);
    // Without runCli's exitWhenDone the process lived on for the SDK's 60 s request timeout.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^Reading acme\.eu\.auth0\.com with read-only scopes .*\n {2}reading clients\nreading clients failed: fetch failed/,
    );
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("stops at a malformed file of a directory export with one message naming it and its position, writing nothing", async () => {
    const dir = path.join(tmp, "broken-export");
    fs.cpSync(path.join(FIXTURES, "deploy-cli-directory"), dir, { recursive: true });
    const triggers = path.join(dir, "triggers", "triggers.json");
    fs.writeFileSync(triggers, '{\n  "post-login": [\n    { "action_name": "x", }\n  ]\n}\n');
    const { code, stderr } = await adoptHere("--stack", "broken", "--from", dir, "--import-file", path.join(tmp, "broken-import.json"));
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(
        `^${triggers.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON after keyword replacement at line 3, column \\d+: [^\\n]+\\n$`,
      ),
    );
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(fs.existsSync(path.join(tmp, "Pulumi.broken.yaml"))).toBe(false);
    expect(fs.existsSync(path.join(tmp, "broken-import.json"))).toBe(false);
  });

  it("needs the read-only application's credentials to export, and never touches the stack files then", async () => {
    const { code, stderr } = await adoptHere("--export", "--out", path.join(tmp, "export.json"));
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^--export reads the tenant with a read-only machine-to-machine application: set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET \(its Management API scopes: read:clients/,
    );
    expect(fs.existsSync(path.join(tmp, "export.json"))).toBe(false);
    expect((await adoptHere("--export", "--stack", STACK, "--out", "x")).code).toBe(2);
  });
});
