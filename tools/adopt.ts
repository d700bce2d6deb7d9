// npm run adopt -- --stack <name> --from <export.json | tenant.yaml | deploy-cli directory> [--api <identifier>]
//                  [--domain <tenant domain>] [--keywords <mappings.json>] [--import-file <path>] [--json]
// npm run adopt -- --export --out <file> [--json]
// Brings a live tenant under this program: writes the stack config that reproduces it and the Pulumi import
// file that maps every adopted resource to its live ID, and prints what it did and did not adopt. Progress
// goes to stderr, the report to stdout.
import * as fs from "node:fs";
import { projectDir } from "../harness/stack-file";
import { UserError } from "../infra/errors";
import { defineCommand, requireFlag, runCli, type Io } from "./lib/cli";

const USAGE = {
  name: "adopt",
  usage: [
    "--stack <name> --from <export.json | tenant.yaml | directory> [--api <identifier>] [--domain <domain>] [--keywords <file>] [--import-file <path>] [--json]",
    "--export --out <file> [--json]",
  ],
  flags: {},
};

export const command = defineCommand(
  {
    ...USAGE,
    summary:
      "Brings a live tenant under this program: from an export (a Management API JSON export, or an auth0-deploy-cli tenant.yaml or directory) writes Pulumi.<stack>.yaml and a Pulumi import file mapping every adopted resource to its live ID, and reports what it adopted, left out and decided. --export writes such an export with a read-only application (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET); secrets are never written.",
    flags: {
      stack: {
        type: "string",
        value: "<name>",
        description: "The stack to write (Pulumi.<name>.yaml); an existing file keeps its other keys and secrets.",
      },
      from: {
        type: "string",
        value: "<export>",
        description: "The export to adopt: export.json, a deploy-CLI tenant.yaml, or a deploy-CLI directory.",
      },
      api: { type: "string", value: "<identifier>", description: "The API to adopt as tenant:api, when the export has several." },
      domain: { type: "string", value: "<domain>", description: "The tenant's domain, when the export does not say (deploy-CLI exports)." },
      keywords: {
        type: "string",
        value: "<mappings.json>",
        description: "Values of the deploy CLI's ##KEYWORD## / @@KEYWORD@@ placeholders.",
      },
      "import-file": { type: "string", value: "<path>", description: "Where the import file goes (default adopt-import.<stack>.json)." },
      export: { type: "boolean", description: "Read the live tenant into --out instead of adopting." },
      out: { type: "string", value: "<file>", description: "--export: the JSON export to write." },
      json: { type: "boolean", description: "Print the result as JSON instead of the report." },
    },
    examples: [
      "npm run adopt -- --export --out tenant-export.json",
      "npm run adopt -- --stack staging --from tenant-export.json",
      "npm run adopt -- --stack staging --from ./deploy-cli-export --keywords keywords.json",
    ],
  },
  async ({ flags }, io) => {
    if (flags.export) {
      const extra = (["stack", "from", "api", "domain", "keywords", "import-file"] as const).filter((name) => flags[name] !== undefined);
      if (extra.length > 0) throw new UserError(`--export takes only --out (and --json), not ${extra.map((n) => `--${n}`).join(", ")}`);
      return exportTenant(requireFlag(USAGE, flags.out, "out"), flags.json, io);
    }
    if (flags.out !== undefined) throw new UserError("--out is for --export only");
    const stackFlag = requireFlag(USAGE, flags.stack, "stack");
    const from = requireFlag(USAGE, flags.from, "from");
    // Loaded once the flags are right: --help and a missing flag answer without the plan engine and the SDK.
    const [{ adoptStack }, { readKeywordMappings }] = await Promise.all([import("./lib/adopt"), import("./lib/adopt/deploy-cli")]);
    const result = await adoptStack({
      stack: stackFlag,
      from,
      dir: projectDir(io.cwd),
      importFile: flags["import-file"],
      apiIdentifier: flags.api,
      domain: flags.domain,
      keywords: flags.keywords ? readKeywordMappings(flags.keywords) : undefined,
    });
    fs.writeFileSync(result.stackPath, result.stackFileText);
    fs.writeFileSync(result.importFilePath, `${JSON.stringify(result.importFile, null, 2)}\n`);
    io.stderr(`Wrote ${result.stackPath} and ${result.importFilePath}\n`);
    if (!flags.json) {
      io.stdout(result.report);
      return 0;
    }
    const { stack, stackPath, importFilePath, source, adoption, problems, changes, fresh, warnings, policy } = result;
    const { adopted, leftOut, decisions, secrets, commands, kept } = adoption;
    const json = {
      stack,
      stackFile: stackPath,
      importFile: importFilePath,
      source: { kind: source.kind, path: source.path },
      adopted,
      leftOut,
      decisions,
      secrets,
      commands,
      kept,
      problems,
      changes,
      fresh: fresh.map((r) => r.urn),
      warnings,
      policy,
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  },
);

// --export reads the tenant through the auth0 SDK, which can leave a timer running after a failed request
// (managementClient in tools/lib/management-api.ts): exit once stdout and stderr are flushed.
if (require.main === module) void runCli(command, { exitWhenDone: true });

async function exportTenant(out: string, json: boolean, io: Io): Promise<number> {
  const [{ EXPORT_SCOPES, exportCredentialsFromEnv, readTenant, secretFieldsIn, toExport }, { managementClient }] = await Promise.all([
    import("./lib/adopt/live-export"),
    import("./lib/management-api"),
  ]);
  const credentials = exportCredentialsFromEnv(io.env);
  io.stderr(`Reading ${credentials.domain} with read-only scopes (${EXPORT_SCOPES.join(" ")})\n`);
  const responses = await readTenant(managementClient(credentials), (step) => io.stderr(`  reading ${step}\n`));
  const shaped = toExport(credentials.domain, responses, { exportedAt: new Date().toISOString(), exportedWith: credentials.clientId });
  const leaked = secretFieldsIn(shaped.export);
  if (leaked.length > 0) throw new UserError(`refusing to write secrets to ${out}: ${leaked.join(", ")}`);
  fs.writeFileSync(out, `${JSON.stringify(shaped.export, null, 2)}\n`);
  const e = shaped.export;
  const counts = {
    clients: e.clients.length,
    resourceServers: e.resourceServers.length,
    clientGrants: e.clientGrants.length,
    roles: e.roles.length,
    actions: e.actions.length,
    postLoginBindings: e.bindings["post-login"]?.length ?? 0,
    rules: e.rules.length,
    connections: e.connections.length,
  };
  if (json) {
    io.stdout(`${JSON.stringify({ out, counts, removed: shaped.removed }, null, 2)}\n`);
    return 0;
  }
  io.stdout(
    `Wrote ${out}: ${counts.clients} clients, ${counts.resourceServers} APIs, ${counts.clientGrants} client grants, ${counts.roles} roles, ` +
      `${counts.actions} Actions, ${counts.postLoginBindings} post-login bindings, ${counts.rules} rules, ${counts.connections} connections.\n` +
      (shaped.removed.length > 0 ? `Removed as secret, never written: ${shaped.removed.join("; ")}.\n` : "") +
      `Next: npm run adopt -- --stack <name> --from ${out}\n`,
  );
  return 0;
}
