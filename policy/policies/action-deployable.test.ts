import * as rules from "../../auth0/rules";
import { ACTION_CODE_MAX_BYTES, ACTION_RUNTIME, checkActionDeployable } from "./action-deployable";
import { action } from "./fixtures";

describe("auth0-action-deployable", () => {
  it("accepts a deployed node22 Action", () => {
    expect(checkActionDeployable(action())).toEqual([]);
  });

  it("refuses another runtime, naming it", () => {
    expect(checkActionDeployable(action({ runtime: "node18-actions" }))).toEqual([
      'Action "claim-mapping" runs on "node18-actions", not "node22". Fix: set runtime: "node22" on the auth0.Action, and test the Action on Node 22.',
    ]);
    expect(checkActionDeployable(action({ runtime: undefined }))).toEqual([
      expect.stringContaining('runs on Auth0\'s default runtime, not "node22"'),
    ]);
  });

  it("refuses an Action left as a draft", () => {
    const expected = (deploy: string) =>
      `Action "claim-mapping" is not deployed (deploy: ${deploy}): a draft never runs and cannot be bound. Fix: set deploy: true.`;
    expect(checkActionDeployable(action({ deploy: false }))).toEqual([expected("false")]);
    expect(checkActionDeployable(action({ deploy: undefined }))).toEqual([expected("undefined")]);
  });

  it("refuses code over 100 kB, counting UTF-8 bytes", () => {
    expect(checkActionDeployable(action({ code: "x".repeat(ACTION_CODE_MAX_BYTES) }))).toEqual([]);
    // 51,201 two-byte characters: under the limit in characters, over it in bytes.
    expect(checkActionDeployable(action({ code: "é".repeat(51_201) }))).toEqual([
      'Action "claim-mapping" code is 102402 bytes; Auth0 accepts at most 102400 (100 kB). ' +
        "Fix: shrink the bundle (`npm run bundle` prints its size): drop unused imports, or declare large npm packages as the Action's dependencies instead of bundling them.",
    ]);
  });

  it("ignores other resources", () => {
    expect(checkActionDeployable({ type: "auth0:index/role:Role", name: "admin", props: { runtime: "node12" } })).toEqual([]);
  });

  it("states the same runtime and size limit as auth0/rules.ts", () => {
    expect([ACTION_RUNTIME, ACTION_CODE_MAX_BYTES]).toEqual([rules.ACTION_RUNTIME, rules.ACTION_CODE_MAX_BYTES]);
  });
});
