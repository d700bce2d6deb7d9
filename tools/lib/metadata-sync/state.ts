// The `--state` file: an append-only journal (NDJSON) of the users an `--apply` run has finished, so that
// a run that stopped (a failure, Ctrl-C, a crash) resumes where it stopped instead of starting over.
//
//   {"metadata_sync_state":1,"stack":"dev","domain":"…","input_sha256":"…","started_at":"…"}   the run
//   {"user_id":"auth0|1","result":"done"}                                                       one line per user
//   {"user_id":"auth0|2","result":"failed","error":"HTTP 500: …"}
//   {"user_id":"auth0|3","result":"partial","applied":["app_metadata"],"error":"…"}             some writes landed
//   {"complete":true,"at":"…"}                                                                  nothing left to do
//
// One line is appended per user, so progress survives a crash. A crash can tear the last line: reading
// recovers every whole record before it, and resuming cuts the torn bytes off before appending, so that
// the next record starts on a line of its own. (Before this, the next run appended to the torn line and
// every later run refused the file.) A line that is not a record in the middle of the file (such a glued
// line from an older version) is skipped: losing a "done" only means that user is compared again.
//
// A journal is resumed only for the same stack, domain and input file content; a complete journal, or
// one for another input, is started afresh.
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { UserError } from "../../../infra/errors";

export const STATE_VERSION = 1;

export interface RunIdentity {
  stack: string;
  domain: string;
  input_sha256: string;
}

export interface PreviousRun {
  /** Users finished (written, or found already in sync) by earlier runs of this journal. */
  done: Set<string>;
  /** Users partly written by an earlier run (some writes landed, one failed); the next run finishes them first. */
  partial: Set<string>;
  /** Why an existing file is not resumed, when it is not. */
  restartReason?: string;
  /** What was recovered from a damaged journal, when it was. */
  recovered?: string;
  /** Bytes of the file up to the end of its last whole line; more bytes than this are a torn tail. */
  wholeBytes?: number;
}

/**
 * The journal could not be written during the run (full disk, the file replaced by a directory). Its own
 * class because the run catches it to stop with a summary rather than fail.
 */
export class JournalWriteError extends UserError {}

/**
 * Refuses a `--state` path that cannot hold the journal, before the run reads the tenant: a directory or
 * another non-file, a folder that does not exist, a file or folder this process may not write.
 */
export function checkStatePath(file: string): void {
  const flag = `--state ${file}`;
  const folder = path.dirname(path.resolve(file));
  if (existsSync(file)) {
    const stat = statSync(file);
    if (stat.isDirectory())
      throw new UserError(`${flag} is a directory: pass a file path, for example ${path.join(file, "metadata-sync.ndjson")}`);
    if (!stat.isFile()) throw new UserError(`${flag} is not a regular file: pass the path of a journal file`);
    try {
      closeSync(openSync(file, "a"));
    } catch (error) {
      throw new UserError(`${flag} cannot be written (${codeOf(error)}): pass a file you can write`);
    }
    return;
  }
  if (!existsSync(folder)) throw new UserError(`${flag}: the folder ${folder} does not exist: create it or pass another path`);
  if (!statSync(folder).isDirectory()) throw new UserError(`${flag}: ${folder} is not a folder`);
}

/** What an existing journal says about this run; nothing when the file does not exist. */
export function readState(file: string, identity: RunIdentity): PreviousRun {
  if (!existsSync(file)) return { done: new Set(), partial: new Set() };
  const bytes = readFileSync(file);
  const wholeBytes = bytes.lastIndexOf(0x0a) + 1;
  const torn = bytes.length > wholeBytes;
  const lines = bytes.subarray(0, wholeBytes).toString("utf8").split("\n").slice(0, -1);

  const entries: Record<string, unknown>[] = [];
  const skipped: number[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const entry = parseRecord(line);
    if (entry) entries.push(entry);
    else if (entries.length === 0)
      break; // the first line must be the header
    else skipped.push(index + 1);
  }
  const header = entries[0];
  if (!header || header.metadata_sync_state !== STATE_VERSION) {
    // A crash while the header itself was written leaves a torn header and nothing else: start afresh.
    if (wholeBytes === 0 && bytes.toString("utf8").startsWith('{"metadata_sync_state"')) {
      return { done: new Set(), partial: new Set(), restartReason: `${file} holds only a torn first line; starting from the beginning` };
    }
    throw new UserError(`${file} is not a metadata-sync state file (version ${STATE_VERSION}): pass another --state file`);
  }

  const notes = [
    ...(torn ? [`ignored its torn last line (${bytes.length - wholeBytes} bytes, cut off before appending)`] : []),
    ...(skipped.length > 0
      ? [
          `skipped ${skipped.length === 1 ? "line" : "lines"} ${skipped.join(", ")}, which ${skipped.length === 1 ? "is" : "are"} not a record`,
        ]
      : []),
  ];
  const recovered = notes.length > 0 ? `recovered ${file}: ${notes.join("; ")}` : undefined;

  for (const key of ["stack", "domain", "input_sha256"] as const) {
    if (header[key] !== identity[key]) {
      return {
        done: new Set(),
        partial: new Set(),
        recovered,
        restartReason: `${file} was written for another ${key === "input_sha256" ? "input file" : key}; starting from the beginning`,
      };
    }
  }
  if (entries.some((e) => e.complete === true)) {
    return {
      done: new Set(),
      partial: new Set(),
      recovered,
      restartReason: `${file} records a completed run; starting from the beginning`,
    };
  }
  const done = new Set<string>();
  const partial = new Set<string>();
  for (const entry of entries.slice(1)) {
    if (typeof entry.user_id !== "string") continue;
    if (entry.result === "done") {
      done.add(entry.user_id);
      partial.delete(entry.user_id);
    } else {
      done.delete(entry.user_id);
      if (entry.result === "partial") partial.add(entry.user_id);
    }
  }
  return { done, partial, recovered, wholeBytes };
}

/** Appends to the journal as users finish. Every failure to write throws a JournalWriteError. */
export class StateJournal {
  private constructor(readonly file: string) {}

  /** Continues `previous` when it is resumable (cutting off a torn last line first), otherwise starts a new journal. */
  static open(file: string, identity: RunIdentity, previous: PreviousRun, now: Date = new Date()): StateJournal {
    const journal = new StateJournal(file);
    journal.guard(() => {
      const resuming = existsSync(file) && previous.restartReason === undefined;
      if (!resuming) {
        writeFileSync(file, `${JSON.stringify({ metadata_sync_state: STATE_VERSION, ...identity, started_at: now.toISOString() })}\n`);
      } else if (previous.wholeBytes !== undefined && statSync(file).size > previous.wholeBytes) {
        truncateSync(file, previous.wholeBytes);
      }
    });
    return journal;
  }

  done(userId: string): void {
    this.append({ user_id: userId, result: "done" });
  }

  failed(userId: string, error: string): void {
    this.append({ user_id: userId, result: "failed", error });
  }

  partial(userId: string, applied: readonly string[], error: string): void {
    this.append({ user_id: userId, result: "partial", applied, error });
  }

  complete(now: Date = new Date()): void {
    this.append({ complete: true, at: now.toISOString() });
  }

  private append(entry: Record<string, unknown>): void {
    this.guard(() => appendFileSync(this.file, `${JSON.stringify(entry)}\n`));
  }

  private guard(write: () => void): void {
    try {
      write();
    } catch (error) {
      throw new JournalWriteError(`the journal ${this.file} could not be written (${codeOf(error)})`, { cause: error });
    }
  }
}

function parseRecord(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string"
    ? `${code}: ${
        String(message)
          .replace(/^[A-Z]+: /, "")
          .split(",")[0]
      }`
    : String(message);
}
