// Modules that exist only inside a bundle: infra/bundle.ts resolves them for the stack's settings.
declare module "claim-mapping:settings" {
  import type { ClaimMappingSettings } from "./claim-mapping/settings";
  const settings: ClaimMappingSettings;
  export default settings;
}
declare module "claim-mapping:enrichment" {
  import type { Enrichment } from "./claim-mapping/handler";
  /** enrichment.ts's, or undefined (unused.ts) on a stack without tenant:enrichment. */
  export const enrichment: Enrichment | undefined;
}
declare module "claim-mapping:isolation" {
  import type { Isolation } from "./claim-mapping/handler";
  /** isolation.ts's on an ephemeral stack (one with a marker), undefined (unused.ts) otherwise. */
  export const isolation: Isolation | undefined;
}
