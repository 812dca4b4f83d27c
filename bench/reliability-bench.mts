// The reliability suite (issue 12): faults injected at scale, each row with its count,
// failures and recovery (or latency) p50/max. Writes bench/RELIABILITY.md. Not a test and
// not part of test:all; a few minutes on two cores.
//   npm run bench:reliability [-- scale=0.1] [-- only=runtime,bridge,reconnect,fuzz,auth,editors]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authMatrix } from './reliability/auth-matrix.mts';
import { bridgeKills } from './reliability/bridge-kill.mts';
import { percentile, type Row } from './reliability/common.mts';
import { editorWrites } from './reliability/editor-writes.mts';
import { fuzzRequests } from './reliability/fuzz.mts';
import { forcedReconnects } from './reliability/reconnects.mts';
import { runtimeKills } from './reliability/runtime-kill.mts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=') as [string, string]));
const scale = Number(args.scale ?? 1);
const only = args.only ? new Set(args.only.split(',')) : undefined;
const n = (full: number) => Math.max(1, Math.round(full * scale));

const plan: [string, () => Promise<Row>][] = [
  ['runtime', () => runtimeKills(n(100))],
  ['bridge', () => bridgeKills(n(100))],
  ['reconnect', () => forcedReconnects(n(1000))],
  ['fuzz', () => fuzzRequests(n(10_000))],
  ['auth', () => authMatrix()],
  ['editors', () => editorWrites(n(1000))],
];

const rows: { row: Row; seconds: number }[] = [];
for (const [key, run] of plan) {
  if (only && !only.has(key)) continue;
  const t0 = performance.now();
  process.stdout.write(`[reliability] ${key}…\n`);
  const row = await run();
  const seconds = (performance.now() - t0) / 1000;
  rows.push({ row, seconds });
  process.stdout.write(`[reliability] ${row.name}: ${row.count} runs, ${row.failures} failures, ${row.sampleLabel} p50 ${fmt(percentile(row.samples, 50))} max ${fmt(Math.max(...row.samples))} (${seconds.toFixed(0)} s)\n`);
  for (const note of row.notes) process.stdout.write(`    ${note}\n`);
}

function fmt(ms: number): string {
  return Number.isFinite(ms) ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms` : '-';
}

const command = `npm run bench:reliability${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const lines = [
  '# Reliability suite (issue 12)',
  '',
  `Command: \`${command}\` (builds first; ${os.cpus().length} CPUs, ${os.platform()} ${os.release()}, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}).`,
  'Real pinned `codex app-server` against the scripted fake model, isolated CODEX_HOME and data dirs.',
  'Times are wall clock on a machine shared with other jobs: read them as orders of magnitude.',
  '',
  '| row | count | failures | measured | p50 | max | time |',
  '|---|---:|---:|---|---:|---:|---:|',
  ...rows.map(({ row, seconds }) => `| ${row.name} | ${row.count} | ${row.failures} | ${row.sampleLabel} | ${fmt(percentile(row.samples, 50))} | ${fmt(Math.max(...row.samples))} | ${seconds.toFixed(0)} s |`),
  '',
  '## Notes per row',
  '',
  ...rows.flatMap(({ row }) => [`- **${row.name}**`, ...row.notes.map((note) => `  - ${note}`)]),
  '',
];
if (!only && scale === 1) {
  fs.writeFileSync(path.join(import.meta.dirname, 'RELIABILITY.md'), lines.join('\n'));
  process.stdout.write('[reliability] wrote bench/RELIABILITY.md\n');
} else {
  process.stdout.write(`${lines.join('\n')}\n[reliability] partial run (scale/only): bench/RELIABILITY.md not written\n`);
}
process.exit(rows.some(({ row }) => row.failures > 0) ? 1 : 0);
