// npm run metadata:sync -- --stack <name> --input <file.csv|file.json> [--apply] [--state <file>] [--concurrency n] [--rate n] [--json]
// Brings the tenant's users in line with the system of record: app_metadata.tenant_id, app_metadata.plan
// and the stack's RBAC roles. Dry run unless --apply. Progress on stderr; the changes and summary on stdout.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { projectDir, readStackSettings } from "../harness/stack-file";
import { UserError } from "../infra/errors";
import { defineCommand, positiveFlag, runCli } from "./lib/cli";
import { exitCodeFor, renderResult } from "./lib/metadata-sync/report";
import { credentialsFromEnv, runSync } from "./lib/metadata-sync/sync";

export const command = defineCommand(
  {
    name: "metadata:sync",
    summary:
      "Brings the tenant's users in line with the system of record: app_metadata.tenant_id, app_metadata.plan and the stack's RBAC roles, from a CSV or JSON file. A dry run unless --apply. Needs a machine-to-machine application for the stack's own tenant (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET; scopes read:users update:users read:roles). The first Ctrl-C finishes the users in flight and prints the summary.",
    flags: {
      stack: { type: "string", value: "<name>", required: true, description: "The stack whose tenant and roles to sync." },
      input: {
        type: "string",
        value: "<users.csv|users.json>",
        required: true,
        description: "The system of record's export: user_id, tenant_id, plan, roles.",
      },
      apply: { type: "boolean", description: "Write the changes (without it nothing is written, not even --state)." },
      state: { type: "string", value: "<file>", description: "A journal of finished users: a rerun resumes after them." },
      concurrency: { type: "string", value: "<n>", description: "Users written at once (default 2)." },
      rate: { type: "string", value: "<requests/s>", description: "Client-side pacing (default 2, the free plan's limit)." },
      json: { type: "boolean", description: "Print the result as JSON instead of the report." },
    },
    examples: [
      "npm run metadata:sync -- --stack dev --input users.csv",
      "npm run metadata:sync -- --stack prod --input users.json --apply --state sync-state.jsonl",
    ],
    exitCodes: { 3: "finished, but some rows were skipped as bad or some users were not written (the report lists them)" },
  },
  async ({ flags }, io) => {
    const settings = readStackSettings(flags.stack, projectDir(io.cwd));
    const credentials = credentialsFromEnv(io.env, settings);
    const concurrency = positiveFlag(flags.concurrency, "concurrency", true);
    const requestsPerSecond = positiveFlag(flags.rate, "rate", false);
    const text = readInput(path.resolve(io.cwd, flags.input), flags.input);

    // The first Ctrl-C stops starting new users and prints the summary; a second one quits at once.
    const interrupt = new AbortController();
    const onInterrupt = () => {
      io.stderr("metadata-sync: interrupted; finishing the users in flight (Ctrl-C again to quit now)\n");
      interrupt.abort();
    };
    process.once("SIGINT", onInterrupt);
    try {
      const result = await runSync({
        settings,
        input: { file: flags.input, text },
        apply: flags.apply,
        statePath: flags.state,
        credentials,
        concurrency,
        requestsPerSecond,
        progress: (line) => io.stderr(`metadata-sync: ${line}\n`),
        signal: interrupt.signal,
      });
      io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderResult(result));
      return exitCodeFor(result);
    } finally {
      process.removeListener("SIGINT", onInterrupt);
    }
  },
);

// The SDK leaves a timer running for each request that failed without a response (managementClient in
// tools/lib/management-api.ts): exit once stdout and stderr are flushed rather than wait for those timers.
if (require.main === module) void runCli(command, { exitWhenDone: true });

function readInput(file: string, label: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UserError(
      `--input ${label}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
}
