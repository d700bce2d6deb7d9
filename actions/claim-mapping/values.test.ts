// The shared definition of a tenant id and a plan (values.ts), with the values issue 11 found written by
// the sync and then refused by the Action.
import { decideLogin, DENY_REASONS } from "./claims";
import { isPlanName, MAX_TENANT_ID_LENGTH, planOf, tenantIdOf, tenantIdProblem } from "./values";
import { loginEvent } from "../../test/support/events";
import type { ClaimMappingSettings } from "./settings";

const settings: ClaimMappingSettings = {
  namespace: "https://myapp.com/",
  plans: ["free", "premium"],
  tierFeatures: { free: [], pro: [], enterprise: [] },
  idTokenPreferences: [],
};

describe("a tenant id", () => {
  it("is a string of 1-255 characters, or a finite number in plain decimal", () => {
    expect(tenantIdOf("t-42")).toBe("t-42");
    expect(tenantIdOf("Acme Corp")).toBe("Acme Corp");
    expect(tenantIdOf("t".repeat(MAX_TENANT_ID_LENGTH))).toBe("t".repeat(255));
    expect(tenantIdOf("é-テナント")).toBe("é-テナント");
    expect(tenantIdOf(77)).toBe("77");
    expect(tenantIdOf(-1.5)).toBe("-1.5");
  });
  it.each([
    ["256 characters", "t".repeat(256), /256 characters long; at most 255/],
    ["a NUL", "t\u0000", /U\+0000/],
    ["a zero-width space alone", "\u200b", /U\+200B/],
    ["a zero-width joiner inside", "t\u200d1", /U\+200D/],
    ["a byte order mark", "\ufefft", /U\+FEFF/],
    ["a right-to-left override", "t\u202e1", /U\+202E/],
    ["a line separator", "t\u20281", /U\+2028/],
    ["a lone surrogate", "t\ud800", /U\+D800/],
    ["a newline", "t\n1", /U\+000A/],
    ["whitespace around it", " t ", /whitespace around it/],
    ["blank", "   ", /whitespace around it/],
    ["empty", "", /is empty/],
    ["1e21, which String() writes as 1e+21", 1e21, /1e\+21 is not written in plain decimal/],
    ["NaN", Number.NaN, /NaN/],
    ["an object", { id: 1 }, /must be a string or a number/],
  ])("refuses %s, and says why", (_what, value, why) => {
    expect(tenantIdOf(value)).toBeUndefined();
    expect(tenantIdProblem(value)).toMatch(why);
  });
  it("made of a zero-width space does not satisfy requires_tenant", () => {
    const decision = decideLogin(
      loginEvent({ appMetadata: { tenant_id: "\u200b" }, clientMetadata: { requires_tenant: "true" } }),
      settings,
    );
    expect(decision).toEqual({ kind: "deny", reason: DENY_REASONS.requiresTenant });
  });
  it("has no problem when it is valid", () => {
    expect(tenantIdProblem("t-1")).toBeUndefined();
  });
});

describe("a plan", () => {
  it("is named in lower-case kebab-case, as tenant:claims.plans declares it", () => {
    for (const name of ["free", "premium", "pro-2"]) expect(isPlanName(name)).toBe(true);
    for (const name of ["", "Enterprise", "free ", "2x", "gold\u200b", "p".repeat(49), 7]) expect(isPlanName(name)).toBe(false);
  });
  it("counts only when the stack declares it", () => {
    expect(planOf("premium", settings.plans)).toBe("premium");
    expect(planOf("gold", settings.plans)).toBeUndefined();
    expect(planOf(" free", settings.plans)).toBeUndefined();
  });
});
