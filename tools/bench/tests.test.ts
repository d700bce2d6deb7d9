// What the bench's tests section says about the type-check of each `npm test` run (tools/bench/tests.ts).
import { typecheckOf } from "./tests";

describe("typecheckOf", () => {
  it("says when tsc was not started because no input changed", () => {
    const stdout =
      "Tests: 936 passed\n\nnpm run typecheck: passed in 0.2 s: no input changed since the last check that passed; `npm run typecheck -- --force` checks again\n";
    expect(typecheckOf(stdout)).toBe("tsc not started, no input changed");
  });

  it("gives the line of a run that checked, or failed", () => {
    expect(typecheckOf("npm run typecheck: passed in 4.4 s: checked 1605 files (infra/index.ts changed)\n")).toBe(
      "passed in 4.4 s: checked 1605 files (infra/index.ts changed)",
    );
    expect(typecheckOf("x\nnpm run typecheck: FAILED (exit 2) in 4.1 s\ninfra/a.ts(1,7): error TS2322\n")).toBe("FAILED (exit 2) in 4.1 s");
  });

  it("says so when the run printed no type-check line", () => {
    expect(typecheckOf("npm ERR! missing script: test\n")).toBe("not reported");
  });
});
