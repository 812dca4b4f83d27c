#!/usr/bin/env node
// `npm run package:cli`: codex-manager-<version>.tgz at the repo root, the npm package of
// the `codex-manager` command and the headless bridge, as `npm publish` would upload it.
//
// The root package.json is the VS Code extension's manifest (private), so the CLI package
// is staged in .tmp/cli-package/ with a package.json derived from it (cli-manifest.mjs),
// the minified bundles, cli/README.md as its README, CHANGELOG.md and LICENSE, then packed
// with `npm pack`. Install it like a user would: `npm install -g ./codex-manager-<v>.tgz`.
// Flags: --no-build  reuse dist/ (when `npm run package` has just built it minified).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliManifest, CLI_PACKAGE_FILES } from './cli-manifest.mjs';
import { ROOT } from './version.mjs';

const t0 = Date.now();
if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--minify'], { cwd: ROOT, stdio: 'inherit' });
}
const manifest = cliManifest(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')));
const stage = path.join(ROOT, '.tmp', 'cli-package');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(path.join(stage, 'dist'), { recursive: true });
const sources = { 'README.md': 'cli/README.md' };
for (const file of CLI_PACKAGE_FILES) {
  fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
  fs.copyFileSync(path.join(ROOT, sources[file] ?? file), path.join(stage, file));
}
fs.chmodSync(path.join(stage, 'dist', 'cli.js'), 0o755);
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const out = path.join(ROOT, `${manifest.name}-${manifest.version}.tgz`);
fs.rmSync(out, { force: true });
// --ignore-scripts: the package has none, and the repo's npm config must not add any.
const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', ROOT], { cwd: stage, encoding: 'utf8' }));
for (const f of packed.files) console.log(`  ${f.path.padEnd(16)} ${(f.size / 1024).toFixed(0).padStart(5)} KiB`);
console.log(`package:cli: ${path.relative(ROOT, out)} ${(packed.size / 1024).toFixed(0)} KiB packed, ${packed.files.length} files, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
