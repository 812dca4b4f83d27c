#!/usr/bin/env node
/* global window, document, requestAnimationFrame -- functions passed to page.evaluate run in the browser */
// The chat webview under load, in headless Chromium (the page and CSP of test/webview/):
//   - open: a state with N transcript items, from postMessage to the first painted frame
//     (median of fresh webviews, i.e. cold), and how much of that is the webview's own work;
//   - scroll: frame times while scrolling the 10,000-item list (steady reading, and jumps
//     of several screens per frame), DOM size before and after;
//   - memory: JS heap after GC with 0 / 1,000 / 10,000 items;
//   - streaming: 20,000 deltas in 400 host messages while typing into the composer:
//     frames painted, longest frame, input delay.
//   node bench/webview-bench.mjs [--runs 5] [--json]
// Prints a markdown table for bench/RESULTS.md. Needs /usr/bin/chromium (scripts/e2e/setup.sh).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, loadPlaywright } from '../scripts/e2e/tools.mjs';
import * as f from '../test/webview/fixtures.mjs';
import { ensureBuilt, startServer } from '../test/webview/harness.mjs';

const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 5;
const JSON_OUT = argv.includes('--json');
const VIEWPORT = { width: 420, height: 800 };
const BUDGET_OPEN_MS = 300;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const mb = (bytes) => round(bytes / 1024 / 1024, 1);

async function launch() {
  const { chromium } = loadPlaywright();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-webview-bench-'));
  const context = await chromium.launchPersistentContext(path.join(profile, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: VIEWPORT,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
    env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: path.join(profile, 'config'), XDG_CACHE_HOME: path.join(profile, 'cache') },
  });
  return { context, close: async () => { await context.close().catch(() => {}); fs.rmSync(profile, { recursive: true, force: true }); } };
}

async function freshPage(browser, server) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?theme=dark`);
  await page.waitForFunction(() => window.__fakeHost?.posted.some((m) => m.type === 'ready'));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 50))); // let the warm-up run, as it would while the host loads
  return { page, errors };
}

/** Hands the message to the page (outside the timing), then times postMessage → next painted frame. */
async function timeOpen(page, message) {
  await page.evaluate((m) => { window.__state = m; }, message);
  return page.evaluate(() => new Promise((resolve) => {
    performance.clearMeasures('codex:state');
    performance.clearMeasures('codex:receive');
    const t0 = performance.now();
    window.postMessage(window.__state, '*');
    setTimeout(() => requestAnimationFrame(() => setTimeout(() => {
      const done = performance.now();
      const receive = performance.getEntriesByName('codex:receive')[0];
      resolve({
        total: done - t0,
        // From the message event's creation (the webview's task starts) to the painted frame.
        fromDispatch: receive ? done - receive.startTime : NaN,
        receive: receive?.duration ?? NaN,
        webview: performance.getEntriesByName('codex:state')[0]?.duration ?? NaN,
        rows: document.querySelectorAll('.rows > article').length,
        nodes: document.getElementsByTagName('*').length,
      });
    }, 0)), 0);
  }));
}

/** The page's JS heap after a full GC (CDP: performance.memory is too coarse for this). */
async function heap(page) {
  await page.evaluate(() => { delete window.__state; });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** Scrolls by `step` px per frame (or jumps when `jump`), `frames` times; returns frame intervals. */
async function scroll(page, { frames, step, jump = false }) {
  return page.evaluate(({ frames, step, jump }) => new Promise((resolve) => {
    const el = document.querySelector('.transcript');
    const intervals = [];
    let maxRows = 0;
    let maxNodes = 0;
    let last = 0;
    let n = 0;
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const tick = (ts) => {
      if (last) intervals.push(ts - last);
      last = ts;
      if (n % 10 === 0) {
        maxRows = Math.max(maxRows, document.querySelectorAll('.rows > article').length);
        maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length);
      }
      if (n++ >= frames) {
        resolve({ intervals, maxRows, maxNodes });
        return;
      }
      if (jump) el.scrollTop = rand() * (el.scrollHeight - el.clientHeight);
      else el.scrollTop = Math.max(0, el.scrollTop - step);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }), { frames, step, jump });
}

function frameStats(intervals) {
  const avg = intervals.reduce((a, b) => a + b, 0) / intervals.length;
  return {
    fps: round(1000 / avg, 1),
    p50: round(pct(intervals, 0.5), 1),
    p95: round(pct(intervals, 0.95), 1),
    max: round(Math.max(...intervals), 1),
    // A frame "drops" when it takes longer than 1.5 vsync intervals.
    dropped: round((100 * intervals.filter((x) => x > 25).length) / intervals.length, 1),
  };
}

async function streaming(page, { codeBlock = false } = {}) {
  // Deltas are generated in the page: 400 host messages of 50 deltas, one every 4 ms.
  // Prose (a paragraph break every ~100 deltas), or one code block that grows to ~200 KB.
  const run = page.evaluate(({ codeBlock }) => new Promise((resolve) => {
    const post = (m) => window.postMessage(m, '*');
    post({ type: 'state', state: { runtimeState: 'ready', session: { sessionId: 's', title: 'stream' }, transcript: [], approvals: [], activeTurnId: null, lastSeq: 0 } });
    post({ type: 'events', events: [
      { type: 'notification', threadId: 's', seq: 1, payload: { method: 'turn/started', params: { threadId: 's', turn: { id: 't', status: 'inProgress', items: [] } } } },
      { type: 'notification', threadId: 's', seq: 2, payload: { method: 'item/started', params: { threadId: 's', turnId: 't', item: { type: 'agentMessage', id: 'm', text: '' } } } },
    ] });
    const intervals = [];
    const delays = [];
    let last = 0;
    let streamingDone = false;
    const frame = (ts) => {
      if (last) intervals.push(ts - last);
      last = ts;
      if (!streamingDone) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    document.addEventListener('keydown', (e) => delays.push(performance.now() - e.timeStamp), { capture: true });
    let seq = 3;
    let sent = 0;
    const t0 = performance.now();
    const words = 'streaming never blocks input and the list keeps painting one frame at a time '.split(' ');
    const timer = setInterval(() => {
      const events = [];
      for (let k = 0; k < 50; k++, sent++) {
        const delta = codeBlock ? (sent === 0 ? '```ts\n' : sent % 8 === 7 ? `// line ${sent}\n` : `${words[sent % words.length]}_${sent} `)
          : sent % 97 === 96 ? '\n\n' : `${words[sent % words.length]} `;
        events.push({ type: 'notification', threadId: 's', seq: seq++, payload: { method: 'item/agentMessage/delta', params: { threadId: 's', turnId: 't', itemId: 'm', delta } } });
      }
      post({ type: 'events', events });
      if (sent >= 20_000) {
        clearInterval(timer);
        post({ type: 'events', events: [{ type: 'notification', threadId: 's', seq: seq++, payload: { method: 'turn/completed', params: { threadId: 's', turn: { id: 't', status: 'completed', items: [] } } } }] });
        setTimeout(() => requestAnimationFrame(() => {
          streamingDone = true;
          const text = document.querySelector('[data-item-id="m"] .markdown')?.textContent ?? '';
          resolve({ ms: performance.now() - t0, intervals, delays, chars: text.length, typed: document.querySelector('.composer-input').value.length });
        }), 50);
      }
    }, 4);
  }), { codeBlock });
  // Type into the composer while it streams.
  await page.focus('.composer-input');
  const typing = (async () => {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.type('x');
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const [result] = await Promise.all([run, typing]);
  return result;
}

async function main() {
  ensureBuilt();
  const server = await startServer();
  const browser = await launch();
  const results = { runs: RUNS, chromium: browser.context.browser()?.version() ?? '', cpus: os.cpus().length, load: os.loadavg()[0], open: {}, heap: {}, scroll: {}, streaming: null };
  try {
    const states = { 1000: f.state({ transcript: f.longTranscript(1000), lastSeq: 1 }), 10000: f.state({ transcript: f.longTranscript(10_000), lastSeq: 1 }) };
    const bytes = Object.fromEntries(Object.entries(states).map(([n, s]) => [n, JSON.stringify(s).length]));

    // Heap baseline: an empty webview.
    {
      const { page } = await freshPage(browser, server);
      await timeOpen(page, f.state({ transcript: [], lastSeq: 1 }));
      results.heap[0] = await heap(page);
      await page.close();
    }
    for (const n of [1000, 10000]) {
      const samples = [];
      for (let r = 0; r < RUNS; r++) {
        const { page, errors } = await freshPage(browser, server);
        samples.push(await timeOpen(page, states[n]));
        if (r === 0) results.heap[n] = await heap(page);
        if (n === 10000 && r === RUNS - 1) {
          // Scrolling on the last 10k page: reading upwards at 40 px/frame, then random jumps.
          await page.evaluate(() => new Promise((r2) => setTimeout(r2, 200)));
          const steady = await scroll(page, { frames: 300, step: 40 });
          const jumps = await scroll(page, { frames: 120, jump: true });
          results.scroll = { steady: { ...frameStats(steady.intervals), maxRows: steady.maxRows, maxNodes: steady.maxNodes }, jumps: { ...frameStats(jumps.intervals), maxRows: jumps.maxRows, maxNodes: jumps.maxNodes } };
        }
        if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
        await page.close();
      }
      results.open[n] = {
        bytes: bytes[n],
        total: round(median(samples.map((s) => s.total))),
        fromDispatch: round(median(samples.map((s) => s.fromDispatch))),
        receive: round(median(samples.map((s) => s.receive))),
        webview: round(median(samples.map((s) => s.webview))),
        worst: round(Math.max(...samples.map((s) => s.total))),
        rows: samples[0].rows,
        nodes: samples[0].nodes,
      };
    }
    results.streaming = {};
    for (const kind of ['prose', 'code']) {
      const { page } = await freshPage(browser, server);
      const s = await streaming(page, { codeBlock: kind === 'code' });
      results.streaming[kind] = { ms: round(s.ms, 0), frames: s.intervals.length, ...frameStats(s.intervals), inputP95: round(pct(s.delays, 0.95)), inputMax: round(Math.max(...s.delays)), chars: s.chars, typed: s.typed };
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (JSON_OUT) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  print(results);
}

function print(r) {
  const o1 = r.open[1000];
  const o10 = r.open[10000];
  const h0 = r.heap[0];
  const growth = (r.heap[10000] - h0) / Math.max(1, r.heap[1000] - h0);
  const p = r.streaming.prose;
  const c = r.streaming.code;
  const lines = [
    `### Chat webview (headless Chromium ${r.chromium}, ${r.cpus} CPUs, load average ${round(r.load)}; open: median of ${r.runs} fresh webviews)`,
    '',
    '| measure | 1,000 items | 10,000 items | budget |',
    '| --- | --- | --- | --- |',
    `| state message size | ${mb(o1.bytes)} MB | ${mb(o10.bytes)} MB | |`,
    `| open: postMessage → first painted frame | ${o1.total} ms | ${o10.total} ms (worst ${o10.worst}) | ≤ ${BUDGET_OPEN_MS} ms |`,
    `| … in the webview: message event → painted frame | ${o1.fromDispatch} ms | ${o10.fromDispatch} ms | |`,
    `| … … deserialize + validate the message | ${o1.receive} ms | ${o10.receive} ms | |`,
    `| … … store + first list paint (JS) | ${o1.webview} ms | ${o10.webview} ms | |`,
    `| rows / DOM elements after open | ${o1.rows} / ${o1.nodes} | ${o10.rows} / ${o10.nodes} | bounded |`,
    `| JS heap after GC (empty webview: ${mb(h0)} MB) | ${mb(r.heap[1000])} MB | ${mb(r.heap[10000])} MB | sub-linear |`,
    '',
    `Heap growth over the empty webview: 10k / 1k = ${round(growth, 2)}× for 10× the items (the DOM part is constant; the rest is the items' text).`,
    '',
    '| scrolling 10,000 items | fps | frame p50 | p95 | max | frames > 25 ms | max rows / DOM elements |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| reading upwards, 40 px per frame (300 frames) | ${r.scroll.steady.fps} | ${r.scroll.steady.p50} ms | ${r.scroll.steady.p95} ms | ${r.scroll.steady.max} ms | ${r.scroll.steady.dropped} % | ${r.scroll.steady.maxRows} / ${r.scroll.steady.maxNodes} |`,
    `| random jumps anywhere, every frame (120 frames) | ${r.scroll.jumps.fps} | ${r.scroll.jumps.p50} ms | ${r.scroll.jumps.p95} ms | ${r.scroll.jumps.max} ms | ${r.scroll.jumps.dropped} % | ${r.scroll.jumps.maxRows} / ${r.scroll.jumps.maxNodes} |`,
    '',
    '| streaming 20,000 deltas (400 messages, one per 4 ms) while typing 40 keys | prose | one growing code block |',
    '| --- | --- | --- |',
    `| wall time | ${p.ms} ms | ${c.ms} ms |`,
    `| final message length | ${round(p.chars / 1024)} KB | ${round(c.chars / 1024)} KB |`,
    `| frames painted / fps | ${p.frames} / ${p.fps} | ${c.frames} / ${c.fps} |`,
    `| frame p95 / max | ${p.p95} ms / ${p.max} ms | ${c.p95} ms / ${c.max} ms |`,
    `| input delay (keydown) p95 / max | ${p.inputP95} ms / ${p.inputMax} ms | ${c.inputP95} ms / ${c.inputMax} ms |`,
    `| keys that reached the composer | ${p.typed} / 40 | ${c.typed} / 40 |`,
  ];
  console.log(lines.join('\n'));
}

await main();
