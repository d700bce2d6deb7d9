// npm run ephemeral -- config <id> | up <id> | destroy <id> | gc --older-than <duration>
//                     | token <id> --app <key> --user <fixture> [--refresh] [--compare] | env <id>   [--json]
// Progress goes to stderr; the result to stdout.
import { projectDir } from "../harness/stack-file";
import { defineCommand, runCli, UserError } from "./lib/cli";
import { destroy, gc, render, up, writeConfig, type DestroyResult, type GcResult, type UpResult } from "./lib/ephemeral/lifecycle";
import { parseDuration } from "./lib/ephemeral/stack-file";
import { environment, pick, token, toDotenv } from "./lib/ephemeral/test-logins";
import { projectFiles, realDeps } from "./lib/ephemeral/workspace";

const VERBS = ["config", "up", "destroy", "gc", "token", "env"] as const;
type Verb = (typeof VERBS)[number];
/** Which flags each verb takes (besides --json). */
const VERB_FLAGS: Record<Verb, string[]> = {
  config: [],
  up: [],
  destroy: [],
  gc: ["older-than"],
  token: ["app", "user", "refresh", "compare"],
  env: [],
};
/** `token`: the real login differs from the offline simulation, or the tenant refused it. */
export const EXIT_FINDING = 3;

export const command = defineCommand(
  {
    name: "ephemeral",
    summary:
      "Ephemeral stacks eph-<id> in the shared sandbox tenant. config writes Pulumi.eph-<id>.yaml from Pulumi.ephemeral.yaml (offline); up creates or updates the stack and smoke-checks its Action; destroy removes it; gc destroys the ones created longer ago than --older-than; token signs a test user in for real and prints the claims; env prints the stack's test environment as dotenv. Every verb but config needs the Pulumi CLI (logged in); up needs AUTH0_SANDBOX_DOMAIN, AUTH0_SANDBOX_CLIENT_ID and AUTH0_SANDBOX_CLIENT_SECRET.",
    positionals: {
      usage: [
        "config <id>",
        "up <id>",
        "destroy <id>",
        "gc --older-than <duration>",
        "token <id> --app <key> --user <fixture> [--refresh] [--compare]",
        "env <id>",
      ],
      description: "<id>: lower-case letters, digits and '-', at most 24 (the stack is eph-<id>).",
    },
    flags: {
      "older-than": { type: "string", value: "<duration>", description: "gc: 12h, 2d, 1w (units m, h, d, w)." },
      app: { type: "string", value: "<key>", description: "token: the application signed into." },
      user: { type: "string", value: "<fixture>", description: "token: the test user signing in." },
      refresh: { type: "boolean", description: "token: also exchange the refresh token and print those claims." },
      compare: { type: "boolean", description: `token: compare with the offline simulation; exit ${EXIT_FINDING} on a difference.` },
      json: {
        type: "boolean",
        description: "Print the result as JSON (up: the stack's outputs and the smoke check; env: instead of dotenv).",
      },
    },
    examples: [
      "npm run ephemeral -- config pr-42",
      "npm run --silent ephemeral -- up pr-42 --json > outputs.json",
      "npm run ephemeral -- token pr-42 --app dashboard --user editor --compare",
      "npm run ephemeral -- gc --older-than 2d",
    ],
    exitCodes: { [EXIT_FINDING]: "token: the login differs from the offline simulation, or the tenant refused it (printed)" },
  },
  async ({ flags, positionals }, io) => {
    const [word, ...rest] = positionals;
    if (!(VERBS as readonly string[]).includes(word ?? "")) {
      throw new UserError(
        `${word === undefined ? "a verb is needed" : `unknown verb "${word}"`}: ${VERBS.join(", ")}\nSee npm run ephemeral -- --help`,
      );
    }
    const verb = word as Verb;
    if (verb === "gc" ? rest.length !== 0 : rest.length !== 1) {
      throw new UserError(
        verb === "gc" ? "gc takes no <id>: gc --older-than <duration>" : `${verb} needs one <id>: ephemeral ${verb} <id>`,
      );
    }
    const given = Object.keys(flags).filter(
      (name) => name !== "json" && flags[name as keyof typeof flags] !== undefined && flags[name as keyof typeof flags] !== false,
    );
    const foreign = given.filter((name) => !VERB_FLAGS[verb].includes(name));
    if (foreign.length > 0)
      throw new UserError(`${foreign.map((n) => `--${n}`).join(", ")} ${foreign.length === 1 ? "is" : "are"} not for ${verb}`);
    const dir = projectDir(io.cwd);
    const files = projectFiles(dir);
    const print = (result: unknown, text: string): void => io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : text);
    switch (verb) {
      case "config": {
        const result = writeConfig({ files }, rest[0]);
        print(result, `Wrote ${result.file} (stack ${result.stack})\n`);
        return 0;
      }
      case "up": {
        const result = await up(await realDeps(io.env, dir), rest[0]);
        print(result, describeUp(result));
        return 0;
      }
      case "destroy": {
        const result = await destroy(await realDeps(io.env, dir), rest[0]);
        print(result, describeDestroy(result));
        return 0;
      }
      case "gc": {
        if (flags["older-than"] === undefined) throw new UserError("gc needs --older-than <duration>");
        // The duration first: a bad one is the user's to fix even where Pulumi is not installed.
        const olderThan = parseDuration(flags["older-than"]);
        const result = await gc(await realDeps(io.env, dir), olderThan);
        print(result, describeGc(result));
        return 0;
      }
      case "token": {
        if (flags.app === undefined || flags.user === undefined) throw new UserError("token needs --app <key> and --user <fixture>");
        // The flags are checked against the stack's declarations before anything reaches Pulumi or the tenant.
        const settings = render({ files }, rest[0]).settings;
        const options = { app: flags.app, user: flags.user, refresh: flags.refresh, compare: flags.compare };
        pick(settings, options.app, options.user);
        const result = await token(await realDeps(io.env, dir), settings, options);
        // Claims only, never a token or a password: printed as JSON either way.
        io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        if (result.differences && result.differences.length > 0) {
          io.stderr(`the login differs from the offline simulation:\n${result.differences.map((d) => `  - ${d}`).join("\n")}\n`);
          return EXIT_FINDING;
        }
        return !result.differences && "refused" in result.login ? EXIT_FINDING : 0;
      }
      case "env": {
        const settings = render({ files }, rest[0]).settings;
        const env = await environment(await realDeps(io.env, dir), settings);
        print(env, toDotenv(env));
        return 0;
      }
    }
  },
);

// The sandbox is managed through the auth0 SDK, which can leave a timer running after a failed request
// (managementClient in tools/lib/management-api.ts): exit once stdout and stderr are flushed.
if (require.main === module) void runCli(command, { exitWhenDone: true });

function describeUp(r: UpResult): string {
  return [
    `${r.stack} is up in ${r.domain}`,
    `  audience: ${r.audience}`,
    `  Action: ${r.actionId}`,
    ...Object.entries(r.clientIds).map(([key, id]) => `  ${key}: ${id}`),
    `  smoke check: ${Object.keys(r.smoke.claims).length} claims on ${r.smoke.application}`,
    "",
  ].join("\n");
}

function describeDestroy({ stack, destroyed }: DestroyResult): string {
  return destroyed ? `Destroyed ${stack} and removed it\n` : `${stack} does not exist; its stack file is removed\n`;
}

function describeGc(result: GcResult): string {
  const list = (names: string[]) => (names.length > 0 ? names.join(", ") : "none");
  return [
    `destroyed: ${list(result.destroyed)}`,
    `kept: ${list(result.kept)}`,
    ...result.failed.map((f) => `failed: ${f.stack}: ${f.error}`),
    "",
  ].join("\n");
}
