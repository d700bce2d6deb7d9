// The one simulated login: the same result from a stack's settings and from the code its plan deploys.
import { INTERNAL_ERROR_REASON } from "../actions/claim-mapping/handler";
import { bundleClaimMapping } from "../infra/bundle";
import { SILENT_CONSOLE } from "../emulator/loader";
import { denialOf, eventClientFor, LOOKUP_FAILED_LOG, loadAction, simulateLogin } from "./login";
import { readStackSettings } from "./stack-file";

const settings = readStackSettings("dev");
const login = {
  client: eventClientFor(settings, "dashboard"),
  user: { user_id: "auth0|7", app_metadata: { tenant_id: "t-7", plan: "premium" } },
  roles: ["editor"],
};

describe("a simulated login", () => {
  it("gives the same tokens from the stack's settings and from the bundled code", async () => {
    const bundle = await bundleClaimMapping(settings.claimMapping);
    const fromSettings = await simulateLogin({ settings, bundle }, login);
    const fromCode = await simulateLogin({ code: bundle.code, audience: settings.api.identifier, domain: settings.provider.domain }, login);
    expect(fromSettings.accessToken[`${settings.claims.namespace}plan`]).toBe("premium");
    expect(fromCode.accessToken).toEqual(fromSettings.accessToken);
    expect(fromCode.idToken).toEqual(fromSettings.idToken);
  });
  it("asks for the stack's API unless the login names another audience", async () => {
    const action = await loadAction({ settings }, SILENT_CONSOLE);
    expect((await simulateLogin(action, login)).event.resource_server?.identifier).toBe(settings.api.identifier);
    expect((await simulateLogin(action, { ...login, audience: "https://deployed.example/" })).event.resource_server?.identifier).toBe(
      "https://deployed.example/",
    );
  });
  it("refuses an application the stack does not declare, and a machine-to-machine one", () => {
    expect(() => eventClientFor(settings, "nope")).toThrow(/no application "nope" in Pulumi\.dev\.yaml/);
    expect(() => eventClientFor(settings, "reports-worker")).toThrow(/post-login Actions never run/);
  });
});

describe("why a login was denied (denialOf)", () => {
  /** A user without tenant or plan: the Action asks the system of record, which is not there. */
  const unknownUser = { ...login, user: { user_id: "auth0|new", app_metadata: {} } };

  it("keeps what the Action logged with the login that logged it", async () => {
    // console.dir too, as Actions may: the console the Action gets keeps every method of Node's.
    const code =
      "exports.onExecutePostLogin = async (event) => { await null; console.dir({}); console.log('signing in', event.user.user_id); };";
    const action = await loadAction({ code }, SILENT_CONSOLE);
    const [first, second] = await Promise.all([
      simulateLogin(action, { ...login, user: { user_id: "auth0|1" } }),
      simulateLogin(action, { ...login, user: { user_id: "auth0|2" } }),
    ]);
    expect(first.logs).toEqual(["signing in auth0|1"]);
    expect(second.logs).toEqual(["signing in auth0|2"]);
  });

  it("tells a failed lookup (enrichment_failed) from an internal error (internal_error), which show the user the same reason", async () => {
    const deny = {
      ...settings.claimMapping,
      enrichment: { url: "http://127.0.0.1:9/users/", timeoutMs: 1000, onFailure: "deny" as const, cacheTtlMs: 60_000 },
    };
    const failedLookup = await simulateLogin({ settings: { ...settings, claimMapping: deny } }, unknownUser, { console: SILENT_CONSOLE });
    expect(failedLookup.denied).toBe(INTERNAL_ERROR_REASON);
    expect(failedLookup.logs).toEqual([expect.stringMatching(new RegExp(`^${LOOKUP_FAILED_LOG}`))]);
    expect(denialOf(failedLookup)).toEqual({ code: "enrichment_failed", policy: "tenant:enrichment.onFailure", required: "deny" });

    // The handler's own catch (actions/claim-mapping/handler.ts) logs this and denies an enforcing application.
    const broken = `exports.onExecutePostLogin = async (event, api) => { console.log("claim-mapping: skipped claims after an internal error: TypeError: boom"); api.access.deny(${JSON.stringify(INTERNAL_ERROR_REASON)}); };`;
    const internal = await simulateLogin({ code: broken }, login, { console: SILENT_CONSOLE });
    expect(denialOf(internal)).toEqual({ code: "internal_error" });
  });

  it("matches the line the bundled Action logs for a failed lookup", async () => {
    const deny = {
      ...settings.claimMapping,
      enrichment: { url: "https://sor.example/users/", timeoutMs: 1000, onFailure: "deny" as const, cacheTtlMs: 1 },
    };
    expect((await bundleClaimMapping(deny)).code).toContain(`console.log(\`${LOOKUP_FAILED_LOG} \${`);
  });
});
