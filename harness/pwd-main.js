// Where the engine runs a Node.js program and what it asks the runner to load: pulumi/pulumi
// pkg/engine/project.go `getPwdMain`. A file `main` runs in its own directory under its base name; a directory
// `main` is itself the directory, entry point "."; no `main` runs in the project root with entry point "."
// (the runner then starts package.json's `main`). Used by harness/start-like-pulumi.js.
const fs = require("node:fs");
const path = require("node:path");

/** @returns {{ pwd: string, main: string }} */
function getPwdMain(projectRoot, main) {
  if (!main) return { pwd: projectRoot, main: "." };
  if (path.isAbsolute(main)) throw new Error("project 'main' must be a relative path");
  const full = path.join(projectRoot, main);
  if (!full.startsWith(projectRoot)) throw new Error("project 'main' must be a subfolder");
  if (fs.statSync(full).isDirectory()) return { pwd: full, main: "." };
  return { pwd: path.dirname(full), main: path.basename(full) };
}

module.exports = { getPwdMain };
