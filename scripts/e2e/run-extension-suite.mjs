#!/usr/bin/env node
// The Codex Manager extension's mocha suite (test/e2e/extension/, bundled into
// dist/test/extension-suite.js) inside a real VS Code extension host, against the real
// codex app-server and the scripted fake model. Exit 0 passed, 1 failed.
//
//   npm run build && node scripts/e2e/run-extension-suite.mjs [--timeout 300] [--verbose]
// Env: MOCHA_GREP (only matching tests), E2E_KEEP_STATE=1 (keep the temp workspace and CODEX_HOME).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCodexFixture } from './codex-fixture.mjs';
import { runExtensionTests } from './run-extension-tests.mjs';
import { ROOT, stopwatch } from './tools.mjs';

const { values } = parseArgs({ options: { timeout: { type: 'string', default: '300' }, verbose: { type: 'boolean', default: false } } });
const suite = path.join(ROOT, 'dist', 'test', 'extension-suite.js');
const needed = [suite, path.join(ROOT, 'dist', 'extension.js'), path.join(ROOT, 'dist', 'extension-core.js'), path.join(ROOT, 'dist', 'server.js')];
const missing = needed.filter((f) => !fs.existsSync(f));
if (missing.length) {
  console.error(`run-extension-suite: not built (${missing.map((f) => path.relative(ROOT, f)).join(', ')}); run: npm run build`);
  process.exit(2);
}

const lap = stopwatch('extension-suite');
const fixture = await startCodexFixture();
lap(`fake model at ${fixture.model.baseUrl}; workspace ${path.relative(ROOT, fixture.workspace)}`);
let code;
try {
  code = await runExtensionTests({
    developmentPaths: [ROOT],
    tests: suite,
    workspace: fixture.workspace,
    env: { ...fixture.env, ...(process.env.MOCHA_GREP ? { MOCHA_GREP: process.env.MOCHA_GREP } : {}) },
    timeoutSec: Number(values.timeout),
    name: 'codex-manager',
    verbose: values.verbose || !!process.env.VERBOSE,
  });
} finally {
  await fixture.close();
}
lap(code === 0 ? 'passed' : 'FAILED');
process.exitCode = code;
