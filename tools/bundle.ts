// npm run bundle -- --stack <name> [--json]
// Writes the exact code the stack would deploy to dist/actions/<stack>/claim-mapping.js.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { projectDir, readStackSettings } from "../harness/stack-file";
import { CLAIM_MAPPING } from "../actions/claim-mapping/settings";
import { bundleClaimMapping } from "../infra/bundle";
import { defineCommand, runCli } from "./lib/cli";

export const command = defineCommand(
  {
    name: "bundle",
    summary: `Bundles the ${CLAIM_MAPPING} Action with the stack's settings, exactly as the program deploys it, and writes it to dist/actions/<stack>/${CLAIM_MAPPING}.js.`,
    flags: {
      stack: { type: "string", value: "<name>", required: true, description: "The stack whose settings the bundle bakes in." },
      json: { type: "boolean", description: "Print { path, bytes, sha256 } as JSON." },
    },
    examples: ["npm run bundle -- --stack dev"],
  },
  async ({ flags }, io) => {
    const dir = projectDir(io.cwd);
    const bundle = await bundleClaimMapping(readStackSettings(flags.stack, dir).claimMapping);
    const file = path.join("dist", "actions", flags.stack, `${CLAIM_MAPPING}.js`);
    mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(dir, file), bundle.code);
    const result = { path: file, bytes: bundle.bytes, sha256: bundle.sha256 };
    io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `Wrote ${file}: ${bundle.bytes} bytes, sha256 ${bundle.sha256}\n`);
    return 0;
  },
);

if (require.main === module) void runCli(command);
