/* global window, document, NodeFilter, getComputedStyle -- functions passed to page.evaluate run in the browser */
// Hostile model output against the chat webview (issue 18), in headless Chromium under the
// extension's CSP. Every payload of hostile-corpus.mjs goes, whole and streamed in awkward
// pieces, into assistant text, command output, tool results, the session title, error rows
// and the error banner; every command and path into approval cards and transcript rows.
// After each payload: nothing executed, no CSP violation, no page error, no forbidden
// element or forged control, and a new message and a new approval card still render.
// Approval cards: the command as laid out on screen (read back in visual order from the
// glyph positions) equals the command that runs, hidden characters as ⟨U+…⟩ markers.
//   npx mocha test/webview/hostile.test.mjs
import assert from 'node:assert/strict';
import { launchBrowser } from '../../scripts/e2e/browser.mjs';
import * as f from './fixtures.mjs';
import { ensureBuilt, openWebview, startServer } from './harness.mjs';
import { COMMANDS, PATHS, TEXT } from './hostile-corpus.mjs';

/**
 * The test's own oracle of what must be visible (independent of protocol/untrusted-text.ts):
 * bidi controls, zero-width and invisible characters, and control characters other than
 * tab and line feed are shown as ⟨U+XXXX⟩.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const MUST_SHOW = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u{E0000}-\u{E007F}\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu;
const expectedDisplay = (text) => text.replace(/\r\n/g, '\n').replace(MUST_SHOW, (ch) => `⟨U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);

/** Splits `text` into pieces of awkward sizes (1 byte, odd sizes, mid-tag, mid-surrogate avoided), at most ~120 pieces. */
function awkwardPieces(text) {
  const sizes = [1, 2, 7, 3, 64, 5, 1000, 11];
  const min = Math.ceil(text.length / 120);
  const out = [];
  for (let at = 0, i = 0; at < text.length; i++) {
    let size = Math.max(sizes[i % sizes.length], min);
    const code = text.charCodeAt(at + size - 1);
    if (code >= 0xd800 && code <= 0xdbff) size += 1; // keep surrogate pairs whole
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

describe('hostile model output (headless Chromium)', function () {
  this.timeout(900_000);
  this.slow(60_000);
  let server;
  let browser;
  let w;
  let seq = 0;
  /** Every state and event gets a fresh, higher sequence number (the webview drops older ones). */
  let lastSeq = 0;
  const nextSeq = () => ++lastSeq;
  const frames = [];

  before(async () => {
    ensureBuilt();
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: 420, height: 720 } });
    w = await openWebview({ server, browser });
    await w.page.evaluate(() => {
      window.__longTasks = [];
      window.__slowFrames = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: false });
      new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'codex:slow-frame') window.__slowFrames.push(e.duration); }).observe({ type: 'measure', buffered: false });
    });
  });
  after(async () => {
    if (frames.length) {
      const worst = [...frames].sort((a, b) => b.longTask - a.longTask).slice(0, 8);
      console.log('      slowest payloads (longest main-thread task / longest app frame, ms):');
      for (const r of worst) console.log(`        ${r.name.padEnd(48)} ${String(Math.round(r.longTask)).padStart(6)} / ${String(Math.round(r.frame)).padStart(6)}`);
    }
    await w?.close();
    await browser?.close();
    await server?.close();
  });

  const count = (selector) => w.page.locator(selector).count();

  /** Resets the timing probes; returns a function that reads them. */
  async function timing() {
    await w.page.evaluate(() => { window.__longTasks.length = 0; window.__slowFrames.length = 0; });
    return async () => w.page.evaluate(() => ({ longTask: Math.max(0, ...window.__longTasks), frame: Math.max(0, ...window.__slowFrames) }));
  }

  /** The invariants after every payload; then a new message and a new approval still render. */
  async function checkStillWorks(label) {
    await w.settle();
    assert.equal(await w.page.evaluate(() => window.__pwned), undefined, `${label}: nothing executed`);
    assert.deepEqual(await w.violations(), [], `${label}: no CSP violations`);
    const errors = w.errors.splice(0);
    assert.deepEqual(errors, [], `${label}: no page errors`);
    assert.equal(w.page.url().startsWith(server.url), true, `${label}: the frame did not navigate`);
    for (const tag of ['script', 'iframe', 'img', 'style', 'form', 'input[type=submit]', 'meta', 'base', 'svg', 'math', 'object', 'embed']) {
      assert.equal(await count(`.rows ${tag}, header ${tag}, .status-area ${tag}`), 0, `${label}: no <${tag}> in the chat`);
    }
    assert.equal(await count('.rows [style*="fixed"], .rows [onerror], .rows [onload], .rows a[target]'), 0, `${label}: no forged styles, handlers, targets`);
    assert.equal(await count('.rows button:not([data-action]):not([data-code-action])'), 0, `${label}: every button in the transcript is ours`);
    assert.equal(await count('.rows .approval-card, .rows [data-decision]'), 0, `${label}: no forged approval controls`);
    assert.equal(await count('.rows a[href^="javascript" i], .rows a[href^="data" i], .rows a[href^="command" i], .rows a[href^="vscode" i], .rows a[href^="//"], .rows a[href^="\\\\\\\\"]'), 0, `${label}: no unsafe link`);
    const n = ++seq;
    await w.post(f.events(
      f.notification(nextSeq(), 'item/started', { turnId: 'tc', item: f.agent('', `canary-${n}`) }),
      f.notification(nextSeq(), 'item/completed', { turnId: 'tc', item: f.agent(`canary **${n}**`, `canary-${n}`) }),
      f.bridgeEvent(nextSeq(), 'approval', f.commandApproval(`appr-canary-${n}`, `echo canary ${n}`, { itemId: `ci-${n}` })),
    ));
    // Scrolled to the end (as a user would; the list follows new output only while at the bottom).
    await w.page.waitForFunction((id) => {
      const t = document.querySelector('.transcript');
      t.scrollTop = t.scrollHeight;
      return document.querySelector(`[data-item-id="${id}"] strong`)?.textContent === id.slice(7);
    }, `canary-${n}`, { timeout: 20_000, polling: 100 });
    await w.page.waitForSelector(`.approval-card[data-id="appr-canary-${n}"] button[data-decision="accept"]:not([disabled])`, { timeout: 20_000 });
    assert.equal(await w.page.textContent(`.approval-card[data-id="appr-canary-${n}"] .approval-command-text`), `echo canary ${n}`);
  }

  /** Reads an element's text back in the order its glyphs are laid out on screen (lines top to bottom, glyphs left to right). */
  const visualText = (selector) => w.page.evaluate((sel) => {
    const root = document.querySelector(sel);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const glyphs = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const s = node.nodeValue;
      for (let i = 0; i < s.length;) {
        const len = s.codePointAt(i) > 0xffff ? 2 : 1;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + len);
        const rect = range.getClientRects()[0];
        if (rect && rect.width > 0 && !/\s/.test(s[i])) glyphs.push({ ch: s.slice(i, i + len), x: rect.left + rect.width / 2, top: rect.top, bottom: rect.bottom });
        i += len;
      }
    }
    glyphs.sort((a, b) => a.top - b.top);
    const lines = [];
    for (const g of glyphs) {
      const line = lines.at(-1);
      if (line && g.top < line.bottom - 2) {
        line.glyphs.push(g);
        line.bottom = Math.max(line.bottom, g.bottom);
      } else lines.push({ bottom: g.bottom, glyphs: [g] });
    }
    return lines.map((l) => l.glyphs.sort((a, b) => a.x - b.x).map((g) => g.ch).join('')).join('');
  }, selector);

  for (const payload of TEXT) {
    it(`whole: ${payload.name}`, async () => {
      const read = await timing();
      const text = payload.text;
      const failing = f.entry(f.command('npm test', { output: text, exitCode: 1, id: 'cmd-out' }));
      await w.post(f.state({
        title: text.slice(0, 2000),
        transcript: [
          f.entry(f.user(text, 'u-hostile')),
          f.entry(f.agent(text, 'a-hostile')),
          failing,
          f.entry(f.tool('lookup', { q: text.slice(0, 5000) }, { id: 't-hostile' })),
          f.entry(f.reasoning([text.slice(0, 20_000)], 'r-hostile')),
        ],
        approvals: [f.commandApproval('appr-first', 'npm test', { itemId: 'c-first' })],
        lastSeq: nextSeq(),
      }));
      await w.settle();
      // Open the command output and the tool result: they render the payload too.
      await w.page.$eval('[data-item-id="cmd-out"] .toggle', (b) => b.click());
      await w.page.$eval('[data-item-id="t-hostile"] .toggle', (b) => b.click()).catch(() => undefined);
      // An error row from the runtime, and the error banner from a failed request.
      await w.post(f.events(f.notification(nextSeq(), 'error', { turnId: 'turn_1', error: { message: text.slice(0, 100_000) }, willRetry: false })));
      await w.page.evaluate(() => { window.__fakeHost.mode = 'manual'; });
      await w.page.fill('.composer textarea', 'hello');
      await w.page.press('.composer textarea', 'Enter');
      const request = (await w.posted()).filter((m) => m.type === 'request' && m.request.method === 'sendMessage').at(-1);
      await w.page.evaluate(({ id, message }) => { window.__fakeHost.respond(id, false, null, message); window.__fakeHost.mode = 'auto'; }, { id: request.id, message: text.slice(0, 100_000) });
      await w.page.waitForSelector('.error-banner:not([hidden])');
      assert.equal(await w.page.getAttribute('.rows > article', 'aria-setsize'), '6', 'every item has its row (five, and the error)');
      assert.equal(await count('.approval-card[data-id="appr-first"]'), 1, 'the approval that was already pending renders');
      await checkStillWorks(payload.name);
      await w.page.$eval('.error-banner button', (b) => b.click());
      frames.push({ name: `whole: ${payload.name}`, ...(await read()) });
    });

    it(`streamed: ${payload.name}`, async () => {
      const read = await timing();
      await w.post(f.state({ transcript: [f.entry(f.user('go', 'u-go'))], approvals: [f.commandApproval('appr-stream', 'npm test', { itemId: 'c-stream' })], lastSeq: nextSeq() }));
      const pieces = awkwardPieces(payload.text);
      const events = [
        f.notification(nextSeq(), 'turn/started', { turn: { id: 'ts', status: 'inProgress', items: [] } }),
        f.notification(nextSeq(), 'item/started', { turnId: 'ts', item: f.agent('', 's-hostile') }),
        f.notification(nextSeq(), 'item/started', { turnId: 'ts', item: f.command('npm run hostile', { status: 'inProgress', exitCode: null, id: 's-cmd' }) }),
      ];
      for (const piece of pieces) {
        events.push(f.notification(nextSeq(), 'item/agentMessage/delta', { turnId: 'ts', itemId: 's-hostile', delta: piece }));
        events.push(f.notification(nextSeq(), 'item/commandExecution/outputDelta', { turnId: 'ts', itemId: 's-cmd', delta: piece }));
      }
      // Posted in batches of 16 events, as a busy host would, with the page free to paint in between.
      for (let i = 0; i < events.length; i += 16) await w.post(f.events(...events.slice(i, i + 16)));
      await w.settle();
      // The composer stays usable while the payload streams in.
      await w.page.fill('.composer textarea', 'still typing');
      assert.equal(await w.page.inputValue('.composer textarea'), 'still typing');
      await w.page.fill('.composer textarea', '');
      await w.post(f.events(
        f.notification(nextSeq(), 'item/completed', { turnId: 'ts', item: f.agent(payload.text, 's-hostile') }),
        f.notification(nextSeq(), 'turn/completed', { turn: { id: 'ts', status: 'completed', items: [] } }),
      ));
      await w.page.waitForSelector('[data-item-id="s-hostile"][aria-busy="false"]', { timeout: 60_000 });
      assert.equal(await count('.approval-card[data-id="appr-stream"]'), 1, 'the pending approval still renders');
      await checkStillWorks(`streamed ${payload.name}`);
      frames.push({ name: `streamed: ${payload.name}`, ...(await read()) });
    });
  }

  it('approval cards show every command as it runs: visual order equals the command, hidden characters as markers, nothing cut off', async () => {
    const read = await timing();
    for (const { name, command } of COMMANDS) {
      const id = `appr-${name.replace(/\W+/g, '-')}`;
      await w.post(f.state({ transcript: [f.entry(f.command(command, { id: `row-${id}`, status: 'inProgress', exitCode: null }), { status: 'streaming' })], approvals: [f.commandApproval(id, command, { itemId: `row-${id}` })], lastSeq: nextSeq() }));
      await w.settle();
      const card = `.approval-card[data-id="${id}"]`;
      const accept = `${card} button[data-decision="accept"]`;
      if (await count(`${card} .approval-reveal`)) {
        // A folded command: the card says how much is hidden, and Accept waits until it is shown.
        assert.match(await w.page.textContent(`${card} .approval-folded`), /\d+ more (lines|characters) not shown/, name);
        assert.equal(await w.page.isDisabled(accept), true, `${name}: Accept is disabled while part of the command is hidden`);
        assert.equal(await w.page.isDisabled(`${card} button[data-decision="decline"]`), false, `${name}: Decline never waits`);
        await w.page.$eval(`${card} .approval-reveal`, (b) => b.click());
      }
      assert.equal(await w.page.isDisabled(accept), false, `${name}: Accept once the whole command is shown`);
      const expected = expectedDisplay(command);
      assert.equal(await w.page.textContent(`${card} .approval-command-text`), expected, `${name}: the text is the command with markers`);
      assert.equal(await visualText(`${card} .approval-command-text`), expected.replace(/\s+/g, ''), `${name}: the visual order is the command's order`);
      // The whole command box is on screen or reachable by scrolling the card list; nothing is clipped by a capped box.
      const clipped = await w.page.$eval(`${card} .approval-command`, (el) => el.scrollHeight - el.clientHeight > 1 || el.scrollWidth - el.clientWidth > 1);
      assert.equal(clipped, false, `${name}: the command box shows all of it`);
      const hidden = expected !== command.replace(/\r\n/g, '\n') || /[\u0590-\u08FF]/.test(command);
      assert.equal(await count(`${card} .approval-warning`), hidden ? 1 : 0, `${name}: ${hidden ? 'a warning' : 'no warning'}`);
      // The transcript row of the same command: verbatim, with the same markers.
      assert.equal(await w.page.textContent(`[data-item-id="row-${id}"] .command-line`), expected, `${name}: the transcript row`);
      await checkStillWorks(`approval ${name}`);
    }
    frames.push({ name: 'approval commands', ...(await read()) });
  });

  it('file paths with hidden characters: markers in approval cards and rows, and a warning', async () => {
    const changes = PATHS.map((p) => f.change(p, '@@ -1 +1 @@\n-a\n+b\n'));
    await w.post(f.state({ transcript: [f.entry(f.fileChange(changes, { id: 'files-row' }))], approvals: [f.fileApproval('appr-files', changes)], lastSeq: nextSeq() }));
    await w.settle();
    const card = '.approval-card[data-id="appr-files"]';
    assert.equal(await count(`${card} .approval-warning`), 1);
    const names = await w.page.$$eval(`${card} .file-name`, (els) => els.map((e) => e.textContent));
    assert.deepEqual(names, PATHS.map((p) => expectedDisplay(p.slice(p.lastIndexOf('/') + 1))));
    assert.equal(await visualText(`${card} li:first-child .file-name`), 'invoice⟨U+202E⟩gnp.js', 'invoice\u202Egnp.js never reads as invoicesj.png');
    const rowNames = await w.page.$$eval('[data-item-id="files-row"] .file-name', (els) => els.map((e) => e.textContent));
    assert.deepEqual(rowNames, names);
    await checkStillWorks('paths');
  });

  it('session titles and errors: isolated, hidden characters shown', async () => {
    const title = 'Fix \u202Etxt.exe\u202C tests';
    await w.post(f.state({ title, transcript: [], lastSeq: nextSeq() }));
    await w.settle();
    assert.equal(await w.page.textContent('header h1'), expectedDisplay(title));
    assert.equal(await w.page.getAttribute('header h1 bdi', 'dir'), 'auto');
    assert.equal(await w.page.$eval('header h1 bdi', (el) => getComputedStyle(el).unicodeBidi), 'isolate');
    await w.post(f.events(f.notification(nextSeq(), 'error', { turnId: 'turn_1', error: { message: 'failed: \u2067evil\u2069' }, willRetry: false })));
    await w.settle();
    assert.match(await w.page.textContent('.row-error .notice-text'), /failed: ⟨U\+2067⟩evil⟨U\+2069⟩/);
    await checkStillWorks('titles and errors');
  });

  it('frame budget: no app frame over 200 ms on any payload (main-thread long tasks reported)', async function () {
    // The app's own frame timing (FrameScheduler's codex:slow-frame) is the budget; main-thread
    // long tasks (including GC and the test's own page.evaluate work) are reported beside it.
    // On a shared 2-core machine one run can be slowed by other processes, so a payload over
    // the bound is measured again, alone in a fresh page, and the better of the runs counts:
    // a real regression is slow every time. Bound: 200 ms times CODEX_FRAME_SLACK (default
    // 2.5: this suite runs beside five others on 2 cores, at load averages above 20).
    const slack = Number(process.env.CODEX_FRAME_SLACK ?? 2.5);
    const bound = 200 * slack;
    const over = [];
    for (const r of frames.filter((x) => x.frame > bound)) {
      const payload = TEXT.find((p) => r.name.endsWith(`: ${p.name}`));
      let best = r.frame;
      for (let attempt = 0; attempt < 3 && payload && best > bound; attempt++) best = Math.min(best, await measureAlone(payload.text, r.name.startsWith('streamed')));
      console.log(`      re-measured ${r.name}: ${Math.round(r.frame)} ms in the run, ${Math.round(best)} ms alone`);
      if (best > bound) over.push(`${r.name}: ${Math.round(best)} ms`);
    }
    assert.deepEqual(over, [], `app frames over ${bound} ms`);
  });

  /** The longest app frame rendering `text` as one message (whole, or streamed in pieces) in a fresh page. */
  async function measureAlone(text, streamed) {
    const alone = await openWebview({ server, browser });
    try {
      await alone.page.evaluate(() => {
        window.__slowFrames = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'codex:slow-frame') window.__slowFrames.push(e.duration); }).observe({ type: 'measure' });
      });
      if (!streamed) {
        await alone.post(f.state({ transcript: [f.entry(f.agent(text, 'm'))], lastSeq: 1 }));
      } else {
        await alone.post(f.state({ transcript: [], lastSeq: 1 }));
        let n = 2;
        const events = [f.notification(n++, 'item/started', { turnId: 't', item: f.agent('', 'm') })];
        for (const piece of awkwardPieces(text)) events.push(f.notification(n++, 'item/agentMessage/delta', { turnId: 't', itemId: 'm', delta: piece }));
        events.push(f.notification(n++, 'item/completed', { turnId: 't', item: f.agent(text, 'm') }));
        for (let i = 0; i < events.length; i += 16) await alone.post(f.events(...events.slice(i, i + 16)));
      }
      await alone.settle();
      await alone.settle();
      return await alone.page.evaluate(() => Math.max(0, ...window.__slowFrames));
    } finally {
      await alone.close();
    }
  }
});
