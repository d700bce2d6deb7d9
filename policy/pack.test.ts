import { resolvePackConfig, runPack } from "./harness";
import { policies } from "./pack";
import { action, client, triggerActions } from "./policies/fixtures";

describe("the policy pack", () => {
  it("names each policy once, in kebab case, never the reserved name all", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^auth0(-[a-z0-9]+)+$/);
    expect(names).not.toContain("all");
  });

  it("says for every policy what it checks and how to fix it, and defaults to advisory", () => {
    for (const policy of policies) {
      expect(policy.description).not.toBe("");
      expect(policy.remediationSteps).not.toBe("");
      expect(policy.url).toMatch(/^https:\/\//);
      expect(policy.enforcementLevel).toBe("advisory");
      // The pack's server exits at start-up if a policy declares this itself.
      expect(Object.keys(policy.configSchema?.properties ?? {})).not.toContain("enforcementLevel");
    }
  });

  it("reports through Pulumi's policy interface with the config the CLI hands each policy", async () => {
    const resources = [client("dashboard", { callbacks: ["http://localhost:5173/callback"] }), action({ deploy: false }), triggerActions()];
    const config = {
      all: "mandatory",
      "auth0-application-urls": { allowLocalhost: false },
      "auth0-trigger-binding-owner": { enforcementLevel: "advisory", ephemeral: true },
    };
    const findings = await runPack(policies, resources, resolvePackConfig(policies, config));
    expect(findings.map(({ policy, enforcementLevel, urn }) => ({ policy, enforcementLevel, urn }))).toEqual([
      { policy: "auth0-application-urls", enforcementLevel: "mandatory", urn: resources[0].urn },
      { policy: "auth0-action-deployable", enforcementLevel: "mandatory", urn: resources[1].urn },
      { policy: "auth0-trigger-binding-owner", enforcementLevel: "advisory", urn: resources[2].urn },
    ]);
  });

  it("applies schema defaults when the config file leaves a property out", () => {
    const settings = resolvePackConfig(policies, {});
    expect(settings.get("auth0-application-urls")).toEqual({ enforcementLevel: "advisory", properties: { allowLocalhost: false } });
    expect(settings.get("auth0-trigger-binding-owner")).toEqual({ enforcementLevel: "advisory", properties: { ephemeral: false } });
  });

  it("refuses config naming an unknown policy or property, or a wrong type, rather than ignoring it", () => {
    expect(() =>
      resolvePackConfig(policies, {
        "auth0-aplication-urls": "mandatory",
        "auth0-application-urls": { allowLocalHost: true },
        "auth0-trigger-binding-owner": { ephemeral: "yes" },
        "auth0-claim-namespace": "strict",
      }),
    ).toThrow(
      [
        "invalid policy pack config:",
        `  - "auth0-aplication-urls" is not a policy of this pack (${policies.map((p) => p.name).join(", ")})`,
        '  - "auth0-application-urls".allowLocalHost is not a config property of this policy (allowLocalhost)',
        '  - "auth0-trigger-binding-owner".ephemeral must be of type boolean (got "yes")',
        '  - "auth0-claim-namespace": "strict" is not an enforcement level (advisory, mandatory, remediate, disabled)',
      ].join("\n"),
    );
  });

  it("reports a policy that reads a value unknown in preview, as Pulumi's engine would", async () => {
    const unknownRuntime = action({ runtime: "[unknown]" });
    const findings = await runPack(policies, [unknownRuntime], resolvePackConfig(policies, {}));
    expect(findings).toEqual([
      {
        policy: "auth0-action-deployable",
        enforcementLevel: "advisory",
        message:
          "can't run policy 'auth0-action-deployable' during preview: claim-mapping.runtime is unknown until the resource is deployed",
      },
    ]);
  });
});
