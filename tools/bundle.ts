// npm run bundle -- --stack <name>
// Writes the exact code the stack would deploy to dist/actions/<stack>/<action>.js.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { bundleClaimMapping, REPO_ROOT } from "../infra/bundle";
import { CLAIM_MAPPING } from "../actions/claim-mapping/settings";
import { flags, required, runCli } from "./lib/cli";
import { readStackSettings } from "../harness/stack-file";

const USAGE = "npm run bundle -- --stack <name>";

runCli(async () => {
  const stack = required(flags(USAGE, { stack: { type: "string" } }).stack, "stack", USAGE);
  const settings = readStackSettings(stack);
  const bundle = await bundleClaimMapping(settings.claimMapping);
  const file = path.join("dist", "actions", stack, `${CLAIM_MAPPING}.js`);
  mkdirSync(path.join(REPO_ROOT, path.dirname(file)), { recursive: true });
  writeFileSync(path.join(REPO_ROOT, file), bundle.code);
  process.stdout.write(`${JSON.stringify({ path: file, bytes: bundle.bytes, sha256: bundle.sha256 }, null, 2)}\n`);
});
