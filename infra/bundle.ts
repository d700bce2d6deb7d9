// The one function that turns Action source (TypeScript under actions/) into the code string Auth0 runs.
// The program, `npm run bundle`, `simulate`, the tests and the benchmark all call it, so the bytes they
// check are the bytes Pulumi deploys.
import type { Plugin } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ACTION_CODE_MAX_BYTES } from "../auth0/rules";
import { CLAIM_MAPPING, type ClaimMappingSettings } from "../actions/claim-mapping/settings";
import { bundleKey, readCachedBundle, writeCachedBundle } from "./bundle-cache";
import { UserError } from "./errors";

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

/**
 * Optional parts of an Action. Its entry imports "<action>:<part>"; the bundle resolves that to `on` when
 * the stack's settings use the part and to `off` otherwise, so a stack ships only the code it runs. (esbuild
 * cannot drop code behind a value of the settings module: it does not evaluate JSON at bundle time.)
 */
export const OPTIONAL_PARTS: Record<string, Record<string, { on: string; off: string; used: (settings: object) => boolean }>> = {
  [CLAIM_MAPPING]: {
    enrichment: {
      on: "enrichment.ts",
      off: "unused.ts",
      used: (settings) => "enrichment" in settings && settings.enrichment !== undefined,
    },
    isolation: { on: "isolation.ts", off: "unused.ts", used: (settings) => "marker" in settings && settings.marker !== undefined },
  },
};

export interface BundleOptions {
  /** Entry file inside actions/<action>/ (default index.ts); the benchmark's hand-written floor uses its own. */
  entry?: string;
  /**
   * Reuse a bundle made before from the same inputs (infra/bundle-cache.ts); false always runs esbuild (an
   * update's bundle; the tests compare the two). Default: true, unless PULUMI_TENANT_BUNDLE_CACHE=0.
   */
  cache?: boolean;
}

/** Set to 0 to have esbuild make every bundle, ignoring and not writing the cache. */
export const BUNDLE_CACHE_VARIABLE = "PULUMI_TENANT_BUNDLE_CACHE";

/**
 * Bundles `actions/<action>/index.ts` with the action's settings baked in as the module
 * "<action>:settings" and its optional parts resolved for those settings. Deterministic: the output
 * depends only on the source files and the settings.
 */
export async function bundleAction(action: string, settings: object, options: BundleOptions = {}): Promise<ActionBundle> {
  const entry = options.entry ?? "index.ts";
  // No key without the cache (an update): nothing the cache reads can stop a deploy.
  const key = (options.cache ?? process.env[BUNDLE_CACHE_VARIABLE] !== "0") ? cacheKeyOrNone(action, settings, entry) : undefined;
  const cached = key === undefined ? undefined : readCachedBundle(REPO_ROOT, key);
  if (cached !== undefined) return checked(cached, action);
  const startedMs = Date.now();
  // Loaded here, not at the top: a start whose bundle is cached never loads esbuild's API.
  const { build } = require("esbuild") as typeof import("esbuild");
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [`actions/${action}/${entry}`],
    bundle: true,
    write: false,
    platform: "node",
    // ESM output is plain script apart from its final export statement, which commonJsExports turns into
    // the module.exports Auth0's loader reads: no CommonJS interop helpers in the code reviewers read.
    format: "esm",
    // node22 keeps `async` native, which Auth0's loader requires of onExecutePostLogin.
    target: "node22",
    // Not minified: reviewers read this code in the preview diff and in Auth0's editor.
    minify: false,
    sourcemap: false,
    charset: "utf8",
    legalComments: "inline",
    logLevel: "silent",
    // The files it read, for the cache.
    metafile: true,
    banner: {
      js: `// Auth0 Action "${action}": bundled by infra/bundle.ts from actions/${action}/. Edit the source, not this.`,
    },
    plugins: [settingsModule(`${action}:settings`, settings), optionalParts(action, settings)],
  });
  if (result.errors.length > 0 || result.warnings.length > 0) {
    const messages = [...result.errors, ...result.warnings].map((m) => m.text).join("; ");
    throw new UserError(`bundling actions/${action} failed: ${messages}`);
  }
  const code = commonJsExports(result.outputFiles[0].text, action);
  const bundle = checked(code, action);
  if (key !== undefined) writeCachedBundle(REPO_ROOT, key, Object.keys(result.metafile?.inputs ?? {}), code, startedMs);
  return bundle;
}

/** A bundle's size, within Auth0's limit, and hash. */
function checked(code: string, action: string): ActionBundle {
  const bytes = Buffer.byteLength(code, "utf8");
  if (bytes > ACTION_CODE_MAX_BYTES) {
    throw new UserError(`the ${action} Action bundles to ${bytes} bytes; Auth0 accepts at most ${ACTION_CODE_MAX_BYTES} per Action`);
  }
  return { code, bytes, sha256: createHash("sha256").update(code, "utf8").digest("hex") };
}

/**
 * The cache key of a bundle (infra/bundle-cache.ts): esbuild's version, this file's source (the build options
 * and plugins), the action, its entry, the settings module's text and which optional parts the settings use.
 * The files esbuild reads are checked apart from the key.
 */
export function bundleCacheKey(action: string, settings: object, entry = "index.ts"): string {
  const parts = Object.entries(OPTIONAL_PARTS[action] ?? {}).map(([name, part]) => `${name}:${part.used(settings) ? "on" : "off"}`);
  return bundleKey({
    esbuild: bundlerIdentity().esbuild,
    bundler: bundlerIdentity().source,
    action,
    entry,
    settings: settingsJson(settings),
    parts: parts.join(","),
  });
}

/** The cache key, or none when it cannot be made (settings JSON cannot hold, say): the bundle is then made afresh. */
function cacheKeyOrNone(action: string, settings: object, entry: string): string | undefined {
  try {
    return bundleCacheKey(action, settings, entry);
  } catch {
    return undefined;
  }
}

/** What makes bundles other than their inputs: esbuild's version and this file's source (the build options and plugins). */
interface Bundler {
  esbuild: string;
  source: string;
}

let bundler: Bundler | undefined;
/** Read once per process: esbuild's version from its manifest (cheaper than loading its API), and this file. */
function bundlerIdentity(): Bundler {
  bundler ??= {
    esbuild: (JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")) as { version: string }).version,
    source: readFileSync(__filename, "utf8"),
  };
  return bundler;
}

/** The claim-mapping Action with a stack's settings: what the program deploys and every tool runs. */
export function bundleClaimMapping(settings: ClaimMappingSettings, options: Pick<BundleOptions, "cache"> = {}): Promise<ActionBundle> {
  return bundleAction(CLAIM_MAPPING, settings, options);
}

/** esbuild's closing `export { a, b };` of an ESM bundle, the only ESM syntax in it. */
const ESM_EXPORTS = /\nexport \{\n((?: {2}\w+,?\n)+)\};\n$/;

/** Replaces the closing export statement with `module.exports = { … };`, as a CommonJS loader reads it. */
function commonJsExports(code: string, action: string): string {
  const match = ESM_EXPORTS.exec(code);
  if (!match) throw new Error(`bundling actions/${action}: its entry must end in named exports (export const onExecutePostLogin = …)`);
  const names = match[1].split(/[,\s]+/).filter((name) => name !== "");
  return `${code.slice(0, match.index)}\nmodule.exports = { ${names.join(", ")} };\n`;
}

/** Resolves one import specifier to the given settings, as a JSON module (readable in the bundle). */
function settingsModule(specifier: string, settings: object): Plugin {
  const escaped = specifier.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return {
    name: "action-settings",
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${escaped}$`) }, () => ({ path: specifier, namespace: "settings" }));
      build.onLoad({ filter: /.*/, namespace: "settings" }, () => ({ contents: settingsJson(settings), loader: "json" }));
    },
  };
}

/** One top-level key per line, each value on its line (esbuild keeps the source's line breaks in JSON). */
export function settingsJson(settings: object): string {
  const lines = Object.entries(settings)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${lines.join(",\n")}\n}`;
}

/** Resolves "<action>:<part>" to the part's module, or to its stand-in when the settings do not use it. */
function optionalParts(action: string, settings: object): Plugin {
  const parts = OPTIONAL_PARTS[action] ?? {};
  return {
    name: "action-optional-parts",
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${action}:`) }, (args) => {
        const part = parts[args.path.slice(action.length + 1)];
        if (!part) return undefined;
        return { path: path.join(REPO_ROOT, "actions", action, part.used(settings) ? part.on : part.off) };
      });
    },
  };
}
