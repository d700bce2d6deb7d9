// What "claim-mapping:enrichment" and "claim-mapping:isolation" resolve to on a stack that does not use them
// (infra/bundle.ts, OPTIONAL_PARTS): no code of theirs reaches the bundle.
import type { Enrichment, Isolation } from "./handler";

export const enrichment: Enrichment | undefined = undefined;
export const isolation: Isolation | undefined = undefined;
