#!/usr/bin/env node
// Run UI scenario scripts one after another, each in its own Node process (a crash or hang
// in one cannot take the others with it), and end with the plain summary line
// "N passed, N failed". Sequential on purpose: each scenario already keeps 2 cores busy.
//
//   node scripts/e2e/run-ui-scenarios.mjs [scenario.mjs | folder]...   (default: test/e2e/ui)
// Env: E2E_SCENARIO_TIMEOUT (seconds per scenario process, default 600).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, stopwatch } from './tools.mjs';

const args = process.argv.slice(2);
const defaultDir = path.join(ROOT, 'test', 'e2e', 'ui');
const targets = args.length ? args : fs.existsSync(defaultDir) ? [defaultDir] : [];
const files = targets.flatMap((t) => {
  if (!fs.existsSync(t)) throw new Error(`no such scenario or folder: ${t}`);
  return fs.statSync(t).isDirectory()
    ? fs.readdirSync(t).filter((f) => f.endsWith('.mjs')).sort().map((f) => path.join(t, f))
    : [t];
});
if (!files.length) console.log(`no UI scenarios found (${targets.join(', ') || defaultDir})`);
const limitMs = Number(process.env.E2E_SCENARIO_TIMEOUT ?? 600) * 1000;
const lap = stopwatch('ui-scenarios');

const results = [];
for (const file of files) {
  const rel = path.relative(process.cwd(), file);
  lap(`running ${rel}`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { stdio: 'inherit' });
    // The scenario has its own limit and cleanup; this is only the backstop. SIGTERM lets
    // its handlers stop code-server.
    const timer = setTimeout(() => child.kill('SIGTERM'), limitMs);
    child.on('exit', (c, signal) => { clearTimeout(timer); resolve(c ?? (signal ? 1 : 0)); });
  });
  results.push({ rel, ok: code === 0 });
}

for (const { rel, ok } of results) console.log(`${ok ? 'PASS' : 'FAIL'}  ${rel}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
