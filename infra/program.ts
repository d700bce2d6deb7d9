// The program Pulumi runs (infra/index.ts exports its outputs) and `npm run plan` runs under mocks.
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, parseSettings, SettingsError, type Settings } from "./settings";
import { defineTenant, type TenantOutputs } from "./tenant";

export function program(): TenantOutputs {
  const settings = settingsOrExit();
  // Secrets arrive as Outputs straight from config and stay secret; the settings parser never sees them.
  // The deploy secret is normally not in config at all: see infra/provider.ts.
  const secrets = {
    clientSecret: new pulumi.Config("auth0").getSecret("clientSecret"),
    enrichmentApiKey: settings.enrichment ? new pulumi.Config(PROJECT).requireSecret("enrichmentApiKey") : undefined,
  };
  return defineTenant(settings, secrets);
}

/** The running stack's config, read through Pulumi and parsed (infra/settings needs no SDK of its own). */
function settingsOrExit(): Settings {
  try {
    return parseSettings(pulumi.getStack(), pulumi.runtime.allConfig());
  } catch (error) {
    // RunError ends the program with the message alone, no stack trace: the message names key and file.
    if (error instanceof SettingsError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
