// The journal on its own: what a damaged file still tells the next run, and which paths are refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { UserError } from "../../../infra/errors";
import { checkStatePath, readState, StateJournal } from "./state";

const IDENTITY = { stack: "dev", domain: "dev-myapp.eu.auth0.com", input_sha256: "abc" };
const HEADER = JSON.stringify({ metadata_sync_state: 1, ...IDENTITY, started_at: "2026-01-01T00:00:00.000Z" });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "metadata-sync-state-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function journal(text: string): string {
  const file = path.join(dir, "state.ndjson");
  writeFileSync(file, text);
  return file;
}

describe("readState", () => {
  it("keeps every whole record before a torn last line, and resuming cuts the torn bytes off", () => {
    const file = journal(`${HEADER}\n{"user_id":"a","result":"done"}\n{"user_id":"b","res`);
    const previous = readState(file, IDENTITY);
    expect([...previous.done]).toEqual(["a"]);
    expect(previous.recovered).toBe(`recovered ${file}: ignored its torn last line (19 bytes, cut off before appending)`);
    StateJournal.open(file, IDENTITY, previous).done("b");
    expect(readFileSync(file, "utf8")).toBe(`${HEADER}\n{"user_id":"a","result":"done"}\n{"user_id":"b","result":"done"}\n`);
    expect([...readState(file, IDENTITY).done]).toEqual(["a", "b"]);
  });

  it("starts afresh when the crash tore the header itself", () => {
    const previous = readState(journal('{"metadata_sync_state":1,"sta'), IDENTITY);
    expect(previous).toMatchObject({ done: new Set(), restartReason: expect.stringMatching(/holds only a torn first line/) });
  });

  it("refuses a file that is not a journal, so that a mistyped --state never overwrites another file", () => {
    expect(() => readState(journal("user_id,tenant_id,plan,roles\nauth0|a,acme,free,\n"), IDENTITY)).toThrow(
      /is not a metadata-sync state file \(version 1\): pass another --state file/,
    );
    expect(() => readState(journal("just some text"), IDENTITY)).toThrow(UserError);
  });

  it("tracks partly written users until a later record says done", () => {
    const file = journal(
      [
        HEADER,
        '{"user_id":"a","result":"partial","applied":["app_metadata"],"error":"HTTP 500"}',
        '{"user_id":"b","result":"partial","applied":["remove-roles"],"error":"HTTP 500"}',
        '{"user_id":"b","result":"failed","error":"HTTP 500"}',
        '{"user_id":"a","result":"done"}',
        "",
      ].join("\n"),
    );
    const previous = readState(file, IDENTITY);
    expect([...previous.done]).toEqual(["a"]);
    expect([...previous.partial]).toEqual(["b"]);
  });
});

describe("checkStatePath", () => {
  it("accepts a new file in an existing folder, and an existing journal", () => {
    expect(() => checkStatePath(path.join(dir, "new.ndjson"))).not.toThrow();
    expect(() => checkStatePath(journal(`${HEADER}\n`))).not.toThrow();
  });

  it("refuses a directory, a missing folder and a device", () => {
    expect(() => checkStatePath(dir)).toThrow(
      new UserError(`--state ${dir} is a directory: pass a file path, for example ${path.join(dir, "metadata-sync.ndjson")}`),
    );
    expect(() => checkStatePath(path.join(dir, "missing", "s.ndjson"))).toThrow(/the folder .* does not exist/);
    expect(() => checkStatePath("/dev/null")).toThrow(/is not a regular file/);
  });
});
