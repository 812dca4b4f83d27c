#!/usr/bin/env node
// The VSIX cannot ship codex. Installed on a machine without it (no setting, no CODEX_BIN,
// nothing on PATH), the extension says so with the fix, and the status bar shows the
// failure. Screenshot: artifacts/screenshots/codex-missing-*.png.
//   npm run package && node test/e2e/ui/codex-missing.mjs
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../scripts/e2e/tools.mjs';
import { runScenario } from '../../../scripts/e2e/ui-scenario.mjs';

const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const vsix = process.env.CODEX_MANAGER_VSIX ?? path.join(ROOT, `${name}-${version}.vsix`);
if (!fs.existsSync(vsix)) {
  console.error(`no ${path.relative(ROOT, vsix)}; run: npm run package`);
  process.exit(2);
}
// `npm run` puts node_modules/.bin (with the pinned codex launcher) on PATH: take it off.
const PATH = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !d.includes('node_modules')).join(path.delimiter);
fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
const workspace = fs.mkdtempSync(path.join(ROOT, '.tmp', 'e2e-missing-'));

try {
  await runScenario('codex-missing', { extensions: [vsix], workspace, env: { PATH, CODEX_BIN: '', CODEX_HOME: '' } }, async (ui) => {
    await ui.openViewContainer('Codex');
    await ui.waitForNotification('Codex Manager needs the codex CLI');
    await ui.page.locator('.notifications-toasts').getByText('npm install -g @openai/codex').first().waitFor();
    await ui.page.locator('.statusbar-item').filter({ hasText: 'Codex' }).locator('.codicon-error').first().waitFor();
    // The chat still paints (from what the extension knows), and says the runtime failed.
    const chat = await ui.webviewFrame({ containing: '#composer-input', timeout: 60_000 });
    await chat.locator('#composer-input').waitFor();
    await ui.screenshot('1-notification');
  });
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
