#!/usr/bin/env node
// Bundles every shipped entry point with esbuild into dist/:
//   dist/server.js     the bridge (editor: `node dist/server.js --stdio`; headless via the CLI):
//                      a small loader (scripts/server-loader.cjs) that runs dist/server-main.js,
//                      the bundle, with a V8 code cache
//   dist/cli.js        the `codex-manager` CLI (including `serve`)
//   dist/extension-worker.js  the worker thread each agent extension module runs in
//   dist/extension.js  the VS Code extension host side (`vscode` stays external): the small
//                      activation half; dist/extension-core.js (language client, zod, views)
//                      is loaded from it on first use, so activation parses ~20 KiB, not ~1 MiB
//   dist/test/extension-suite.js  the mocha suite run inside the extension host (e2e; not shipped)
//   dist/webview.js    the chat UI bundle (browser)
// Entries whose source does not exist yet are skipped, so the build never lies about it.
// Flags: --watch, --minify (packaging), --metafile (size report in dist/meta-*.json).
import * as esbuild from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const minify = args.has('--minify');

const node = { platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'] };
const entries = [
  // Always minified: `codex-manager serve` and the editor parse this bundle on every start,
  // and parsing ~1.7 MiB of readable source was a third of start-up (bench/RESULTS.md);
  // the linked source map keeps stack traces readable.
  { name: 'server-main', src: 'server/main.ts', ...node, external: ['vscode', 'bullmq', 'ioredis'], minify: true, keepNames: true, plugins: [editorServerApart()] },
  // The editor front door and its language-server library (~200 KiB), only for `--stdio`:
  // a bundle of its own, so `serve` never parses it (see editorServerApart).
  { name: 'transports/editor/editor-server', src: 'server/transports/editor/editor-server.ts', ...node, minify: true, keepNames: true },
  // BullMQ and ioredis (the Redis queue engine) are their own bundle, read only with --redis.
  { name: 'queue-libs', src: 'server/queue/bullmq-libs-entry.ts', ...node },
  { name: 'cli', src: 'cli/main.ts', ...node, banner: { js: '#!/usr/bin/env node' } },
  // Each agent extension module runs in a worker thread started from this file.
  { name: 'extension-worker', src: 'server/extensions/module-worker.ts', ...node },
  // The banner lets activation measure the bundle's own evaluation (extension/extension.ts).
  { name: 'extension', src: 'extension/extension.ts', ...node, banner: { js: '"use strict";var __codexLoadStart = performance.now();' } },
  { name: 'extension-core', src: 'extension/core.ts', ...node },
  { name: 'test/extension-suite', src: 'test/e2e/extension/index.ts', ...node, external: ['vscode', 'mocha'] },
  { name: 'webview', src: 'webview/main.ts', platform: 'browser', target: 'es2022', format: 'iife', loader: { '.ttf': 'file' } },
];

const builds = entries.filter((e) => fs.existsSync(path.join(root, e.src))).map(({ name, src, ...opts }) => ({
  entryPoints: [path.join(root, src)],
  outfile: path.join(root, 'dist', `${name}.js`),
  bundle: true,
  sourcemap: minify ? false : 'linked',
  minify,
  metafile: args.has('--metafile'),
  logLevel: 'warning',
  legalComments: 'none',
  ...opts,
}));

/**
 * server/main.ts loads the editor front door with `await import(...)` in editor mode only,
 * but a bundler inlines it, so every start paid for parsing it. Left external here, the
 * import becomes a require of dist/transports/editor/editor-server.js (its own bundle, above).
 * It shares no state with the main bundle: it gets the running bridge as a value.
 */
function editorServerApart() {
  return {
    name: 'editor-server-apart',
    setup(build) {
      // The import resolves to a shim that `require`s the other bundle at run time (a plain
      // require: the main bundle runs from a vm.Script, where `import()` has no referrer).
      build.onResolve({ filter: /\/transports\/editor\/editor-server$/ }, () => ({ path: 'editor-server', namespace: 'editor-server-apart' }));
      build.onLoad({ filter: /.*/, namespace: 'editor-server-apart' }, () => ({ contents: 'module.exports = require("./transports/editor/editor-server.js");', loader: 'js' }));
      build.onResolve({ filter: /^\.\/transports\/editor\/editor-server\.js$/ }, (args) => ({ path: args.path, external: true }));
    },
  };
}

/** dist/server.js: the loader, stamped with the bundle's content hash (names its code cache). */
function writeServerLoader({ cache = true } = {}) {
  const bundle = path.join(root, 'dist', 'server-main.js');
  if (cache && !fs.existsSync(bundle)) return;
  // No hash, no cache: in watch mode the bundle changes under the loader.
  const hash = cache ? crypto.createHash('sha256').update(fs.readFileSync(bundle)).digest('hex').slice(0, 16) : '';
  const loader = fs.readFileSync(path.join(root, 'scripts', 'server-loader.cjs'), 'utf8').replace('__BUNDLE_HASH__', hash);
  fs.writeFileSync(path.join(root, 'dist', 'server.js'), loader);
}

if (args.has('--watch')) {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeServerLoader({ cache: false });
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log(`watching ${builds.length} bundles`);
} else {
  const t0 = performance.now();
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  for (const [i, r] of results.entries()) {
    if (r.metafile) fs.writeFileSync(path.join(root, 'dist', `meta-${path.basename(builds[i].outfile, '.js')}.json`), JSON.stringify(r.metafile));
  }
  writeServerLoader();
  const sizes = builds.map((b) => `${path.relative(root, b.outfile)} ${(fs.statSync(b.outfile).size / 1024).toFixed(0)} KiB`);
  console.log(`built in ${(performance.now() - t0).toFixed(0)} ms: ${sizes.join(', ')}`);
}
