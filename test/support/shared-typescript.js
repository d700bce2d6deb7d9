// `typescript` inside the tests: the worker's one copy (see test/support/environment.js).
module.exports = globalThis.__workerTypeScript;
