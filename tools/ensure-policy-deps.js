// `npm test` type-checks and tests policy/, its own npm project (Pulumi runs policy packs from their own
// folder). Installs its dependencies from its lockfile when they are missing or older than the lockfile,
// so the README's two commands stay enough on a fresh clone.
const { execSync } = require("node:child_process");
const { existsSync, statSync } = require("node:fs");
const path = require("node:path");

const policy = path.join(__dirname, "..", "policy");
const installed = path.join(policy, "node_modules", ".package-lock.json");
const lock = path.join(policy, "package-lock.json");
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  process.stderr.write("policy/: installing its dependencies (npm ci --prefix policy)\n");
  execSync("npm ci --prefix policy --no-audit --no-fund", { stdio: ["ignore", "ignore", "inherit"], cwd: path.join(policy, "..") });
}
