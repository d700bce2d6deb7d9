// An Action Auth0 will run: on the supported runtime, deployed, and within the code size limit.
import { label, resourcePolicy, TYPES, type PlainResource } from "./define";

/** node22 is current; node18 (stored as node18-actions) is the previous one, node12/16 reached end of life. */
export const ACTION_RUNTIME = "node22";
/** Auth0 rejects Action code over 100 kB, counting everything the bundler inlines. */
export const ACTION_CODE_MAX_BYTES = 100 * 1024;

export function checkActionDeployable(resource: PlainResource): string[] {
  if (resource.type !== TYPES.action) return [];
  const { runtime, deploy, code } = resource.props;
  const messages: string[] = [];
  if (runtime !== ACTION_RUNTIME) {
    messages.push(
      `${label(resource)} runs on ${runtime === undefined ? "Auth0's default runtime" : `"${String(runtime)}"`}, not "${ACTION_RUNTIME}". ` +
        `Fix: set runtime: "${ACTION_RUNTIME}" on the auth0.Action, and test the Action on Node 22.`,
    );
  }
  // deploy defaults to false: the Action stays a draft that never runs, and binding it fails with
  // "400 … action that has not been deployed yet".
  if (deploy !== true) {
    messages.push(
      `${label(resource)} is not deployed (deploy: ${String(deploy)}): a draft never runs and cannot be bound. Fix: set deploy: true.`,
    );
  }
  if (typeof code === "string") {
    const bytes = Buffer.byteLength(code, "utf8");
    if (bytes > ACTION_CODE_MAX_BYTES) {
      messages.push(
        `${label(resource)} code is ${bytes} bytes; Auth0 accepts at most ${ACTION_CODE_MAX_BYTES} (100 kB). ` +
          "Fix: shrink the bundle (`npm run bundle` prints its size): drop unused imports, or declare large npm packages as the Action's dependencies instead of bundling them.",
      );
    }
  }
  return messages;
}

export const actionDeployablePolicy = resourcePolicy(
  {
    name: "auth0-action-deployable",
    description: `Actions use the ${ACTION_RUNTIME} runtime, are deployed (deploy: true), and their code is at most 100 kB.`,
    remediationSteps: `Set runtime: "${ACTION_RUNTIME}" and deploy: true on the auth0.Action; keep the bundle under 100 kB (npm run bundle prints its size).`,
    severity: "high",
    url: "https://auth0.com/docs/customize/actions/limitations",
  },
  checkActionDeployable,
);
