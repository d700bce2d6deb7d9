// The benchmark's floor is honest only if it does the same job: on the benchmark's events, the hand-written
// Action and the claim-mapping bundle give the same tokens and denials.
import { bundleClaimMapping } from "../../../infra/bundle";
import { loadPostLoginHandler, SILENT_CONSOLE } from "../../../emulator/loader";
import { runPostLogin } from "../../../emulator/runtime";
import { benchmarkEvents, bundleHandWritten, timeLogins } from "../../../harness/action-speed";
import { readStackSettings } from "../../../harness/stack-file";

describe("the hand-written floor", () => {
  it.each(["dev", "prod"])("gives the %s stack's tokens and denials on every benchmark event", async (stack) => {
    const settings = readStackSettings(stack);
    // The benchmark times the Action's own work: no system-of-record lookup.
    const offline = { ...settings.claimMapping, enrichment: undefined };
    const [real, floor] = await Promise.all([bundleClaimMapping(offline), bundleHandWritten(offline)]);
    const [realHandler, floorHandler] = [real, floor].map((b) => loadPostLoginHandler(b.code, "action.js", SILENT_CONSOLE));
    const events = benchmarkEvents(settings);
    const outcomes = { denied: 0, allowed: 0 };
    for (const event of events) {
      const [expected, actual] = [
        await runPostLogin(realHandler, structuredClone(event)),
        await runPostLogin(floorHandler, structuredClone(event)),
      ];
      expect(actual).toEqual(expected);
      outcomes[expected.denied === null ? "allowed" : "denied"]++;
    }
    // Both paths are exercised.
    expect(outcomes.allowed).toBeGreaterThan(0);
    expect(outcomes.denied).toBeGreaterThan(0);
  });
});

describe("timeLogins", () => {
  it("runs the given number of logins after the warm-up, cycling through the events, and counts denials", async () => {
    const settings = readStackSettings("dev");
    const events = benchmarkEvents(settings);
    const handler = loadPostLoginHandler((await bundleHandWritten(settings.claimMapping)).code, "floor.js", SILENT_CONSOLE);
    const run = await timeLogins(handler, events, events.length * 2, 5);
    expect(run.times).toHaveLength(events.length * 2);
    expect([...run.times].sort((a, b) => a - b)).toEqual(run.times);
    expect(run.allowed + run.denied).toBe(events.length * 2);
    expect(run.denied % 2).toBe(0);
  });
});
