// The offline Codex world the extension's e2e runs use: the scripted fake model
// (test/fake-model), a CODEX_HOME pointing at it, the pinned native codex binary, and a
// scratch workspace with a.txt = "old line\n". Used by run-extension-suite.mjs and the UI
// scenarios in test/e2e/ui/.
//
//   const fixture = await startCodexFixture();
//   ... fixture.env (CODEX_HOME, OPENAI_API_KEY, CODEX_BIN), fixture.workspace ...
//   await fixture.close();
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from './tools.mjs';

const TRIPLES = { 'linux-x64': 'x86_64-unknown-linux-musl', 'linux-arm64': 'aarch64-unknown-linux-musl', 'darwin-x64': 'x86_64-apple-darwin', 'darwin-arm64': 'aarch64-apple-darwin' };

/** The pinned @openai/codex native binary (what the bridge runs in development), or CODEX_BIN. */
export function pinnedCodexBinary() {
  if (process.env.CODEX_BIN) return process.env.CODEX_BIN;
  const key = `${process.platform}-${process.arch}`;
  const bin = path.join(ROOT, 'node_modules', '@openai', `codex-${key}`, 'vendor', TRIPLES[key] ?? '?', 'bin', 'codex');
  if (!fs.existsSync(bin)) throw new Error(`pinned codex binary not found at ${bin}; run npm ci (or set CODEX_BIN)`);
  return bin;
}

/** @param {{ label?: string, files?: Record<string,string> }} [options] */
export async function startCodexFixture({ label = 'the e2e fake model', files = { 'a.txt': 'old line\n' } } = {}) {
  // The fake model is TypeScript; tsx compiles it on import (scoped to this one import).
  const { startFakeModel, writeCodexHome } = await tsImport(pathToFileURL(path.join(ROOT, 'test', 'fake-model', 'index.ts')).href, import.meta.url);
  // Inside the repo (git-ignored .tmp/), not /tmp: codex warns about a CODEX_HOME under /tmp.
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const root = fs.mkdtempSync(path.join(ROOT, '.tmp', 'e2e-codex-'));
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(workspace);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(workspace, name), content);
  const codexHome = path.join(root, 'codex-home');
  const model = await startFakeModel({ label });
  writeCodexHome(codexHome, model.baseUrl);
  return {
    root,
    workspace,
    model,
    env: { CODEX_HOME: codexHome, OPENAI_API_KEY: 'test', CODEX_BIN: pinnedCodexBinary() },
    async close() {
      await model.close();
      if (!process.env.E2E_KEEP_STATE) fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
