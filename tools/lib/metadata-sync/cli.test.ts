// `npm run metadata:sync` as a user runs it: the tenant guard and the --state check refuse before any
// request, with exit code 2 and one message on stderr. One launch proves the wiring; the rest runs in process through the
// same parser and exit codes (runs against the fake tenant are in sync.test.ts).
import * as path from "node:path";
import { launch, run } from "../../../test/support/cli";
import { command } from "../../metadata-sync";

const INPUT = path.join("test", "fixtures", "metadata-sync", "users.csv");

describe("npm run metadata:sync", () => {
  it("refuses credentials for a tenant other than the stack's (launched)", () => {
    const env = {
      PATH: process.env.PATH ?? "",
      AUTH0_DOMAIN: "prod-myapp.eu.auth0.com",
      AUTH0_CLIENT_ID: "id",
      AUTH0_CLIENT_SECRET: "secret",
    };
    const { code, stdout, stderr } = launch("metadata:sync", ["--stack", "dev", "--input", INPUT, "--apply"], { env });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'AUTH0_DOMAIN is "prod-myapp.eu.auth0.com" but stack dev deploys to "dev-myapp.eu.auth0.com" (auth0:domain in Pulumi.dev.yaml): refusing to sync users of another tenant\n',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a --state that is a folder, with exit 2, before any request to the tenant", async () => {
    const env = { AUTH0_DOMAIN: "dev-myapp.eu.auth0.com", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret" };
    const { code, stdout, stderr } = await run(command, ["--stack", "dev", "--input", INPUT, "--apply", "--state", "test"], { env });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`--state test is a directory: pass a file path, for example ${path.join("test", "metadata-sync.ndjson")}\n`);
  });
});
