// The real probes behind `npm run doctor`: commands run in the project directory, files read from it.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { ExecResult, Probes } from "./checks";

/** A command's output; `found: false` when it is not installed. Long runs (the program start-up) are allowed. */
function exec(root: string, command: string, args: string[], extra: Record<string, string | undefined> = {}): Promise<ExecResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error: NodeJS.ErrnoException) =>
      resolve({ found: error.code !== "ENOENT", code: null, stdout, stderr: stderr || error.message }),
    );
    child.on("close", (code) => resolve({ found: true, code, stdout, stderr }));
  });
}

export function realProbes(root: string): Probes {
  return {
    exec: (command, args, env) => exec(root, command, args, env),
    readFile: (relative) => {
      const file = path.join(root, relative);
      return existsSync(file) ? readFileSync(file, "utf8") : undefined;
    },
    exists: (relative) => existsSync(path.join(root, relative)),
    env: process.env,
    root,
    nodeBinary: process.execPath,
  };
}
