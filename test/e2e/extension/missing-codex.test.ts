import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../extension/ids';
import type { CodexManagerApi } from '../../../extension/shell';
import { extension } from './support';

/** The VSIX cannot ship codex: a wrong or missing binary is explained, with the fix. */
describe('codex missing', function () {
  this.timeout(90_000);
  let api: CodexManagerApi;
  const config = () => vscode.workspace.getConfiguration('codexManager');

  before(async () => {
    api = await extension().activate();
  });

  after(async () => {
    await config().update('codexPath', undefined, vscode.ConfigurationTarget.Global);
  });

  it('says what is wrong and how to fix it, then recovers when the setting is fixed', async () => {
    const sessionId = api.activeSessionId();
    await config().update('codexPath', '/nonexistent/codex', vscode.ConfigurationTarget.Global);
    // Restart Runtime restarts the whole bridge when its settings changed.
    await vscode.commands.executeCommand(COMMANDS.restartRuntime);
    await assert.rejects(api.call('getHealth'), (e: Error) => {
      assert.match(e.message, /codexManager\.codexPath is "\/nonexistent\/codex", which does not exist/);
      assert.match(e.message, /npm install -g @openai\/codex/, 'names the fix');
      return true;
    });

    await config().update('codexPath', undefined, vscode.ConfigurationTarget.Global);
    const how = await vscode.commands.executeCommand<string>(COMMANDS.restartRuntime);
    assert.equal(how, 'bridge', 'a bridge that is down is started again');
    const health = await api.call<{ runtime: { state: string } }>('getHealth');
    assert.equal(health.runtime.state, 'ready');
    const detail = await api.call<{ session: { sessionId: string } }>('readSession', { params: { sessionId } });
    assert.equal(detail.session.sessionId, sessionId, 'the active session is still there');
  });
});
