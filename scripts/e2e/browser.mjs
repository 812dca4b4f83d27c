// Headless Debian chromium driven by playwright-core, with a throwaway profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, loadPlaywright } from './tools.mjs';

// --no-sandbox: we run as root in a container. The rest keep chromium from phoning home
// (nothing but the npm registry and Debian are reachable, so every such attempt is a stall
// or an error line) and from spending the 2 cores on GPU emulation and background work.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * @param {{ viewport?: {width:number,height:number} }} [options]
 * @returns {Promise<{ context: import('playwright-core').BrowserContext,
 *   page: import('playwright-core').Page, close: () => Promise<void> }>}
 */
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const { chromium } = loadPlaywright();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-e2e-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(path.join(profile, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      // chromium writes crash dumps and caches under $HOME unless told otherwise.
      env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: path.join(profile, 'config'), XDG_CACHE_HOME: path.join(profile, 'cache') },
    });
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    async close() {
      if (closed) return;
      closed = true;
      // playwright kills the browser process tree if a graceful close does not finish.
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
