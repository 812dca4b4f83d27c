import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real bridge for the CLI tests (`codex-manager serve --demo`: the real codex runtime
 * against the scripted offline model), the built CLI as users run it, and a TCP proxy
 * that can cut connections (a network drop between the CLI and the bridge).
 */

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Builds dist/ when the CLI sources are newer than dist/cli.js (the suite runs against the bundle). */
export function ensureBuilt(): void {
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
  const built = fs.existsSync(CLI) ? fs.statSync(CLI).mtimeMs : 0;
  if (built < Math.max(newest(path.join(ROOT, 'cli')), newest(path.join(ROOT, 'protocol')))) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  }
}

export interface Home {
  root: string;
  env: NodeJS.ProcessEnv;
}

const homes: string[] = [];
process.on('exit', () => {
  for (const root of homes) fs.rmSync(root, { recursive: true, force: true });
});

/** An isolated HOME / XDG layout: discovery registry, CLI config, no credentials (removed at exit). */
export function makeHome(prefix = 'cm-cli-'): Home {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  homes.push(root);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    XDG_DATA_HOME: path.join(root, 'share'),
    OPENAI_API_KEY: '',
    NO_COLOR: '1',
  };
  fs.mkdirSync(path.join(root, 'run'), { recursive: true, mode: 0o700 });
  return { root, env };
}

export interface Bridge {
  url: string;
  token: string;
  tokenFile: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startBridge(home: Home, name = 'data'): Promise<Bridge> {
  const dataDir = path.join(home.root, name);
  const child = spawn(process.execPath, [CLI, 'serve', '--demo', '--data-dir', dataDir, '--port', '0'], { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
  const t0 = Date.now();
  while (!/listening\s+(\S+)\/api/.test(output)) {
    if (Date.now() - t0 > 45_000 || child.exitCode !== null) throw new Error(`serve did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = output.match(/listening\s+(\S+)\/api/)![1]!;
  const tokenFile = path.join(dataDir, 'token');
  return {
    url, tokenFile, dataDir, child,
    token: fs.readFileSync(tokenFile, 'utf8').trim(),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function cli(home: Home, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...home.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`codex-manager ${args.join(' ')} timed out\n${stdout}\n${stderr}`)); }, opts.timeoutMs ?? 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - t0 });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A started CLI process whose output is collected while it runs. */
export function cliBackground(home: Home, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; out: () => string; err: () => string; done: Promise<Run> } {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...home.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const done = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - t0 })));
  return { child, out: () => stdout, err: () => stderr, done };
}

export function parseJson<T = Record<string, unknown>>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON:\n${text}`);
  }
}

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A TCP proxy in front of the bridge whose live connections can be cut at will. */
export async function startProxy(target: string): Promise<{ url: string; cut(): number; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () => {
      const n = sockets.size;
      for (const s of sockets) s.destroy();
      sockets.clear();
      return n;
    },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** Whether `script` (util-linux) can give a command a pseudo-terminal here. */
export function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return process.platform === 'linux';
  } catch {
    return false;
  }
}

/** The CLI on a pseudo-terminal (through `script`), so raw keypresses reach it as a user's would. */
export function cliTty(home: Home, args: string[]): { press(keys: string): void; out: () => string; done: Promise<Run> } {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  const t0 = performance.now();
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: { ...home.env, TERM: 'xterm', COLUMNS: '120' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stdout += c.toString(); });
  const done = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr: '', ms: performance.now() - t0 })));
  return { press: (keys) => child.stdin!.write(keys), out: () => stdout, done };
}
