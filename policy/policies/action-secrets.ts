// Action code is stored and shown in the Auth0 dashboard, the Pulumi state and every preview diff: a key
// written into it is a leaked key. Secrets belong in the Action's `secrets`, read as event.secrets.NAME.
import { label, resourcePolicy, TYPES, type PlainResource } from "./define";

/** Shapes of credentials, each named for the message. Matched per line of the bundled code. */
export const SECRET_PATTERNS: ReadonlyArray<{ kind: string; pattern: RegExp }> = [
  { kind: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: "JSON Web Token", pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./ },
  { kind: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: "Slack token", pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}/ },
  { kind: "GitHub token", pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/ },
  // A credential-named key or variable given a long string: `apiKey: "…"`, `"password": "…"`, `token = '…'`.
  // The value must have no spaces, so prose such as `token: "Your session has expired"` is not flagged.
  {
    kind: "credential assigned to a string literal",
    pattern: /(?:secret|password|passwd|api[_-]?key|token)["']?\s*[:=]\s*["'][^"'\s]{12,}["']/i,
  },
];

export function checkActionSecrets(resource: PlainResource): string[] {
  const { code } = resource.props;
  if (resource.type !== TYPES.action || typeof code !== "string") return [];
  const messages: string[] = [];
  code.split("\n").forEach((line, index) => {
    const kinds = SECRET_PATTERNS.filter(({ pattern }) => pattern.test(line)).map(({ kind }) => kind);
    if (kinds.length > 0) {
      // Name the line and the kind, never the value: this message is printed in CI logs.
      messages.push(
        `${label(resource)} code line ${index + 1} holds what looks like a secret (${kinds.join(", ")}). ` +
          "Fix: remove it from the source under actions/, rotate it if it was real, and pass it as an Action secret " +
          "(the Action's secrets input, from `pulumi config set --secret`), read at run time as event.secrets.NAME.",
      );
    }
  });
  return messages;
}

export const actionSecretsPolicy = resourcePolicy(
  {
    name: "auth0-action-no-secret-literals",
    description:
      "Action code carries no secret-looking literal (private keys, JWTs, AWS/Slack/GitHub tokens, password or API key strings).",
    remediationSteps:
      "Move the value into the Action's secrets (set from a Pulumi secret) and read it as event.secrets.NAME; rotate any credential that was committed.",
    severity: "critical",
    url: "https://auth0.com/docs/customize/actions/write-your-first-action",
  },
  checkActionSecrets,
);
