/**
 * `npm run build` (last step): the Node backend as one ES module, build/server/node.mjs, which
 * `npm start` runs. Bundled, the server answers its first request in a fraction of the time it takes
 * through a TypeScript transpiler at start (docs/benchmarks.md: server.cold_start_ms); tsx stays for
 * development and tests. better-sqlite3 is a native module and stays in node_modules; pg's optional
 * native binding is never installed. The file sits two folders deep, as its source does, so the
 * paths it resolves from its own location (dist/, public/, the demo config) are the same.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['server/runtimes/node.ts'],
  outfile: 'build/server/node.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['better-sqlite3', 'pg-native'],
  // The same aliases as the Worker's (wrangler.jsonc): zod's entry points keep its ~45 message
  // locales and all of its core in the bundle; these modules let them be shaken out.
  alias: {
    zod: './node_modules/zod/v4/classic/external.js',
    'zod/mini': './node_modules/zod/v4/mini/external.js',
    'zod/v4/core': './node_modules/zod/v4/core/json-schema-processors.js',
  },
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
