#!/usr/bin/env node
// Checkpoints in the packaged extension (.vsix) in code-server, with the real codex
// app-server and the scripted fake model applying a patch without approval
// (workspace-write, approval policy never): Keep / Undo lenses on each hunk, Undo of one
// hunk, Review changes (the multi-file diff) with Undo all, and Undo turn from the chat.
// Screenshots: artifacts/screenshots/checkpoints-*.png.
//   npm run package && node test/e2e/ui/checkpoints.mjs
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

const lines = Array.from({ length: 24 }, (_, i) => `line ${i + 1}`);
const original = lines.join('\n') + '\n';
const patch = [
  'apply patch:',
  '*** Update File: b.txt',
  '@@', ' line 2', '-line 3', '+LINE THREE', ' line 4',
  '@@', ' line 11', '-line 12', '+LINE TWELVE', ' line 13',
  '@@', ' line 21', '-line 22', '+LINE TWENTY-TWO', ' line 23',
  '*** Update File: a.txt', '@@', '-old line', '+new line',
  '*** Add File: c.txt', '+created by the turn',
].join('\n');

const fixture = await startCodexFixture({ files: { 'a.txt': 'old line\n', 'b.txt': original } });
const file = (f) => fs.readFileSync(path.join(fixture.workspace, f), 'utf8');
const until = async (what, check, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
try {
  await runScenario('checkpoints', {
    extensions: [vsix],
    workspace: fixture.workspace,
    env: fixture.env,
    settings: { 'codexManager.defaultSandbox': 'workspace-write', 'codexManager.approvalPolicy': 'never' },
  }, async (ui) => {
    await ui.openViewContainer('Codex');
    let chat = await ui.webviewFrame({ containing: '#composer-input', timeout: 60_000 });
    const send = async (text) => {
      const input = chat.locator('#composer-input');
      await input.click();
      await input.fill(text);
      await input.press('Enter');
      ui.lap('sent the patch');
    };

    // 1. A turn edits b.txt in three places (and a.txt, and creates c.txt): each hunk gets Keep / Undo.
    await ui.quickOpen('b.txt');
    await send(patch);
    await until('the patch applied', () => file('b.txt').includes('LINE TWELVE'));
    await ui.codeLens('Review changes (3 of 3 hunks)');
    await ui.codeLens('Undo');
    await ui.screenshot('1-hunk-lenses');

    // 2. Undo the middle hunk only: the other two stay.
    await ui.page.locator('.monaco-editor .codelens-decoration a').filter({ hasText: /^Undo$/ }).nth(1).click();
    await until('hunk 2 undone', () => file('b.txt').includes('line 12\n'));
    if (!file('b.txt').includes('LINE THREE') || !file('b.txt').includes('LINE TWENTY-TWO')) throw new Error('undoing one hunk touched the others');
    await ui.codeLens('Review changes (2 of 3 hunks)');
    ui.lap('one hunk undone, two kept');
    // Keep the first: its lenses go, the last hunk's stay.
    await (await ui.codeLens('Keep')).click();
    await ui.codeLens('Review changes (1 of 3 hunks)');
    await ui.screenshot('2-one-hunk-undone');

    // 3. Review changes: every file of the turn in one diff, then Undo all.
    await (await ui.codeLens('Review changes (1 of 3 hunks)')).click();
    await ui.waitForNotification('the turn changed 3 file(s)');
    await ui.page.locator('.tabs-container .tab.active').filter({ hasText: /changes of the turn/ }).first().waitFor();
    await ui.screenshot('3-review-changes');
    await ui.page.locator('.notifications-toasts .monaco-button', { hasText: /^Undo all$/ }).first().click();
    await until('the turn undone', () => file('b.txt') === original && file('a.txt') === 'old line\n' && !fs.existsSync(path.join(fixture.workspace, 'c.txt')));
    ui.lap('Undo all restored every file of the turn');

    // 4. Undo turn from the chat: a second turn, undone by its button on the file-change card.
    await ui.openViewContainer('Codex');
    chat = await ui.webviewFrame({ containing: '#composer-input' });
    await send('apply patch:\n*** Update File: a.txt\n@@\n-old line\n+changed again');
    await until('the second patch applied', () => file('a.txt') === 'changed again\n');
    const undoTurn = chat.getByRole('button', { name: 'Undo turn' }).last();
    await undoTurn.waitFor({ timeout: 30_000 });
    await undoTurn.scrollIntoViewIfNeeded();
    await ui.screenshot('4-chat-undo-turn');
    await undoTurn.click();
    await until('the second turn undone', () => file('a.txt') === 'old line\n');
    await ui.waitForNotification('restored 1 file(s)');
    await ui.screenshot('5-turn-undone');

    // 5. Tool Activity: a turn that changed files offers the same actions (inline on the selected row).
    const turnRow = ui.treeItem('apply patch: *** Update File: a.t');
    await turnRow.click();
    await turnRow.locator('.action-label[aria-label="Undo Turn"]').waitFor();
    await turnRow.locator('.action-label[aria-label="Restore to Before This Turn"]').waitFor();
    await ui.screenshot('6-tool-activity-actions');
  });
} finally {
  await fixture.close();
}
