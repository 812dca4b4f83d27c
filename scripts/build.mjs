#!/usr/bin/env node
// Bundles every shipped entry point with esbuild into dist/:
//   dist/server.js     the bridge (editor: `node dist/server.js --stdio`; headless via the CLI)
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
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const minify = args.has('--minify');

const node = { platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'] };
const entries = [
  // BullMQ and ioredis (the Redis queue engine) are their own bundle, read only with --redis.
  { name: 'server', src: 'server/main.ts', ...node, external: ['vscode', 'bullmq', 'ioredis'] },
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

if (args.has('--watch')) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log(`watching ${builds.length} bundles`);
} else {
  const t0 = performance.now();
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  for (const [i, r] of results.entries()) {
    if (r.metafile) fs.writeFileSync(path.join(root, 'dist', `meta-${path.basename(builds[i].outfile, '.js')}.json`), JSON.stringify(r.metafile));
  }
  const sizes = builds.map((b) => `${path.relative(root, b.outfile)} ${(fs.statSync(b.outfile).size / 1024).toFixed(0)} KiB`);
  console.log(`built in ${(performance.now() - t0).toFixed(0)} ms: ${sizes.join(', ')}`);
}
