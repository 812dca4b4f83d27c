#!/usr/bin/env node
// Issue 13 in a real workbench at a narrow side bar: the Sessions view (grouped, live,
// switching the chat), "Codex: Open Chat" putting the caret in the composer, a
// shell-wrapped command shown as the command itself, the controls bar's sandbox
// applying to the next turn, and two sessions in editor tabs at once. Screenshots: artifacts/screenshots/editor-*.png.
//   npm run package && node test/e2e/ui/editor.mjs
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
  await runScenario('editor', {
    extensions: [vsix],
    workspace: fixture.workspace,
    env: fixture.env,
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

    // 1. A first session, named after its message, shows up in the Sessions view by itself.
    await send('hello');
    await chat.getByText(/Hello from the e2e fake model/).first().waitFor({ timeout: 60_000 });
    await ui.treeItem('hello').waitFor({ timeout: 30_000 });
    ui.lap('the session is listed');

    // 2. A command approval: the card and the row show the command, not `/bin/bash -lc`.
    await send('run command: echo shown-unwrapped');
    const card = chat.locator('.approval-card').first();
    await card.waitFor({ timeout: 30_000 });
    const cardText = await card.innerText();
    if (/\/bin\/(ba)?sh/.test(cardText)) throw new Error(`the card shows the shell wrapper: ${cardText}`);
    if (!cardText.includes('echo shown-unwrapped')) throw new Error(`the card lacks the command: ${cardText}`);
    await ui.screenshot('1-command-card');
    await card.locator('button[data-decision="accept"]').click();
    await chat.locator('.command-line', { hasText: /^echo shown-unwrapped$/ }).first().waitFor({ timeout: 30_000 });

    // 3. A second session; the view lists both, and clicking the first switches the chat back.
    await ui.runCommand('Codex: New Session');
    chat = await ui.webviewFrame({ containing: '#composer-input' });
    await send('second session');
    await ui.treeItem('second session').waitFor({ timeout: 30_000 });
    await ui.screenshot('2-sessions-view');
    await ui.treeItem('hello').click();
    await chat.locator('header h1', { hasText: 'hello' }).waitFor({ timeout: 30_000 });
    await chat.getByText(/Hello from the e2e fake model/).first().waitFor({ timeout: 30_000 });
    await ui.page.waitForTimeout(500);
    ui.lap('switched sessions from the view');

    // 4. "Codex: Open Chat" from the editor: what the user types lands in the composer.
    await ui.quickOpen('a.txt');
    await ui.runCommand('Codex: Open Chat');
    chat = await ui.webviewFrame({ containing: '#composer-input' });
    await chat.locator('#composer-input:focus').waitFor({ timeout: 15_000 });
    await ui.page.keyboard.type('typed right after Open Chat');
    const typed = await chat.locator('#composer-input').inputValue();
    if (typed !== 'typed right after Open Chat') throw new Error(`the composer has "${typed}"`);
    await ui.screenshot('3-open-chat-focus');

    // 5. The controls bar: the session is read-only (the setting); switching it to
    //    workspace-write applies to the next turn, whose patch then needs no approval.
    await chat.locator('#composer-input').fill('');
    const sandbox = chat.locator('.control-sandbox');
    await chat.locator('.control-sandbox:not([disabled])').waitFor({ timeout: 30_000 });
    if ((await sandbox.inputValue()) !== 'read-only') throw new Error(`sandbox is ${await sandbox.inputValue()}`);
    await sandbox.selectOption('workspace-write');
    await chat.locator('.control-sandbox:not([disabled])').waitFor({ timeout: 30_000 });
    if ((await sandbox.inputValue()) !== 'workspace-write') throw new Error('the sandbox change did not stick');
    await send('patch a.txt: old line => new line');
    await ui.page.locator('.editor-instance .view-lines').filter({ hasText: 'new line' }).first().waitFor({ timeout: 30_000 });
    if (await chat.locator('.approval-card').count()) throw new Error('the patch asked for approval despite workspace-write');
    await ui.screenshot('4-controls-bar');

    // 6. Two sessions in editor tabs at once, both back after a window reload.
    await ui.runCommand('Codex: Open Session in Editor');
    await ui.page.locator('.tabs-container .tab').filter({ hasText: /^hello$/ }).first().waitFor({ timeout: 30_000 });
    await ui.treeItem('second session').click();
    // The chat reloads for the session it now shows; let it settle before the palette opens.
    chat = await ui.webviewFrame({ containing: '#composer-input' });
    await chat.locator('header h1', { hasText: 'second session' }).waitFor({ timeout: 30_000 });
    await ui.page.waitForTimeout(500);
    await ui.runCommand('Codex: Open Session in Editor');
    await ui.page.locator('.tabs-container .tab').filter({ hasText: /^second session$/ }).first().waitFor({ timeout: 30_000 });
    await ui.screenshot('5-session-tabs');
    // Reload through the workbench's own command: it saves the editor state (the open tabs)
    // before it reloads, where a bare page reload can lose the newest tab on a loaded machine.
    await Promise.all([ui.page.waitForEvent('load', { timeout: 60_000 }), ui.runCommand('Developer: Reload Window')]);
    await ui.waitForWorkbench();
    for (const title of ['hello', 'second session']) await ui.page.locator('.tabs-container .tab').filter({ hasText: title }).first().waitFor({ timeout: 60_000 });
    await ui.page.locator('.tabs-container .tab').filter({ hasText: 'hello' }).first().click();
    const restored = await ui.webviewFrame({ containing: '.row-user', timeout: 60_000 });
    await restored.getByText(/Hello from the e2e fake model/).first().waitFor({ timeout: 60_000 });
    ui.lap('session tabs restored after a reload');
    await ui.screenshot('6-session-tabs-restored');
  });
} finally {
  await fixture.close();
}
