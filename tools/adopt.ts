// npm run adopt -- --stack <name> --from <export.json | tenant.yaml | deploy-cli directory> [--api <identifier>]
//                  [--domain <tenant domain>] [--keywords <mappings.json>] [--import-file <path>]
// npm run adopt -- --export --out <file>
// Brings a live tenant under this program: writes the stack config that reproduces it and the Pulumi import
// file that maps every adopted resource to its live ID, and prints what it did and did not adopt. Progress
// goes to stderr, the report to stdout.
import * as fs from "node:fs";
import { flags, required, runCli } from "./lib/cli";
import { adoptStack } from "./lib/adopt";
import { readKeywordMappings } from "./lib/adopt/deploy-cli";
import { EXPORT_SCOPES, exportCredentialsFromEnv, readTenant, secretFieldsIn, toExport } from "./lib/adopt/live-export";
import { managementClient } from "./lib/management-api";
import { UserError } from "../infra/errors";

const USAGE =
  "npm run adopt -- --stack <name> --from <export.json | tenant.yaml | directory> [--api <identifier>] [--domain <domain>] [--keywords <file>] [--import-file <path>]\n" +
  "       npm run adopt -- --export --out <file>";

runCli(async () => {
  const args = flags(USAGE, {
    stack: { type: "string" },
    from: { type: "string" },
    api: { type: "string" },
    domain: { type: "string" },
    keywords: { type: "string" },
    "import-file": { type: "string" },
    export: { type: "boolean", default: false },
    out: { type: "string" },
  });

  if (args.export) {
    if (args.stack !== undefined || args.from !== undefined) throw new UserError(`--export takes only --out\nusage: ${USAGE}`);
    const out = required(args.out, "out", USAGE);
    const credentials = exportCredentialsFromEnv(process.env);
    process.stderr.write(`Reading ${credentials.domain} with read-only scopes (${EXPORT_SCOPES.join(" ")})\n`);
    const responses = await readTenant(managementClient(credentials), (step) => process.stderr.write(`  reading ${step}\n`));
    const shaped = toExport(credentials.domain, responses, { exportedAt: new Date().toISOString(), exportedWith: credentials.clientId });
    const leaked = secretFieldsIn(shaped.export);
    if (leaked.length > 0) throw new UserError(`refusing to write secrets to ${out}: ${leaked.join(", ")}`);
    fs.writeFileSync(out, `${JSON.stringify(shaped.export, null, 2)}\n`);
    const e = shaped.export;
    process.stdout.write(
      `Wrote ${out}: ${e.clients.length} clients, ${e.resourceServers.length} APIs, ${e.clientGrants.length} client grants, ${e.roles.length} roles, ` +
        `${e.actions.length} Actions, ${e.bindings["post-login"]?.length ?? 0} post-login bindings, ${e.rules.length} rules, ${e.connections.length} connections.\n` +
        (shaped.removed.length > 0 ? `Removed as secret, never written: ${shaped.removed.join("; ")}.\n` : "") +
        `Next: npm run adopt -- --stack <name> --from ${out}\n`,
    );
    return;
  }

  const stack = required(args.stack, "stack", USAGE);
  const from = required(args.from, "from", USAGE);
  const result = await adoptStack({
    stack,
    from,
    importFile: args["import-file"],
    apiIdentifier: args.api,
    domain: args.domain,
    keywords: args.keywords ? readKeywordMappings(args.keywords) : undefined,
  });
  fs.writeFileSync(result.stackPath, result.stackFileText);
  fs.writeFileSync(result.importFilePath, `${JSON.stringify(result.importFile, null, 2)}\n`);
  process.stderr.write(`Wrote ${result.stackPath} and ${result.importFilePath}\n`);
  process.stdout.write(result.report);
});
