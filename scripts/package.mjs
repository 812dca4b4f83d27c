#!/usr/bin/env node
// `npm run package`: codex-manager-<version>.vsix at the repo root.
//
// 1. a minified build of every bundle (scripts/build.mjs --minify);
// 2. @vscode/vsce (3.9.x: the newest line that runs on Node 20, the README's Node) with
//    --no-dependencies (everything the extension needs is bundled into dist/), with the
//    marketplace's checks on: repository, LICENSE, icon, README links. It runs in a staging
//    folder holding only what .vscodeignore may let in: vsce globs its whole working
//    directory (the repo has .git, .tools/ with code-server, ...), which took 10 s;
// 3. a size check against the 3 MB budget (DESIGN.md §9) and a listing of what went in.
// The VSIX's README is extension/README.md (the user's view; the repo README is for
// contributors): staged as README.md with its `../` links made relative to the repo root,
// which vsce then turns into absolute links into the repository (screenshots included).
// No codex binary is shipped: the extension finds codex through codexManager.codexPath,
// CODEX_BIN or PATH.
// Flags: --ls  print what vsce would put in the VSIX (`vsce ls`) instead of packaging.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET_BYTES = 3 * 1024 * 1024;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);

function run(cmd, args, what, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

const t0 = Date.now();
run(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--minify'], 'the minified build');

const listOnly = process.argv.includes('--ls');
const stage = path.join(root, '.tmp', 'vsix-stage');
fs.rmSync(stage, { recursive: true, force: true });
for (const entry of ['package.json', '.vscodeignore', 'LICENSE', 'CHANGELOG.md', 'dist', 'media', 'agents/supervisor']) {
  if (fs.existsSync(path.join(root, entry))) fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
}
const readme = fs.readFileSync(path.join(root, 'extension', 'README.md'), 'utf8').replaceAll('](../', '](');
fs.writeFileSync(path.join(stage, 'README.md'), readme);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
if (listOnly) {
  run(process.execPath, [vsce, 'ls', '--no-dependencies'], 'vsce ls', stage);
  fs.rmSync(stage, { recursive: true, force: true });
  process.exit(0);
}
fs.rmSync(out, { force: true });
run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], 'vsce package', stage);
fs.rmSync(stage, { recursive: true, force: true });

const size = fs.statSync(out).size;
const mb = (size / 1024 / 1024).toFixed(2);
console.log(`package: ${path.relative(root, out)} ${mb} MB (budget 3 MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (size > BUDGET_BYTES) {
  console.error(`package: the VSIX is over budget (${mb} MB > 3 MB); see .vscodeignore`);
  process.exit(1);
}
