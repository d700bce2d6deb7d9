// The jest environment every test file runs in: jest's Node environment, plus one thing shared per worker.
//
// @pulumi/pulumi requires TypeScript when it is imported (runtime/closure/*.js load typescript-shim.js at the
// top, for serializing functions, which this project never does). jest gives every test file a fresh module
// registry, so each file that imports the SDK evaluated TypeScript's 9 MB again: about half a second of
// CPU per file, most of the suite's module loading. TypeScript keeps no state between the calls made to it,
// so each worker loads it once, through Node's own require, and every test file gets that module
// (jest.config.js maps `typescript` to test/support/shared-typescript.js). Everything with state, the SDK
// first of all, is still loaded fresh for each file.
const { TestEnvironment } = require("jest-environment-node");

class Environment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.defineProperty(this.global, "__workerTypeScript", { get: () => require("typescript") });
  }
}

module.exports = Environment;
