// What every CLI shares: flag parsing and the rule that expected failures print one message, no trace.
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {}

/** Known failure classes print their message alone; anything else is a bug and keeps its stack. */
export async function runCli(main: () => Promise<void>, expected: (new (...args: never[]) => Error)[]): Promise<void> {
  try {
    await main();
  } catch (error) {
    const known = error instanceof UsageError || expected.some((kind) => error instanceof kind);
    process.stderr.write(`${known ? (error as Error).message : ((error as Error)?.stack ?? String(error))}\n`);
    process.exitCode = known ? 2 : 1;
  }
}

export function flags<T extends NonNullable<ParseArgsConfig["options"]>>(usage: string, options: T) {
  try {
    return parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
  }
}

export function required(value: string | boolean | undefined, name: string, usage: string): string {
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required\nusage: ${usage}`);
  return value;
}
