// Synthetic stacks for the benchmark: the dev stack's config with `tenant:applications` replaced by N
// generated applications, so plan time can be measured as the number of applications grows.
import { PROJECT } from "../../infra/settings";
import { APP_TYPES, type AppType } from "../../infra/settings/schema";
import { TIERS, type Tier } from "../../actions/claim-mapping/settings";
import { readStackConfig, type StackConfig } from "../../harness/stack-file";

/** One application as it appears in a stack file (before the schema fills in defaults). */
interface SyntheticApplication {
  key: string;
  name: string;
  type: AppType;
  tier: Tier;
  callbacks?: string[];
  logoutUrls?: string[];
  webOrigins?: string[];
  apiScopes?: string[];
}

/** The dev stack's config with `apps` generated applications; the stack is named `synthetic-<apps>`. */
export function syntheticStackConfig(apps: number): StackConfig {
  if (!Number.isInteger(apps) || apps < 1) throw new RangeError(`apps must be a positive integer (got ${apps})`);
  const dev = readStackConfig("dev");
  const applications = Array.from({ length: apps }, (_, i) => syntheticApplication(i));
  return {
    ...dev,
    stack: `synthetic-${apps}`,
    config: { ...dev.config, [`${PROJECT}:applications`]: JSON.stringify(applications) },
    secretKeys: [...dev.secretKeys],
  };
}

/** The i-th application (0-based): types and tiers (free, pro, enterprise) cycle independently, keys and names are unique. */
function syntheticApplication(i: number): SyntheticApplication {
  const n = String(i + 1).padStart(4, "0");
  const type = APP_TYPES[i % APP_TYPES.length]; // spa, regular_web, native, non_interactive
  const base = { key: `app-${n}`, name: `Synthetic App ${n}`, type, tier: TIERS[i % TIERS.length] };
  if (type === "non_interactive") return { ...base, apiScopes: ["read:reports"] };
  const origin = `https://app-${n}.synthetic.example.com`;
  return { ...base, callbacks: [`${origin}/callback`], logoutUrls: [`${origin}/`], webOrigins: [origin] };
}
