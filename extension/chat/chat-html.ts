import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import * as vscode from 'vscode';

/**
 * The chat webview's document: the bundled UI (`dist/webview.js` + `.css`) under a strict
 * CSP. Scripts only with this document's nonce, styles and fonts only from the extension's
 * `dist/` (no inline styles, no remote anything), images from there or data: URIs.
 */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const nonce = randomBytes(18).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
  // A dev build without the UI bundle would otherwise be an empty panel with no hint.
  const built = fs.existsSync(vscode.Uri.joinPath(dist, 'webview.js').fsPath);
  const body = built
    ? `<div id="app"></div>\n<script nonce="${nonce}" src="${script.toString()}"></script>`
    : '<main><p>The chat UI is not built. Run <code>npm run build</code> and reload the window.</p></main>';
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language || 'en')}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style.toString()}">
<title>Codex</title>
</head>
<body>
${body}
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/[^a-zA-Z0-9-]/g, '');
}
