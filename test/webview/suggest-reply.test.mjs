/* global window -- functions passed to page.evaluate run in the browser */
// The composer's "Suggest a reply" button (issue 11): it asks the host for the bridge's
// suggested next request and puts it in the message box to edit, never over a draft.
//   npx mocha test/webview/suggest-reply.test.mjs
import assert from 'node:assert/strict';
import { launchBrowser } from '../../scripts/e2e/browser.mjs';
import * as f from './fixtures.mjs';
import { ensureBuilt, openWebview, startServer } from './harness.mjs';

const NARROW = { width: 300, height: 420 };

describe('chat webview: suggest a reply', function () {
  this.timeout(60_000);
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
    await w.page.evaluate(() => { window.__fakeHost.mode = 'manual'; });
    await w.post(f.state({ transcript: [f.entry(f.user('fix the parser', 'u1'))], lastSeq: 1 }));
    await w.settle();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'passed') assert.deepEqual(w.errors, [], 'no page errors');
    await w.close();
  });

  /** Answers the newest `suggestReply` request with `result`. */
  const answer = async (result) => {
    await w.page.waitForFunction(() => window.__fakeHost.posted.some((p) => p.request?.method === 'suggestReply'));
    const id = await w.page.evaluate(() => window.__fakeHost.posted.filter((p) => p.request?.method === 'suggestReply').at(-1).id);
    await w.page.evaluate(([i, r]) => window.__fakeHost.respond(i, true, r), [id, result]);
    await w.settle();
  };

  it('fills the empty message box with the suggestion, to edit before sending', async () => {
    await w.page.click('button.suggest');
    await answer({ status: 'ok', suggestion: 'Run the parser tests again' });
    assert.equal(await w.page.inputValue('#composer-input'), 'Run the parser tests again');
    assert.equal((await w.requests('sendMessage')).length, 0, 'nothing is sent by itself');
  });

  it('never overwrites a draft, and says so when there is nothing to suggest', async () => {
    await w.page.fill('#composer-input', 'my own words');
    await w.page.click('button.suggest');
    await answer({ status: 'ok', suggestion: 'something else' });
    assert.equal(await w.page.inputValue('#composer-input'), 'my own words');

    await w.page.fill('#composer-input', '');
    await w.page.click('button.suggest');
    await answer({ status: 'no_context' });
    assert.equal(await w.page.inputValue('#composer-input'), '');
    assert.match(await w.page.innerText('#composer-hint'), /Nothing to suggest yet/);
  });
});
