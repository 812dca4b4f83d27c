// A small library for UI scenarios against a real VS Code workbench (code-server) in
// headless chromium. A scenario is a plain script, e.g. test/e2e/ui/chat.mjs:
//
//   import { runScenario } from '../../../scripts/e2e/ui-scenario.mjs';
//   await runScenario('chat', { extensions: ['codex-manager.vsix'], workspace: 'test/e2e/ws' }, async (ui) => {
//     await ui.openViewContainer('Codex');
//     await ui.webviewFrame({ containing: '#composer' }).then((f) => f.locator('#composer').fill('hi'));
//     await ui.screenshot('composer');
//   });
//
// runScenario always cleans up (browser, code-server process group, temp dirs), on failure
// keeps a screenshot and the logs under artifacts/e2e/, and sets process.exitCode.
// The extension is installed normally (not as a development extension), so the workbench
// runs without the smoke-test driver and notification toasts are visible in screenshots.
/* global document -- inside page.waitForFunction callbacks, which run in the browser */
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './code-server.mjs';
import { SCREENSHOTS_DIR, runArtifactsDir, stopwatch } from './tools.mjs';

const DEFAULT_TIMEOUT_MS = 30_000; // one UI step (playwright's per-action default)
const WORKBENCH_TIMEOUT_MS = 90_000; // first paint + extension host start, on 2 busy cores

const cssString = (s) => JSON.stringify(String(s));
const escapeRe = (s) => String(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactText = (s) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`);

export class Scenario {
  /** @internal use startScenario() */
  constructor(name, server, browser, workspace, lap) {
    this.name = name;
    this.server = server;
    this.browser = browser;
    /** @type {import('playwright-core').Page} */
    this.page = browser.page;
    this.workspace = workspace;
    this.lap = lap;
    this.browserErrors = [];
    this.page.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
    this.page.on('pageerror', (e) => this.#remember(`[pageerror] ${e.message}`));
    this.page.on('console', (m) => { if (m.type() === 'error') this.#remember(`[console.error] ${m.text()}`); });
  }

  /**
   * The pointer stays where the last click left it, and the hover tooltip of whatever is
   * under it ends up in screenshots: park it over the editor area, which shows no hover.
   */
  async #parkPointer() {
    const { width, height } = this.page.viewportSize();
    await this.page.mouse.move(Math.round(width * 0.75), Math.round(height * 0.6));
  }

  #remember(line) {
    if (this.browserErrors.length < 500) this.browserErrors.push(line);
  }

  /** Workbench rendered and the extension host's contributions are in (activity bar). */
  async waitForWorkbench({ timeout = WORKBENCH_TIMEOUT_MS } = {}) {
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    await this.page.locator('.activitybar .action-item').first().waitFor({ timeout });
    this.lap('workbench ready');
  }

  /** Show an activity-bar view container by its title (no-op when already showing). */
  async openViewContainer(label, { timeout = WORKBENCH_TIMEOUT_MS } = {}) {
    // Contributed containers appear once the extension host has scanned the extensions.
    const item = this.page.locator(`.activitybar .action-item:has(a[aria-label^=${cssString(label)}])`).first();
    await item.waitFor({ timeout });
    // Clicking the container that is already showing would hide the side bar again, so click
    // only while its title is not visible. Right after a window reload the workbench may
    // still be restoring the side bar: a click can land just after it appeared and hide it,
    // so look again and click again until the title stays visible.
    const title = this.page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRe(label), 'i') });
    const deadline = Date.now() + timeout;
    while (!(await title.isVisible())) {
      await item.click();
      await this.#parkPointer(); // before the tooltip's hover delay runs out
      try {
        await title.waitFor({ timeout: 3000 });
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
    this.lap(`view container "${label}" shown`);
  }

  /**
   * The content frame of a webview (view or panel): outer `iframe.webview.ready`, then its
   * inner `iframe#active-frame`. With several webviews open, `containing` picks the one whose
   * document has a matching element.
   * @returns {Promise<import('playwright-core').FrameLocator>}
   */
  async webviewFrame({ containing, timeout = DEFAULT_TIMEOUT_MS } = {}) {
    const outer = this.page.locator('iframe.webview.ready');
    const frameAt = (i) => outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
    const deadline = Date.now() + timeout;
    for (;;) {
      const n = await outer.count();
      for (let i = 0; i < n; i++) {
        const frame = frameAt(i);
        if (!containing) return frame;
        if (await frame.locator(containing).count().catch(() => 0)) return frame;
      }
      if (Date.now() > deadline) {
        throw new Error(`no webview${containing ? ` containing ${containing}` : ''} within ${timeout / 1000}s (${n} open)`);
      }
      await this.page.waitForTimeout(200);
    }
  }

  /** A row of a tree or list view, by its label. */
  treeItem(label) {
    return this.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: label }).first();
  }

  /** Open a workspace file through Quick Open (Ctrl+P) and wait for its editor tab. */
  async quickOpen(file) {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(file);
    await this.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: path.basename(file) }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active').filter({ hasText: path.basename(file) }).waitFor();
    await this.page.locator('.editor-instance .monaco-editor').first().waitFor();
    this.lap(`opened ${file}`);
  }

  /**
   * Run a command by its palette title (e.g. "Codex: New Chat"), through F1. With
   * `opensInput`, the command asks for text in the same quick-input widget: wait for that
   * prompt (its aria-label) instead of for the widget to close.
   */
  async runCommand(title, { opensInput } = {}) {
    const input = this.page.locator('.quick-input-widget input');
    // Right after a click in a tree the palette can open inert (focus still moving): close it
    // and open it again rather than wait out the whole timeout.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 5000 });
        await input.fill(`>${title}`, { timeout: 5000 });
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
        await this.page.keyboard.press('Escape');
        await this.page.waitForTimeout(300);
      }
    }
    // Click the row whose label is exactly the title; Enter would take the best fuzzy match.
    const row = this.page.locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactText(title) }) }).first();
    await row.click();
    if (opensInput) await this.page.locator(`.quick-input-widget input[aria-label=${cssString(opensInput)}]`).waitFor({ state: 'visible' });
    else await input.waitFor({ state: 'hidden' });
    this.lap(`ran command "${title}"`);
  }

  /** A code lens in the visible editor, by its exact title; waits until it is rendered. */
  async codeLens(text) {
    const lens = this.page.locator('.monaco-editor .codelens-decoration a').filter({ hasText: exactText(text) }).first();
    await lens.waitFor();
    return lens;
  }

  /**
   * Wait for a notification containing `text`: a toast, or the `.monaco-alert` live region,
   * which receives every notification even when toasts are hidden.
   */
  async waitForNotification(text, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
    await this.page.waitForFunction((t) => [...document.querySelectorAll(
      '.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message, .monaco-alert',
    )].some((e) => e.textContent.includes(t)), text, { timeout });
    this.lap(`notification "${text}"`);
  }

  /** Full-page PNG at artifacts/screenshots/<scenario>-<name>.png; returns its path. */
  async screenshot(name) {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const file = path.join(SCREENSHOTS_DIR, `${this.name}-${name}.png`);
    await this.#parkPointer();
    // Finish CSS transitions (toasts fade in) so the picture shows the settled state.
    await this.page.screenshot({ path: file, animations: 'disabled' });
    this.lap(`screenshot ${path.relative(process.cwd(), file)}`);
    return file;
  }

  /** Stop everything; with `failed`, first keep a screenshot, browser errors and logs. */
  async close({ failed = false } = {}) {
    let artifacts;
    if (failed) {
      artifacts = runArtifactsDir(`ui-${this.name}`);
      await this.page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => {});
      fs.writeFileSync(path.join(artifacts, 'browser-errors.log'), this.browserErrors.join('\n') + '\n');
    }
    await this.browser.close();
    await this.server.stop({ keepLogsIn: artifacts });
    if (artifacts) console.error(`[ui ${this.name}] screenshot and logs kept in ${path.relative(process.cwd(), artifacts)}`);
  }
}

/**
 * Start code-server with the given extensions installed and open the workspace in a
 * 1280x800 headless chromium. Prefer runScenario(), which also guarantees cleanup.
 * @param {string} name  used in log lines and file names
 * @param {{ extensions?: string[], workspace?: string, env?: Record<string,string>,
 *   settings?: Record<string,unknown>, viewport?: {width:number,height:number} }} [options]
 */
export async function startScenario(name, { extensions = [], workspace, env, settings, viewport } = {}) {
  const lap = stopwatch(`ui ${name}`);
  // Start both at once: they are independent and each takes about a second.
  const [server, browser] = await Promise.allSettled([
    startCodeServer({ extensions, env, settings }),
    launchBrowser({ viewport }),
  ]);
  if (server.status === 'rejected' || browser.status === 'rejected') {
    if (server.status === 'fulfilled') await server.value.stop();
    if (browser.status === 'fulfilled') await browser.value.close();
    throw server.reason ?? browser.reason;
  }
  lap(`code-server up at ${server.value.url}`);
  const scenario = new Scenario(name, server.value, browser.value, workspace && path.resolve(workspace), lap);
  try {
    await scenario.page.goto(server.value.workbenchUrl({ folder: scenario.workspace }));
  } catch (err) {
    await scenario.close({ failed: true });
    throw err;
  }
  return scenario;
}

/**
 * Run one scenario with guaranteed cleanup and an overall time limit. Resolves to the exit
 * code (also set as process.exitCode): 0 passed, 1 failed.
 * @param {string} name
 * @param {Parameters<typeof startScenario>[1] & { timeoutMs?: number }} options
 * @param {(ui: Scenario) => Promise<void>} body
 */
export async function runScenario(name, options, body) {
  const { timeoutMs = 5 * 60_000, ...startOptions } = options;
  const t0 = Date.now();
  let ui;
  let failed = false;
  let timer;
  try {
    ui = await startScenario(name, startOptions);
    await ui.waitForWorkbench();
    await Promise.race([
      body(ui),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`scenario timed out after ${timeoutMs / 1000}s`)), timeoutMs); }),
    ]);
  } catch (err) {
    failed = true;
    console.error(`[ui ${name}] FAILED: ${err.stack ?? err}`);
  } finally {
    clearTimeout(timer);
    await ui?.close({ failed }).catch((err) => console.error(`[ui ${name}] cleanup: ${err}`));
  }
  console.log(`[ui ${name}] ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  process.exitCode = failed ? 1 : (process.exitCode ?? 0);
  return failed ? 1 : 0;
}
