// The deploy secret reaches the provider only where a stack keeps it in config (ephemeral stacks); dev and
// prod give it none, so the provider reads AUTH0_CLIENT_SECRET and the state never holds it (infra/provider.ts).
import { planConfig, SECRET } from "../harness/plan";
import { readStackConfig, UNDECRYPTED_SECRET } from "../harness/stack-file";

const providerInputs = async (config: Parameters<typeof planConfig>[0]) =>
  (await planConfig(config)).resources.find((r) => r.type === "pulumi:providers:auth0")?.inputs as Record<string, unknown>;

describe("the Auth0 provider's credentials", () => {
  it("are the domain and the client ID alone for a stack without auth0:clientSecret", async () => {
    const dev = readStackConfig("dev");
    const inputs = await providerInputs(dev);
    expect(inputs).toMatchObject({ domain: dev.config["auth0:domain"], clientId: dev.config["auth0:clientId"] });
    expect(inputs).not.toHaveProperty("clientSecret");
  });

  it("include a client secret kept in config, as a secret", async () => {
    const dev = readStackConfig("dev");
    const inputs = await providerInputs({
      ...dev,
      config: { ...dev.config, "auth0:clientSecret": UNDECRYPTED_SECRET },
      secretKeys: [...dev.secretKeys, "auth0:clientSecret"],
    });
    expect(inputs.clientSecret).toBe(SECRET);
  });
});
