/* global window, document, requestAnimationFrame, MutationObserver -- functions passed to page.evaluate run in the browser */
// The chat webview in headless Chromium, under the extension's CSP, driven by a fake host.
//   npx mocha test/webview/webview.test.mjs      (builds dist/webview.js first when stale)
// Needs /usr/bin/chromium (bash scripts/e2e/setup.sh). Screenshots: artifacts/screenshots/webview-*.png
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../../scripts/e2e/browser.mjs';
import * as f from './fixtures.mjs';
import { ROOT, ensureBuilt, openWebview, startServer } from './harness.mjs';

const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');

describe('chat webview (headless Chromium)', function () {
  this.timeout(60_000);
  this.slow(3_000);
  let server;
  let browser;
  let w;

  before(async () => {
    ensureBuilt();
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: 420, height: 720 } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    w = await openWebview({ server, browser });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(await w.violations(), [], 'no CSP violations');
      assert.deepEqual(w.errors, [], 'no page errors');
    }
    await w.close();
  });

  const count = (selector) => w.page.locator(selector).count();
  const text = (selector) => w.page.locator(selector).first().innerText();

  it('posts ready first, then renders a state: title, one headed article per item, approvals, landmarks', async () => {
    assert.deepEqual((await w.posted())[0], { type: 'ready' });
    const waiting = f.entry(f.command('npm test', { id: 'c_pending', status: 'inProgress', exitCode: null }), { status: 'streaming' });
    await w.post(f.state({ transcript: [...f.sampleTranscript(), waiting], approvals: [f.commandApproval('appr_1', 'npm test', { itemId: 'c_pending' })], lastSeq: 4 }));
    await w.settle();
    assert.equal(await text('header h1'), 'Fix the flaky date test');
    assert.equal(await count('.rows > article'), 7);
    assert.match(await text('[data-item-id="c_pending"]'), /waiting for approval/);
    // Every row is labelled by a heading (visually hidden for cards).
    const labels = await w.page.$$eval('.rows > article', (rows) => rows.map((r) => document.getElementById(r.getAttribute('aria-labelledby'))?.tagName));
    assert.deepEqual(labels, ['H2', 'H2', 'H2', 'H2', 'H2', 'H2', 'H2']);
    assert.equal(await w.page.getAttribute('.rows', 'role'), 'feed');
    assert.equal(await w.page.getAttribute('.rows > article:last-child', 'aria-setsize'), '7');
    assert.equal(await count('main'), 1);
    assert.equal(await count('form[aria-label]'), 1);
    assert.equal(await count('[aria-live="polite"]'), 1);
    assert.equal(await count('.approval-card'), 1);
    assert.match(await text('.approval-card'), /Run command\s+\$ npm test/); // the command once, below the summary (issue 13)
    assert.match(await text('.row-command.failed'), /npm run lint[\s\S]*exit 1/);
    assert.match(await text('.row-files'), /Edited 2 files[\s\S]*\+3[\s\S]*−2/);
    // Every control has an accessible name.
    const unnamed = await w.page.$$eval('button, textarea', (els) => els.filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length)).map((e) => e.outerHTML));
    assert.deepEqual(unnamed, []);
  });

  it('applies only events after the state\'s lastSeq, ignores duplicates, and a new state replaces everything', async () => {
    const transcript = [f.entry(f.user('hi', 'u1')), f.entry(f.agent('hello', 'a1'))];
    await w.post(f.state({ transcript, lastSeq: 10 }));
    const stale = f.notification(10, 'item/started', { turnId: 't2', item: f.agent('stale', 'a-stale') });
    const fresh = f.notification(11, 'item/started', { turnId: 't2', item: f.agent('fresh', 'a-fresh') });
    const other = f.notification(12, 'item/started', { turnId: 't9', item: f.agent('other session', 'a-other') }, 'thr_other');
    await w.post(f.events(stale, fresh, other));
    await w.post(f.events(fresh)); // the same batch again (a host resend)
    await w.post(f.events(f.notification(11, 'item/agentMessage/delta', { itemId: 'a-fresh', delta: ' DUP' })));
    await w.settle();
    assert.equal(await count('.rows > article'), 3);
    assert.equal(await count('[data-item-id="a-stale"]'), 0);
    assert.equal(await count('[data-item-id="a-other"]'), 0);
    assert.equal(await text('[data-item-id="a-fresh"] .markdown'), 'fresh');
    // A reveal / resync sends the state again: replaced, not appended.
    await w.post(f.state({ transcript, lastSeq: 20 }));
    await w.post(f.state({ transcript, lastSeq: 20 }));
    await w.settle();
    assert.equal(await count('.rows > article'), 2);
    await w.post(f.events(f.notification(15, 'item/started', { turnId: 't2', item: f.agent('older than the state', 'a-old') })));
    await w.settle();
    assert.equal(await count('[data-item-id="a-old"]'), 0);
  });

  it('streams deltas into the live message, coalesced per frame, without touching other rows', async () => {
    await w.post(f.state({ transcript: f.sampleTranscript(), lastSeq: 1 }));
    await w.settle();
    await w.page.evaluate(() => {
      window.__rowsBefore = new Map([...document.querySelectorAll('.rows > article')].map((el) => [el.dataset.itemId, el]));
      window.__tailRenders = 0;
      window.__otherMutations = 0;
      new MutationObserver((records) => {
        if (records.some((r) => r.target.closest?.('[data-item-id="live"]'))) window.__tailRenders++;
        if (records.some((r) => r.target.closest?.('article') && !r.target.closest('[data-item-id="live"]'))) window.__otherMutations++;
      }).observe(document.querySelector('.rows'), { subtree: true, childList: true, characterData: true });
    });
    await w.post(f.events(
      f.notification(2, 'turn/started', { turn: { id: 't2', status: 'inProgress', items: [] } }),
      f.notification(3, 'item/started', { turnId: 't2', item: f.agent('', 'live') }),
    ));
    await w.settle();
    assert.equal(await w.page.getAttribute('[data-item-id="live"]', 'aria-busy'), 'true');
    assert.equal(await w.page.getAttribute('.rows', 'aria-busy'), 'true');
    assert.equal(await w.page.isVisible('.composer .stop'), true);
    await w.page.evaluate(() => { window.__tailRenders = 0; });
    // 400 deltas in 40 host messages, posted back to back (as a busy host would).
    const words = Array.from({ length: 400 }, (_, i) => (i % 50 === 49 ? `w${i}\n\n` : `w${i} `));
    const batches = [];
    for (let b = 0; b < 40; b++) batches.push(f.events(...words.slice(b * 10, b * 10 + 10).map((delta, k) => f.notification(4 + b * 10 + k, 'item/agentMessage/delta', { turnId: 't2', itemId: 'live', delta }))));
    await w.page.evaluate((list) => { for (const m of list) window.postMessage(m, '*'); }, batches);
    await w.settle();
    const shown = await w.page.$eval('[data-item-id="live"] .markdown', (el) => el.textContent.replace(/\s+/g, ' ').trim());
    assert.equal(shown, words.join('').replace(/\s+/g, ' ').trim());
    const renders = await w.page.evaluate(() => window.__tailRenders);
    assert.ok(renders <= 10, `40 host messages repainted the live message ${renders} times (expected about one per frame)`);
    const rebuilt = await w.page.evaluate(() => [...document.querySelectorAll('.rows > article')].filter((el) => window.__rowsBefore.has(el.dataset.itemId) && window.__rowsBefore.get(el.dataset.itemId) !== el).length);
    assert.equal(rebuilt, 0, 'rows that stay mounted are the same nodes (never re-rendered wholesale)');
    assert.equal(await w.page.evaluate(() => window.__otherMutations), 0);
    // Completion: authoritative text, busy state cleared, announced.
    await w.post(f.events(
      f.notification(500, 'item/completed', { turnId: 't2', item: f.agent(`${words.join('')}**done**`, 'live') }),
      f.notification(501, 'turn/completed', { turn: { id: 't2', status: 'completed', items: [] } }),
    ));
    await w.settle();
    assert.equal(await w.page.getAttribute('[data-item-id="live"]', 'aria-busy'), 'false');
    assert.equal(await count('[data-item-id="live"] strong'), 1);
    assert.equal(await w.page.isVisible('.composer .stop'), false);
    await w.page.waitForFunction(() => document.querySelector('[aria-live="polite"]').textContent.includes('Codex finished'));
  });

  it('streams markdown incrementally: finished blocks stay put, an open code block grows by appending', async () => {
    await w.post(f.state({ transcript: [], lastSeq: 0 }));
    const delta = (seq, text) => f.notification(seq, 'item/agentMessage/delta', { turnId: 't', itemId: 'm', delta: text });
    await w.post(f.events(
      f.notification(1, 'turn/started', { turn: { id: 't', status: 'inProgress', items: [] } }),
      f.notification(2, 'item/started', { turnId: 't', item: f.agent('', 'm') }),
      delta(3, 'First **paragraph**.\n\n'),
      delta(4, '```js\nconst a = 1;\n'),
    ));
    await w.settle();
    const md = '[data-item-id="m"] .markdown';
    await w.page.evaluate((sel) => { window.__para = document.querySelector(`${sel} p`); window.__code = document.querySelector(`${sel} pre code`); }, md);
    assert.equal(await count(`${md} .code-block .code-toolbar button`), 2, 'the open block already has its toolbar');
    let seq = 5;
    for (let i = 0; i < 30; i++) {
      await w.post(f.events(delta(seq++, `const v${i} = ${i};\n`)));
      if (i % 10 === 0) await w.settle();
    }
    await w.settle();
    const same = await w.page.evaluate((sel) => window.__para === document.querySelector(`${sel} p`) && window.__code === document.querySelector(`${sel} pre code`), md);
    assert.equal(same, true, 'neither the finished paragraph nor the open code block was re-rendered');
    assert.match(await w.page.textContent(`${md} pre code`), /const a = 1;\nconst v0 = 0;[\s\S]*const v29 = 29;\n$/);
    await w.post(f.events(delta(seq++, '```\n\nAfter the *code*.'), f.notification(seq, 'turn/completed', { turn: { id: 't', status: 'completed', items: [] } })));
    await w.settle();
    assert.equal(await count(`${md} pre`), 1);
    assert.equal(await text(`${md} p:last-child`), 'After the code.');
    assert.equal(await count(`${md} p:last-child em`), 1);
  });

  it('renders model output as sanitized markdown: no raw HTML, scripts, handlers, unsafe links or forged controls', async () => {
    const evil = [
      'Look: <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script>',
      '',
      '<iframe src="https://evil.example"></iframe><div style="position:fixed;inset:0">cover</div>',
      '',
      '[click me](javascript:window.__pwned=3) [data](data:text/html,<b>x</b>) [cmd](command:workbench.action.quit)',
      '',
      '<a href="javascript:window.__pwned=4">raw link</a> <button data-code-action="insert">forged</button>',
      '',
      '![tracker](https://evil.example/pixel.png) [docs](https://example.com/docs) [file](src/app.ts)',
      '',
      '```html',
      '<script>window.__pwned=5</script>',
      '```',
    ].join('\n');
    await w.post(f.state({ transcript: [f.entry(f.agent(evil, 'evil'))], lastSeq: 1 }));
    await w.settle();
    const md = '[data-item-id="evil"] .markdown';
    for (const tag of ['img', 'script', 'iframe', 'style', 'form', 'input', 'button:not(.code-toolbar button)']) {
      assert.equal(await count(`${md} ${tag}`), 0, `no <${tag}> from model output`);
    }
    assert.equal(await count(`${md} [style]`), 0);
    assert.equal(await count(`${md} [onerror]`), 0);
    assert.equal(await count(`${md} a[href^="javascript"], ${md} a[href^="data"], ${md} a[href^="command"]`), 0);
    assert.equal(await w.page.evaluate(() => window.__pwned), undefined);
    const shown = await text(md);
    assert.match(shown, /<img src=x onerror="window.__pwned=1">/, 'raw HTML is shown as text');
    assert.match(shown, /<script>window.__pwned=2<\/script>/);
    assert.match(shown, /click me/);
    assert.equal(await count(`${md} [data-code-action]`), 2, 'only the real code block toolbar');
    assert.equal(await w.page.getAttribute(`${md} a[href="https://example.com/docs"]`, 'rel'), 'noopener noreferrer');
    assert.equal(await count(`${md} a.md-image-link`), 1, 'an image becomes a link, never a request');
    // A workspace link opens the file in the editor.
    await w.page.click(`${md} a[href="src/app.ts"]`);
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((m) => m.request?.method === 'openFile'));
    assert.deepEqual((await w.requests('openFile'))[0].params, { path: 'src/app.ts' });
  });

  it('gives code blocks Copy and Insert buttons: Insert posts insertCode with the code', async () => {
    await w.post(f.state({ transcript: f.sampleTranscript(), lastSeq: 1 }));
    await w.settle();
    await w.page.click('.code-block button[aria-label="Insert code at cursor"]');
    await w.page.click('.code-block button[aria-label="Copy code"]');
    await w.page.waitForFunction(() => window.__fakeHost.posted.filter((m) => m.type === 'request').length >= 2);
    const code = 'const now = new Date("2024-01-01T00:00:00Z");\nvi.useFakeTimers({ now });';
    assert.deepEqual((await w.requests('insertCode'))[0].params, { code });
    assert.deepEqual((await w.requests('copyText'))[0].params, { text: code });
    await w.page.waitForSelector('.code-block button[aria-label="Copied"]');
  });

  it('shows approval cards without taking focus from the composer; buttons post decideApproval; cards leave on approval_resolved', async () => {
    await w.post(f.state({ transcript: f.sampleTranscript(), lastSeq: 10, activeTurnId: f.TURN }));
    await w.page.click('.composer-input');
    await w.page.keyboard.type('half-typed thought');
    const diffChange = f.change('/work/project/src/clock.ts', '@@ -1 +1 @@\n-a\n+b\n');
    await w.post(f.events(
      f.bridgeEvent(11, 'approval', f.commandApproval('appr_a', 'npm test')),
      f.bridgeEvent(12, 'approval', f.commandApproval('appr_b', 'npm run build')),
      f.bridgeEvent(13, 'approval', f.fileApproval('appr_c', [diffChange])),
    ));
    await w.settle();
    assert.equal(await count('.approval-card'), 3);
    assert.equal(await w.page.evaluate(() => document.activeElement?.className), 'composer-input', 'focus stays in the composer');
    assert.equal(await w.page.inputValue('.composer-input'), 'half-typed thought');
    await w.page.keyboard.type(' continues');
    assert.equal(await w.page.inputValue('.composer-input'), 'half-typed thought continues');
    await w.page.waitForFunction(() => document.querySelector('[aria-live="polite"]').textContent.includes('Approval needed'));

    await w.page.click('[data-id="appr_a"] button[data-decision="accept"]');
    assert.equal(await w.page.getAttribute('[data-id="appr_a"] button[data-decision="accept"]', 'aria-disabled'), 'true');
    await w.page.click('[data-id="appr_a"] button[data-decision="decline"]', { force: true }); // ignored: one decision per card
    await w.page.click('[data-id="appr_b"] button[data-decision="accept-session"]');
    await w.page.click('[data-id="appr_c"] button[aria-label^="Show diff"]');
    await w.page.click('[data-id="appr_c"] button[data-decision="decline"]');
    await w.page.waitForFunction(() => window.__fakeHost.posted.filter((m) => m.type === 'request').length >= 4);
    assert.deepEqual((await w.requests('decideApproval')).map((r) => r.params), [
      { approvalId: 'appr_a', decision: 'accept' },
      { approvalId: 'appr_b', decision: 'accept', scope: 'session' },
      { approvalId: 'appr_c', decision: 'decline' },
    ]);
    assert.deepEqual((await w.requests('openDiff'))[0].params, { approvalId: 'appr_c', path: '/work/project/src/clock.ts' });
    assert.equal((await w.requests('decideApproval')).length, 3, 'no second decision while one is on its way');

    await w.post(f.events(
      f.bridgeEvent(14, 'approval_resolved', { approvalId: 'appr_a', status: 'resolved', decision: 'accept', resolvedBy: 'test:alice' }),
      f.bridgeEvent(15, 'approval_resolved', { approvalId: 'appr_b', status: 'resolved', decision: 'decline', resolvedBy: 'http:cli' }),
    ));
    await w.settle();
    assert.match(await text('[data-id="appr_a"]'), /Accepted by test:alice/);
    assert.match(await text('[data-id="appr_b"]'), /Declined by http:cli/);
    await w.page.waitForSelector('[data-id="appr_a"]', { state: 'detached', timeout: 6000 });
    await w.page.waitForSelector('[data-id="appr_b"]', { state: 'detached', timeout: 1000 });
    assert.equal(await count('.approval-card'), 1);
    // Focus stayed on the button the user pressed (not dropped to the page) ...
    assert.equal(await w.page.evaluate(() => document.activeElement?.closest('[data-id]')?.dataset.id), 'appr_c');
    // ... and when that card is resolved, it returns to the composer.
    await w.post(f.events(f.bridgeEvent(16, 'approval_resolved', { approvalId: 'appr_c', status: 'expired', decision: null, resolvedBy: null, reason: 'turn_completed' })));
    await w.settle();
    assert.match(await text('[data-id="appr_c"]'), /Approval expired \(turn completed\)/);
    assert.equal(await w.page.evaluate(() => document.activeElement?.className), 'composer-input');
  });

  it('shows user-input and tool-call requests as cards (no decision buttons here) until they are resolved', async () => {
    await w.post(f.state({ transcript: [], lastSeq: 1 }));
    await w.post(f.events(
      f.bridgeEvent(2, 'tool_user_input_requested', { requestId: 'req_1', method: 'item/tool/requestUserInput', summary: 'Pick one', questions: [{ id: 'choice', question: 'Pick one' }], details: {} }),
      f.bridgeEvent(3, 'tool_call_requested', { requestId: 'req_2', method: 'item/tool/call', tool: 'lookup_weather', arguments: { city: 'Paris' }, summary: 'Tool call: lookup_weather', details: {} }),
    ));
    await w.settle();
    assert.match(await text('[data-id="req_1"]'), /Codex asks[\s\S]*Pick one/i);
    assert.match(await text('[data-id="req_2"]'), /Tool call: lookup_weather/);
    assert.equal(await count('.approval-card button[data-decision]'), 0);
    await w.post(f.events(f.bridgeEvent(4, 'tool_user_input_resolved', { requestId: 'req_1', status: 'resolved', resolvedBy: 'python' })));
    await w.page.waitForSelector('[data-id="req_1"]', { state: 'detached', timeout: 6000 });
    assert.equal(await count('.approval-card'), 1);
  });

  it('composer: Enter sends, Shift+Enter adds a line, Escape interrupts a running turn, a failed send gives the text back', async () => {
    await w.post(f.state({ transcript: [], lastSeq: 0 }));
    await w.page.click('.composer-input');
    await w.page.keyboard.type('line one');
    await w.page.keyboard.press('Shift+Enter');
    await w.page.keyboard.type('line two');
    await w.page.keyboard.press('Enter');
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((m) => m.request?.method === 'sendMessage'));
    assert.deepEqual((await w.requests('sendMessage'))[0].params, { text: 'line one\nline two' });
    assert.equal(await w.page.inputValue('.composer-input'), '');
    await w.page.keyboard.press('Enter'); // empty: nothing sent
    await w.settle();
    assert.equal((await w.requests('sendMessage')).length, 1);

    await w.post(f.events(f.notification(1, 'turn/started', { turn: { id: 't1', status: 'inProgress', items: [] } })));
    await w.settle();
    assert.equal(await w.page.isVisible('button[aria-label^="Stop"]'), true);
    await w.page.keyboard.press('Escape');
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((m) => m.request?.method === 'interrupt'));
    await w.post(f.events(f.notification(2, 'turn/completed', { turn: { id: 't1', status: 'interrupted', items: [] } })));
    await w.settle();
    assert.equal(await w.page.isVisible('button[aria-label^="Send"]'), true);

    await w.page.evaluate(() => { window.__fakeHost.mode = 'fail'; });
    await w.page.keyboard.type('please keep me');
    await w.page.keyboard.press('Enter');
    await w.page.waitForSelector('.error-banner:not([hidden])');
    assert.match(await text('.error-banner'), /sendMessage failed/);
    assert.equal(await w.page.inputValue('.composer-input'), 'please keep me');
    // The draft is kept in VS Code's view state (survives the view being hidden).
    await w.page.waitForFunction(() => window.__fakeHost.state?.draft === 'please keep me');
  });

  it('command and file-change rows: status, exit code, collapsible output, Show diff posts openItemDiff', async () => {
    const diff = '@@ -1,2 +1,2 @@\n-old\n+new\n';
    await w.post(f.state({
      transcript: [
        f.entry(f.command('npm test', { id: 'cmd', output: 'FAIL src/a.test.ts\n1 failed\n', exitCode: 1 })),
        f.entry(f.fileChange([f.change('/w/src/a.ts', diff)], { id: 'fc' })),
      ],
      lastSeq: 1,
    }));
    await w.settle();
    const toggle = '[data-item-id="cmd"] button.toggle';
    assert.equal(await w.page.getAttribute(toggle, 'aria-expanded'), 'false');
    assert.equal(await w.page.isVisible('[data-item-id="cmd"] .output'), false);
    await w.page.focus(toggle);
    await w.page.keyboard.press('Enter');
    await w.settle();
    assert.equal(await w.page.getAttribute(toggle, 'aria-expanded'), 'true');
    assert.match(await text('[data-item-id="cmd"] .output'), /1 failed/);
    assert.match(await text('[data-item-id="cmd"] .card-head'), /exit 1/);
    assert.equal(await count('[data-item-id="cmd"] .codicon-error'), 1);
    // Output streams into a running command.
    await w.post(f.events(
      f.notification(2, 'item/started', { turnId: 't2', item: f.command('make', { id: 'run', status: 'inProgress', exitCode: null, output: '' }) }),
      f.notification(3, 'item/commandExecution/outputDelta', { turnId: 't2', itemId: 'run', delta: 'compiling…\n' }),
    ));
    await w.settle();
    assert.equal(await count('[data-item-id="run"] .codicon-loading'), 1);
    await w.page.click('[data-item-id="run"] button.toggle');
    await w.post(f.events(f.notification(4, 'item/commandExecution/outputDelta', { turnId: 't2', itemId: 'run', delta: 'linked\n' })));
    await w.settle();
    assert.equal(await w.page.textContent('[data-item-id="run"] .output'), 'compiling…\nlinked\n');

    assert.match(await text('[data-item-id="fc"]'), /a\.ts[\s\S]*\+1[\s\S]*−1/);
    await w.page.click('[data-item-id="fc"] button[aria-label^="Show diff"]');
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((m) => m.request?.method === 'openItemDiff'));
    assert.deepEqual((await w.requests('openItemDiff'))[0].params, { itemId: 'fc', path: '/w/src/a.ts', diff });
  });

  it('virtualizes a 10,000-item transcript: bounded DOM, any row reachable, no auto-scroll while reading', async () => {
    // The message is handed to the page first, so the timing covers the webview, not CDP.
    await w.page.evaluate((m) => { window.__state = m; }, f.state({ transcript: f.longTranscript(10_000), lastSeq: 1 }));
    const elapsed = await w.page.evaluate(() => new Promise((resolve) => {
      const t0 = performance.now();
      window.postMessage(window.__state, '*');
      setTimeout(() => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)), 0);
    }));
    // The budget is 300 ms (bench/webview-bench.mjs measures it); this is a loose guard for shared CI machines.
    assert.ok(elapsed < 1500, `opened in ${Math.round(elapsed)} ms`);
    await w.settle();
    const rows = await count('.rows > article');
    assert.ok(rows > 3 && rows < 60, `${rows} rows in the DOM`);
    const nodes = await w.page.evaluate(() => document.getElementsByTagName('*').length);
    assert.ok(nodes < 3000, `${nodes} DOM nodes`);
    assert.equal(await count('.rows > article[aria-posinset="10000"]'), 1, 'starts at the bottom');

    await w.page.$eval('.transcript', (el) => { el.scrollTop = 0; });
    await w.settle();
    assert.equal(await count('.rows > article[aria-posinset="1"]'), 1);
    await w.page.$eval('.transcript', (el) => { el.scrollTop = el.scrollHeight / 2; });
    await w.settle();
    await w.settle();
    const middle = await w.page.$$eval('.rows > article', (els) => els.map((e) => Number(e.getAttribute('aria-posinset'))));
    assert.ok(middle.some((i) => i > 3000 && i < 7000), `rows around the middle are mounted (${middle.slice(0, 3)}…)`);

    // Reading in the middle: new output does not move the view; the jump button appears.
    const before = await w.page.$eval('.transcript', (el) => el.scrollTop);
    const firstVisible = await w.page.evaluate(() => {
      const top = document.querySelector('.transcript').getBoundingClientRect().top;
      return [...document.querySelectorAll('.rows > article')].find((a) => a.getBoundingClientRect().bottom > top + 1)?.dataset.itemId;
    });
    const topBefore = await w.page.$eval(`[data-item-id="${firstVisible}"]`, (el) => el.getBoundingClientRect().top);
    await w.post(f.events(f.notification(2, 'item/started', { turnId: 'tn', item: f.agent('new output '.repeat(40), 'late') })));
    await w.settle();
    assert.equal(await w.page.$eval('.transcript', (el) => el.scrollTop), before);
    assert.equal(await w.page.$eval(`[data-item-id="${firstVisible}"]`, (el) => el.getBoundingClientRect().top), topBefore);
    assert.equal(await w.page.isVisible('.jump-latest'), true);
    await w.page.click('.jump-latest');
    await w.settle();
    assert.equal(await count('.rows > article[aria-posinset="10001"]'), 1);

    // Keyboard: rows are a feed; arrows move between them, Escape returns to the composer.
    await w.page.focus('.rows > article[aria-posinset="10001"]');
    await w.page.keyboard.press('ArrowUp');
    assert.equal(await w.page.evaluate(() => document.activeElement?.getAttribute('aria-posinset')), '10000');
    await w.page.keyboard.press('Home');
    await w.settle();
    assert.equal(await w.page.evaluate(() => document.activeElement?.getAttribute('aria-posinset')), '1');
    await w.page.keyboard.press('Escape');
    assert.equal(await w.page.evaluate(() => document.activeElement?.className), 'composer-input');
    await w.page.keyboard.press('Alt+ArrowUp'); // from the composer into the conversation, at the newest row
    await w.settle();
    assert.equal(await w.page.evaluate(() => document.activeElement?.getAttribute('aria-posinset')), '10001');
  });

  it('shows runtime state, turn errors and the New Session request unobtrusively', async () => {
    await w.post(f.state({ transcript: [], lastSeq: 5, runtimeState: 'restarting' }));
    await w.settle();
    assert.equal(await text('.runtime-state'), 'Restarting runtime…');
    await w.post(f.events(f.bridgeEvent(6, 'runtime_state', { state: 'ready' }, null)));
    await w.settle();
    assert.equal(await w.page.isVisible('.runtime-state'), false);
    await w.post(f.events(
      f.notification(7, 'turn/started', { turn: { id: 't1', status: 'inProgress', items: [] } }),
      f.notification(8, 'error', { turnId: 't1', error: { message: 'stream disconnected' }, willRetry: true }),
    ));
    await w.settle();
    assert.match(await text('.activity'), /Reconnecting: stream disconnected/);
    await w.post(f.events(f.notification(9, 'turn/completed', { turn: { id: 't1', status: 'failed', items: [], error: { message: 'Quota exceeded' } } })));
    await w.settle();
    assert.match(await text('.row-error'), /Quota exceeded/);
    assert.equal(await w.page.isVisible('.activity'), false);
    await w.post(f.events(f.notification(10, 'thread/name/updated', { threadName: 'Renamed by the CLI' })));
    await w.settle();
    assert.equal(await text('header h1'), 'Renamed by the CLI');
    await w.page.click('header button[aria-label="New session"]');
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((m) => m.request?.method === 'newSession'));
  });

  it('takes screenshots with light and dark theme variables', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const theme of ['dark', 'light']) {
      const v = await openWebview({ server, browser, theme, viewport: { width: 440, height: 900 } });
      try {
        await v.post(f.state({ transcript: f.sampleTranscript(), approvals: [f.commandApproval('appr_1', 'npm test -- --runInBand')], lastSeq: 10, activeTurnId: 'turn_2' }));
        await v.post(f.events(
          f.notification(11, 'turn/started', { turn: { id: 'turn_2', status: 'inProgress', items: [] } }),
          f.notification(12, 'item/started', { turnId: 'turn_2', item: f.agent('', 'live') }),
          f.notification(13, 'item/agentMessage/delta', { turnId: 'turn_2', itemId: 'live', delta: 'Running the whole suite once more, **in band**, to be sure nothing else depends on the clock.' }),
        ));
        await v.settle();
        await v.page.click('.row-command:not(.failed) button.toggle');
        await v.page.$eval('.transcript', (el) => { el.scrollTop = el.scrollHeight; });
        await v.settle();
        await v.page.screenshot({ path: path.join(SHOTS, `webview-${theme}.png`) });
        assert.deepEqual(await v.violations(), []);
      } finally {
        await v.close();
      }
    }
    // The whole conversation, details open (light), and a long transcript read mid-way (dark).
    const full = await openWebview({ server, browser, theme: 'light', viewport: { width: 440, height: 1180 } });
    try {
      const diff = f.change('/work/project/src/clock.ts', '@@ -1 +1,2 @@\n-export const now = () => new Date();\n+export const now = () => new Date(clock());\n+export let clock = () => Date.now();\n');
      await full.post(f.state({ transcript: f.sampleTranscript(), approvals: [f.fileApproval('appr_2', [diff])], lastSeq: 10 }));
      await full.settle();
      await full.page.click('.row-reasoning .disclosure');
      await full.page.click('.row-command:not(.failed) button.toggle');
      await full.settle();
      await full.page.screenshot({ path: path.join(SHOTS, 'webview-conversation-light.png') });
    } finally {
      await full.close();
    }
    const long = await openWebview({ server, browser, theme: 'dark', viewport: { width: 440, height: 720 } });
    try {
      await long.post(f.state({ transcript: f.longTranscript(2000), lastSeq: 1 }));
      await long.settle();
      await long.page.$eval('.transcript', (el) => { el.scrollTop = el.scrollHeight * 0.6; });
      await long.settle();
      await long.post(f.events(f.notification(2, 'item/started', { turnId: 'tn', item: f.agent('new', 'late') })));
      await long.settle();
      await long.page.screenshot({ path: path.join(SHOTS, 'webview-long-dark.png') });
    } finally {
      await long.close();
    }
  });
});
