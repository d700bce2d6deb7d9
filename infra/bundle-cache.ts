// A cache of Action bundles on disk, so that a start with unchanged Action source does not start esbuild.
//
// Starting esbuild's service (a Go process) and bundling was the largest part of the program's start-up
// beyond a one-resource program (docs/performance.md, target 3), and every test file that plans paid it too.
// The bundle is a pure function of what esbuild read and how it was called, so a bundle made before is
// reused only when all of that is provably the same:
//   - the key: esbuild's version, infra/bundle.ts's own source (the build options and plugins live there), the
//     action, its entry and the settings module's text, hashed together (`bundleKey`);
//   - every file esbuild read (its metafile's inputs), by the sha256 of its contents;
//   - the names in each of those files' directories, so a new file that an import would now resolve to
//     (index.ts next to index.js, say) is noticed;
//   - the configuration esbuild reads on its own, which its metafile does not list: tsconfig.json,
//     jsconfig.json and package.json in each of those directories and every directory above them up to the
//     root, by the sha256 of each, or its absence. A tsconfig that `extends` another file is never cached
//     (the chain can lead anywhere, node_modules included);
//   - where each symbolic link in those directories points (the metafile names the file a link resolves to).
// Anything else is a miss, and the bundle is made by esbuild as before. An entry is written only after a build
// that passed, under a temporary name renamed into place, so a reader never sees half of one. A cache that
// cannot be read or written is ignored: the bundle is then made every time, as it was before the cache.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** Where entries live, under the repository root: with the other caches, never committed. */
export const BUNDLE_CACHE_DIR = path.join("node_modules", ".cache", "action-bundles");

/** Changes when an entry's shape or meaning does, so an old entry is never read as a new one. */
const ENTRY_FORMAT = 3;

interface Entry {
  format: number;
  /** Input file (relative to the root) -> sha256 of its contents. */
  inputs: Record<string, string>;
  /** Directory of an input (relative) -> the names it held. */
  directories: Record<string, string[]>;
  /** A configuration file esbuild would read (relative) -> sha256 of its contents, or null where there was none. */
  configs: Record<string, string | null>;
  code: string;
}

/** Files esbuild reads for the modules in a directory and the directories above it (tsconfig options, package type). */
const CONFIG_FILES = ["tsconfig.json", "jsconfig.json", "package.json"];

/** The configuration files esbuild would look for, for modules in `dir` (relative to the root), up to the root. */
function configFilesFor(dir: string): string[] {
  const files: string[] = [];
  for (let at = dir; ; at = path.dirname(at)) {
    for (const name of CONFIG_FILES) files.push(path.join(at, name));
    if (at === "." || at === path.dirname(at)) return files;
  }
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The cache key of one build: everything that decides its output other than the files it reads. */
export function bundleKey(parts: Record<string, string>): string {
  return sha256(JSON.stringify(Object.entries(parts).sort(([a], [b]) => a.localeCompare(b))));
}

/** The sorted names in `dir`, a symbolic link's with its target (`name -> target`), or null when it cannot be read. */
function names(dir: string): string[] | null {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .map((entry) => (entry.isSymbolicLink() ? `${entry.name} -> ${readlinkSync(path.join(dir, entry.name))}` : entry.name))
      .sort();
  } catch {
    return null;
  }
}

/** A file's contents, or null when it cannot be read. */
function readOrNull(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** sha256 of a file's contents, or null when it cannot be read. */
function fileHash(file: string): string | null {
  const contents = readOrNull(file);
  return contents === null ? null : sha256(contents);
}

/**
 * The clock a file system stamps modification times with may run behind the one Date.now() reads (Linux uses a
 * coarse clock, a tick behind), so "modified since" looks this far further back.
 */
const CLOCK_SLACK_MS = 1000;

/** Whether `file` was modified at or after `ms`, give or take the clocks' slack (or cannot be read). */
function modifiedSince(file: string, ms: number): boolean {
  try {
    return statSync(file).mtimeMs >= ms - CLOCK_SLACK_MS;
  } catch {
    return true;
  }
}

/** The code of the entry for `key` in `root`'s cache when every input it records is unchanged; else undefined. */
export function readCachedBundle(root: string, key: string): string | undefined {
  let entry: Entry | null;
  try {
    entry = JSON.parse(readFileSync(path.join(root, BUNDLE_CACHE_DIR, `${key}.json`), "utf8")) as Entry | null;
  } catch {
    return undefined;
  }
  if (!entry || typeof entry !== "object") return undefined;
  if (entry.format !== ENTRY_FORMAT || typeof entry.code !== "string" || Object.keys(entry.inputs ?? {}).length === 0) return undefined;
  for (const [file, hash] of Object.entries(entry.inputs)) {
    if (fileHash(path.join(root, file)) !== hash) return undefined;
  }
  for (const [dir, listed] of Object.entries(entry.directories ?? {})) {
    if (JSON.stringify(names(path.join(root, dir))) !== JSON.stringify(listed)) return undefined;
  }
  if (entry.configs === undefined) return undefined;
  for (const [file, hash] of Object.entries(entry.configs)) {
    if (fileHash(path.join(root, file)) !== hash) return undefined;
  }
  return entry.code;
}

/**
 * Records `code` for `key`, with the files esbuild read (`inputs`: paths relative to `root`, as its metafile
 * names them; entries of a plugin's namespace, `settings:…`, are part of the key instead). `startedMs` is when
 * the build began: an input, configuration file or directory modified since (checked after hashing) may differ
 * from what esbuild read, so nothing is recorded then. Gives up silently, too, when the cache cannot be written
 * or an input can no longer be read.
 */
export function writeCachedBundle(root: string, key: string, inputs: string[], code: string, startedMs: number): void {
  const entry: Entry = { format: ENTRY_FORMAT, inputs: {}, directories: {}, configs: {}, code };
  // Hash first, then check the times: an edit after the build began shows in one or the other.
  for (const input of inputs) {
    if (/^[a-z-]+:/.test(input)) continue;
    const hash = fileHash(path.join(root, input));
    if (hash === null || modifiedSince(path.join(root, input), startedMs)) return;
    entry.inputs[input] = hash;
  }
  // Each directory once, however many inputs it holds; each configuration file once, however many lie below it.
  for (const dir of new Set(Object.keys(entry.inputs).map((input) => path.dirname(input)))) {
    const listed = names(path.join(root, dir));
    if (listed === null || modifiedSince(path.join(root, dir), startedMs)) return;
    entry.directories[dir] = listed;
    for (const config of configFilesFor(dir)) {
      if (config in entry.configs) continue;
      const at = path.join(root, config);
      const text = readOrNull(at);
      // An absent file's directory changes when one appears in it.
      if (modifiedSince(text === null ? path.dirname(at) : at, startedMs)) return;
      if (text !== null && path.basename(config) !== "package.json" && /"extends"\s*:/.test(text.toString("utf8"))) return;
      entry.configs[config] = text === null ? null : sha256(text);
    }
  }
  if (Object.keys(entry.inputs).length === 0) return;
  try {
    const dir = path.join(root, BUNDLE_CACHE_DIR);
    mkdirSync(dir, { recursive: true });
    const temporary = path.join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(temporary, JSON.stringify(entry));
    renameSync(temporary, path.join(dir, `${key}.json`));
    prune(dir);
  } catch {
    // A read-only checkout: the next start bundles again.
  }
}

/** Entries kept: each stack's settings make one, and the tests make a few new ones per run (random ids). */
export const MAX_ENTRIES = 100;

/** A temporary file older than this was left by a process that died between its write and its rename. */
const ABANDONED_MS = 10 * 60_000;

/** Removes the entries written longest ago beyond MAX_ENTRIES, and abandoned temporary files. */
function prune(dir: string): void {
  const names = readdirSync(dir);
  for (const name of names.filter((n) => n.endsWith(".tmp"))) {
    const file = path.join(dir, name);
    const written = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (written !== undefined && written < Date.now() - ABANDONED_MS) rmSync(file, { force: true });
  }
  const entries = names.filter((name) => name.endsWith(".json"));
  if (entries.length <= MAX_ENTRIES) return;
  const byAge = entries.map((name) => ({ name, mtime: statSync(path.join(dir, name)).mtimeMs })).sort((a, b) => a.mtime - b.mtime);
  for (const { name } of byAge.slice(0, entries.length - MAX_ENTRIES)) rmSync(path.join(dir, name), { force: true });
}
