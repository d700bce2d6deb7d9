// Launches harness/start-like-pulumi.js as the language host launches Pulumi's runner: `node`, then
// Pulumi.yaml's `runtime.options.nodeargs` split as pulumi-language-nodejs splits them (shlex.Split in
// pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go, placed before the runner's path), with the
// config in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS. Used by the benchmark (tools/bench/) and the tests
// that start the program.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

export const HARNESS = path.join(__dirname, "start-like-pulumi.js");
const REPO_ROOT = path.resolve(__dirname, "..");

export interface LaunchConfig {
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
}

export interface Launch {
  /** Project directory (holds Pulumi.yaml). */
  dir: string;
  stack: LaunchConfig;
  /** Node arguments; default: the project's `runtime.options.nodeargs`. */
  nodeArgs?: string[];
  /** Stands for a different `runtime.options.tsconfig` (absolute, or relative to the program's directory). */
  tsconfig?: string;
  /** Extra environment for the child (added to this process's). */
  env?: NodeJS.ProcessEnv;
  /** Kill the child after this long; `launch` then throws (a run that might never end). Default: none. */
  timeoutMs?: number;
}

/** What the harness printed for a run that exited 0. */
export interface Started {
  cwd: string;
  entry: string;
  tsconfig: string | null;
  node: string;
  typescript: { version: string; path: string };
  exports: string[];
  resources: string[];
  ms: number;
}

export interface Launched {
  status: number | null;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
  /** CPU time (user + system) of the child and what it waited for, where the OS tells it (Linux); else NaN. */
  cpuMs: number;
  run?: Started;
}

export function launch({ dir, stack, nodeArgs, tsconfig, env, timeoutMs }: Launch): Launched {
  const args = [...(nodeArgs ?? projectNodeArgs(dir)), HARNESS, dir, stack.stack, ...(tsconfig ? [`--tsconfig=${tsconfig}`] : [])];
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: dir,
    env: {
      ...process.env,
      ...env,
      PULUMI_CONFIG: JSON.stringify(stack.config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(stack.secretKeys),
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutMs,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuMs = childrenCpuMs() - cpuBefore;
  if (result.error) throw result.error;
  return {
    status: result.status,
    stderr: result.stderr,
    ms,
    cpuMs,
    run: result.status === 0 ? (JSON.parse(result.stdout) as Started) : undefined,
  };
}

/**
 * CPU time of this process's waited-for children so far: cutime + cstime from /proc/self/stat (proc(5)),
 * in clock ticks of 10 ms. On a loaded machine it moves less than wall time. NaN where there is no /proc.
 */
export function childrenCpuMs(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of proc(5), counted from 1 with pid and comm as 1 and 2: here indices 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * A project in a temporary folder that starts as this one does: this repository's Pulumi.yaml (its runtime
 * options: nodeargs, tsconfig) and tsconfig files, its node_modules linked, a package.json named `name` whose
 * main is index.ts, and `files` (index.ts among them). `cleanup` removes the folder.
 */
export function projectBeside(name: string, files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `${name}-`));
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  for (const file of ["Pulumi.yaml", "tsconfig.json", "tsconfig.pulumi.json"]) cpSync(path.join(REPO_ROOT, file), path.join(dir, file));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, main: "index.ts" }));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Pulumi.yaml's runtime.options.nodeargs in `dir`, split into arguments. */
export function projectNodeArgs(dir: string): string[] {
  return nodeArgsOf(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
}

/** runtime.options.nodeargs of a Pulumi.yaml's text, split into arguments; none when it sets none. */
export function nodeArgsOf(projectYaml: string): string[] {
  const project = parse(projectYaml) as { runtime?: { options?: { nodeargs?: unknown } } } | null;
  const nodeargs = project?.runtime?.options?.nodeargs;
  if (nodeargs === undefined) return [];
  if (typeof nodeargs !== "string") throw new Error("Pulumi.yaml: runtime.options.nodeargs must be a string");
  return splitNodeArgs(nodeargs);
}

/**
 * Splits a command line as the language host does (github.com/google/shlex Split, the POSIX rules it
 * implements): whitespace separates words, single quotes keep everything, double quotes keep everything
 * but `\"` and `\\`, a backslash outside quotes escapes the next character, `#` at a word's start begins a comment.
 */
export function splitNodeArgs(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) word += line[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "#" && word === undefined) {
      break;
    } else {
      word ??= "";
      if (c === "'" || c === '"') quote = c;
      else if (c === "\\" && i + 1 < line.length) word += line[++i];
      else word += c;
    }
  }
  if (quote) throw new Error(`nodeargs: unterminated ${quote} quote in ${JSON.stringify(line)}`);
  if (word !== undefined) words.push(word);
  return words;
}
