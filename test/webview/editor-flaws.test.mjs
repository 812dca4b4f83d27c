/* global window, document, getComputedStyle -- functions passed to page.evaluate run in the browser */
// Issue 13's chat-webview flaws, each reproduced here first (headless Chromium, fake host):
//   npx mocha test/webview/editor-flaws.test.mjs
import assert from 'node:assert/strict';
import { launchBrowser } from '../../scripts/e2e/browser.mjs';
import * as f from './fixtures.mjs';
import { ensureBuilt, openWebview, startServer } from './harness.mjs';

/** A narrow side bar, as a new user has it. */
const NARROW = { width: 300, height: 420 };
const LONG_COMMAND = `/bin/bash -lc 'cd /work/project && ${'npm run test -- --grep "date parsing" --reporter spec '.repeat(8)}'`;

describe('chat webview: issue 13 flaws', function () {
  this.timeout(60_000);
  this.slow(3_000);
  let server;
  let browser;
  let w;

  before(async () => {
    ensureBuilt();
    server = await startServer();
    browser = await launchBrowser({ viewport: NARROW });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    w = await openWebview({ server, browser, viewport: NARROW });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'passed') assert.deepEqual(w.errors, [], 'no page errors');
    await w.close();
  });

  const count = (selector) => w.page.locator(selector).count();
  /** Pixels between the end of the transcript and the bottom of its viewport. */
  const distanceFromBottom = () => w.page.$eval('.transcript', (el) => el.scrollHeight - el.clientHeight - el.scrollTop);

  it('1. keeps following new output after a tall approval card, and a new user message always scrolls down', async () => {
    const transcript = Array.from({ length: 12 }, (_, i) => f.entry(i % 2 ? f.agent(`answer ${i} `.repeat(30), `a${i}`) : f.user(`question ${i}`, `u${i}`)));
    await w.post(f.state({ transcript, lastSeq: 10, activeTurnId: f.TURN }));
    await w.settle();
    assert.ok(await distanceFromBottom() < 2, 'starts at the bottom');

    await w.post(f.events(f.bridgeEvent(11, 'approval', f.commandApproval('appr_tall', LONG_COMMAND, { itemId: 'c_tall' }))));
    await w.settle();
    await w.settle();
    await w.post(f.events(f.notification(12, 'item/started', { turnId: f.TURN, item: f.agent('streaming while the card is up '.repeat(20), 'a_during') })));
    await w.settle();
    await w.settle();
    assert.ok(await distanceFromBottom() < 2, `follows while the card is shown (${await distanceFromBottom()} px off)`);

    await w.post(f.events(f.bridgeEvent(13, 'approval_resolved', { approvalId: 'appr_tall', status: 'resolved', decision: 'accept', resolvedBy: 'editor' })));
    await w.page.waitForSelector('[data-id="appr_tall"]', { state: 'detached', timeout: 6000 });
    await w.settle();
    await w.post(f.events(f.notification(14, 'item/started', { turnId: f.TURN, item: f.agent('after the card '.repeat(30), 'a_after') })));
    await w.settle();
    await w.settle();
    assert.ok(await distanceFromBottom() < 2, `follows after the card left (${await distanceFromBottom()} px off)`);

    // Reading further up: streaming leaves the view alone, the user's own message does not.
    await w.page.$eval('.transcript', (el) => { el.scrollTop = 0; });
    await w.settle();
    await w.post(f.events(f.notification(15, 'item/started', { turnId: f.TURN, item: f.agent('more', 'a_more') })));
    await w.settle();
    assert.ok(await distanceFromBottom() > 100, 'no jump while reading');
    await w.post(f.events(f.notification(16, 'item/started', { turnId: 't2', item: f.user('my next question', 'u_next') })));
    await w.settle();
    await w.settle();
    assert.ok(await distanceFromBottom() < 2, `a new user message scrolls to the bottom (${await distanceFromBottom()} px off)`);
  });

  it('2. shows a turn error once, not once for the error notification and again for the failed turn', async () => {
    await w.post(f.state({ transcript: [f.entry(f.user('hi', 'u1'))], lastSeq: 1 }));
    await w.post(f.events(
      f.notification(2, 'turn/started', { turn: { id: 't1', status: 'inProgress', items: [] } }),
      f.notification(3, 'error', { turnId: 't1', error: { message: 'Quota exceeded' }, willRetry: false }),
      f.notification(4, 'turn/completed', { turn: { id: 't1', status: 'failed', items: [], error: { message: 'Quota exceeded' } } }),
    ));
    await w.settle();
    assert.equal(await count('.row-error'), 1);
    assert.match(await w.page.locator('.row-error').innerText(), /Quota exceeded/);
  });

  it('5. shows the command itself, unwrapped from the shell, wrapped, with the full text on hover', async () => {
    const wrapped = "/bin/bash -lc 'npm test -- --grep \"it'\\''s late\"'";
    await w.post(f.state({
      transcript: [f.entry(f.command(wrapped, { id: 'c1' }))],
      approvals: [f.commandApproval('appr_1', wrapped, { itemId: 'c2' })],
      lastSeq: 1,
    }));
    await w.settle();
    const line = w.page.locator('[data-item-id="c1"] .command-line');
    assert.equal(await line.innerText(), 'npm test -- --grep "it\'s late"');
    assert.match(await line.getAttribute('title'), /^\/bin\/bash -lc /, 'the full invocation on hover');
    assert.equal(await line.evaluate((el) => getComputedStyle(el).whiteSpace), 'pre-wrap', 'wrapped, not cut');
    const card = w.page.locator('[data-id="appr_1"]');
    const cardText = await card.innerText();
    assert.equal(cardText.split('/bin/bash').length - 1, 0, `the shell wrapper is not shown (${cardText})`);
    assert.equal(cardText.split('npm test').length - 1, 1, `the command is shown once (${cardText})`);
    assert.match(await card.locator('.approval-command').getAttribute('title'), /^\/bin\/bash -lc /);
  });

  it('controls bar: model, effort, approval policy and sandbox from getControls, explained on hover; a change posts setControl', async () => {
    await w.page.evaluate(() => { window.__fakeHost.mode = 'manual'; });
    await w.post(f.state({ transcript: [], lastSeq: 0 }));
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((m) => m.request?.method === 'getControls'));
    const view = {
      model: 'gpt-b', effort: null, approvalPolicy: 'on-request', sandbox: 'read-only',
      models: [{ model: 'gpt-a', displayName: 'GPT A', efforts: ['low', 'high'], defaultEffort: 'low' }, { model: 'gpt-b', displayName: 'GPT B', efforts: ['medium', 'high'], defaultEffort: 'medium' }],
      approvalPolicies: { untrusted: 'Ask before anything.', 'on-request': 'Codex decides when to ask.' },
      sandboxes: { 'read-only': 'Codex may read files.', 'workspace-write': 'Codex may change files in the workspace.' },
    };
    const answer = async (method, result) => {
      const id = await w.page.evaluate((m) => window.__fakeHost.posted.filter((p) => p.request?.method === m).at(-1).id, method);
      await w.page.evaluate(([i, r]) => window.__fakeHost.respond(i, true, r), [id, result]);
      await w.settle();
    };
    await answer('getControls', view);
    assert.equal(await w.page.inputValue('.control-model'), 'gpt-b');
    assert.deepEqual(await w.page.$$eval('.control-effort option', (os) => os.map((o) => o.value)), ['', 'medium', 'high'], 'the efforts of the chosen model');
    assert.equal(await w.page.getAttribute('.control-sandbox', 'title'), 'Codex may read files.');
    assert.equal(await w.page.getAttribute('.control-approvalPolicy', 'aria-label'), 'Approval policy');

    await w.page.selectOption('.control-sandbox', 'workspace-write');
    assert.deepEqual((await w.requests('setControl')).map((r) => r.params), [{ key: 'sandbox', value: 'workspace-write' }]);
    await answer('setControl', { ...view, sandbox: 'workspace-write' });
    assert.equal(await w.page.getAttribute('.control-sandbox', 'title'), 'Codex may change files in the workspace.');
    await w.page.selectOption('.control-effort', 'high');
    assert.deepEqual((await w.requests('setControl')).at(-1).params, { key: 'effort', value: 'high' });
    await answer('setControl', { ...view, sandbox: 'workspace-write', effort: 'high' });
    assert.equal(await w.page.inputValue('.control-effort'), 'high');
    await w.page.screenshot({ path: 'artifacts/screenshots/webview-controls-bar.png' });
  });

  it('while a turn runs: Enter steers it, Alt+Enter queues a follow-up that is sent when the turn ends', async () => {
    await w.post(f.state({ transcript: [], lastSeq: 0 }));
    await w.post(f.events(f.notification(1, 'turn/started', { turn: { id: 't1', status: 'inProgress', items: [] } })));
    await w.settle();
    await w.page.click('.composer-input');
    await w.page.keyboard.type('also check the tests');
    await w.page.keyboard.press('Enter');
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((m) => m.request?.method === 'steer'));
    assert.deepEqual((await w.requests('steer'))[0].params, { text: 'also check the tests' });
    await w.page.keyboard.type('then update the changelog');
    await w.page.keyboard.press('Alt+Enter');
    await w.settle();
    assert.match(await w.page.innerText('.composer-hint'), /1 follow-up queued/);
    assert.equal((await w.requests('sendMessage')).length, 0, 'not while the turn runs');
    await w.post(f.events(f.notification(2, 'turn/completed', { turn: { id: 't1', status: 'completed', items: [] } })));
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((m) => m.request?.method === 'sendMessage'));
    assert.deepEqual((await w.requests('sendMessage'))[0].params, { text: 'then update the changelog' });
    assert.doesNotMatch(await w.page.innerText('.composer-hint'), /queued/);
  });

  it('7. a focusComposer message from the host puts the caret in the composer', async () => {
    await w.post(f.state({ transcript: [], lastSeq: 0 }));
    await w.settle();
    await w.page.evaluate(() => { document.activeElement?.blur(); });
    assert.notEqual(await w.page.evaluate(() => document.activeElement?.className), "composer-input");
    await w.post({ type: 'focusComposer' });
    await w.settle();
    assert.equal(await w.page.evaluate(() => document.activeElement?.className), 'composer-input');
  });
});
