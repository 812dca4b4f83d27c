/* global window, requestAnimationFrame -- functions passed to page.evaluate run in the browser */
// Loads the built chat webview (dist/webview.js + .css) in headless Chromium the way VS Code
// does: a page under the same strict CSP as extension/chat/chat-html.ts (nonce'd scripts,
// styles and fonts from one origin, no inline styles), theme variables on <html>, and a
// fake `acquireVsCodeApi` that records what the webview posts and answers its requests.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../../scripts/e2e/browser.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.join(ROOT, 'dist');
const HERE = path.join(ROOT, 'test', 'webview');

/** Rebuilds when dist/webview.js is missing or older than any webview source. */
export function ensureBuilt() {
  const out = path.join(DIST, 'webview.js');
  const sources = [...walk(path.join(ROOT, 'webview')), path.join(ROOT, 'protocol', 'webview.ts'), path.join(ROOT, 'protocol', 'untrusted-text.ts')];
  const built = fs.existsSync(out) && fs.existsSync(path.join(DIST, 'webview.css')) ? fs.statSync(out).mtimeMs : 0;
  if (sources.some((f) => fs.statSync(f).mtimeMs > built)) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
}

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.html': 'text/html' };

/** Serves the page, dist/ and test/webview/ from 127.0.0.1 on a free port. */
export async function startServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      const origin = `http://${req.headers.host}`;
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page({ nonce, origin, theme }));
      return;
    }
    const [base, rel] = url.pathname.startsWith('/dist/') ? [DIST, url.pathname.slice(6)] : url.pathname.startsWith('/test/') ? [HERE, url.pathname.slice(6)] : [null, null];
    const file = base && path.join(base, path.normalize(decodeURIComponent(rel)));
    if (!file || !file.startsWith(base) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

function page({ nonce, origin, theme }) {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${origin}`,
    `font-src ${origin}`,
    `img-src ${origin} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/test/theme-${theme}.css">
<link rel="stylesheet" href="/dist/webview.css">
<title>Codex</title>
</head>
<body class="vscode-${theme}" data-vscode-theme-kind="vscode-${theme}">
<div id="app"></div>
<script nonce="${nonce}" src="/test/fake-host.js"></script>
<script nonce="${nonce}" src="/dist/webview.js"></script>
</body>
</html>`;
}

/**
 * A browser with the page open. `post(message)` sends a host message into the webview;
 * `posted()` returns what the webview sent; `violations()` lists CSP violations.
 */
export async function openWebview({ server, theme = 'dark', viewport = { width: 420, height: 720 }, browser } = {}) {
  const owned = !browser;
  const b = browser ?? (await launchBrowser({ viewport }));
  const page = owned ? b.page : await b.context.newPage();
  if (!owned) await page.setViewportSize(viewport);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.location()?.url ?? '')) errors.push(`${m.text()} ${m.location()?.url ?? ''}`); });
  await page.goto(`${server.url}?theme=${theme}`);
  await page.waitForFunction(() => window.__fakeHost?.posted.some((m) => m.type === 'ready'));
  return {
    page,
    errors,
    post: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    posted: () => page.evaluate(() => window.__fakeHost.posted),
    requests: (method) => page.evaluate((m) => window.__fakeHost.posted.filter((p) => p.type === 'request' && (!m || p.request.method === m)).map((p) => p.request), method),
    violations: () => page.evaluate(() => window.__fakeHost.violations),
    /** Waits until the frame after the current one has painted. */
    settle: () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))),
    close: () => (owned ? b.close() : page.close()),
  };
}
