// The claim-mapping Action as deployed: the bundle of the committed dev stack, loaded the way Auth0 loads it.
import fc from "fast-check";
import { rmSync } from "node:fs";
import * as path from "node:path";
import { BUNDLE_CACHE_VARIABLE, bundleAction, bundleCacheKey, bundleClaimMapping, REPO_ROOT, type ActionBundle } from "../../infra/bundle";
import { BUNDLE_CACHE_DIR, readCachedBundle, writeCachedBundle } from "../../infra/bundle-cache";
import { loadPostLoginHandler, SILENT_CONSOLE } from "../../emulator/loader";
import { runPostLogin } from "../../emulator/runtime";
import { ACTION_CODE_MAX_BYTES } from "../../auth0/rules";
import { eventClientFor, simulateLogin } from "../../harness/login";
import { readStackSettings } from "../../harness/stack-file";
import { loginEvent } from "../../test/support/events";
import { clientMetadata, hostileEvent, isClaimValue, metadata, rbacRoles } from "../../test/support/hostile-logins";
import { propertyRuns } from "../../test/support/property-runs";
import type { PostLoginHandler } from "../types";
import { INTERNAL_ERROR_REASON } from "./handler";
import { CLAIM_MAPPING } from "./settings";

const settings = readStackSettings("dev");
const NS = "https://myapp.com/";
let bundle: ActionBundle;
let handler: PostLoginHandler;

beforeAll(async () => {
  bundle = await bundleClaimMapping(settings.claimMapping);
  handler = loadPostLoginHandler(bundle.code, "claim-mapping.js", SILENT_CONSOLE);
});

describe("the bundle", () => {
  it("is the same bytes every time it is built", async () => {
    const again = await bundleClaimMapping(settings.claimMapping);
    expect(again.sha256).toBe(bundle.sha256);
    expect(again.code).toBe(bundle.code);
  });
  it("comes from the cache unless the caller or PULUMI_TENANT_BUNDLE_CACHE=0 says otherwise", async () => {
    // Settings no other test uses, so that the planted entry is this test's alone.
    const own = { ...settings.claimMapping, namespace: "https://bundle-cache-test.example/" };
    const key = bundleCacheKey(CLAIM_MAPPING, own);
    const planted = "module.exports = { planted: true };\n";
    // Recorded as of a time after the inputs' last edit, over the entry's real inputs.
    writeCachedBundle(REPO_ROOT, key, ["actions/claim-mapping/index.ts"], planted, Date.now() + 60_000);
    try {
      expect((await bundleAction(CLAIM_MAPPING, own)).code).toBe(planted);
      expect((await bundleAction(CLAIM_MAPPING, own, { cache: false })).code).toContain("https://bundle-cache-test.example/");
      process.env[BUNDLE_CACHE_VARIABLE] = "0";
      expect((await bundleAction(CLAIM_MAPPING, own)).code).toContain("https://bundle-cache-test.example/");
    } finally {
      delete process.env[BUNDLE_CACHE_VARIABLE];
      rmSync(path.join(REPO_ROOT, BUNDLE_CACHE_DIR, `${key}.json`), { force: true });
    }
  });
  it("is the same bytes from the cache of earlier bundles as from esbuild, with or without enrichment", async () => {
    for (const claimMapping of [settings.claimMapping, readStackSettings("prod").claimMapping]) {
      const fresh = await bundleAction(CLAIM_MAPPING, claimMapping, { cache: false });
      await bundleAction(CLAIM_MAPPING, claimMapping); // records it, if no earlier run has
      expect(readCachedBundle(REPO_ROOT, bundleCacheKey(CLAIM_MAPPING, claimMapping))).toBe(fresh.code);
      expect(await bundleAction(CLAIM_MAPPING, claimMapping)).toEqual(fresh);
    }
  });
  it("carries no absolute path and no timestamp", () => {
    expect(bundle.code).not.toContain(process.cwd());
    expect(bundle.code).not.toMatch(/\b20\d\d-\d\d-\d\dT\d\d:/);
  });
  it("is readable CommonJS with the stack's settings baked in", () => {
    expect(bundle.code).toContain("module.exports");
    expect(bundle.code).toContain('namespace: "https://myapp.com/"');
    expect(bundle.code.split("\n").length).toBeGreaterThan(50);
  });
  it("fits Auth0's 100 kB limit with room to spare", () => {
    expect(bundle.bytes).toBe(Buffer.byteLength(bundle.code));
    expect(bundle.bytes).toBeLessThan(ACTION_CODE_MAX_BYTES / 5);
  });
  it("exports a native async onExecutePostLogin", () => {
    expect(handler.constructor.name).toBe("AsyncFunction");
  });
  it("ends in the module.exports Auth0's loader reads, and holds no other ESM syntax", () => {
    expect(bundle.code.endsWith("\nmodule.exports = { onExecutePostLogin };\n")).toBe(true);
    expect(bundle.code).not.toMatch(/^(export|import) /m);
    expect(bundle.code).not.toMatch(/__toCommonJS|__esm|__commonJS/);
  });
  it("changes when a setting changes", async () => {
    const other = await bundleClaimMapping({ ...settings.claimMapping, namespace: "https://other.example/" });
    expect(other.sha256).not.toBe(bundle.sha256);
  });
});

// Issue 13 (4): the deployed code contains only what the stack uses. Bytes, as Auth0 counts them (kB = 1,000).
describe("what a stack ships", () => {
  const prod = readStackSettings("prod").claimMapping;
  const withoutEnrichment = { ...settings.claimMapping, enrichment: undefined };
  const ephemeral = { ...prod, marker: "eph-pr-1", rolePrefix: "eph-pr-1:" };
  const enrichmentCode = [/fetch\(/, /api\.cache/, /lookup failed/, /readBounded/];

  it("without enrichment: no enrichment code, at most 6 kB", async () => {
    expect(prod.enrichment).toBeUndefined();
    for (const stack of [prod, withoutEnrichment]) {
      const { code, bytes } = await bundleClaimMapping(stack);
      expect(bytes).toBeLessThanOrEqual(6_000);
      for (const pattern of enrichmentCode) expect(code).not.toMatch(pattern);
    }
  });
  it("with enrichment: its code, at most 9 kB", () => {
    expect(settings.claimMapping.enrichment).toBeDefined();
    expect(bundle.bytes).toBeLessThanOrEqual(9_000);
    for (const pattern of enrichmentCode) expect(bundle.code).toMatch(pattern);
  });
  it("the ephemeral stacks' isolation only where a stack has a marker", async () => {
    const isolated = await bundleClaimMapping(ephemeral);
    expect(isolated.code).toContain("stack_marker");
    expect(isolated.bytes).toBeLessThanOrEqual(6_000);
    expect(bundle.code).not.toContain("stack_marker");
  });
  it("stays readable in Auth0's editor: not minified, settings and functions by name", async () => {
    const { code } = await bundleClaimMapping(prod);
    expect(code).toContain("function decideLogin(event, settings)");
    expect(code).toMatch(/^ {2}plans: \[/m);
    expect(Math.max(...code.split("\n").map((line) => line.length))).toBeLessThan(200);
  });
});

describe("a login through the bundle", () => {
  it("gives a pro-tier user exactly roles, plan, tenant, tier and features", async () => {
    const result = await simulateLogin(
      { settings, bundle },
      {
        client: eventClientFor(settings, "dashboard"),
        user: { user_id: "auth0|42", app_metadata: { tenant_id: "t-42", plan: "premium" } },
        roles: ["editor", "admin"],
      },
    );
    const expected = {
      [`${NS}tenant`]: "t-42",
      [`${NS}roles`]: ["admin", "editor"],
      [`${NS}plan`]: "premium",
      [`${NS}tier`]: "pro",
      [`${NS}features`]: ["reports", "export"],
    };
    expect(result).toMatchObject({ denied: null, failed: null, dropped: [], appMetadata: {} });
    expect(result.idToken).toEqual(expected);
    expect(result.accessToken).toEqual(expected);
  });
  it("runs a refresh token exchange through the harness (simulate --refresh) with the login's claims", async () => {
    const login = {
      client: eventClientFor(settings, "dashboard"),
      user: { user_id: "auth0|42", app_metadata: { tenant_id: "t-42", plan: "premium" } },
      roles: ["admin"],
    };
    const [asLogin, asRefresh] = [
      await simulateLogin({ settings, bundle }, login),
      await simulateLogin({ settings, bundle }, { ...login, exchange: "refresh" }),
    ];
    const { event: loginEvent_, ...loginResult } = asLogin;
    const { event: refreshEvent, ...refreshResult } = asRefresh;
    expect(refreshEvent.transaction?.protocol).toBe("oauth2-refresh-token");
    expect(loginEvent_.transaction?.protocol).not.toBe("oauth2-refresh-token");
    const [login_, refresh] = [loginResult, refreshResult];
    expect(refresh).toEqual(login_);
    expect(refresh.accessToken[`${NS}tenant`]).toBe("t-42");
  });
  it("denies an enterprise-only application to a premium user", async () => {
    const result = await simulateLogin(
      { settings, bundle },
      {
        client: eventClientFor(settings, "analytics"),
        user: { user_id: "auth0|43", app_metadata: { tenant_id: "t-1", plan: "premium" } },
      },
    );
    expect(result.denied).toMatch(/requires the enterprise plan/);
    expect(result.idToken).toEqual({});
  });
});

describe("thousands of malformed logins", () => {
  it("never throw and never leak a value that is not a string or an array of strings", async () => {
    // A console that records: the handler logs "internal error" only when it swallowed a bug.
    const logged: unknown[] = [];
    const watched = loadPostLoginHandler(bundle.code, "claim-mapping.js", {
      ...console,
      log: (...args: unknown[]) => logged.push(args),
    } as Console);
    await fc.assert(
      fc.asyncProperty(metadata, metadata, rbacRoles, clientMetadata, async (app, user, roles, client) => {
        const result = await runPostLogin(watched, hostileEvent(app, user, roles, client));
        expect(result.failed).toBeNull();
        expect(logged.filter((line) => String(line).includes("internal error"))).toEqual([]);
        expect(result.denied).not.toBe(INTERNAL_ERROR_REASON);
        for (const value of [...Object.values(result.idToken), ...Object.values(result.accessToken)]) {
          expect(isClaimValue(value)).toBe(true);
        }
        expect(result.dropped).toEqual([]);
      }),
      { numRuns: propertyRuns(3000) },
    );
  });

  it("decide a refresh token exchange exactly as the login: same denials, same claims on both tokens", async () => {
    await fc.assert(
      fc.asyncProperty(metadata, metadata, rbacRoles, clientMetadata, async (app, user, roles, client) => {
        const exchange = (kind: "login" | "refresh") => {
          const event = loginEvent({
            appMetadata: app,
            userMetadata: user,
            clientMetadata: client as Record<string, string>,
            exchange: kind,
          });
          if (roles === undefined) delete event.authorization;
          else event.authorization = { roles };
          return runPostLogin(handler, event);
        };
        expect(await exchange("refresh")).toEqual(await exchange("login"));
      }),
      { numRuns: 300 },
    );
  });

  it("never let user_metadata change an authorization claim or a denial", async () => {
    await fc.assert(
      fc.asyncProperty(metadata, metadata, clientMetadata, async (app, user, client) => {
        const login = (userMetadata: unknown) =>
          runPostLogin(
            handler,
            loginEvent({ appMetadata: app, userMetadata, roles: ["editor"], clientMetadata: client as Record<string, string> }),
          );
        const [without, withUser] = [await login({}), await login(user)];
        expect(withUser.accessToken).toEqual(without.accessToken);
        expect(withUser.denied).toBe(without.denied);
      }),
      { numRuns: propertyRuns(1000) },
    );
  });
});
