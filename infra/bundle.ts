// The one function that turns Action source (TypeScript under actions/) into the code string Auth0 runs.
// The program, `npm run bundle`, `simulate`, the tests and the benchmark all call it, so the bytes they
// check are the bytes Pulumi deploys.
import { build, type Plugin } from "esbuild";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { ACTION_CODE_MAX_BYTES } from "../auth0/rules";
import { CLAIM_MAPPING, type ClaimMappingSettings } from "../actions/claim-mapping/settings";

/** The repository root: esbuild paths are made relative to it, so no absolute path reaches a bundle. */
export const REPO_ROOT = path.resolve(__dirname, "..");

export interface ActionBundle {
  /** The CommonJS source passed to auth0.Action `code`. */
  code: string;
  /** Hex sha256 of `code` (UTF-8). */
  sha256: string;
  /** Size of `code` in bytes (UTF-8): what Auth0's 100 kB limit counts. */
  bytes: number;
}

export class BundleError extends Error {}

/**
 * Bundles `actions/<action>/index.ts` with the action's settings baked in as the module
 * "<action>:settings". Deterministic: the output depends only on the source files and the settings.
 */
export async function bundleAction(action: string, settings: object): Promise<ActionBundle> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [`actions/${action}/index.ts`],
    bundle: true,
    write: false,
    platform: "node",
    format: "cjs",
    // node22 keeps `async` native, which Auth0's loader requires of onExecutePostLogin.
    target: "node22",
    // Not minified: reviewers read this code in the preview diff.
    minify: false,
    sourcemap: false,
    charset: "utf8",
    legalComments: "inline",
    logLevel: "silent",
    banner: {
      js: `// Auth0 Action "${action}", bundled from actions/${action}/ by infra/bundle.ts. Edit the source, not this code.`,
    },
    plugins: [settingsModule(`${action}:settings`, settings)],
  });
  if (result.errors.length > 0 || result.warnings.length > 0) {
    const messages = [...result.errors, ...result.warnings].map((m) => m.text).join("; ");
    throw new BundleError(`bundling actions/${action} failed: ${messages}`);
  }
  const code = result.outputFiles[0].text;
  const bytes = Buffer.byteLength(code, "utf8");
  if (bytes > ACTION_CODE_MAX_BYTES) {
    throw new BundleError(`the ${action} Action bundles to ${bytes} bytes; Auth0 accepts at most ${ACTION_CODE_MAX_BYTES} per Action`);
  }
  return { code, bytes, sha256: createHash("sha256").update(code, "utf8").digest("hex") };
}

/** The claim-mapping Action with a stack's settings: what the program deploys and every tool runs. */
export function bundleClaimMapping(settings: ClaimMappingSettings): Promise<ActionBundle> {
  return bundleAction(CLAIM_MAPPING, settings);
}

/** Resolves one import specifier to the given settings, as a JSON module (readable in the bundle). */
function settingsModule(specifier: string, settings: object): Plugin {
  const escaped = specifier.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return {
    name: "action-settings",
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${escaped}$`) }, () => ({ path: specifier, namespace: "settings" }));
      build.onLoad({ filter: /.*/, namespace: "settings" }, () => ({
        contents: JSON.stringify(settings, null, 2),
        loader: "json",
      }));
    },
  };
}
