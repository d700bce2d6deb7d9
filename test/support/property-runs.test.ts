import { DEFAULT_PROPERTY_RUNS, propertyRuns } from "./property-runs";

describe("propertyRuns", () => {
  it("runs every property in the default run, on at most the default sample", () => {
    expect(propertyRuns(3000, {})).toBe(DEFAULT_PROPERTY_RUNS);
    expect(propertyRuns(50, {})).toBe(50);
    expect(propertyRuns(3000, { FC_RUNS: "" })).toBe(DEFAULT_PROPERTY_RUNS);
  });

  it("runs the full count with FC_RUNS=full, or the given count", () => {
    expect(propertyRuns(3000, { FC_RUNS: "full" })).toBe(3000);
    expect(propertyRuns(3000, { FC_RUNS: "10000" })).toBe(10000);
  });

  it("refuses a count that is not a positive integer", () => {
    expect(() => propertyRuns(3000, { FC_RUNS: "lots" })).toThrow('FC_RUNS must be "full" or a positive integer (got "lots")');
    expect(() => propertyRuns(3000, { FC_RUNS: "0" })).toThrow(/FC_RUNS/);
  });
});
