import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CodexManagerApi } from '../../../extension/shell';
import { extension, poll } from './support';

/** Runs last: it takes the bridge down and brings it back through the setting alone. */
describe('codexPath setting (issue 13, flaw 3)', function () {
  this.timeout(90_000);
  let api: CodexManagerApi;
  const config = () => vscode.workspace.getConfiguration('codexManager');

  before(async () => {
    api = await extension().activate();
  });

  after(async () => {
    await config().update('codexPath', undefined, vscode.ConfigurationTarget.Global);
  });

  it('restarts the bridge at once when codexPath changes, and clears the failure when it is fixed', async () => {
    const realCodex = process.env.CODEX_BIN;
    assert.ok(realCodex, 'the suite runs with CODEX_BIN set to the pinned codex');
    await config().update('codexPath', '/nonexistent/codex', vscode.ConfigurationTarget.Global);
    // No "Restart Runtime": the change alone restarts the bridge, which now cannot find codex.
    await poll('the bridge to fail on the missing binary', async () => {
      const error = await api.call('getHealth').then(() => undefined, (e: Error) => e);
      return error && /codexManager\.codexPath is "\/nonexistent\/codex"/.test(error.message);
    }, 30_000, 250);

    await config().update('codexPath', realCodex, vscode.ConfigurationTarget.Global);
    const health = await poll('the bridge to come back by itself', async () => {
      const h = await api.call<{ runtime: { state: string } }>('getHealth').catch(() => undefined);
      return h?.runtime.state === 'ready' ? h : undefined;
    }, 60_000, 250);
    assert.equal(health.runtime.state, 'ready');
  });
});
