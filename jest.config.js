// Commands the tests launch with ts-node (tools/cli.test.ts and the like) transpile with swc, as the npm
// scripts do (tsconfig.tools.json). Pulumi's runner passes its own project to ts-node, so the start-up harness
// is unaffected. Absolute: some launches run in another directory (the review's base worktree).
process.env.TS_NODE_PROJECT ??= require("node:path").join(__dirname, "tsconfig.tools.json");
// The compile caches for the jest workers and every process the tests launch (see the file).
require("./tools/compile-cache");

/** @type {import('jest').Config} */
module.exports = {
  // jest's Node environment, with TypeScript loaded once per worker instead of once per file (see the file).
  testEnvironment: "<rootDir>/test/support/environment.js",
  moduleNameMapper: { "^typescript$": "<rootDir>/test/support/shared-typescript.js" },
  // Pulumi's SDK sets process-wide globals; jest 30 would otherwise warn about cleaning them up after
  // every file. We keep them: each test file sets its own mocks and config before planning.
  testEnvironmentOptions: { globalsCleanup: "off" },
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testMatch: ["<rootDir>/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/scratch/"],
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
  // Both cores of the 2-core machine npm test is budgeted on (docs/performance.md); jest's default on 2
  // cores is one worker. Test files share no state on disk: those that write stack files use temp folders.
  maxWorkers: 2,
};
