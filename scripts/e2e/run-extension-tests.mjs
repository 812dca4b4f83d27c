#!/usr/bin/env node
// Run a mocha suite inside a real VS Code extension host (code-server's, on Node 24) and
// exit with its result: 0 when run() resolves, 1 when it rejects or the run times out.
//
//   node scripts/e2e/run-extension-tests.mjs \
//     --extension-development-path <dir> [--extension-development-path <dir>...] \
//     --tests <module exporting run(), or a folder with index.js> \
//     [--workspace <folder | .code-workspace>] [--env '{"K":"V"}'] [--install <x.vsix|dir>]... \
//     [--timeout <seconds, default 600>] [--name <label for artifacts>] [--verbose]
//
// How: code-server runs with the smoke-test driver enabled, which makes the workbench honour
// a `payload` URL parameter carrying extensionDevelopmentPath/extensionTestsPath, exactly like
// desktop VS Code's --extensionTestsPath. The browser page is only the renderer; the tests
// run in the extension host process. When they finish, the workbench calls
// window.codeAutomationExit(code), which playwright exposes back to us, and the extension
// host's console (mocha's reporter) arrives through window.codeAutomationLog.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './code-server.mjs';
import { runArtifactsDir, stopwatch } from './tools.mjs';

// Lines the workbench itself logs on every offline run; they say nothing about the tests.
// Matched against a log call's first line only, so a test failure is never swallowed.
// --verbose (or VERBOSE=1) shows everything.
const NOISE = new RegExp([
  'ENOTFOUND open-vsx\\.org', // marketplace lookups: the gallery is unreachable
  '^Resolv(ing|ed) connection token', '^Creating a socket', '^\\[reconnection-grace-time\\]',
  '^Updating additional builtin extensions cache', '^\\[Service Worker\\]',
  '^\\[AgentHost', '^\\[AccountPolicyGate\\]', '^\\[ChatModelSelection',
  'authentication provider', // the github auth provider gives up after a timeout
].join('|'));
// Stack frames inside the workbench bundle, code-server or Node itself; a failing test's
// own frames (its file and line) are kept.
const FOREIGN_FRAME = /^\s+at .*(\/static\/out\/|\/code-server\/|node:internal|\(native\))/;

function relay(line, verbose) {
  if (verbose) return console.log(line);
  if (NOISE.test(line.split('\n', 1)[0])) return;
  console.log(line.split('\n').filter((l) => !FOREIGN_FRAME.test(l)).join('\n'));
}

export class UsageError extends Error {}

/**
 * @param {{ developmentPaths: string[], tests: string, workspace?: string,
 *   env?: Record<string,string>, install?: string[], timeoutSec?: number,
 *   name?: string, verbose?: boolean }} options
 * @returns {Promise<number>} process exit code: 0 passed, 1 failed or timed out
 */
export async function runExtensionTests(options) {
  const { developmentPaths, env = {}, install = [], timeoutSec = 600, verbose = !!process.env.VERBOSE } = options;
  let tests = path.resolve(options.tests);
  if (fs.statSync(tests, { throwIfNoEntry: false })?.isDirectory()) tests = path.join(tests, 'index.js');
  // Fail fast with a plain message: a wrong path would otherwise show up as a workbench
  // that never starts the tests, i.e. as a timeout.
  const missing = [tests, ...developmentPaths.map((p) => path.join(p, 'package.json')),
    ...(options.workspace ? [options.workspace] : [])].filter((p) => !fs.existsSync(p));
  if (!developmentPaths.length || missing.length) {
    throw new UsageError(`not found: ${missing.join(', ') || 'an extension development path'}`);
  }
  const name = options.name ?? path.basename(path.resolve(developmentPaths[0]));
  const lap = stopwatch(`ext-tests ${name}`);
  // Without a folder the workbench would show an empty window; tests usually want one.
  const scratch = options.workspace ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'codex-e2e-ws-'));
  const workspace = options.workspace ?? scratch;

  let server;
  let browser;
  let code;
  let artifacts;
  try {
    server = await startCodeServer({ smokeTestDriver: true, extensions: install, env });
    lap(`code-server up at ${server.url}`);
    browser = await launchBrowser();
    lap('browser up');
    const { page } = browser;

    let finish;
    const result = new Promise((resolve) => { finish = resolve; });
    let vscodeLogs = [];
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = util.format(...(args ?? [])).replace(/^\[Extension Host\]\s*/, '');
      relay(line, verbose);
    });
    await page.exposeFunction('codeAutomationExit', (exitCode, logs) => {
      vscodeLogs = logs ?? [];
      finish(exitCode);
    });
    page.on('crash', () => finish('renderer crashed'));
    page.on('close', () => finish('page closed'));

    const payload = [
      ...developmentPaths.map((p) => ['extensionDevelopmentPath', server.remoteUri(p)]),
      ['extensionTestsPath', server.remoteUri(tests)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    await page.goto(server.workbenchUrl({ folder: workspace, payload }));
    lap('workbench loading; tests start once the extension host is up');
    const timer = setTimeout(() => finish(`timeout after ${timeoutSec}s`), timeoutSec * 1000);
    const outcome = await result;
    clearTimeout(timer);
    code = outcome === 0 ? 0 : 1;
    lap(`extension tests ${code === 0 ? 'passed' : `FAILED (${outcome})`}`);

    if (code !== 0) {
      artifacts = runArtifactsDir(`ext-tests-${name}`);
      await page.screenshot({ path: path.join(artifacts, 'workbench.png') }).catch(() => {});
      for (const { relativePath, contents } of vscodeLogs) {
        const f = path.join(artifacts, 'workbench-logs', relativePath);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, contents);
      }
    }
  } catch (err) {
    console.error(`[ext-tests ${name}] ${err.stack ?? err}`);
    code = 1;
    artifacts ??= runArtifactsDir(`ext-tests-${name}`);
  } finally {
    await browser?.close();
    lap('browser closed');
    await server?.stop({ keepLogsIn: artifacts });
    lap('code-server stopped');
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    if (artifacts) console.error(`[ext-tests ${name}] logs kept in ${path.relative(process.cwd(), artifacts) || artifacts}`);
  }
  return code;
}

// ---- CLI -----------------------------------------------------------------------------
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = util.parseArgs({ options: {
    'extension-development-path': { type: 'string', multiple: true },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    env: { type: 'string' },
    install: { type: 'string', multiple: true, default: [] },
    timeout: { type: 'string', default: '600' },
    name: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  } });
  const devPaths = values['extension-development-path'];
  if (!devPaths?.length || !values.tests) {
    console.error('usage: run-extension-tests.mjs --extension-development-path <dir> --tests <index.js> '
      + '[--workspace <dir>] [--env <json>] [--install <vsix|dir>]... [--timeout <s>] [--name <n>] [--verbose]');
    process.exit(2);
  }
  let env = {};
  try {
    env = values.env ? JSON.parse(values.env) : {};
  } catch (err) {
    console.error(`--env must be a JSON object: ${err.message}`);
    process.exit(2);
  }
  try {
    process.exitCode = await runExtensionTests({
      developmentPaths: devPaths,
      tests: values.tests,
      workspace: values.workspace,
      env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      install: values.install,
      timeoutSec: Number(values.timeout),
      name: values.name,
      verbose: values.verbose || !!process.env.VERBOSE,
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`run-extension-tests: ${err.message}`);
    process.exitCode = 2;
  }
}
