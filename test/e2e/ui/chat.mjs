#!/usr/bin/env node
// The packaged extension (.vsix, as a user installs it) in code-server, with the real codex
// app-server and the scripted fake model: a streamed answer, the chat restored after being
// hidden, a file-change approval previewed as a diff and accepted by clicking its code
// lens, the Tool Activity tree, a command approval accepted from a notification while the
// chat is hidden, the session back after a window reload, and a turn and an approval that
// live on through reloads (the shared bridge outlives the extension host). Screenshots:
// artifacts/screenshots/chat-*.png.
//   npm run package && node test/e2e/ui/chat.mjs
import fs from 'node:fs';
import path from 'node:path';
import { startCodexFixture } from '../../../scripts/e2e/codex-fixture.mjs';
import { ROOT } from '../../../scripts/e2e/tools.mjs';
import { runScenario } from '../../../scripts/e2e/ui-scenario.mjs';

const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const vsix = process.env.CODEX_MANAGER_VSIX ?? path.join(ROOT, `${name}-${version}.vsix`);
if (!fs.existsSync(vsix)) {
  console.error(`no ${path.relative(ROOT, vsix)}; run: npm run package`);
  process.exit(2);
}

const fixture = await startCodexFixture();
try {
  await runScenario('chat', {
    extensions: [vsix],
    workspace: fixture.workspace,
    env: fixture.env,
    // read-only: the patch below needs an approval, which shows up as code lenses.
    settings: { 'codexManager.defaultSandbox': 'read-only' },
  }, async (ui) => {
    await ui.openViewContainer('Codex');
    let chat = await ui.webviewFrame({ containing: '#composer-input', timeout: 60_000 });
    const send = async (text) => {
      const input = chat.locator('#composer-input');
      await input.click();
      await input.pressSequentially(text, { delay: 5 });
      await input.press('Enter');
      ui.lap(`sent "${text}"`);
    };

    // 1. A streamed answer.
    await send('hello');
    await chat.getByText(/Hello from the e2e fake model/).first().waitFor({ timeout: 60_000 });
    ui.lap('answer streamed in');
    await ui.screenshot('1-answer');

    // 2. Hidden and shown again: the webview was discarded (no retainContextWhenHidden) and
    //    gets its state back from the bridge.
    await ui.openViewContainer('Explorer');
    await ui.openViewContainer('Codex');
    chat = await ui.webviewFrame({ containing: '#composer-input' });
    await chat.getByText(/Hello from the e2e fake model/).first().waitFor();
    ui.lap('transcript restored after hide/show');

    // 3. A file change in a read-only session: an approval, shown where the code is.
    await ui.quickOpen('a.txt');
    await send('patch a.txt: old line => new line');
    const accept = await ui.codeLens('Accept');
    const showDiff = await ui.codeLens('Show diff');
    await ui.screenshot('2-approval-lenses');
    await showDiff.click();
    await ui.page.locator('.tabs-container .tab.active').filter({ hasText: 'Codex proposal' }).waitFor();
    await ui.page.locator('.monaco-diff-editor .view-lines').filter({ hasText: 'new line' }).first().waitFor();
    await ui.screenshot('3-diff');

    // 4. Accept by clicking the lens: the file changes, the lenses go away.
    await ui.page.locator('.tabs-container .tab').filter({ hasText: /^a\.txt$/ }).first().click();
    await accept.click();
    await ui.page.locator('.editor-instance .view-lines').filter({ hasText: 'new line' }).first().waitFor({ timeout: 30_000 });
    await ui.page.locator('.monaco-editor .codelens-decoration a').filter({ hasText: /Accept/ }).first().waitFor({ state: 'detached' });
    ui.lap('file changed, lenses gone');
    await chat.getByText(/Accepted by/).first().waitFor({ timeout: 30_000 });

    // 5. The Tool Activity tree shows the turn with its file change.
    await ui.treeItem('patch a.txt: old line => new line').waitFor();
    await ui.treeItem('a.txt').waitFor();
    await ui.screenshot('4-tool-activity');

    // 6. With the chat hidden, a command approval becomes a notification with its actions.
    await ui.openViewContainer('Explorer');
    await ui.runCommand('Codex: Send Message…', { opensInput: 'Send to Codex' });
    const box = ui.page.locator('.quick-input-widget input');
    await box.fill('run command: echo approved-from-toast');
    await box.press('Enter');
    const toast = ui.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'Codex wants to run: echo approved-from-toast' }).first();
    await toast.waitFor({ timeout: 30_000 });
    await ui.screenshot('5-command-notification');
    await toast.locator('.monaco-button', { hasText: /^Accept$/ }).click();
    await ui.openViewContainer('Codex');
    chat = await ui.webviewFrame({ containing: '#composer-input' });
    await chat.getByText(/approved-from-toast/).last().waitFor({ timeout: 30_000 });
    ui.lap('command approved from the notification ran');

    // 7. A window reload: a new extension host and bridge; the workspace's session comes back.
    await ui.page.reload();
    await ui.waitForWorkbench();
    await ui.openViewContainer('Codex');
    chat = await ui.webviewFrame({ containing: '#composer-input', timeout: 60_000 });
    await chat.getByText(/approved-from-toast/).last().waitFor({ timeout: 60_000 });
    await chat.getByText(/Hello from the e2e fake model/).first().waitFor();
    ui.lap('session restored after a window reload');
    await ui.screenshot('6-after-reload');

    // 8. Reloads while a turn streams and while an approval waits: the shared bridge outlives
    //    the extension host, so the turn goes on to its end and the approval stays answerable.
    const reload = async () => {
      await ui.page.reload();
      await ui.waitForWorkbench();
      await ui.openViewContainer('Codex');
      chat = await ui.webviewFrame({ containing: '#composer-input', timeout: 60_000 });
    };
    await send('slow');
    await chat.getByText(/\bs3\b/).first().waitFor({ timeout: 30_000 });
    await reload();
    await chat.getByText(/\bs200\b/).first().waitFor({ timeout: 60_000 });
    ui.lap('the turn streamed on through the reload');
    await send('run command: echo survived > survived-reload.txt');
    await chat.locator('.approval-card').filter({ hasText: 'survived-reload' }).last().waitFor({ timeout: 30_000 });
    await reload();
    const card = chat.locator('.approval-card').filter({ hasText: 'survived-reload' }).last();
    await card.waitFor({ timeout: 30_000 });
    await ui.screenshot('7-approval-after-reload');
    await card.getByRole('button', { name: 'Accept', exact: true }).click();
    const ran = path.join(fixture.workspace, 'survived-reload.txt');
    for (let i = 0; i < 300 && !fs.existsSync(ran); i++) await new Promise((r) => setTimeout(r, 100));
    if (!fs.existsSync(ran)) throw new Error('the approval accepted after the reload did not reach the runtime');
    ui.lap('approval raised before the reload accepted after it; the command ran');
  });
} finally {
  await fixture.close();
}
