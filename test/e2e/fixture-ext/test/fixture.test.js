// Runs inside the real extension host (code-server), with the fixture extension loaded as
// the development extension and test/e2e/fixture-ext/workspace as the open folder.
const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'codex-manager-test.e2e-fixture';

describe('fixture extension in a real extension host', () => {
  let api;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    api = await ext.activate();
  });

  it('opened the fixture workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepStrictEqual(folders.map((f) => f.name), ['workspace']);
  });

  it('registers the command and returns its value', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('codexFixture.hello'));
    assert.strictEqual(await vscode.commands.executeCommand('codexFixture.hello'), 'hello');
    assert.ok(api.events.some((e) => e.kind === 'hello'));
  });

  it('puts Approve | Reject code lenses on .txt files', async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'sample.txt');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
    assert.deepStrictEqual(lenses.map((l) => l.command.title), ['Approve', 'Reject']);
  });

  it('lists sessions in the tree view', () => {
    assert.deepStrictEqual(api.tree.getChildren().map((i) => i.label), ['Session alpha', 'Session beta']);
  });

  it('resolves the webview view when its container is shown', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.codexFixture');
    const view = await Promise.race([
      api.chat.resolved,
      new Promise((_, reject) => setTimeout(() => reject(new Error('webview view not resolved in 15s')), 15000)),
    ]);
    assert.match(view.webview.html, /Fixture chat/);
  });

  // Proves that a failure turns into a non-zero exit and that --env reaches the host:
  //   node scripts/e2e/run-extension-tests.mjs ... --env '{"FIXTURE_FAIL":"1"}'
  it('fails on purpose when FIXTURE_FAIL=1', function () {
    if (process.env.FIXTURE_FAIL !== '1') this.skip();
    assert.strictEqual('deliberate failure', 'FIXTURE_FAIL is set');
  });

  // Proves the runner's --timeout: run() never settles, the runner must still exit 1.
  it('hangs on purpose when FIXTURE_HANG=1', function () {
    if (process.env.FIXTURE_HANG !== '1') this.skip();
    this.timeout(0);
    return new Promise(() => {});
  });
});
