import path from 'node:path';
import { hasHiddenChars, revealHidden } from '../../protocol/untrusted-text';

/**
 * Which file a link in the chat may open. The link text comes from the model (or from a
 * runtime item the model shaped), so the path is hostile until proven otherwise: the
 * editor opens only files inside a workspace folder. Never a network share (`\\host\share`,
 * `//host/share`, `file://host/share`: on Windows merely opening one sends the user's
 * credentials to that host), never another scheme, never a path outside the workspace
 * (`/etc/passwd`, `file:///etc/passwd`, `../../.ssh/id_rsa`).
 *
 * Pure (no `vscode`, no file system) so it is unit-tested in plain Node; the caller
 * re-checks the real path after resolving symbolic links (see `isInside`).
 */

export type FileLinkDecision =
  | { ok: true; path: string }
  | { ok: false; reason: string };

export interface FileLinkContext {
  /** Workspace folder paths (file system paths). Relative links resolve against the first. */
  folders: readonly string[];
  /** `process.platform`: decides path syntax and case sensitivity. */
  platform: NodeJS.Platform;
}

const MAX_LINK_CHARS = 4096;

export function decideFileLink(link: string, ctx: FileLinkContext): FileLinkDecision {
  const p = ctx.platform === 'win32' ? path.win32 : path.posix;
  const shown = revealHidden(link.length > 200 ? `${link.slice(0, 200)}…` : link);
  const refuse = (why: string): FileLinkDecision => ({ ok: false, reason: `Codex: not opening ${shown}: ${why}` });
  const raw = link.trim();
  if (!raw) return refuse('the link is empty.');
  if (raw.length > MAX_LINK_CHARS) return refuse('the link is too long.');
  if (hasHiddenChars(raw)) return refuse('the link contains hidden characters.');

  let target = raw;
  if (/^file:/i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return refuse('it is not a valid file link.');
    }
    if (url.host && url.host.toLowerCase() !== 'localhost') return refuse('it is on another machine.');
    try {
      target = decodeURIComponent(url.pathname);
    } catch {
      return refuse('it is not a valid file link.');
    }
    // file:///C:/x → C:/x
    if (/^\/[a-z]:[\\/]/i.test(target)) target = target.slice(1);
  }
  // Network paths in every spelling: \\host\share, //host/share, \\?\UNC\..., \\.\device, and mixed slashes.
  if (/^[\\/]{2}/.test(target)) return refuse('it is a network or device path.');
  if (/^\/[a-z]:[\\/]/i.test(target)) target = target.slice(1); // the webview's scheme-less spelling of C:\x
  const drive = /^[a-z]:/i.test(target);
  if (drive && ctx.platform !== 'win32') return refuse('it is a Windows path.');
  if (drive && !/^[a-z]:[\\/]/i.test(target)) return refuse('it is a drive-relative path.');
  if (!drive && /^[a-z][a-z0-9+.-]*:/i.test(target)) return refuse('it is not a file link.');
  if (target.includes('\0')) return refuse('it is not a valid path.');

  const folders = ctx.folders.filter(Boolean);
  if (!folders.length) return refuse('no workspace folder is open.');
  const absolute = p.isAbsolute(target) ? p.normalize(target) : p.resolve(folders[0]!, target);
  if (ctx.platform === 'win32' && /^[\\/]{2}/.test(absolute)) return refuse('it is a network or device path.');
  if (!folders.some((folder) => isInside(absolute, folder, ctx.platform))) return refuse('it is outside the workspace.');
  return { ok: true, path: absolute };
}

/** Whether `file` is `folder` or below it (lexically; resolve symbolic links first for the real answer). */
export function isInside(file: string, folder: string, platform: NodeJS.Platform): boolean {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const fold = (s: string) => (platform === 'win32' || platform === 'darwin' ? s.toLowerCase() : s);
  const rel = p.relative(fold(p.resolve(folder)), fold(p.resolve(file)));
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}
