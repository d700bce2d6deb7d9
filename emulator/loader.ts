// Loads Action code the way Auth0 does (docs/auth0-facts.md, "Action code, limits and runtime"): the source is
// wrapped with vm.compileFunction as function(module, exports, console), run once, and the handler is
// read from module.exports afterwards, as a CommonJS loader does.
import { Console } from "node:console";
import { Writable } from "node:stream";
import * as vm from "node:vm";
import type { PostLoginHandler } from "../actions/types";
import { UserError } from "../infra/errors";

/** The Action's own logs go to stderr by default: they are diagnostics, never a tool's output. */
export const STDERR_CONSOLE = new Console(process.stderr);
/** For callers that compare or time logins and would only be slowed or buried by the Action's logs. */
export const SILENT_CONSOLE = new Console({ stdout: new Writable({ write: (_chunk, _encoding, done) => done() }) });

export function loadPostLoginHandler(code: string, filename = "action.js", console_: Console = STDERR_CONSOLE): PostLoginHandler {
  let wrapper: (...args: unknown[]) => unknown;
  try {
    wrapper = vm.compileFunction(code, ["module", "exports", "console"], { filename }) as typeof wrapper;
  } catch (error) {
    throw new UserError(`${filename} does not compile: ${(error as Error).message}`);
  }
  const module = { exports: {} as unknown };
  try {
    wrapper(module, module.exports, console_);
  } catch (error) {
    throw new UserError(`${filename} threw while initialising: ${(error as Error).message}`);
  }
  const exported = module.exports;
  if (exported === null || typeof exported !== "object") {
    throw new UserError(`${filename}: module.exports must be an object`);
  }
  const handler = (exported as Record<string, unknown>).onExecutePostLogin;
  if (typeof handler !== "function") {
    throw new UserError(`${filename} does not export onExecutePostLogin`);
  }
  if (handler.constructor.name !== "AsyncFunction") {
    throw new UserError(`${filename}: onExecutePostLogin must be a native async function (was async down-levelled?)`);
  }
  return handler as PostLoginHandler;
}
