#!/usr/bin/env node
// The Codex Manager extension's mocha suite (test/e2e/extension/, bundled into
// dist/test/extension-suite.js) inside a real VS Code extension host, against the real
// codex app-server and the scripted fake model. Exit 0 passed, 1 failed.
//
// It goes through @vscode/test-electron's runTests, the standard runner of extension tests,
// with vscodeExecutablePath pointed at vscode-test-shim.mjs: no Electron VS Code can be
// installed here, so the shim runs the same command line in code-server's workbench.
//
//   npm run build && node scripts/e2e/run-extension-suite.mjs [--timeout 300] [--vscode oldest]
// Env: MOCHA_GREP (only matching tests), E2E_KEEP_STATE=1 (keep the temp workspace and
// CODEX_HOME), E2E_VSCODE (which workbench; --vscode wins), VERBOSE=1.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { startCodexFixture } from './codex-fixture.mjs';
import { ROOT, stopwatch, vscodeBuild } from './tools.mjs';

const { values } = parseArgs({ options: {
  timeout: { type: 'string', default: '300' },
  verbose: { type: 'boolean', default: false },
  vscode: { type: 'string' },
} });
const suite = path.join(ROOT, 'dist', 'test', 'extension-suite.js');
const needed = [suite, path.join(ROOT, 'dist', 'extension.js'), path.join(ROOT, 'dist', 'extension-core.js'), path.join(ROOT, 'dist', 'server.js')];
const missing = needed.filter((f) => !fs.existsSync(f));
if (missing.length) {
  console.error(`run-extension-suite: not built (${missing.map((f) => path.relative(ROOT, f)).join(', ')}); run: npm run build`);
  process.exit(2);
}
const build = vscodeBuild(values.vscode);
const { runTests } = createRequire(import.meta.url)('@vscode/test-electron');

const lap = stopwatch(`extension-suite vscode ${build.vscode}`);
const fixture = await startCodexFixture();
lap(`fake model at ${fixture.model.baseUrl}; workspace ${path.relative(ROOT, fixture.workspace)}`);
let code = 1;
try {
  await runTests({
    vscodeExecutablePath: path.join(ROOT, 'scripts', 'e2e', 'vscode-test-shim.mjs'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    launchArgs: [fixture.workspace],
    extensionTestsEnv: {
      ...fixture.env,
      ...(process.env.MOCHA_GREP ? { MOCHA_GREP: process.env.MOCHA_GREP } : {}),
      E2E_VSCODE: build.name,
      E2E_TEST_TIMEOUT: values.timeout,
      E2E_TEST_NAME: `codex-manager-vscode-${build.vscode}`,
      ...(values.verbose ? { VERBOSE: '1' } : {}),
    },
  });
  code = 0;
} catch (err) {
  console.error(`run-extension-suite: ${err.message}`); // runTests rejects when the tests exit non-zero
} finally {
  await fixture.close();
}
lap(code === 0 ? 'passed' : 'FAILED');
process.exitCode = code;
