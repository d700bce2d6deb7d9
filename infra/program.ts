// The program Pulumi runs (infra/index.ts exports its outputs) and `npm run plan` runs under mocks.
import * as pulumi from "@pulumi/pulumi";
import { readSettings, SettingsError, type Settings } from "./settings";
import { defineTenant, type TenantOutputs } from "./tenant";

export function program(): TenantOutputs {
  return defineTenant(settingsOrExit(), new pulumi.Config("auth0").requireSecret("clientSecret"));
}

function settingsOrExit(): Settings {
  try {
    return readSettings();
  } catch (error) {
    // RunError ends the program with the message alone, no stack trace: the message names key and file.
    if (error instanceof SettingsError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
