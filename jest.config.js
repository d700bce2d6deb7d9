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
};
