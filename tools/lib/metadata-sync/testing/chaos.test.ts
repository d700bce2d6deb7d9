// A few seeded fault scenarios (npm run faults runs many): whatever is injected, no update is lost or
// doubled and no run ends with a stack trace.
import { runChaos } from "./chaos";

describe("metadata:sync under injected faults", () => {
  it("loses and doubles no update, and never ends with a trace", async () => {
    const report = await runChaos({ scenarios: 3, seed: 11, faultRate: 0.2 });
    expect(report.traces).toEqual([]);
    expect(report).toMatchObject({ updatesLost: 0, updatesDoubled: 0, notConverged: 0, secondRunChanges: 0 });
    expect(report.usersToChange).toBeGreaterThan(10);
    expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
  });
});
