// Test support for the adopt tests: a throw-away project directory (Pulumi.yaml, the policy configs, stack
// files), so that adoption reads and plans stacks without touching the committed ones.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../../infra/bundle";

export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "adopt");

/** The committed placeholder ciphertext (see docs/first-deploy.md): a `secure:` value nothing can decrypt. */
export const PLACEHOLDER_SECURE = "AAABAHJlcGxhY2UtbWUtd2l0aC1wdWx1bWktY29uZmlnLXNldC0tc2VjcmV0";

/** A stack file as a team has it before adopting: domain, deploy credentials, protection, a comment. */
export function stackFileBefore(domain: string, deployClientId: string, extra = ""): string {
  return [
    "# The production tenant, before adoption.",
    "config:",
    `  auth0:domain: ${domain}`,
    `  auth0:clientId: ${deployClientId}`,
    "  # The deploy application's secret.",
    "  auth0:clientSecret:",
    "    secure: AAABAHJlYWwtY2lwaGVydGV4dC1mcm9tLXRoZS1iYWNrZW5k",
    "  tenant:protect: true",
    extra,
  ].join("\n");
}

export interface Workspace {
  dir: string;
  write(stack: string, text: string): void;
  read(stack: string): string;
  /** A JSON file in the workspace, for exports changed by a test. */
  json(name: string, value: unknown): string;
  remove(): void;
}

export function workspace(): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-test-"));
  fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.mkdirSync(path.join(dir, "policy"));
  fs.cpSync(path.join(REPO_ROOT, "policy", "config"), path.join(dir, "policy", "config"), { recursive: true });
  return {
    dir,
    write: (stack, text) => fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text),
    read: (stack) => fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8"),
    json: (name, value) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify(value, null, 2));
      return file;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh copy of the realistic export fixture, to change in one test. */
export function realisticExport(): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, "tenant-export.json"), "utf8"));
}
