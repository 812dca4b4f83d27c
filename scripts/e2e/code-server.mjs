// Start an isolated code-server (a real Code-OSS workbench + Node extension host) on
// 127.0.0.1, with throwaway state, and stop it reliably.
//
//   import { startCodeServer } from './code-server.mjs';
//   const server = await startCodeServer({ extensions: ['x.vsix'], env: { K: 'V' } });
//   ... server.url, server.workbenchUrl({ folder }) ...
//   await server.stop({ keepLogsIn: failed ? dir : undefined });
//
// CLI, for poking at it by hand (Ctrl-C stops it):
//   node scripts/e2e/code-server.mjs [--extension x.vsix|dir]... [--folder ws] [--smoke-test-driver]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { assertToolsInstalled, vscodeBuild } from './tools.mjs';

// A quiet, deterministic workbench: no welcome page, no chat/secondary side bar, nothing that
// would try the (unreachable) marketplace or update servers and then log about it.
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

const live = new Set(); // servers not yet stopped; killed if this process goes away

/**
 * @typedef {object} CodeServerOptions
 * @property {string[]} [extensions] `.vsix` files or unpacked extension folders to install first
 * @property {boolean} [smokeTestDriver] pass `enable-smoke-test-driver`: needed for the URL
 *   payload (extensionDevelopmentPath / extensionTestsPath); it also hides notification toasts
 * @property {Record<string,string>} [env] extra environment; the extension host inherits it
 * @property {Record<string,unknown>} [settings] user settings, merged over QUIET_SETTINGS
 * @property {number} [reconnectionGraceTime] seconds an orphaned extension host lives on
 * @property {number} [startTimeoutMs]
 * @property {string} [vscode] which workbench (tools.mjs VSCODE_BUILDS): `current` or `oldest`;
 *   default E2E_VSCODE, else `current`
 */

/** @param {CodeServerOptions} [options] */
export async function startCodeServer(options = {}) {
  const { extensions = [], smokeTestDriver = false, env = {}, settings = {},
    reconnectionGraceTime = 10, startTimeoutMs = 60_000 } = options;
  const build = vscodeBuild(options.vscode);
  assertToolsInstalled(build);

  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-e2e-cs-'));
  const dirs = {
    userData: path.join(state, 'user-data'),
    extensions: path.join(state, 'extensions'),
    home: path.join(state, 'home'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'));
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  const logFile = path.join(state, 'code-server.log');

  // code-server, chromium-less as it is, still writes ~/.config/code-server and
  // ~/.local/share/code-server; keep all of it inside the state dir.
  const childEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    ...env,
  };
  const commonArgs = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  try {
    // Folders first: the first .vsix install writes extensions/extensions.json, and from then
    // on folders that appear in the directory without an entry there are ignored.
    const isDir = (p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
    const ordered = extensions.map((e) => path.resolve(e)).sort((a, b) => isDir(b) - isDir(a));
    for (const ext of ordered) installExtension(ext, { build, commonArgs, childEnv, logFile, dirs });
  } catch (err) {
    fs.rmSync(state, { recursive: true, force: true });
    throw err;
  }

  const port = await freePort();
  const args = [
    ...build.nodeArgs, build.entry, ...commonArgs,
    // An empty --config keeps code-server from reading/creating ~/.config/code-server/config.yaml.
    '--config', path.join(state, 'config.yaml'),
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override',
    // Without it, an extension host whose browser went away lingers for hours.
    ...(build.reconnectionGraceTime ? ['--reconnection-grace-time', String(reconnectionGraceTime)] : []),
    ...(smokeTestDriver ? build.smokeTestDriverArgs : []),
  ];
  fs.writeFileSync(path.join(state, 'config.yaml'), '');
  const log = fs.openSync(logFile, 'a');
  // detached: its own process group, so stop() can take the extension host, pty host and
  // file watcher down with it.
  const child = spawn(build.node, args, { cwd: state, env: childEnv, stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const server = {
    url, host, port, stateDir: state, logFile, pid: child.pid, vscode: build.vscode,
    /** Workbench URL for a folder (or a .code-workspace file), with an optional payload. */
    workbenchUrl({ folder, payload } = {}) {
      const q = new URLSearchParams();
      if (folder) q.set(folder.endsWith('.code-workspace') ? 'workspace' : 'folder', path.resolve(folder));
      if (payload?.length) q.set('payload', JSON.stringify(payload));
      return `${url}/?${q}`;
    },
    /** A path on this machine as the workbench's remote URI (for payload entries). */
    remoteUri: (p) => `vscode-remote://${host}${path.resolve(p)}`,
    stop: (opts) => stop(server, child, exited, opts),
  };
  live.add(server);
  installExitHandlers();

  try {
    await waitForHealthy(url, exited, startTimeoutMs);
  } catch (err) {
    await server.stop({ keepLogsIn: fs.mkdtempSync(path.join(os.tmpdir(), 'codex-e2e-cs-failed-')) });
    throw err;
  }
  return server;
}

/** Folders are linked in as `<publisher>.<name>-<version>`; a .vsix goes through the CLI. */
function installExtension(ext, { build, commonArgs, childEnv, logFile, dirs }) {
  if (!fs.existsSync(ext)) throw new Error(`extension not found: ${ext}`);
  if (fs.statSync(ext).isDirectory()) {
    const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
    fs.symlinkSync(ext, path.join(dirs.extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
    return;
  }
  // Offline and about a second: with --install-extension code-server installs and exits.
  const r = spawnSync(build.node, [...build.nodeArgs, build.entry, ...commonArgs, '--install-extension', ext, '--force'],
    { env: childEnv, encoding: 'utf8', timeout: 120_000 });
  fs.appendFileSync(logFile, `$ code-server --install-extension ${ext}\n${r.stdout}${r.stderr}\n`);
  if (r.status !== 0) throw new Error(`installing ${ext} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
}

async function waitForHealthy(url, exited, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let gone;
  exited.then((e) => { gone = e; });
  while (Date.now() < deadline) {
    if (gone) throw new Error(`code-server exited during start (${gone.code ?? gone.signal})`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000}s`);
}

/** SIGTERM the whole process group, wait up to 5 s, then SIGKILL whatever is left. */
async function stop(server, child, exited, { keepLogsIn } = {}) {
  if (!live.delete(server)) return;
  killGroup(child.pid, 'SIGTERM');
  let timer;
  await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 5000); })]);
  clearTimeout(timer);
  // The leader may be gone while its extension host is not: always sweep the group.
  killGroup(child.pid, 'SIGKILL');
  if (keepLogsIn) {
    fs.mkdirSync(keepLogsIn, { recursive: true });
    fs.copyFileSync(server.logFile, path.join(keepLogsIn, 'code-server.log'));
    // The workbench's own logs (extension host, remote agent, exthost output channels).
    const logs = path.join(server.stateDir, 'user-data', 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(keepLogsIn, 'vscode-logs'), { recursive: true });
  }
  if (!process.env.E2E_KEEP_STATE) fs.rmSync(server.stateDir, { recursive: true, force: true });
  else console.log(`[e2e] code-server state kept in ${server.stateDir}`);
}

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* group already gone */ }
}

let handlersInstalled = false;
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Last resort when the runner dies or is interrupted: no code-server may outlive it.
  process.on('exit', () => { for (const s of live) killGroup(s.pid, 'SIGKILL'); });
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(sig, () => {
      console.error(`[e2e] ${sig}: stopping code-server`);
      Promise.allSettled([...live].map((s) => s.stop())).finally(() => process.exit(code));
    });
  }
}

/** Ask the kernel for a free loopback port (the tiny race with another binder is acceptable). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---- CLI -----------------------------------------------------------------------------
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: {
    extension: { type: 'string', multiple: true, default: [] },
    folder: { type: 'string' },
    'smoke-test-driver': { type: 'boolean', default: false },
  } });
  const server = await startCodeServer({ extensions: values.extension, smokeTestDriver: values['smoke-test-driver'] });
  console.log(`code-server ready: ${server.workbenchUrl({ folder: values.folder })}`);
  console.log(`log: ${server.logFile}  (Ctrl-C to stop)`);
  await new Promise(() => {}); // the SIGINT handler stops the server and exits
}
