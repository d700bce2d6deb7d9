// Placeholders never pass the settings parser, whichever key holds them (issue 12, item 4).
import { parseSettings, type RawConfig, SettingsError } from ".";
import { devConfig, devConfigWith } from "../../test/support/config";

function problems(raw: RawConfig): string[] {
  try {
    parseSettings("dev", raw);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return error.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("a placeholder left in the config", () => {
  it.each([
    [
      "an unreplaced ##KEYWORD## in an API identifier",
      "api",
      (api: any) => ({ ...api, identifier: "https://api.##DOMAIN##/" }),
      "tenant:api.identifier",
      "##DOMAIN##",
    ],
    [
      "an unreplaced @@KEYWORD@@ in a callback",
      "applications",
      (apps: any[]) => [{ ...apps[0], callbacks: ["@@CALLBACKS@@"] }, ...apps.slice(1)],
      "tenant:applications[0].callbacks[0]",
      "@@CALLBACKS@@",
    ],
    [
      "adopt's <PLACEHOLDER> as an Action id",
      "postLogin",
      (pl: any) => ({
        ...pl,
        mode: "owner",
        actions: [{ id: '<PLACEHOLDER: id of the Action "Sync">', displayName: "Sync" }, "claim-mapping"],
      }),
      "tenant:postLogin.actions[0].id",
      '<PLACEHOLDER: id of the Action "Sync">',
    ],
    [
      "a REPLACE-ME namespace",
      "claims",
      (claims: any) => ({ ...claims, namespace: "REPLACE-ME: https://your-domain.example/" }),
      "tenant:claims.namespace",
      "REPLACE-ME",
    ],
    [
      "a replace_me grant scope",
      "applications",
      (apps: any[]) => apps.map((a) => (a.type === "non_interactive" ? { ...a, apiScopes: ["replace_me"] } : a)),
      "apiScopes[0]",
      "replace_me",
    ],
  ])("is refused: %s", (_, key, change, where, value) => {
    const found = problems(devConfigWith(key as any, change as any));
    expect(found.some((p) => p.includes(where) && p.includes(`holds the placeholder "${value}"`))).toBe(true);
  });

  it("is refused in auth0:domain too, naming the key", () => {
    expect(problems({ ...devConfig(), "auth0:domain": "##AUTH0_DOMAIN##" })).toContain(
      'auth0:domain: holds the placeholder "##AUTH0_DOMAIN##": replace it with the real value',
    );
  });

  it("does not touch the committed stacks, whose comments mention placeholders", () => {
    expect(problems(devConfig())).toEqual([]);
  });
});
