// Compile caches for `npm test`: tools/test.js (for the type-check it starts) and jest.config.js (for the jest
// workers and every process the tests launch) set them through this file. Plain JavaScript: both load it
// before anything is compiled. They change no behaviour; a variable already set is left alone. A launch that
// gives a process an environment of its own passes COMPILE_CACHE_VARIABLES on (test/support/cli.ts).
const path = require("node:path");

/** The variables this file sets. */
const COMPILE_CACHE_VARIABLES = ["NODE_COMPILE_CACHE", "DISABLE_V8_COMPILE_CACHE"];

// Node's compile cache: V8's bytecode of the CommonJS modules Node loads, keyed by their content. Each launch
// loads TypeScript, ts-node and the SDK again, and compiling typescript.js alone is about 0.15 s of CPU; the
// type-check's tsc (6 MB) saves about 0.3 s of CPU a run (three alternating pairs). It sits with tsc's build info.
process.env.NODE_COMPILE_CACHE ??= path.join(__dirname, "..", "node_modules", ".cache", "node-compile-cache");

// ts-node loads TypeScript through v8-compile-cache-lib (ts-node dist/util.js), a cache of its own in the temp
// folder that hashes typescript.js's 9 MB on every start and keeps Node's cache from serving that file. This is
// the variable that library reads to stay off, so Node's cache serves TypeScript too: 0.15 s of CPU less for
// each start of ts-node (Pulumi's runner starts it too), measured over six alternating starts.
process.env.DISABLE_V8_COMPILE_CACHE ??= "1";

module.exports = { COMPILE_CACHE_VARIABLES };
