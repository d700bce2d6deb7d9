// npm run ephemeral -- config <id> | up <id> | destroy <id> | gc --older-than <duration>  [--json]
// Progress goes to stderr; the result to stdout.
import { projectDir } from "../harness/stack-file";
import { defineCommand, runCli, UserError } from "./lib/cli";
import { destroy, gc, up, writeConfig, type DestroyResult, type GcResult, type UpResult } from "./lib/ephemeral/lifecycle";
import { parseDuration } from "./lib/ephemeral/stack-file";
import { projectFiles, realDeps } from "./lib/ephemeral/workspace";

const VERBS = ["config", "up", "destroy", "gc"] as const;

export const command = defineCommand(
  {
    name: "ephemeral",
    summary:
      "Ephemeral stacks eph-<id> in the shared sandbox tenant. config writes Pulumi.eph-<id>.yaml from Pulumi.ephemeral.yaml (offline); up creates or updates the stack and smoke-checks its Action; destroy removes it; gc destroys the ones created longer ago than --older-than. up, destroy and gc need the Pulumi CLI (logged in); up needs AUTH0_SANDBOX_DOMAIN, AUTH0_SANDBOX_CLIENT_ID and AUTH0_SANDBOX_CLIENT_SECRET.",
    positionals: {
      usage: ["config <id>", "up <id>", "destroy <id>", "gc --older-than <duration>"],
      description: "<id>: lower-case letters, digits and '-', at most 24 (the stack is eph-<id>).",
    },
    flags: {
      "older-than": { type: "string", value: "<duration>", description: "gc only: 12h, 2d, 1w (units m, h, d, w)." },
      json: { type: "boolean", description: "Print the result as JSON (up: the stack's outputs and the smoke check)." },
    },
    examples: [
      "npm run ephemeral -- config pr-42",
      "npm run --silent ephemeral -- up pr-42 --json > outputs.json",
      "npm run ephemeral -- gc --older-than 2d",
    ],
  },
  async ({ flags, positionals }, io) => {
    const [verb, ...rest] = positionals;
    if (!(VERBS as readonly string[]).includes(verb ?? "")) {
      throw new UserError(
        `${verb === undefined ? "a verb is needed" : `unknown verb "${verb}"`}: ${VERBS.join(", ")}\nSee npm run ephemeral -- --help`,
      );
    }
    if (verb === "gc" ? rest.length !== 0 : rest.length !== 1) {
      throw new UserError(
        verb === "gc" ? "gc takes no <id>: gc --older-than <duration>" : `${verb} needs one <id>: ephemeral ${verb} <id>`,
      );
    }
    if ((verb === "gc") !== (flags["older-than"] !== undefined)) {
      throw new UserError(verb === "gc" ? "gc needs --older-than <duration>" : `--older-than is for gc only, not ${verb}`);
    }
    const dir = projectDir(io.cwd);
    const result = await (async () => {
      switch (verb) {
        case "config":
          return writeConfig({ files: projectFiles(dir) }, rest[0]);
        case "up":
          return up(await realDeps(io.env, dir), rest[0]);
        case "destroy":
          return destroy(await realDeps(io.env, dir), rest[0]);
        default: {
          // The duration first: a bad one is the user's to fix even where Pulumi is not installed.
          const olderThan = parseDuration(flags["older-than"]!);
          return gc(await realDeps(io.env, dir), olderThan);
        }
      }
    })();
    io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${describe(verb, result)}\n`);
    return 0;
  },
);

if (require.main === module) void runCli(command);

type Result = { stack: string; file: string } | UpResult | DestroyResult | GcResult;

export function describe(verb: string | undefined, result: Result): string {
  if ("destroyed" in result && Array.isArray(result.destroyed)) {
    const gcResult = result as GcResult;
    const list = (names: string[]) => (names.length > 0 ? names.join(", ") : "none");
    return [
      `destroyed: ${list(gcResult.destroyed)}`,
      `kept: ${list(gcResult.kept)}`,
      ...gcResult.failed.map((f) => `failed: ${f.stack}: ${f.error}`),
    ].join("\n");
  }
  if (verb === "config") return `Wrote ${(result as { file: string }).file} (stack ${(result as { stack: string }).stack})`;
  if (verb === "destroy") {
    const { stack, destroyed } = result as DestroyResult;
    return destroyed ? `Destroyed ${stack} and removed it` : `${stack} does not exist; its stack file is removed`;
  }
  const r = result as UpResult;
  return [
    `${r.stack} is up in ${r.domain}`,
    `  audience: ${r.audience}`,
    `  Action: ${r.actionId}`,
    ...Object.entries(r.clientIds).map(([key, id]) => `  ${key}: ${id}`),
    `  smoke check: ${Object.keys(r.smoke.claims).length} claims on ${r.smoke.application}`,
  ].join("\n");
}
