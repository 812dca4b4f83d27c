#!/usr/bin/env node
// UI scenario proving the harness on the fixture extension: views, webview round trip,
// code lens, command palette; three screenshots in artifacts/screenshots/fixture-*.png.
//   node test/e2e/fixture-ui.mjs        (after: bash scripts/e2e/setup.sh)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../scripts/e2e/ui-scenario.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixture-ext');

await runScenario('fixture', {
  extensions: [process.env.FIXTURE_VSIX ?? fixture], // a folder here; the real extension uses its .vsix
  workspace: path.join(fixture, 'workspace'),
}, async (ui) => {
  // Activity bar container with a webview view and a tree view.
  await ui.openViewContainer('Codex Fixture');
  await ui.treeItem('Session alpha').waitFor();
  const chat = await ui.webviewFrame({ containing: '#send' });
  await chat.locator('#send').click();
  await chat.locator('#status', { hasText: 'reply: pong for ping' }).waitFor(); // webview -> host -> webview
  await ui.waitForNotification('Webview sent ping');
  await ui.screenshot('1-views');

  // Code lenses on a .txt file; clicking one runs the extension's command.
  await ui.quickOpen('sample.txt');
  const approve = await ui.codeLens('Approve');
  await ui.codeLens('Reject');
  await ui.screenshot('2-codelens');
  await approve.click();
  await ui.waitForNotification('Change approved');

  // A command through the palette, by its full title (category: title).
  await ui.runCommand('Codex Fixture: Say Hello');
  await ui.waitForNotification('Hello from the Codex fixture');
  await ui.screenshot('3-command');

  // Proves a failing step fails the run (exit 1, failure screenshot and logs kept).
  if (process.env.FIXTURE_FAIL === '1') await ui.page.locator('#no-such-element').waitFor({ timeout: 2000 });
});
