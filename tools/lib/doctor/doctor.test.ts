// `npm run doctor`: each finding from injected probes (no Pulumi CLI, backend or tenant needed), and the
// program start-up through the real harness.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  checkProgramStarts,
  diagnose,
  type ExecResult,
  type Finding,
  formatReport,
  POLICY_SDK,
  type Probes,
  programConfig,
  PULUMI_VERSION_FILE,
  START_HARNESS,
} from "./checks";
import { realProbes } from "./probes";

const ROOT = path.resolve(__dirname, "../../..");
const PLACEHOLDER = "AAABAHJlcGxhY2UtbWUtd2l0aC1wdWx1bWktY29uZmlnLXNldC0tc2VjcmV0";
const REAL_CIPHERTEXT = "AAABAHJlYWwtY2lwaGVydGV4dC1mcm9tLXRoZS1iYWNrZW5k";

const ok = (stdout = ""): ExecResult => ({ found: true, code: 0, stdout, stderr: "" });
const notFound: ExecResult = { found: false, code: null, stdout: "", stderr: "spawn ENOENT" };

/** A stack file as dev's, adopted, without placeholders: the starting point of every case. */
function stackText(overrides: Record<string, string> = {}): string {
  const lines: Record<string, string> = {
    "auth0:domain": "  auth0:domain: dev-myapp.eu.auth0.com",
    "auth0:clientId": "  auth0:clientId: DEVclient",
    "tenant:postLogin": "  tenant:postLogin:\n    mode: owner\n    actions: [claim-mapping]\n    adopted: true",
    ...overrides,
  };
  return `config:\n${Object.values(lines)
    .filter((l) => l !== "")
    .join("\n")}\n`;
}

interface Setup {
  files?: Record<string, string | undefined>;
  env?: Record<string, string | undefined>;
  commands?: Record<string, ExecResult>;
}

/** Probes where everything is in order unless the case says otherwise; records what it ran. */
function probes({ files = {}, env = {}, commands = {} }: Setup = {}) {
  const ran: { command: string; args: string[]; env?: Record<string, string | undefined> }[] = [];
  const allFiles: Record<string, string | undefined> = {
    "Pulumi.dev.yaml": stackText(),
    [PULUMI_VERSION_FILE]: "3.276.0\n",
    [POLICY_SDK]: "{}",
    ...files,
  };
  const allCommands: Record<string, ExecResult> = {
    "node --version": ok("v22.23.3\n"),
    "pulumi version": ok("v3.276.0\n"),
    "pulumi whoami": ok("someone\n"),
    "pulumi stack ls --json": ok(JSON.stringify([{ name: "acme/tenant/dev" }, { name: "eph-pr-7" }])),
    harness: ok("{}"),
    ...commands,
  };
  const p: Probes = {
    exec: async (command, args, extra) => {
      ran.push({ command, args, env: extra });
      const key = args.includes(START_HARNESS) ? "harness" : [command, ...args].join(" ");
      const result = allCommands[key];
      if (!result) throw new Error(`unexpected command ${key}`);
      return result;
    },
    readFile: (relative) => allFiles[relative],
    exists: (relative) => allFiles[relative] !== undefined,
    env: { PATH: "/usr/bin", AUTH0_CLIENT_SECRET: "from-the-environment", ...env },
    root: "/project",
    nodeBinary: "/project/node_modules/.bin/node",
  };
  return { probes: p, ran };
}

async function findings(setup: Setup = {}, stack = "dev"): Promise<Finding[]> {
  return (await diagnose(stack, probes(setup).probes)).findings;
}

describe("npm run doctor", () => {
  it("finds nothing when everything is in place, and says so", async () => {
    const report = await diagnose("dev", probes().probes);
    expect(report.findings).toEqual([]);
    expect(formatReport(report)).toBe("✓ nothing stands between this checkout and `pulumi preview --stack dev`\n");
  });

  it("prints one line per problem, with the command that fixes it", async () => {
    const report = await diagnose("dev", probes({ files: { [POLICY_SDK]: undefined }, commands: { "pulumi version": notFound } }).probes);
    const lines = formatReport(report).trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("✗"))).toHaveLength(2);
    for (const line of lines.filter((l) => l.startsWith("✗"))) expect(line).toMatch(/\. Fix: \S/);
    expect(lines.at(-1)).toBe("2 problems before `pulumi preview --stack dev` can succeed");
  });

  describe("Node.js", () => {
    it("reports the node a shell finds (npm's node_modules/.bin taken off PATH) when it is older than 22", async () => {
      const { probes: p, ran } = probes({
        env: { PATH: ["/project/node_modules/.bin", "/usr/bin"].join(path.delimiter) },
        commands: { "node --version": ok("v20.20.2\n") },
      });
      const report = await diagnose("dev", p);
      expect(report.findings.map((f) => f.fix)).toEqual([expect.stringContaining("nvm install 22")]);
      expect(report.findings[0].problem).toContain("v20.20.2");
      expect(ran.find((r) => r.command === "node")?.env).toEqual({ PATH: "/usr/bin" });
    });

    it("reports a missing node", async () => {
      expect((await findings({ commands: { "node --version": notFound } })).map((f) => f.check)).toEqual(["Node.js"]);
    });
  });

  describe("the stack file", () => {
    it("reports a missing stack file, and how to make an ephemeral one", async () => {
      expect(await findings({ files: { "Pulumi.dev.yaml": undefined } })).toEqual([
        expect.objectContaining({ check: "stack file", problem: "Pulumi.dev.yaml does not exist" }),
      ]);
      expect((await findings({}, "eph-pr-7")).map((f) => f.fix)).toEqual(["npm run ephemeral -- config pr-7"]);
      expect((await findings({ files: { "Pulumi.ephemeral.yaml": stackText() } }, "ephemeral")).map((f) => f.problem)).toEqual([
        "Pulumi.ephemeral.yaml is the template of ephemeral stacks, not a stack",
      ]);
      expect((await diagnose("dev", probes({ files: { "Pulumi.dev.yaml": undefined } }).probes)).skipped).toEqual([
        { check: "secrets, adoption and program start-up", reason: "needs Pulumi.dev.yaml" },
      ]);
    });
  });

  describe("placeholder secrets", () => {
    it("reports every committed placeholder, not only the client secret (dev's enrichment key too)", async () => {
      const text = stackText({ "tenant:enrichmentApiKey": `  tenant:enrichmentApiKey:\n    secure: ${PLACEHOLDER}` });
      expect(await findings({ files: { "Pulumi.dev.yaml": text } })).toEqual([
        expect.objectContaining({
          check: "placeholder secrets",
          problem: expect.stringContaining("tenant:enrichmentApiKey in Pulumi.dev.yaml is the committed placeholder"),
          fix: expect.stringMatching(/^pulumi config set --secret tenant:enrichmentApiKey --stack dev/),
        }),
      ]);
    });

    it("tells dev and prod to remove a placeholder client secret rather than fill it", async () => {
      const text = stackText({ "auth0:clientSecret": `  auth0:clientSecret:\n    secure: ${PLACEHOLDER}` });
      expect((await findings({ files: { "Pulumi.dev.yaml": text } })).map((f) => f.fix)).toEqual([
        expect.stringMatching(/^pulumi config rm auth0:clientSecret --stack dev/),
      ]);
    });

    it("finds the committed dev stack's enrichment key placeholder", async () => {
      const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
      const placeholders = (await findings({ files: { "Pulumi.dev.yaml": dev } })).filter((f) => f.check === "placeholder secrets");
      expect(placeholders.map((f) => f.problem)).toEqual([expect.stringContaining("tenant:enrichmentApiKey")]);
    });
  });

  describe("the deploy secret", () => {
    it("reports AUTH0_CLIENT_SECRET missing when the stack does not keep the secret", async () => {
      expect(await findings({ env: { AUTH0_CLIENT_SECRET: undefined } })).toEqual([
        expect.objectContaining({ check: "deploy secret", problem: expect.stringContaining("AUTH0_CLIENT_SECRET is not set") }),
      ]);
    });

    it("reports a real deploy secret kept in dev's config, which every preview token can decrypt", async () => {
      const text = stackText({ "auth0:clientSecret": `  auth0:clientSecret:\n    secure: ${REAL_CIPHERTEXT}` });
      expect((await findings({ files: { "Pulumi.dev.yaml": text } })).map((f) => f.problem)).toEqual([
        "Pulumi.dev.yaml holds auth0:clientSecret: every token that can preview this stack can decrypt it",
      ]);
    });

    it("accepts an ephemeral stack's secret in config (it lives in the sandbox's own organization)", async () => {
      const text = stackText({ "auth0:clientSecret": `  auth0:clientSecret:\n    secure: ${REAL_CIPHERTEXT}` });
      expect(await findings({ files: { "Pulumi.eph-pr-7.yaml": text }, env: { AUTH0_CLIENT_SECRET: undefined } }, "eph-pr-7")).toEqual([]);
    });
  });

  describe("adoption", () => {
    it("sends a stack that owns post-login without having adopted it through adoption before `up`", async () => {
      const text = stackText({ "tenant:postLogin": "  tenant:postLogin:\n    mode: owner\n    actions: [claim-mapping]" });
      expect(await findings({ files: { "Pulumi.dev.yaml": text } })).toEqual([
        expect.objectContaining({
          check: "adoption",
          fix: expect.stringContaining("npm run adopt -- --stack dev --from tenant-export.json"),
        }),
      ]);
    });

    it("finds the committed dev and prod stacks not adopted", async () => {
      for (const stack of ["dev", "prod"]) {
        const text = readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
        const found = await findings({ files: { [`Pulumi.${stack}.yaml`]: text } }, stack);
        expect(found.map((f) => f.check)).toContain("adoption");
      }
    });

    it("leaves additive stacks alone", async () => {
      const text = stackText({ "tenant:postLogin": "  tenant:postLogin:\n    mode: additive\n    actions: [claim-mapping]" });
      expect(await findings({ files: { "Pulumi.dev.yaml": text } })).toEqual([]);
    });
  });

  describe("the policy pack", () => {
    it("reports its dependencies missing, with `npm ci --prefix policy`", async () => {
      expect((await findings({ files: { [POLICY_SDK]: undefined } })).map((f) => f.fix)).toEqual(["npm ci --prefix policy"]);
    });
  });

  describe("program start-up", () => {
    it("starts the harness with the stack's config as the language host hands it over", async () => {
      const text = stackText({ "tenant:enrichmentApiKey": `  tenant:enrichmentApiKey:\n    secure: ${REAL_CIPHERTEXT}` });
      const { probes: p, ran } = probes({ files: { "Pulumi.dev.yaml": text } });
      await diagnose("dev", p);
      const start = ran.find((r) => r.args.includes(START_HARNESS));
      expect(start?.command).toBe("/project/node_modules/.bin/node");
      expect(start?.args).toEqual([START_HARNESS, "/project", "dev"]);
      const config = JSON.parse(String(start?.env?.PULUMI_CONFIG));
      expect(config["auth0:domain"]).toBe("dev-myapp.eu.auth0.com");
      expect(JSON.parse(config["tenant:postLogin"])).toEqual({ mode: "owner", actions: ["claim-mapping"], adopted: true });
      expect(config["tenant:enrichmentApiKey"]).not.toContain(REAL_CIPHERTEXT);
      expect(JSON.parse(String(start?.env?.PULUMI_CONFIG_SECRET_KEYS))).toEqual(["tenant:enrichmentApiKey"]);
    });

    it("passes Pulumi.yaml's nodeargs to node before the harness, split as the language host splits them", async () => {
      const project = readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
      const withArgs = probes({
        files: { "Pulumi.yaml": project.replace(/nodeargs: .*/, "nodeargs: --stack-trace-limit=0 --title 'a b'") },
      });
      await diagnose("dev", withArgs.probes);
      expect(withArgs.ran.find((r) => r.args.includes(START_HARNESS))?.args).toEqual([
        "--stack-trace-limit=0",
        "--title",
        "a b",
        START_HARNESS,
        "/project",
        "dev",
      ]);
      const committed = probes({ files: { "Pulumi.yaml": project } });
      await diagnose("dev", committed.probes);
      expect(committed.ran.find((r) => r.args.includes(START_HARNESS))?.args.slice(0, 2)).toEqual(["--stack-trace-limit=0", START_HARNESS]);
    });

    it("reports the runner's error when the program does not start", async () => {
      const failed = {
        found: true,
        code: 32,
        stdout: "",
        stderr: "\ntsconfig path was set to tsconfig.pulumi.json but the file was not found\n    at x\n",
      };
      expect(await findings({ commands: { harness: failed } })).toEqual([
        expect.objectContaining({
          check: "program start-up",
          problem:
            "the program does not start as `pulumi preview` starts it: tsconfig path was set to tsconfig.pulumi.json but the file was not found",
        }),
      ]);
    });

    it("reports a config the program refuses, through the real harness and runner", async () => {
      const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("tier: pro", "tier: platinum");
      const found = await checkProgramStarts("dev", { text: dev, config: require("yaml").parse(dev).config }, realProbes(ROOT));
      expect(found).toEqual([expect.objectContaining({ problem: expect.stringContaining('(got "platinum")') })]);
    });
  });

  describe("the Pulumi CLI and the backend", () => {
    it("reports a missing CLI with the pinned install command, and skips what needs it", async () => {
      const report = await diagnose("dev", probes({ commands: { "pulumi version": notFound } }).probes);
      expect(report.findings).toEqual([
        expect.objectContaining({
          check: "Pulumi CLI",
          needs: "the Pulumi CLI",
          fix: "curl -fsSL https://get.pulumi.com | sh -s -- --version 3.276.0",
        }),
      ]);
      expect(report.skipped).toEqual([{ check: "backend login and the stack in the backend", reason: "needs the Pulumi CLI" }]);
      expect(formatReport(report)).toContain("[needs the Pulumi CLI]");
    });

    it("reports a CLI older than .github/pulumi-version", async () => {
      expect((await findings({ commands: { "pulumi version": ok("v3.200.0\n") } })).map((f) => f.problem)).toEqual([
        "the Pulumi CLI is v3.200.0, older than 3.276.0 (.github/pulumi-version)",
      ]);
    });

    it("reports no backend login, with `pulumi login`", async () => {
      const failed = {
        found: true,
        code: 255,
        stdout: "",
        stderr: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n",
      };
      expect(await findings({ commands: { "pulumi whoami": failed } })).toEqual([
        expect.objectContaining({
          check: "backend login",
          needs: "the Pulumi CLI and the network",
          fix: expect.stringMatching(/^pulumi login/),
        }),
      ]);
    });

    it("reports a stack the backend does not have, with `pulumi stack init`", async () => {
      expect((await findings({ commands: { "pulumi stack ls --json": ok("[]") } })).map((f) => f.fix)).toEqual(["pulumi stack init dev"]);
    });
  });
});

describe("programConfig", () => {
  it("hands plain values as strings, structured values as JSON, and secrets by key without their ciphertext", () => {
    expect(programConfig({ "a:x": "1", "a:y": { k: [1] }, "a:s": { secure: REAL_CIPHERTEXT } })).toEqual({
      config: { "a:x": "1", "a:y": '{"k":[1]}', "a:s": "[secret: not decrypted by the doctor]" },
      secretKeys: ["a:s"],
    });
  });
});
