// The human report `npm run adopt` prints: what was adopted, what was left out and why, what the first
// update would change, what a person must decide, the secrets to set by hand, and the next steps.
import * as path from "node:path";
import type { PlannedResource } from "../../../harness/plan";
import type { Note } from "./model";
import type { AdoptResult } from "./index";
import type { ImportSpec } from "./import-file";
import { providerUrn } from "./names";

export function renderReport(result: Omit<AdoptResult, "report"> & { placeholders: ImportSpec[] }): string {
  const { stack, stackFile, source, adoption, problems, changes, fresh, warnings, policy, importFile, placeholders } = result;
  const importName = path.basename(result.importFilePath);
  const lines: string[] = [];
  const section = (title: string, body: string[]) => {
    if (body.length === 0) return;
    lines.push("", title, ...body);
  };
  const notes = (items: Note[]) => items.map((n) => `  - ${n.subject}: ${n.detail}`);

  lines.push(`Adopted ${source.path} (${source.kind}) into ${stackFile}; import file ${importName}.`);
  const imported = importFile.resources.filter((r) => !r.component).length;
  lines.push(`${adoption.adopted.length} objects adopted, ${imported} resources in the import file, ${adoption.leftOut.length} left out.`);

  section("Adopted:", notes(adoption.adopted));
  section(
    "Not in the export (unknown, never taken as empty: nothing of these is adopted or removed):",
    source.absent.map((a) => `  - ${a}`),
  );
  section("Kept from the stack file (not in the tenant; the first `pulumi up` creates them):", notes(adoption.kept));
  section(
    "Kept from the stack file where a person set it and the tenant differs (the first `pulumi up` applies it):",
    notes(adoption.edits),
  );
  section("Left out (the program does not manage them; they stay as they are in Auth0):", [
    ...notes(adoption.leftOut),
    ...source.otherSections.map((s) => `  - ${s}: a part of the export this program has no counterpart for; it stays as it is`),
  ]);
  section("Decisions to review:", [
    ...notes(adoption.decisions),
    ...source.unresolvedKeywords.map(
      (k) => `  - keyword ${k} has no value: pass --keywords <mappings.json>, or edit the values that hold it`,
    ),
  ]);

  if (problems.length > 0) {
    section(
      `\`npm run plan -- --stack ${stack}\` refuses this config until you fix (the same settings parser found these):`,
      problems.map((p) => `  - ${p}`),
    );
  }
  if (!result.plan) {
    lines.push("", "Planned changes are not shown until plan accepts everything but the credentials above.");
  } else {
    section(
      "Changes the first `pulumi up` would make to adopted resources (the preview after the import shows the same):",
      changes.map((c) => `  - ${c.subject}: ${c.field}: ${c.live} -> ${c.planned}`),
    );
    if (changes.length === 0)
      lines.push("", "No adopted resource would change: after the import, `pulumi preview` shows no changes to them.");
    section("Created by the first `pulumi up` (nothing live to adopt):", fresh.map(describeFresh));
  }
  section(
    "Plan warnings:",
    warnings.map((w) => `  - ${w}`),
  );
  if (policy?.skipped) section("Policy pack:", [`  - not run: ${policy.skipped}`]);
  else if (policy) {
    section(
      `Policy pack (${policy.config}), as \`pulumi preview --policy-pack policy\` would report:`,
      policy.findings.length === 0
        ? ["  - no violations"]
        : policy.findings.map((f) => `  - [${f.enforcementLevel}] ${f.policy}: ${f.message}`),
    );
  }

  const secretLines = notes(adoption.secrets);
  if (source.secretFields > 0) {
    const advice =
      source.kind === "Management API export"
        ? "Delete that file, or export with `npm run adopt -- --export`, which never writes them"
        : "Keep such values as deploy-CLI keywords rather than in the repository";
    secretLines.unshift(
      `  - ${source.path} holds ${source.secretFields} secret field${source.secretFields > 1 ? "s" : ""} (client_secret, signing or encryption keys): ` +
        `adopt neither read nor wrote them, and Auth0 keeps each as it is. ${advice}`,
    );
  }
  section("Secrets (never written to the stack file):", secretLines);
  section(
    "Run these yourself (adopt never writes credentials):",
    adoption.commands.map((c) => `  ${c}`),
  );

  section(
    `Import IDs the export did not carry (fill in each <PLACEHOLDER> in ${importName}, or re-run adopt on an \`npm run adopt -- --export\` of the tenant):`,
    placeholders.map((p) => `  - ${p.type} ${p.logicalName ?? p.name}: ${p.id}`),
  );

  lines.push(
    "",
    "Next steps (docs/adoption.md):",
    `  1. Review ${stackFile} and the decisions above; \`npm run plan -- --stack ${stack}\` must accept it.`,
    `  2. Create only the provider, so the import can use it: pulumi up --stack ${stack} --target '${providerUrn(stack)}'`,
    `  3. pulumi import --stack ${stack} --file ${importName} --generate-code=false`,
    `  4. pulumi preview --stack ${stack}: it must show only the changes listed above, then \`pulumi up\`.`,
  );
  return `${lines.join("\n")}\n`;
}

function describeFresh(resource: PlannedResource): string {
  const short = resource.type.replace(/^auth0:index\/[^:]+:/, "auth0:");
  return `  - ${short} ${resource.name}`;
}
