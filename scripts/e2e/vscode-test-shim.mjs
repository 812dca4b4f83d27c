#!/usr/bin/env node
// The "VS Code executable" that @vscode/test-electron's runTests({ vscodeExecutablePath })
// launches: it takes the command line runTests builds (--extensionTestsPath=…,
// --extensionDevelopmentPath=… (repeatable), the launchArgs, e.g. a folder) and runs the tests
// in a real workbench's extension host through the harness (run-extension-tests.mjs:
// code-server + headless chromium), then exits with the tests' exit code, as VS Code would.
// No desktop VS Code (Electron) can be installed on our machines; see README.md here.
//
// runTests' extensionTestsEnv reaches the extension host through this process's environment
// (code-server inherits it). Which workbench: E2E_VSCODE (`current`, `oldest`; tools.mjs).
// E2E_TEST_TIMEOUT (seconds, default 600), E2E_TEST_NAME (label for artifacts).
import fs from 'node:fs';
import path from 'node:path';
import { runExtensionTests, UsageError } from './run-extension-tests.mjs';

const developmentPaths = [];
let tests;
let workspace;
for (const arg of process.argv.slice(2)) {
  const eq = arg.indexOf('=');
  const [key, value] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
  if (key === '--extensionDevelopmentPath') developmentPaths.push(path.resolve(value));
  else if (key === '--extensionTestsPath') tests = path.resolve(value);
  else if (!arg.startsWith('-') && fs.existsSync(arg)) workspace = path.resolve(arg);
  // Every other flag runTests passes (--no-sandbox, --disable-updates, --user-data-dir=…,
  // --extensions-dir=…) has no meaning here: the harness gives each run a fresh profile.
}
if (!tests || !developmentPaths.length) {
  console.error('vscode-test-shim: runTests passed no --extensionTestsPath or --extensionDevelopmentPath');
  process.exit(2);
}
try {
  process.exitCode = await runExtensionTests({
    developmentPaths,
    tests,
    ...(workspace ? { workspace } : {}),
    timeoutSec: Number(process.env.E2E_TEST_TIMEOUT ?? 600),
    ...(process.env.E2E_TEST_NAME ? { name: process.env.E2E_TEST_NAME } : {}),
  });
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`vscode-test-shim: ${err.message}`);
  process.exitCode = 2;
}
