// npm run metadata:sync -- --stack <name> --input <file.csv|file.json> [--apply] [--state <file>] [--concurrency n] [--rate n]
// Brings the tenant's users in line with the system of record: app_metadata.tenant_id, app_metadata.plan
// and the stack's RBAC roles. Dry run unless --apply. Progress on stderr; the changes and summary on stdout.
import { readFileSync } from "node:fs";
import { flags, required, runCli } from "./lib/cli";
import { exitCodeFor, renderResult } from "./lib/metadata-sync/report";
import { credentialsFromEnv, runSync } from "./lib/metadata-sync/sync";
import { readStackSettings } from "../harness/stack-file";
import { UserError } from "../infra/errors";

const USAGE =
  "npm run metadata:sync -- --stack <name> --input <users.csv|users.json> [--apply] [--state <file>] [--concurrency <n, default 2>] [--rate <requests/s, default 2>]";

void runCli(async () => {
  const args = flags(USAGE, {
    stack: { type: "string" },
    input: { type: "string" },
    apply: { type: "boolean", default: false },
    state: { type: "string" },
    concurrency: { type: "string" },
    rate: { type: "string" },
  });
  const settings = readStackSettings(required(args.stack, "stack", USAGE));
  const credentials = credentialsFromEnv(process.env, settings);
  const file = required(args.input, "input", USAGE);

  // The first Ctrl-C stops starting new users and prints the summary; a second one quits at once.
  const interrupt = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("metadata-sync: interrupted; finishing the users in flight (Ctrl-C again to quit now)\n");
    interrupt.abort();
  });

  const result = await runSync({
    settings,
    input: { file, text: readInput(file) },
    apply: args.apply === true,
    statePath: args.state,
    credentials,
    concurrency: positive(args.concurrency, "concurrency", true),
    requestsPerSecond: positive(args.rate, "rate", false),
    progress: (line) => process.stderr.write(`metadata-sync: ${line}\n`),
    signal: interrupt.signal,
  });
  process.stdout.write(renderResult(result));
  process.exitCode = exitCodeFor(result);
}).then(() => {
  // The SDK leaves a timer running for each request that failed without a response (see tenant.ts):
  // exit once stdout and stderr are flushed rather than wait for those timers.
  process.stdout.write("", () => process.stderr.write("", () => process.exit()));
});

function readInput(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UserError(
      `--input ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
}

function positive(value: string | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number > 0) || !Number.isFinite(number) || (integer && !Number.isInteger(number))) {
    throw new UserError(`--${name} must be a positive ${integer ? "whole " : ""}number (got "${value}")\nusage: ${USAGE}`);
  }
  return number;
}
