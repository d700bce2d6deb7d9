// Running the commands in tests: in process through runCommand (the same parser, help and exit codes as the
// process entry), or launched as a user launches them, for the one end-to-end run per command.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
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

/**
 * Launches `npm run <script>` as package.json spells it (`ts-node -P tsconfig.tools.json tools/<tool>.ts`), with
 * npm's own part left out: ts-node from node_modules/.bin, on this Node, paths resolved from the project root.
 */
export function launch(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Ran {
  const [bin, ...scriptArgs] = scriptLine(script);
  if (bin !== "ts-node") throw new Error(`npm run ${script} does not start with ts-node: ${scriptLine(script).join(" ")}`);
  const resolved = scriptArgs.map((arg) => (arg.startsWith("-") ? arg : path.join(ROOT, arg)));
  const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), ...resolved, ...args], {
    cwd: options.cwd ?? ROOT,
    // The tests' compile cache settings (jest.config.js) reach a launch with an environment of its own too.
    env: { ...(options.env ?? process.env), ...compileCache() },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const { COMPILE_CACHE_VARIABLES } = require("../../tools/compile-cache") as { COMPILE_CACHE_VARIABLES: string[] };

function compileCache(): NodeJS.ProcessEnv {
  return Object.fromEntries(COMPILE_CACHE_VARIABLES.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
}

/** package.json's line for `script`, split into words. */
export function scriptLine(script: string): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const line = scripts[script];
  if (!line) throw new Error(`package.json has no script ${script}`);
  return line.split(/\s+/);
}
