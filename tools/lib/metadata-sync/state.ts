// The `--state` file: an append-only journal (NDJSON) of the users an `--apply` run has finished, so that
// a run that stopped (a failure, Ctrl-C, a crash) resumes where it stopped instead of starting over.
//
//   {"metadata_sync_state":1,"stack":"dev","domain":"…","input_sha256":"…","started_at":"…"}   the run
//   {"user_id":"auth0|1","result":"done"}                                                       one line per user
//   {"user_id":"auth0|2","result":"failed","error":"HTTP 500: …"}
//   {"complete":true,"at":"…"}                                                                  nothing left to do
//
// One line is appended per user, so progress survives a crash (a torn last line is ignored). A journal
// is resumed only for the same stack, domain and input file content; a complete journal, or one for
// another input, is started afresh.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
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
  /** Why an existing file is not resumed, when it is not. */
  restartReason?: string;
}

/** What an existing journal says about this run; nothing when the file does not exist. */
export function readState(file: string, identity: RunIdentity): PreviousRun {
  if (!existsSync(file)) return { done: new Set() };
  const lines = readFileSync(file, "utf8").split("\n");
  const entries: Record<string, unknown>[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      if (index === lines.length - 1 || lines.slice(index + 1).every((l) => l.trim() === "")) break; // torn by a crash
      throw new UserError(`${file} line ${index + 1} is not a metadata-sync state record: pass another --state file`);
    }
  }
  const header = entries[0];
  if (!header || header.metadata_sync_state !== STATE_VERSION) {
    throw new UserError(`${file} is not a metadata-sync state file (version ${STATE_VERSION}): pass another --state file`);
  }
  for (const key of ["stack", "domain", "input_sha256"] as const) {
    if (header[key] !== identity[key]) {
      return {
        done: new Set(),
        restartReason: `${file} was written for another ${key === "input_sha256" ? "input file" : key}; starting from the beginning`,
      };
    }
  }
  if (entries.some((e) => e.complete === true)) {
    return { done: new Set(), restartReason: `${file} records a completed run; starting from the beginning` };
  }
  const done = new Set<string>();
  for (const entry of entries.slice(1)) {
    if (typeof entry.user_id !== "string") continue;
    if (entry.result === "done") done.add(entry.user_id);
    else done.delete(entry.user_id);
  }
  return { done };
}

/** Appends to the journal as users finish. */
export class StateJournal {
  private constructor(readonly file: string) {}

  /** Continues `previous` when it is resumable, otherwise starts a new journal. */
  static open(file: string, identity: RunIdentity, previous: PreviousRun, now: Date = new Date()): StateJournal {
    const resuming = existsSync(file) && previous.restartReason === undefined;
    if (!resuming) {
      writeFileSync(file, `${JSON.stringify({ metadata_sync_state: STATE_VERSION, ...identity, started_at: now.toISOString() })}\n`);
    }
    return new StateJournal(file);
  }

  done(userId: string): void {
    this.append({ user_id: userId, result: "done" });
  }

  failed(userId: string, error: string): void {
    this.append({ user_id: userId, result: "failed", error });
  }

  complete(now: Date = new Date()): void {
    this.append({ complete: true, at: now.toISOString() });
  }

  private append(entry: Record<string, unknown>): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
