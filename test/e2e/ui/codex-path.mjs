#!/usr/bin/env node
// Issue 13, flaw 3, in a remote window (code-server is one): with codex missing, the
// notification's "Open Settings" opens the Remote settings at codexManager.codexPath (a
// machine setting lives there; the User tab would be empty), and entering the path there
// restarts the bridge at once: the status bar's failure clears without "Restart Runtime".
// Screenshots: artifacts/screenshots/codex-path-*.png.
//   npm run package && node test/e2e/ui/codex-path.mjs
import fs from 'node:fs';
import path from 'node:path';
import { pinnedCodexBinary, startCodexFixture } from '../../../scripts/e2e/codex-fixture.mjs';
import { ROOT } from '../../../scripts/e2e/tools.mjs';
import { runScenario } from '../../../scripts/e2e/ui-scenario.mjs';

const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const vsix = process.env.CODEX_MANAGER_VSIX ?? path.join(ROOT, `${name}-${version}.vsix`);
if (!fs.existsSync(vsix)) {
  console.error(`no ${path.relative(ROOT, vsix)}; run: npm run package`);
  process.exit(2);
}
const codex = pinnedCodexBinary();
// `npm run` puts node_modules/.bin (with the pinned codex launcher) on PATH: take it off.
const PATH = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !d.includes('node_modules')).join(path.delimiter);
const fixture = await startCodexFixture();

try {
  await runScenario('codex-path', { extensions: [vsix], workspace: fixture.workspace, env: { ...fixture.env, PATH, CODEX_BIN: '' } }, async (ui) => {
    await ui.openViewContainer('Codex');
    const toast = ui.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'Codex Manager needs the codex CLI' }).first();
    await toast.waitFor({ timeout: 60_000 });
    const failed = ui.page.locator('.statusbar-item').filter({ hasText: 'Codex' }).locator('.codicon-error').first();
    await failed.waitFor();
    await toast.locator('.monaco-button', { hasText: /^Open Settings$/ }).click();

    // The Remote tab, at the setting (not an empty User tab).
    const editor = ui.page.locator('.settings-editor');
    await editor.waitFor({ timeout: 30_000 });
    await editor.locator('.settings-tabs-widget .action-item .checked', { hasText: /Remote/ }).first().waitFor({ timeout: 15_000 });
    const row = editor.locator('.setting-item').filter({ hasText: 'Codex Path' }).first();
    await row.waitFor({ timeout: 15_000 });
    await ui.screenshot('1-remote-settings');

    // Entering the path restarts the bridge at once.
    const input = row.locator('input').first();
    await input.click();
    await input.fill(codex);
    await input.press('Tab');
    await failed.waitFor({ state: 'detached', timeout: 60_000 });
    ui.lap('the failure cleared by itself');
    const chat = await ui.webviewFrame({ containing: '#composer-input', timeout: 60_000 });
    await chat.locator('#composer-input').waitFor();
    await ui.screenshot('2-bridge-running');
  });
} finally {
  await fixture.close();
}
