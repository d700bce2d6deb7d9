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

// On import (infra/index.ts imports this module first): undo Pulumi.yaml's cap when traces are requested.
if (tracesRequested() && Error.stackTraceLimit < FULL_TRACE_LIMIT) Error.stackTraceLimit = FULL_TRACE_LIMIT;
