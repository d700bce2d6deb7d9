// `npm run doctor`: what stands between this checkout and a successful real `pulumi preview` of a stack.
// Every check is a function of injected probes (commands, files, environment), so each finding is tested
// without a Pulumi CLI, a backend or a tenant (tools/lib/doctor/doctor.test.ts).
import * as path from "node:path";
import { parse } from "yaml";
import { nodeArgsOf } from "../../../harness/launch";

/** What a check needs: offline checks read this checkout; the others say what they need. */
export type Needs = "offline" | "the Pulumi CLI" | "the Pulumi CLI and the network";

export interface Finding {
  check: string;
  needs: Needs;
  problem: string;
  /** The command (or the one step) that fixes it. */
  fix: string;
}

export interface Skipped {
  check: string;
  reason: string;
}

export interface ExecResult {
  /** false when the command is not installed (ENOENT). */
  found: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Probes {
  /** Runs a command in the project directory, with `env` added to (or, for `undefined` values, removed from) the environment. */
  exec(command: string, args: string[], env?: Record<string, string | undefined>): Promise<ExecResult>;
  /** A file's text relative to the project directory, or undefined when it does not exist. */
  readFile(relative: string): string | undefined;
  exists(relative: string): boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Absolute path of the project directory. */
  root: string;
  /** The node binary that runs this process (Node 22 through the `node` devDependency). */
  nodeBinary: string;
}

export interface Report {
  stack: string;
  findings: Finding[];
  skipped: Skipped[];
}

/** The committed placeholder ciphertext decodes to this: no secrets provider can decrypt it. */
const PLACEHOLDER_MARK = "replace-me-with-pulumi-config-set";
export const PULUMI_VERSION_FILE = ".github/pulumi-version";
export const POLICY_SDK = "policy/node_modules/@pulumi/policy/package.json";
/** The start-up harness: @pulumi/pulumi's own runner under the engine's working-directory rules. */
export const START_HARNESS = "harness/start-like-pulumi.js";
const REQUIRED_NODE_MAJOR = 22;
const EPHEMERAL = /^eph-(.+)$/;
const EPHEMERAL_TEMPLATE = "ephemeral";

export function isPlaceholder(secure: unknown): boolean {
  return typeof secure === "string" && Buffer.from(secure, "base64").toString("latin1").includes(PLACEHOLDER_MARK);
}

interface StackFile {
  text: string;
  config: Record<string, unknown>;
}

function stackFile(stack: string, probes: Probes): StackFile | Finding {
  const file = `Pulumi.${stack}.yaml`;
  const text = probes.readFile(file);
  const ephemeral = EPHEMERAL.exec(stack);
  if (stack === EPHEMERAL_TEMPLATE) {
    return {
      check: "stack file",
      needs: "offline",
      problem: `${file} is the template of ephemeral stacks, not a stack`,
      fix: "npm run ephemeral -- config <id>, then npm run doctor -- --stack eph-<id>",
    };
  }
  if (text === undefined) {
    return {
      check: "stack file",
      needs: "offline",
      problem: `${file} does not exist`,
      fix: ephemeral
        ? `npm run ephemeral -- config ${ephemeral[1]}`
        : `pulumi stack init ${stack}, then fill ${file} (docs/make-it-yours.md)`,
    };
  }
  try {
    const doc = parse(text) as { config?: Record<string, unknown> } | null;
    return { text, config: doc?.config ?? {} };
  } catch (error) {
    return {
      check: "stack file",
      needs: "offline",
      problem: `${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`,
      fix: `correct ${file}`,
    };
  }
}

/** `node` as a shell finds it when `pulumi` starts the program: PATH without npm's node_modules/.bin. */
export async function checkNodeOnPath(probes: Probes): Promise<Finding[]> {
  const pathVar = probes.env.PATH ?? "";
  const shellPath = pathVar
    .split(path.delimiter)
    .filter((dir) => !dir.split(/[\\/]/).join("/").endsWith("node_modules/.bin"))
    .join(path.delimiter);
  const result = await probes.exec("node", ["--version"], { PATH: shellPath });
  const fix = `nvm install ${REQUIRED_NODE_MAJOR} && nvm use   # .nvmrc says ${REQUIRED_NODE_MAJOR}`;
  if (!result.found)
    return [{ check: "Node.js", needs: "offline", problem: "no `node` on your PATH: `pulumi` starts the program with it", fix }];
  const major = Number(/^v?(\d+)/.exec(result.stdout.trim())?.[1]);
  if (major >= REQUIRED_NODE_MAJOR) return [];
  return [
    {
      check: "Node.js",
      needs: "offline",
      problem: `\`node\` on your PATH is ${result.stdout.trim()}; \`pulumi\` starts the program with it and @pulumi/pulumi needs Node ${REQUIRED_NODE_MAJOR}`,
      fix,
    },
  ];
}

/** `secure:` values still holding the committed placeholder, which no secrets provider can decrypt. */
export function checkPlaceholders(stack: string, file: StackFile): Finding[] {
  const ephemeral = EPHEMERAL.exec(stack);
  return Object.entries(file.config)
    .filter(([, value]) => isPlaceholder((value as { secure?: unknown } | null)?.secure))
    .map(([key]) => ({
      check: "placeholder secrets",
      needs: "offline" as const,
      problem: `${key} in Pulumi.${stack}.yaml is the committed placeholder, which no secrets provider can decrypt`,
      fix:
        key === "auth0:clientSecret"
          ? ephemeral
            ? `npm run ephemeral -- up ${ephemeral[1]}   # sets it from AUTH0_SANDBOX_CLIENT_SECRET`
            : `pulumi config rm auth0:clientSecret --stack ${stack}   # then give pulumi AUTH0_CLIENT_SECRET (docs/pull-requests.md)`
          : `pulumi config set --secret ${key} --stack ${stack}   # paste the value when asked`,
    }));
}

/**
 * The deploy secret: outside ephemeral stacks it must not be in config (every token that can preview the
 * stack can decrypt it), so the provider needs it in AUTH0_CLIENT_SECRET (infra/provider.ts).
 */
export function checkDeploySecret(stack: string, file: StackFile, env: Probes["env"]): Finding[] {
  const inConfig = file.config["auth0:clientSecret"];
  const placeholder = isPlaceholder((inConfig as { secure?: unknown } | null)?.secure);
  if (EPHEMERAL.test(stack)) return [];
  if (inConfig !== undefined && !placeholder) {
    return [
      {
        check: "deploy secret",
        needs: "offline",
        problem: `Pulumi.${stack}.yaml holds auth0:clientSecret: every token that can preview this stack can decrypt it`,
        fix: `pulumi config rm auth0:clientSecret --stack ${stack}   # and give pulumi AUTH0_CLIENT_SECRET instead (docs/pull-requests.md)`,
      },
    ];
  }
  if (inConfig === undefined && !env.AUTH0_CLIENT_SECRET) {
    return [
      {
        check: "deploy secret",
        needs: "offline",
        problem: "AUTH0_CLIENT_SECRET is not set: the Auth0 provider cannot sign in to the tenant",
        fix: "read -rs AUTH0_CLIENT_SECRET && export AUTH0_CLIENT_SECRET   # the secret of the application auth0:clientId names",
      },
    ];
  }
  return [];
}

/** A stack that owns post-login but has not been adopted would unbind whatever the live tenant binds there. */
export function checkAdoption(stack: string, file: StackFile): Finding[] {
  const postLogin = (file.config["tenant:postLogin"] ?? {}) as { mode?: unknown; adopted?: unknown };
  if (EPHEMERAL.test(stack) || (postLogin.mode ?? "owner") !== "owner" || postLogin.adopted === true) return [];
  return [
    {
      check: "adoption",
      needs: "offline",
      problem: `tenant:postLogin in Pulumi.${stack}.yaml is not adopted from the live tenant: the first \`pulumi up\` takes over post-login and unbinds every Action bound there today (and duplicates existing applications)`,
      fix: `npm run adopt -- --export --out tenant-export.json && npm run adopt -- --stack ${stack} --from tenant-export.json   # docs/adoption.md; a new, empty tenant: set adopted: true`,
    },
  ];
}

export function checkPolicyDependencies(probes: Probes): Finding[] {
  if (probes.exists(POLICY_SDK)) return [];
  return [
    {
      check: "policy pack",
      needs: "offline",
      problem: "the policy pack's dependencies are not installed: `pulumi preview --policy-pack policy` cannot load it",
      fix: "npm ci --prefix policy",
    },
  ];
}

/** The stack's config as the language host hands it to the program: plain values, and secrets by key. */
export function programConfig(config: Record<string, unknown>): { config: Record<string, string>; secretKeys: string[] } {
  const out: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value !== null && typeof value === "object" && "secure" in value) {
      out[key] = "[secret: not decrypted by the doctor]";
      secretKeys.push(key);
    } else out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config: out, secretKeys };
}

/**
 * Pulumi.yaml's `runtime.options.nodeargs`, split as the language host splits them: it passes them to `node`
 * before the runner (pulumi-language-nodejs main.go, `shlex.Split(opts.nodeargs)`). None when Pulumi.yaml
 * sets none; a Pulumi.yaml that does not parse is the engine's to report.
 */
function projectNodeArgs(probes: Probes): string[] {
  const text = probes.readFile("Pulumi.yaml");
  try {
    return text === undefined ? [] : nodeArgsOf(text);
  } catch {
    return [];
  }
}

/**
 * Starts the program as the engine starts it (harness/start-like-pulumi.js, after Pulumi.yaml's
 * nodeargs), against mocks.
 */
export async function checkProgramStarts(stack: string, file: StackFile, probes: Probes): Promise<Finding[]> {
  const { config, secretKeys } = programConfig(file.config);
  const result = await probes.exec(probes.nodeBinary, [...projectNodeArgs(probes), START_HARNESS, probes.root, stack], {
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
  });
  if (result.code === 0) return [];
  // The runner's message (a settings error lists one problem per line), without the stack trace.
  const message = result.stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .filter((line, index, all) => !line.startsWith("at ") && all.slice(0, index).every((l) => !l.startsWith("at ")));
  const reason = message.length > 0 ? message.slice(0, 6).join(" ") : `exit code ${result.code}`;
  return [
    {
      check: "program start-up",
      needs: "offline",
      problem: `the program does not start as \`pulumi preview\` starts it: ${reason}`,
      fix: `npm run plan -- --stack ${stack}   # shows the same error with the key and file to correct`,
    },
  ];
}

function semver(text: string): number[] | undefined {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? match.slice(1, 4).map(Number) : undefined;
}

function older(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** The Pulumi CLI, at least the pinned version. Returns whether the CLI can run the checks after it. */
export async function checkPulumiCli(probes: Probes): Promise<{ findings: Finding[]; usable: boolean }> {
  const pinned = (probes.readFile(PULUMI_VERSION_FILE) ?? "").trim();
  const install = `curl -fsSL https://get.pulumi.com | sh -s -- --version ${pinned}`;
  const result = await probes.exec("pulumi", ["version"]);
  if (!result.found || result.code !== 0) {
    return {
      findings: [
        {
          check: "Pulumi CLI",
          needs: "the Pulumi CLI",
          problem: "the Pulumi CLI is not installed (`pulumi` is not on your PATH)",
          fix: install,
        },
      ],
      usable: false,
    };
  }
  const have = semver(result.stdout);
  const want = semver(pinned);
  if (have && want && older(have, want)) {
    return {
      findings: [
        {
          check: "Pulumi CLI",
          needs: "the Pulumi CLI",
          problem: `the Pulumi CLI is ${result.stdout.trim()}, older than ${pinned} (${PULUMI_VERSION_FILE})`,
          fix: install,
        },
      ],
      usable: true,
    };
  }
  return { findings: [], usable: true };
}

/** The backend login, and the stack in that backend. */
export async function checkBackend(stack: string, probes: Probes): Promise<Finding[]> {
  const whoami = await probes.exec("pulumi", ["whoami"]);
  if (whoami.code !== 0) {
    return [
      {
        check: "backend login",
        needs: "the Pulumi CLI and the network",
        problem: `not logged in to a Pulumi backend${whoami.stderr.trim() ? ` (${whoami.stderr.trim().split("\n")[0]})` : ""}`,
        fix: "pulumi login   # or set PULUMI_ACCESS_TOKEN; a self-managed backend: pulumi login <url>",
      },
    ];
  }
  const list = await probes.exec("pulumi", ["stack", "ls", "--json"]);
  if (list.code !== 0) return [];
  let names: string[] = [];
  try {
    names = (JSON.parse(list.stdout) as { name: string }[]).map((s) => s.name.split("/").pop() as string);
  } catch {
    return [];
  }
  if (names.includes(stack)) return [];
  return [
    {
      check: "stack",
      needs: "the Pulumi CLI and the network",
      problem: `the backend (${whoami.stdout.trim()}) has no stack ${stack} in this project`,
      fix: `pulumi stack init ${stack}`,
    },
  ];
}

/** Every check, in the order a newcomer would fix them. */
export async function diagnose(stack: string, probes: Probes): Promise<Report> {
  const findings: Finding[] = [];
  const skipped: Skipped[] = [];
  findings.push(...(await checkNodeOnPath(probes)));
  const file = stackFile(stack, probes);
  if (stack === EPHEMERAL_TEMPLATE && "problem" in file) {
    return {
      stack,
      findings: [...findings, file],
      skipped: [{ check: "everything else", reason: "needs an ephemeral stack, not its template" }],
    };
  }
  if ("problem" in file) {
    findings.push(file);
    skipped.push({ check: "secrets, adoption and program start-up", reason: `needs Pulumi.${stack}.yaml` });
  } else {
    findings.push(...checkPlaceholders(stack, file), ...checkDeploySecret(stack, file, probes.env), ...checkAdoption(stack, file));
  }
  findings.push(...checkPolicyDependencies(probes));
  if (!("problem" in file)) findings.push(...(await checkProgramStarts(stack, file, probes)));
  const cli = await checkPulumiCli(probes);
  findings.push(...cli.findings);
  if (cli.usable) findings.push(...(await checkBackend(stack, probes)));
  else skipped.push({ check: "backend login and the stack in the backend", reason: "needs the Pulumi CLI" });
  return { stack, findings, skipped };
}

export function formatReport(report: Report): string {
  // One line per problem, with the command that fixes it.
  const lines = report.findings.map((f) => `✗ ${f.problem}. Fix: ${f.fix}${f.needs === "offline" ? "" : ` [needs ${f.needs}]`}`);
  for (const s of report.skipped) lines.push(`- not checked: ${s.check} (${s.reason})`);
  lines.push(
    report.findings.length === 0
      ? `✓ nothing stands between this checkout and \`pulumi preview --stack ${report.stack}\``
      : `${report.findings.length} problem${report.findings.length === 1 ? "" : "s"} before \`pulumi preview --stack ${report.stack}\` can succeed`,
  );
  return `${lines.join("\n")}\n`;
}
