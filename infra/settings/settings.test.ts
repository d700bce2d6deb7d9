import { parseSettings, SettingsError } from ".";
import { devConfig, devConfigWith } from "../../test/support/config";
import type { RawConfig } from ".";

function problemsOf(raw: RawConfig): string {
  try {
    parseSettings("dev", raw);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("the committed stacks", () => {
  it("parse without auth0:clientSecret, which reaches the provider as AUTH0_CLIENT_SECRET instead", () => {
    expect(devConfig()["auth0:clientSecret"]).toBeUndefined();
    const settings = parseSettings("dev", devConfig());
    expect(settings.applications.map((a) => a.tier).sort()).toEqual(["enterprise", "enterprise", "free", "pro", "pro"]);
    expect(settings.claimMapping.plans).toEqual(["free", "premium", "enterprise"]);
  });
});

describe("a rejected config", () => {
  it("names the stack file and the key", () => {
    const message = problemsOf(devConfigWith("applications", (apps) => [{ ...apps[0], tier: "gold" }, ...apps.slice(1)]));
    expect(message).toMatch(/^Invalid configuration in Pulumi\.dev\.yaml:/);
    expect(message).toContain('tenant:applications[marketing-site].tier: must be one of "free", "pro", "enterprise" (got "gold")');
  });
  it("says what a value must be, and that a missing one is required, in words of its own", () => {
    const message = problemsOf(
      devConfigWith("applications", (apps) => [
        { ...apps[0], name: 42, callbacks: "https://a.example" },
        { ...apps[1], tier: undefined },
        ...apps.slice(2),
      ]),
    );
    expect(message).toContain("tenant:applications[marketing-site].name: must be a string (got 42)");
    expect(message).toContain('tenant:applications[marketing-site].callbacks: must be an array (got "https://a.example")');
    expect(message).toMatch(/tenant:applications\[[a-z-]+\]\.tier: is required/);
  });
  it("reports every problem at once", () => {
    const message = problemsOf(devConfigWith("applications", (apps) => [{ ...apps[0], type: "desktop", tier: "gold" }, ...apps.slice(1)]));
    expect(message).toMatch(/applications\[marketing-site\]\.type/);
    expect(message).toMatch(/applications\[marketing-site\]\.tier/);
  });
  it.each([
    ["a missing domain", "auth0:domain", () => undefined, /auth0:domain: is not set/],
    ["a URL for a domain", "auth0:domain", () => "https://dev-myapp.eu.auth0.com/", /auth0:domain: must be a bare host name/],
    ["an unknown project key", "tenant:aplications", () => [], /tenant:aplications: is not a key this program reads/],
    [
      "an unknown application field",
      "applications",
      (a: any[]) => [{ ...a[0], tierr: "pro" }, ...a.slice(1)],
      /tenant:applications\[marketing-site\]: unknown key.*tierr.*\(did you mean "tier"\?\)/,
    ],
    [
      "a duplicate application key",
      "applications",
      (a: any[]) => [...a, { ...a[0], name: "Other" }],
      /tenant:applications\[5\]\.key: "marketing-site" is declared twice/,
    ],
    [
      "an undeclared minimum plan",
      "applications",
      (a: any[]) => [{ ...a[0], policy: { minimumPlan: "gold" } }, ...a.slice(1)],
      /policy\.minimumPlan: "gold" is not a declared plan/,
    ],
    [
      "a policy on a machine-to-machine app",
      "applications",
      (a: any[]) => [...a.slice(0, 4), { ...a[4], policy: { requireTenant: true } }],
      /applications\[reports-worker\]\.policy: post-login Actions never run for machine-to-machine/,
    ],
    [
      "a grant of a scope the API lacks",
      "applications",
      (a: any[]) => [...a.slice(0, 4), { ...a[4], apiScopes: ["delete:everything"] }],
      /apiScopes\[0\]: "delete:everything" is not a scope of tenant:api/,
    ],
    [
      "a URL that is not one",
      "applications",
      (a: any[]) => [{ ...a[0], callbacks: ["not a url"] }, ...a.slice(1)],
      /callbacks\[0\]: "not a url" is not a URL/,
    ],
    [
      "too many metadata keys",
      "applications",
      (a: any[]) => [{ ...a[0], metadata: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v"])) }, ...a.slice(1)],
      /metadata: client metadata has 11 keys; Auth0 allows at most 10/,
    ],
    [
      "a metadata value that is not a string",
      "applications",
      (a: any[]) => [{ ...a[0], metadata: { region: 7 } }, ...a.slice(1)],
      /"region" must be a string \(got number\)/,
    ],
    [
      "a metadata value over 255 characters",
      "applications",
      (a: any[]) => [{ ...a[0], metadata: { note: "x".repeat(256) } }, ...a.slice(1)],
      /"note" is 256 characters long; Auth0 allows at most 255/,
    ],
    [
      "metadata that overrides the tier",
      "applications",
      (a: any[]) => [{ ...a[0], metadata: { tier: "enterprise" } }, ...a.slice(1)],
      /metadata\.tier: "tier" is set by the program/,
    ],
    [
      "a namespace on an Auth0 domain",
      "claims",
      (c: any) => ({ ...c, namespace: "https://myapp.auth0.com/" }),
      /claims\.namespace: Auth0 would drop the claim: .*Auth0 domain/,
    ],
    [
      "a namespace that is not an https URL",
      "claims",
      (c: any) => ({ ...c, namespace: "myapp" }),
      /claims\.namespace: must be an https URL ending in "\/"/,
    ],
    [
      "a preference named like an authorization claim",
      "claims",
      (c: any) => ({ ...c, idTokenPreferences: ["tenant"] }),
      /idTokenPreferences\[0\]: "tenant" is an authorization claim/,
    ],
    [
      "two roles that would share a logical name",
      "roles",
      (r: any[]) => [...r, { ...r[0], name: "Admin" }],
      /tenant:roles\[3\]\.name: "admin" is declared twice/,
    ],
    [
      "a scope with a space in it",
      "api",
      (a: any) => ({ ...a, scopes: [{ value: "read reports" }] }),
      /tenant:api\.scopes\[0\]\.value: must be one OAuth scope token/,
    ],
    [
      "a role permission the API lacks",
      "roles",
      (r: any[]) => [{ ...r[0], permissions: ["fly"] }, ...r.slice(1)],
      /tenant:roles\[admin\]\.permissions\[0\]: "fly" is not a scope of tenant:api/,
    ],
    [
      "a binding to an unmanaged Action",
      "postLogin",
      (p: any) => ({ ...p, actions: ["claim-mapping", "mystery"] }),
      /postLogin\.actions\[1\]: "mystery" is not an Action this program manages/,
    ],
    [
      "an enrichment URL that is not https",
      "enrichment",
      (e: any) => ({ ...e, url: "http://accounts.example/users/" }),
      /tenant:enrichment\.url: must be an https URL/,
    ],
    ["an enrichment timeout beyond 5 s", "enrichment", (e: any) => ({ ...e, timeoutMs: 20000 }), /tenant:enrichment\.timeoutMs: .*5000/],
    [
      "enrichment without its API key",
      "tenant:enrichmentApiKey",
      () => undefined,
      /tenant:enrichmentApiKey: is not set, and tenant:enrichment needs it: run `pulumi config set --secret tenant:enrichmentApiKey --stack dev`/,
    ],
    ["protect that is not a boolean", "protect", () => "yes", /tenant:protect: .*boolean.*\(got "yes"\)/],
  ])("rejects %s", (_what, key, change, expected) => {
    expect(problemsOf(devConfigWith(key, change as (v: unknown) => unknown))).toMatch(expected);
  });
});
