// Stack traces cost most of a large preview. @pulumi/pulumi reads `new Error().stack` for every promise it
// creates (runtime/debuggable.js `debuggablePromise`, about 90 per resource), and under Pulumi's runner
// source-map-support formats each one (cmd/run/index.js requires "source-map-support/register"). With
// Error.stackTraceLimit = 0 those captures are empty and cheap; docs/performance.md has the figures.
//
// The cap is set in two places, both through this module's rules:
// - `pulumi preview` / `pulumi up`: Pulumi.yaml's `runtime.options.nodeargs: --stack-trace-limit=0` (the
//   language host passes nodeargs to node), and infra/index.ts imports this module first so that
//   PULUMI_TENANT_TRACES=1 restores full traces before any of the program's own modules load;
// - the plan engine (tools/lib/plan.ts) caps traces while it runs the program, with `withCappedTraces`.
// An error from the program while traces are capped carries a hint naming the variable (`withTraceHint`).

/** Set to 1 to keep full stack traces (the program's file and line for an error) at the cost of speed. */
export const TRACES_VARIABLE = "PULUMI_TENANT_TRACES";

/** Node's default Error.stackTraceLimit: what PULUMI_TENANT_TRACES=1 restores. */
export const FULL_TRACE_LIMIT = 10;

export const TRACE_HINT = `(stack traces are capped for speed; run with ${TRACES_VARIABLE}=1 for the file and line)`;

export function tracesRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[TRACES_VARIABLE]?.trim().toLowerCase();
  return value === "1" || value === "true";
}

/** Runs `work` with stack traces capped (unless requested), then restores the previous limit. */
export async function withCappedTraces<T>(work: () => Promise<T>): Promise<T> {
  if (tracesRequested()) return work();
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = previous;
  }
}

/**
 * Runs the program's synchronous part; an error it throws while traces are capped gets TRACE_HINT on its
 * message, so a user who sees no file and line learns how to get them. RunErrors (messages that name a
 * key and a file) are left alone: Pulumi prints them without a trace anyway.
 */
export function withTraceHint<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (Error.stackTraceLimit === 0 && error instanceof Error && !isRunError(error) && !error.message.includes(TRACE_HINT)) {
      error.message = `${error.message} ${TRACE_HINT}`;
      error.stack = `${error.name}: ${error.message}`;
    }
    throw error;
  }
}

/** @pulumi/pulumi's RunError, recognised as RunError.isInstance does (errors.js: the __pulumiRunError brand). */
function isRunError(error: Error): boolean {
  return (error as { __pulumiRunError?: boolean }).__pulumiRunError === true;
}

/**
 * A stack line Node 22.23's colored util.inspect never finishes with: a `node_modules` path segment whose
 * package part ("pkg" or "@scope/pkg") is not followed by another separator. markNodeModules in Node's
 * lib/internal/util/inspect.js then searches on from index -1, finds the same segment again and appends to
 * its output until the heap is exhausted (nodejs/node#64011, fixed upstream by nodejs/node#64022). The SDK's
 * source maps produce such lines: its top-level files map to node_modules/@pulumi/<file>.ts.
 */
const INSPECT_LOOPS_ON = /[\\/]node_modules[\\/](?:@[^\\/]*[\\/])?[^\\/]*$/;

/**
 * Wraps a source-mapping Error.prepareStackTrace (ts-node's source-map-support, under Pulumi's runner) so
 * that a frame whose mapped line would hang the runner's error printing (INSPECT_LOOPS_ON) is printed
 * unmapped instead: the real JavaScript file and line, which exist on disk, where the mapped .ts path does
 * not. Every other line is left as the formatter wrote it. The formatter ends with one line per frame.
 */
export function inspectSafeStackTraces(
  prepare: (error: Error, frames: NodeJS.CallSite[]) => unknown,
): (error: Error, frames: NodeJS.CallSite[]) => unknown {
  return (error, frames) => {
    const stack = prepare(error, frames);
    if (typeof stack !== "string") return stack;
    const lines = stack.split("\n");
    const first = lines.length - frames.length;
    if (first < 1) return stack;
    for (let i = first; i < lines.length; i++) {
      if (INSPECT_LOOPS_ON.test(lines[i])) lines[i] = `    at ${frames[i - first].toString()}`;
    }
    return lines.join("\n");
  };
}

// On import (infra/index.ts imports this module first): undo Pulumi.yaml's cap when traces are requested.
// Then, whenever errors carry frames (traces requested, or a start without Pulumi.yaml's cap), keep the
// traces the runner prints clear of the Node 22.23 bug above: an error thrown inside an `apply` has frames
// in the SDK's top-level files. Under the cap the stacks are empty and the formatter is left as it is.
if (tracesRequested() && Error.stackTraceLimit < FULL_TRACE_LIMIT) Error.stackTraceLimit = FULL_TRACE_LIMIT;
if (Error.stackTraceLimit > 0 && typeof Error.prepareStackTrace === "function") {
  Error.prepareStackTrace = inspectSafeStackTraces(Error.prepareStackTrace);
}
