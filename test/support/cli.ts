// Running the commands in tests: in process through runCommand (the same parser, help and exit codes as the
// process entry), or launched as a user launches them, for the one end-to-end run per command.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { type Command, type FlagSpecs, runCommand } from "../../tools/lib/cli";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in process; `cwd` is where it runs (its project is found from there), `env` its environment. */
export async function run(
  command: { spec: unknown; run: unknown },
  argv: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const code = await runCommand(command as Command<FlagSpecs>, argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: options.cwd ?? ROOT,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** Launches tools/<tool>.ts with ts-node, as `npm run <tool>` does. */
export function launch(tool: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Ran {
  const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), path.join(ROOT, "tools", `${tool}.ts`), ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
