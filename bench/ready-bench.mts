// Benchmark: bridge start-up, excluding the runtime's own start. Same run: the bare
// runtime (spawn codex app-server → initialize answered) against `codex-manager serve`
// (process start → "listening" printed, which includes starting that runtime).
// Not a test. Run: npm run bench:ready [-- runs=7]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveCodexBinary } from '../server/appserver/codex-binary.ts';
import { startFakeModel, writeCodexHome } from '../test/fake-model/index.ts';

const runs = Number(Object.fromEntries(process.argv.slice(2).map((a) => a.split('='))).runs ?? 7);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-ready-'));
const fake = await startFakeModel();
const codexHome = path.join(root, 'codex-home');
writeCodexHome(codexHome, fake.baseUrl);

async function bareRuntime(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(resolveCodexBinary(), ['app-server'], { env: { ...process.env, CODEX_HOME: codexHome, OPENAI_API_KEY: 'x' }, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.write(JSON.stringify({ id: 1, method: 'initialize', params: { clientInfo: { name: 'b', title: null, version: '0' }, capabilities: { experimentalApi: true } } }) + '\n');
  await new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => { if (c.toString().includes('"id":1')) resolve(); }));
  const ms = performance.now() - t0;
  child.kill();
  return ms;
}

async function serve(i: number, lingerMs = 0): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/cli.js', 'serve', '--codex-home', codexHome, '--data-dir', path.join(root, `data-${i}`)], {
    env: { ...process.env, OPENAI_API_KEY: 'x', XDG_RUNTIME_DIR: path.join(root, 'run') }, stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve) => child.stdout!.on('data', (c: Buffer) => { if (c.toString().includes('listening')) resolve(); }));
  const ms = performance.now() - t0;
  serveCpu.push(cpuMsOf(child.pid!));
  // The warm-up bridge lives a little, as a real one does: long enough to write its code cache.
  if (lingerMs) await new Promise((r) => setTimeout(r, lingerMs));
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return ms;
}

/** CPU ms (user + kernel, all threads) a process has used so far: robust to a loaded machine, unlike wall time. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const serveCpu: number[] = [];
const nodeCpu: number[] = [];

const node0 = async () => {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', 'const c = process.cpuUsage(); process.stdout.write(String((c.user + c.system) / 1000))']);
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  await new Promise((r) => child.once('exit', r));
  nodeCpu.push(Number(out));
  return performance.now() - t0;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows = { node: [] as number[], runtime: [] as number[], serve: [] as number[] };
await bareRuntime(); await serve(-1, 3000); // warm caches (disk, and the bridge's V8 code cache)
serveCpu.length = 0;
for (let i = 0; i < runs; i++) {
  rows.node.push(await node0());
  rows.runtime.push(await bareRuntime());
  rows.serve.push(await serve(i));
}
await fake.close();
fs.rmSync(root, { recursive: true, force: true });
const [n, r, s] = [median(rows.node), median(rows.runtime), median(rows.serve)];
console.log(`runs: ${runs}, medians`);
console.log('| measure | ms |');
console.log('|---|---|');
console.log(`| \`node -e 0\` | ${n.toFixed(0)} |`);
console.log(`| bare runtime: spawn → initialize answered | ${r.toFixed(0)} |`);
console.log(`| \`codex-manager serve\`: process start → listening (includes the runtime) | ${s.toFixed(0)} |`);
console.log(`bridge ready excluding the runtime's own start: ${(s - r).toFixed(0)} ms (of which Node.js start ${n.toFixed(0)} ms)`);
console.log(`CPU of the serve process until listening: ${median(serveCpu).toFixed(0)} ms (node -e 0: ${median(nodeCpu).toFixed(0)} ms); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
