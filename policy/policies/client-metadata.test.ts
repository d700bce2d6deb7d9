import * as rules from "../../auth0/rules";
import { checkClientMetadata, CLIENT_METADATA_KEY_PATTERN, CLIENT_METADATA_MAX_KEYS, CLIENT_METADATA_MAX_LENGTH } from "./client-metadata";
import { client } from "./fixtures";

const withMetadata = (clientMetadata: unknown) => client("dashboard", { clientMetadata });
const FIX = 'Fix: edit "metadata" (or tier/policy) of this application under tenant:applications in Pulumi.<stack>.yaml.';

describe("auth0-client-metadata-limits", () => {
  it("accepts the program's tier metadata, and no metadata at all", () => {
    expect(checkClientMetadata(withMetadata({ tier: "enterprise", minimum_plan: "enterprise", requires_tenant: "true" }))).toEqual([]);
    expect(checkClientMetadata(withMetadata(undefined))).toEqual([]);
  });

  it("refuses more than 10 keys, listing them", () => {
    const metadata = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"]));
    expect(checkClientMetadata(withMetadata(metadata))).toEqual([
      `Client "dashboard" clientMetadata has 11 keys; Auth0 allows at most 10 (k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10). ${FIX} Remove keys the Action does not read.`,
    ]);
  });

  it("refuses a value that is not a string", () => {
    expect(checkClientMetadata(withMetadata({ requires_tenant: true, seats: null }))).toEqual([
      `Client "dashboard" clientMetadata "requires_tenant" is boolean; Auth0 stores strings only. ${FIX} Write the value as a string (for example "true").`,
      `Client "dashboard" clientMetadata "seats" is null; Auth0 stores strings only. ${FIX} Write the value as a string (for example "true").`,
    ]);
  });

  it("refuses values and keys longer than 255 characters", () => {
    const longKey = "k".repeat(256);
    expect(checkClientMetadata(withMetadata({ note: "x".repeat(256), [longKey]: "v" }))).toEqual([
      `Client "dashboard" clientMetadata "note" is 256 characters; Auth0 allows at most 255. ${FIX}`,
      `Client "dashboard" clientMetadata key "${"k".repeat(40)}…" is 256 characters; Auth0 allows at most 255. ${FIX}`,
    ]);
    expect(checkClientMetadata(withMetadata({ note: "x".repeat(255) }))).toEqual([]);
  });

  it("refuses key characters Auth0 does not accept", () => {
    expect(checkClientMetadata(withMetadata({ "tier.name": "pro" }))).toEqual([
      expect.stringContaining('key "tier.name" has characters Auth0 refuses'),
    ]);
  });

  it("refuses metadata that is not an object", () => {
    expect(checkClientMetadata(withMetadata(["tier"]))).toEqual([`Client "dashboard" clientMetadata must be an object of strings. ${FIX}`]);
  });

  it("states the same limits as auth0/rules.ts, which the program's config parser enforces", () => {
    expect([CLIENT_METADATA_MAX_KEYS, CLIENT_METADATA_MAX_LENGTH, CLIENT_METADATA_KEY_PATTERN.source]).toEqual([
      rules.CLIENT_METADATA_MAX_KEYS,
      rules.CLIENT_METADATA_MAX_LENGTH,
      rules.CLIENT_METADATA_KEY_PATTERN.source,
    ]);
  });
});
