import fs from 'node:fs';
import { resolveCodexBinary } from '../../server/appserver/codex-binary';

/** codex is nowhere to be found: the message says how to fix it. */
export class CodexMissingError extends Error {}

const FIX = 'Install it with: npm install -g @openai/codex (or set codexManager.codexPath to the codex binary).';

/**
 * The codex binary the bridge will run, found the way the bridge finds it (the setting,
 * `CODEX_BIN`, the pinned dev dependency next to the extension, `codex` on PATH). Checked
 * here, before the bridge starts, because the VSIX cannot ship codex and a clear message
 * with a fix beats a bridge that fails on its first request.
 */
export function locateCodex(settingPath: string | undefined, env: NodeJS.ProcessEnv, extensionPath: string): string {
  if (settingPath) {
    if (!fs.existsSync(settingPath)) throw new CodexMissingError(`Codex Manager: codexManager.codexPath is "${settingPath}", which does not exist. ${FIX}`);
    return settingPath;
  }
  if (env.CODEX_BIN && !fs.existsSync(env.CODEX_BIN)) {
    throw new CodexMissingError(`Codex Manager: CODEX_BIN is "${env.CODEX_BIN}", which does not exist. ${FIX}`);
  }
  try {
    return resolveCodexBinary(undefined, env, extensionPath);
  } catch {
    throw new CodexMissingError(`Codex Manager needs the codex CLI and could not find it (not on PATH, no CODEX_BIN). ${FIX}`);
  }
}
