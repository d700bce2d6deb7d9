// The run's result as text for stdout: skipped rows with their line, each change, the summary.
import { OWNED_KEYS } from "./diff";
import { plural, type PlannedChange, type SyncResult } from "./sync";
import { stepsOf } from "./tenant";

export function renderResult(result: SyncResult): string {
  const out: string[] = [];
  const { mode, stack, domain, inputFile } = result;
  out.push(`Metadata sync of stack ${stack} (${domain}) from ${inputFile}: ${mode === "apply" ? "applying" : "dry run, nothing written"}`);

  if (result.problems.length > 0) {
    out.push("", `Skipped rows (${plural(result.problems.length, "problem")}):`);
    for (const problem of result.problems) out.push(`  ${inputFile}:${problem.line}: ${problem.message}`);
  }

  out.push(
    "",
    result.changes.length === 0 ? "No changes: every checked user is in sync." : `Changes (${plural(result.changes.length, "user")}):`,
  );
  for (const planned of result.changes) out.push(`  ${describeChange(planned)}${outcomeNote(planned, mode)}`);

  const { checked, changed, skipped, failed, partial, notAttempted } = result.summary;
  const { doneEarlier } = result.skipped;
  out.push(
    "",
    `Summary: checked ${checked}, changed ${changed}, skipped ${skipped}, failed ${failed}` +
      (partial > 0 ? `, partly applied ${partial}` : "") +
      (notAttempted > 0 ? `, not attempted ${notAttempted}` : "") +
      (doneEarlier > 0 ? ` (${doneEarlier} of the skipped were finished by an earlier run)` : ""),
  );
  const { transientFaults, retried } = result.rateLimit;
  const { verified, landedUnanswered, repeated } = result.writes;
  if (transientFaults > 0 || verified > 0) {
    out.push(
      `Transient faults: ${transientFaults} (${retried} reads re-sent); writes read back after a lost answer: ${verified} (${landedUnanswered} had landed, ${repeated} sent again)`,
    );
  }
  if (result.journalRecovered) out.push(`Journal: ${result.journalRecovered}.`);
  if (result.journalError) {
    out.push(
      `Stopped: ${result.journalError}. The users marked [applied] above are written in the tenant; those applied after the ` +
        "journal's last record are not in it, and the next run compares them with the tenant again (they show as in sync). " +
        "Free the disk or fix the --state path, then run the same command again.",
    );
  } else if (result.stopped) out.push(`Stopped early: ${result.stopped}. Run the same command again (same --state) to resume.`);
  else if (failed > 0 || partial > 0)
    out.push("Run the same command again to retry the failed users (partly applied ones are finished first).");
  if (mode === "dry-run" && result.changes.length > 0) out.push("Dry run: add --apply to write these changes.");
  return `${out.join("\n")}\n`;
}

/**
 * 0: in sync or synced; 2: the journal could not be written (a user-fixable error: disk, path);
 * 3: finished, but some rows were skipped as bad or some users were not (fully) written.
 */
export function exitCodeFor(result: SyncResult): number {
  if (result.journalError) return 2;
  const { failed, partial, notAttempted } = result.summary;
  return result.problems.length > 0 || failed > 0 || partial > 0 || notAttempted > 0 ? 3 : 0;
}

export function describeChange(planned: PlannedChange): string {
  const { change } = planned;
  const parts: string[] = [];
  for (const key of OWNED_KEYS) {
    if (key in change.appMetadata) parts.push(`app_metadata.${key} ${show(change.previous[key])} → ${show(change.appMetadata[key])}`);
  }
  const roles = [...change.assignRoles.map((r) => `+${r}`), ...change.removeRoles.map((r) => `-${r}`)];
  if (roles.length > 0) parts.push(`roles ${roles.join(" ")}`);
  return `line ${planned.line} ${planned.user_id}: ${parts.join("; ")}${planned.unfinished ? " (partly written by an earlier run)" : ""}`;
}

function outcomeNote(planned: PlannedChange, mode: SyncResult["mode"]): string {
  if (mode === "dry-run") return "";
  switch (planned.outcome) {
    case "applied":
      return "  [applied]";
    case "failed":
      return `  [FAILED: ${planned.error}]`;
    case "partial": {
      const landed = planned.applied ?? [];
      const failedStep = stepsOf(planned.change).find((step) => !landed.includes(step));
      return `  [PARTLY APPLIED: ${landed.join(", ")} written; ${failedStep} failed: ${planned.error}]`;
    }
    case "not-attempted":
      return "  [not attempted]";
    default:
      return "";
  }
}

function show(value: unknown): string {
  return value === null || value === undefined ? "(none)" : JSON.stringify(value);
}
