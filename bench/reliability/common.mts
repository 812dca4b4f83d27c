// Shared pieces of the reliability suite (bench/reliability-bench.mts).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeModel, writeCodexHome, type FakeModel } from '../../test/fake-model/index.ts';

export interface Row {
  name: string;
  count: number;
  failures: number;
  /** Recovery (or latency) samples in ms; the row says which. */
  samples: number[];
  sampleLabel: string;
  notes: string[];
}

export function row(name: string, sampleLabel: string): Row {
  return { name, count: 0, failures: 0, samples: [], sampleLabel, notes: [] };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, everyMs = 10): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

/** A temp root with a fake model and a CODEX_HOME pointing at it. */
export interface Fixture { root: string; fake: FakeModel; codexHome: string; env: NodeJS.ProcessEnv; close(): Promise<void> }

export async function fixture(label: string): Promise<Fixture> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `cm-rel-${label}-`));
  const fake = await startFakeModel({ label: `the ${label} bench model` });
  const codexHome = path.join(root, 'codex-home');
  writeCodexHome(codexHome, fake.baseUrl);
  const env = { ...process.env, OPENAI_API_KEY: 'bench-key', XDG_RUNTIME_DIR: path.join(root, 'run'), HOME: root };
  return {
    root, fake, codexHome, env,
    async close() {
      await fake.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** `codex-manager serve` on a data dir; resolves with its URL once it prints "listening". */
export async function startServe(fx: Fixture, dataDir: string): Promise<{ child: ChildProcess; url: string; token: string; output: () => string }> {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve', '--data-dir', dataDir, '--codex-home', fx.codexHome, '--no-demo'], { env: fx.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const url = await until(() => /listening\s+(\S+)\/api/.exec(out)?.[1] ?? (child.exitCode !== null ? 'exited' : undefined), 30_000);
  if (!url || url === 'exited') throw new Error(`serve did not start:\n${out}`);
  return { child, url, token: fs.readFileSync(path.join(dataDir, 'token'), 'utf8').trim(), output: () => out };
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
