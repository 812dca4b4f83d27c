#!/usr/bin/env node
// CLI start-up benchmark (DESIGN §9: `codex-manager --help` ≤ 150 ms).
//
//   node scripts/build.mjs && node bench/cli-bench.mjs [--runs 30]
//
// Measures wall time of whole processes, as a user sees it, against a baseline from the
// same run (`node -e 0`: the bare Node.js start), so the ratio holds across machines:
//   - codex-manager --help and --version (no bridge involved);
//   - codex-manager system health and sessions list: simple commands against a real
//     bridge (`serve --demo`, found by discovery, token file read, one HTTP request);
//   - in-process: loading dist/cli.js (parse + evaluate the bundle) without running it.
// Runs are interleaved (one of each per round) so load on the machine hits all alike.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
if (!fs.existsSync(cli)) {
  console.error('dist/cli.js is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-cli-bench-'));
const env = {
  PATH: process.env.PATH, HOME: home, OPENAI_API_KEY: '', NO_COLOR: '1',
  XDG_RUNTIME_DIR: path.join(home, 'run'), XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'share'),
};
fs.mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });

console.log(`starting a bridge (serve --demo) in ${home} ...`);
const bridge = spawn(process.execPath, [cli, 'serve', '--demo', '--data-dir', path.join(home, 'data'), '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
bridge.stdout.on('data', (c) => { out += c; });
bridge.stderr.on('data', (c) => { out += c; });
const t0 = Date.now();
while (!/listening\s+\S+\/api/.test(out)) {
  if (Date.now() - t0 > 60_000 || bridge.exitCode !== null) {
    console.error(`the bridge did not start:\n${out}`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 50));
}

const url = out.match(/listening\s+(\S+)\/api/)[1];
const token = fs.readFileSync(path.join(home, 'data', 'token'), 'utf8').trim();
const cases = [
  { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
  { name: 'codex-manager --help', args: [cli, '--help'] },
  { name: 'codex-manager --version', args: [cli, '--version'] },
  { name: 'codex-manager system health', args: [cli, 'system', 'health'], bridge: true },
  { name: 'codex-manager sessions list', args: [cli, 'sessions', 'list'], bridge: true },
  // The same request without discovery (URL and token given): what discovery itself costs.
  { name: 'system health --base-url --bearer', args: [cli, '--base-url', url, '--bearer', token, 'system', 'health'], bridge: true },
];
const times = new Map(cases.map((c) => [c.name, []]));
for (const c of cases) {
  const r = spawnSync(process.execPath, c.args, { env, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`${c.name} failed (${r.status}):\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
}
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, c.args, { env, stdio: 'ignore' });
    times.get(c.name).push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}

// In-process: what the CLI itself costs on top of Node.js, as CPU time (robust to other load
// on the machine): loading the bundle (parse + evaluate), then running `--help` once.
const load = [];
const helpCpu = [];
const probe = `const cpu=()=>{const u=process.cpuUsage();return (u.user+u.system)/1000};const t0=cpu();const m=require(${JSON.stringify(cli)});const t1=cpu();`
  + 'const w=process.stdout.write.bind(process.stdout);process.stdout.write=()=>true;'
  + 'm.run(["--help"]).then(()=>{const t2=cpu();process.stdout.write=w;process.stdout.write(`${t1-t0} ${t2-t1}`)})';
for (let i = 0; i < 15; i++) {
  const [a, b] = execFileSync(process.execPath, ['-e', probe], { env, encoding: 'utf8' }).split(' ').map(Number);
  load.push(a);
  helpCpu.push(b);
}

bridge.kill('SIGTERM');
await new Promise((r) => bridge.once('exit', r));
fs.rmSync(home, { recursive: true, force: true });

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const base = q(times.get(cases[0].name), 0.5);
const fmt = (n) => n.toFixed(1).padStart(7);
console.log(`\n${runs} runs each, interleaved; node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
console.log(`${'command'.padEnd(32)} ${'median'.padStart(7)} ${'p90'.padStart(7)} ${'min'.padStart(7)}   over node   ×node  (ms)`);
for (const c of cases) {
  const xs = times.get(c.name);
  const med = q(xs, 0.5);
  console.log(`${c.name.padEnd(32)} ${fmt(med)} ${fmt(q(xs, 0.9))} ${fmt(Math.min(...xs))}   ${fmt(med - base)}   ${(med / base).toFixed(2)}×`);
}
console.log(`\nCPU time in-process (ms)               median     p90     min`);
console.log(`${'load dist/cli.js'.padEnd(36)} ${fmt(q(load, 0.5))} ${fmt(q(load, 0.9))} ${fmt(Math.min(...load))}`);
console.log(`${'then run --help'.padEnd(36)} ${fmt(q(helpCpu, 0.5))} ${fmt(q(helpCpu, 0.9))} ${fmt(Math.min(...helpCpu))}`);
const minified = fs.readFileSync(cli, 'utf8').split('\n').length < 1000;
console.log(`dist/cli.js: ${(fs.statSync(cli).size / 1024).toFixed(0)} KiB, ${minified ? 'minified (packaging build)' : 'not minified (npm run build)'}`);
const help = q(times.get('codex-manager --help'), 0.5);
console.log(`\n--help: ${help.toFixed(1)} ms median (${(help - base).toFixed(1)} ms over bare node); budget 150 ms: ${help <= 150 ? 'met' : help - base <= 150 ? 'met over bare node (the machine\'s node start is slow)' : 'MISSED'}`);
