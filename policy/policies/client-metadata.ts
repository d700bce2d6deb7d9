// Client metadata within Auth0's limits. The provider does not validate it, so without this policy a bad
// value fails only at apply time, half-way through an update.
// https://auth0.com/docs/get-started/applications/configure-application-metadata
import { label, resourcePolicy, TYPES, type PlainResource } from "./define";

export const CLIENT_METADATA_MAX_KEYS = 10;
/** For keys and values alike. */
export const CLIENT_METADATA_MAX_LENGTH = 255;
/** Alphanumerics plus :,-+=_*?"/\()<>@, tab and space. */
export const CLIENT_METADATA_KEY_PATTERN = /^[A-Za-z0-9:,\-+=_*?"/\\()<>@\t ]+$/;

const FIX = 'Fix: edit "metadata" (or tier/policy) of this application under tenant:applications in Pulumi.<stack>.yaml.';

export function checkClientMetadata(resource: PlainResource): string[] {
  const metadata = resource.props.clientMetadata;
  if (resource.type !== TYPES.client || metadata === undefined || metadata === null) return [];
  if (typeof metadata !== "object" || Array.isArray(metadata)) {
    return [`${label(resource)} clientMetadata must be an object of strings. ${FIX}`];
  }
  const entries = Object.entries(metadata as Record<string, unknown>);
  const messages: string[] = [];
  if (entries.length > CLIENT_METADATA_MAX_KEYS) {
    messages.push(
      `${label(resource)} clientMetadata has ${entries.length} keys; Auth0 allows at most ${CLIENT_METADATA_MAX_KEYS} ` +
        `(${entries.map(([key]) => key).join(", ")}). ${FIX} Remove keys the Action does not read.`,
    );
  }
  for (const [key, value] of entries) {
    const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
    if (key.length > CLIENT_METADATA_MAX_LENGTH) {
      messages.push(
        `${label(resource)} clientMetadata key "${shown}" is ${key.length} characters; Auth0 allows at most ${CLIENT_METADATA_MAX_LENGTH}. ${FIX}`,
      );
    }
    if (!CLIENT_METADATA_KEY_PATTERN.test(key)) {
      messages.push(
        `${label(resource)} clientMetadata key "${shown}" has characters Auth0 refuses (allowed: letters, digits, :,-+=_*?"/\\()<>@, tab, space). ${FIX}`,
      );
    }
    if (typeof value !== "string") {
      messages.push(
        `${label(resource)} clientMetadata "${shown}" is ${value === null ? "null" : typeof value}; Auth0 stores strings only. ` +
          `${FIX} Write the value as a string (for example "true").`,
      );
    } else if (value.length > CLIENT_METADATA_MAX_LENGTH) {
      messages.push(
        `${label(resource)} clientMetadata "${shown}" is ${value.length} characters; Auth0 allows at most ${CLIENT_METADATA_MAX_LENGTH}. ${FIX}`,
      );
    }
  }
  return messages;
}

export const clientMetadataPolicy = resourcePolicy(
  {
    name: "auth0-client-metadata-limits",
    description: `Client metadata has at most ${CLIENT_METADATA_MAX_KEYS} keys, string values only, keys and values at most ${CLIENT_METADATA_MAX_LENGTH} characters.`,
    remediationSteps: "Shorten or remove metadata entries of the application in Pulumi.<stack>.yaml; write every value as a string.",
    severity: "medium",
    url: "https://auth0.com/docs/get-started/applications/configure-application-metadata",
  },
  checkClientMetadata,
);
