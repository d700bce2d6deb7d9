/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
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
