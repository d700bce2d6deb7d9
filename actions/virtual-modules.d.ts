// Modules that exist only inside a bundle: infra/bundle.ts resolves them to the stack's settings.
declare module "claim-mapping:settings" {
  import type { ClaimMappingSettings } from "./claim-mapping/settings";
  const settings: ClaimMappingSettings;
  export default settings;
}
