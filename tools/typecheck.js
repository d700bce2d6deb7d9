// `npm run typecheck`: tsc over tsconfig.json (the project and the policy pack), incremental, and not run at
// all when none of its inputs changed since the last check that passed.
//
// `tsc --incremental` with nothing changed still reads, parses and binds every one of the program's 1,600
// files (about 3 s here) to find that out. `tsc -b` would skip that, but it looks only at the project's own
// files: an edited or upgraded declaration file in node_modules passes unchecked (docs/performance.md). So
// this script keeps its own record of what the last passing check read: every file tsc listed (node_modules
// included) with its size and modification time, every directory of the project (a file added or removed
// changes its directory's time), the directories in node_modules that tsc read from and their packages'
// package.json (which tsc resolves through without listing them), and each node_modules/.package-lock.json
// (npm rewrites it on every install). When all of them are as recorded, the check's result cannot differ and
// tsc is not started; anything else, or anything that cannot be read, runs tsc as before. The record is
// written only after a check that passed, only when no input changed while tsc ran (the project's files are
// compared before and after, and every input's time against tsc's start), and never under a tsconfig.json that
// extends another file. `npm run typecheck -- --force` always runs tsc.
//
// Plain JavaScript, as tools/test.js: it runs before anything is compiled.
const { spawnSync } = require("node:child_process");
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const path = require("node:path");

// The compile cache for tsc's own 6 MB of JavaScript (see the file).
require("./compile-cache");

const ROOT = path.resolve(__dirname, "..");
const CACHE = path.join("node_modules", ".cache", "tsc");
const TSC_ARGS = ["--noEmit", "--incremental", "--tsBuildInfoFile", path.join(CACHE, "project.tsbuildinfo"), "-p", "tsconfig.json"];
const RECORD = path.join(CACHE, "inputs.json");
/** Changes when the record's shape or meaning does, so an old record is never read as a new one. */
const RECORD_FORMAT = 2;
/** Inputs tsc reads without listing them: the compiler, its configuration, the package's own manifest. */
const UNLISTED_INPUTS = ["tsconfig.json", "package.json", path.join("node_modules", "typescript", "package.json")];
/** Directories whose contents are not the project's sources (node_modules is recorded through its lockfile). */
const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"]);

/**
 * The files tsc listed (`--listFiles`: one absolute path per line, among its other output), and the rest of
 * its output (the diagnostics), in order.
 */
function splitListing(output) {
  const files = [];
  const rest = [];
  for (const line of output.split("\n")) {
    if (path.isAbsolute(line) && /\.(d\.[cm]?ts|[cm]?tsx?|json|[cm]?jsx?)$/.test(line)) files.push(line);
    else rest.push(line);
  }
  return { files, rest: rest.join("\n") };
}

/** Size and modification time of `file`, or null when it does not exist. */
function fileState(file) {
  try {
    const stat = statSync(file);
    return [stat.size, stat.mtimeMs];
  } catch {
    return null;
  }
}

/**
 * The project's directories under `root` (relative, `root` itself as "."), skipping SKIPPED_DIRECTORIES, and
 * the lockfile of every node_modules met on the way.
 */
function walk(root) {
  const directories = [];
  const lockfiles = [];
  const visit = (relative) => {
    directories.push(relative);
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const child = relative === "." ? entry.name : path.join(relative, entry.name);
      if (entry.name === "node_modules") lockfiles.push(path.join(child, ".package-lock.json"));
      if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(child);
    }
  };
  visit(".");
  return { directories, lockfiles };
}

/**
 * The directories in node_modules that hold a listed file, and those above them up to their package's root:
 * tsc resolves through them (a package.json's `types`, a new index.d.ts), though it lists neither.
 */
function libraryDirectories(relativeFiles) {
  const dirs = new Set();
  for (const file of relativeFiles) {
    const parts = file.split(path.sep);
    const last = parts.lastIndexOf("node_modules");
    if (last < 0) continue;
    for (let end = parts.length - 1; end > last + 1; end--) dirs.add(parts.slice(0, end).join(path.sep));
  }
  return [...dirs].sort();
}

/**
 * What a check read in `root`: `listed` (the files tsc listed, absolute) and the unlisted inputs, each with
 * its size and time (null where absent); each directory's time, the project's and those in node_modules that
 * tsc read from. Paths are relative to `root`.
 */
function recordInputs(root, listed, args) {
  const { directories, lockfiles } = walk(root);
  const relative = listed.map((f) => path.relative(root, f));
  const libraries = libraryDirectories(relative);
  const files = {};
  for (const file of [...relative, ...UNLISTED_INPUTS, ...lockfiles, ...libraries.map((dir) => path.join(dir, "package.json"))]) {
    files[file] = fileState(path.join(root, file));
  }
  const dirs = {};
  for (const dir of directories) dirs[dir] = statSync(path.join(root, dir)).mtimeMs;
  const libraryDirs = {};
  for (const dir of libraries) libraryDirs[dir] = fileState(path.join(root, dir))?.[1] ?? null;
  return { format: RECORD_FORMAT, args, files, dirs, libraryDirs };
}

/**
 * Why the inputs in `root` are not those `record` holds (the first difference found), or null when they are.
 * Anything it cannot read counts as a change.
 */
function changedInput(root, record, args) {
  if (!record || typeof record !== "object" || record.format !== RECORD_FORMAT) return "no record of a check that passed";
  if (JSON.stringify(record.args) !== JSON.stringify(args)) return "tsc's arguments changed";
  try {
    for (const [file, state] of Object.entries(record.files)) {
      if (JSON.stringify(fileState(path.join(root, file))) !== JSON.stringify(state)) return `${file} changed`;
    }
    for (const [dir, mtime] of Object.entries(record.libraryDirs)) {
      if ((fileState(path.join(root, dir))?.[1] ?? null) !== mtime) return `a file was added to or removed from ${dir}`;
    }
    const { directories } = walk(root);
    if (directories.length !== Object.keys(record.dirs).length) return "a directory was added or removed";
    for (const dir of directories) {
      if (record.dirs[dir] !== statSync(path.join(root, dir)).mtimeMs) return `a file was added to or removed from ${dir}`;
    }
  } catch (error) {
    return `the project could not be read (${error.code ?? error.message})`;
  }
  return null;
}

/** Files tsc can read under this tsconfig (TypeScript, and JSON through resolveJsonModule; no allowJs). */
const TSC_READABLE = /\.([cm]?tsx?|json)$/;

/**
 * Every project directory's time and the size and time of every project file tsc could read (node_modules and
 * .git aside), as one string: taken before and after tsc, so an edit while it ran is noticed whatever the
 * clocks say. Other files (the bundles a test writes to dist/, say) do not count.
 */
function projectSnapshot(root) {
  const { directories } = walk(root);
  const states = [];
  for (const dir of directories) {
    states.push([dir, statSync(path.join(root, dir)).mtimeMs]);
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (entry.isFile() && TSC_READABLE.test(entry.name))
        states.push([path.join(dir, entry.name), fileState(path.join(root, dir, entry.name))]);
    }
  }
  return JSON.stringify(states);
}

/**
 * The clock a file system stamps modification times with may run behind the one Date.now() reads (Linux uses a
 * coarse clock, a tick behind), so "modified since" looks this far further back.
 */
const CLOCK_SLACK_MS = 1000;

/** The first recorded input modified at or after `since` (ms since the epoch), give or take the clocks' slack. */
function modifiedSince(record, since) {
  for (const [file, state] of Object.entries(record.files)) if (state && state[1] >= since - CLOCK_SLACK_MS) return file;
  for (const [dir, mtime] of Object.entries(record.dirs)) if (mtime >= since - CLOCK_SLACK_MS) return dir;
  return null;
}

function readRecord(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function main() {
  const force = process.argv.includes("--force");
  const recordFile = path.join(ROOT, RECORD);
  const reason = force ? "--force" : changedInput(ROOT, readRecord(recordFile), TSC_ARGS);
  if (reason === null) {
    process.stdout.write("no input changed since the last check that passed; `npm run typecheck -- --force` checks again\n");
    return;
  }
  const started = Date.now();
  const before = snapshotOrNull(ROOT);
  const tsc = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), ...TSC_ARGS, "--listFiles", ...(process.stdout.isTTY ? ["--pretty"] : [])],
    {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (tsc.error) throw tsc.error;
  const { files, rest } = splitListing(tsc.stdout);
  process.stdout.write(rest.trimEnd() === "" ? "" : `${rest.trimEnd()}\n`);
  process.stderr.write(tsc.stderr);
  process.exitCode = tsc.status ?? 1;
  if (tsc.status !== 0) return;
  const notRecorded = (why) =>
    process.stdout.write(`checked ${files.length} files (${reason}); not recorded: ${why}, the next run checks again\n`);
  // A tsconfig that extends another reads a file outside this record: always check.
  if (extendsAnother(readFileSync(path.join(ROOT, "tsconfig.json"), "utf8"))) return notRecorded("tsconfig.json extends another file");
  let record;
  try {
    record = recordInputs(ROOT, files, TSC_ARGS);
  } catch (error) {
    return notRecorded(`the project could not be read (${error.code ?? error.message})`);
  }
  const moved = modifiedSince(record, started);
  if (moved !== null) return notRecorded(`${moved} changed while tsc ran`);
  if (before === null || snapshotOrNull(ROOT) !== before) return notRecorded("a project file changed while tsc ran");
  try {
    mkdirSync(path.dirname(recordFile), { recursive: true });
    const temporary = `${recordFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(record));
    renameSync(temporary, recordFile);
  } catch (error) {
    return notRecorded(`the record could not be written (${error.code ?? error.message})`);
  }
  process.stdout.write(`checked ${files.length} files (${reason})\n`);
}

/** Whether a tsconfig's text extends another file (whose options, and whose own files, this record does not see). */
function extendsAnother(tsconfigText) {
  return /"extends"\s*:/.test(tsconfigText);
}

function snapshotOrNull(root) {
  try {
    return projectSnapshot(root);
  } catch {
    return null;
  }
}

if (require.main === module) main();

module.exports = { changedInput, extendsAnother, libraryDirectories, modifiedSince, projectSnapshot, recordInputs, splitListing, TSC_ARGS };
