// The one simulated login: the same result from a stack's settings and from the code its plan deploys.
import { bundleClaimMapping } from "../infra/bundle";
import { SILENT_CONSOLE } from "../emulator/loader";
import { eventClientFor, loadAction, simulateLogin } from "./login";
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
