// Fixture extension for the e2e harness: one of each UI surface the real extension uses
// (activity-bar container, webview view, tree view, code lens, command), plain JS so it
// needs no build. It returns a small API so in-host tests can look inside.
const vscode = require('vscode');

/** Everything that happened, in order; tests assert on it. */
const events = [];

class ChatViewProvider {
  constructor() {
    this.view = undefined;
    this.resolved = new Promise((resolve) => { this.onResolved = resolve; });
  }

  resolveWebviewView(view) {
    this.view = view;
    view.webview.options = { enableScripts: true };
    view.webview.html = `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }</style>
</head><body>
  <h3 id="title">Fixture chat</h3>
  <button id="send">Send ping</button>
  <p id="status">idle</p>
  <script>
    const vscode = acquireVsCodeApi();
    const status = document.getElementById('status');
    document.getElementById('send').addEventListener('click', () => {
      status.textContent = 'sent';
      vscode.postMessage({ type: 'ping' });
    });
    window.addEventListener('message', (e) => { status.textContent = 'reply: ' + e.data.text; });
  </script>
</body></html>`;
    view.webview.onDidReceiveMessage((msg) => {
      events.push({ kind: 'webviewMessage', msg });
      vscode.window.showInformationMessage(`Webview sent ${msg.type}`);
      view.webview.postMessage({ text: `pong for ${msg.type}` });
    });
    events.push({ kind: 'webviewResolved' });
    this.onResolved(view);
  }
}

class SessionsTreeProvider {
  getTreeItem(item) { return item; }
  getChildren(parent) {
    if (parent) return [];
    const a = new vscode.TreeItem('Session alpha');
    a.id = 'alpha';
    a.description = 'running';
    const b = new vscode.TreeItem('Session beta');
    b.id = 'beta';
    b.description = 'idle';
    b.command = { command: 'codexFixture.hello', title: 'Say Hello' };
    return [a, b];
  }
}

class ApprovalLensProvider {
  provideCodeLenses(doc) {
    const top = new vscode.Range(0, 0, 0, 0);
    const arg = doc.uri.toString();
    return [
      new vscode.CodeLens(top, { title: 'Approve', command: 'codexFixture.approve', arguments: [arg] }),
      new vscode.CodeLens(top, { title: 'Reject', command: 'codexFixture.reject', arguments: [arg] }),
    ];
  }
}

function activate(context) {
  const chat = new ChatViewProvider();
  const tree = new SessionsTreeProvider();
  const decide = (kind, message) => (uri) => {
    events.push({ kind, uri });
    vscode.window.showInformationMessage(message);
  };
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('codexFixture.chat', chat),
    vscode.window.registerTreeDataProvider('codexFixture.sessions', tree),
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.txt' }, new ApprovalLensProvider()),
    vscode.commands.registerCommand('codexFixture.hello', () => {
      events.push({ kind: 'hello' });
      vscode.window.showInformationMessage('Hello from the Codex fixture');
      return 'hello';
    }),
    vscode.commands.registerCommand('codexFixture.approve', decide('approve', 'Change approved')),
    vscode.commands.registerCommand('codexFixture.reject', decide('reject', 'Change rejected')),
  );
  events.push({ kind: 'activated' });
  return { events, chat, tree };
}

function deactivate() {}

module.exports = { activate, deactivate };
