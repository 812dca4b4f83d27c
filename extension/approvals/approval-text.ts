import path from 'node:path';
import { hasHiddenChars, hasRtlLetters, isolatePlain } from '../../protocol/untrusted-text';
import { displayCommand } from '../activity/activity-model';

/**
 * The words of an approval on the editor's plain-text surfaces (notifications, diff
 * titles). The command and paths come from the model: hidden characters are shown as
 * ⟨U+…⟩ markers, right-to-left text is isolated, and an approval with any of them says so
 * first, so the notification cannot read as a different command from the one that runs.
 * Pure (no `vscode`): unit-tested, and used by the notifier and the diff commands.
 */

type Obj = Record<string, unknown>;

export interface ApprovalNotice {
  message: string;
  /** The first changed file of a file-change approval (for Show Diff). */
  firstPath: string | undefined;
  isFileChange: boolean;
}

const WARNING = '⚠ Hidden or right-to-left characters (shown as ⟨U+…⟩): read carefully. ';

export function approvalNotice(approval: Obj): ApprovalNotice {
  const details = (approval.details ?? {}) as Obj;
  const changes = Array.isArray(details.changes) ? (details.changes as Obj[]) : [];
  const paths = changes.map((c) => c.path).filter((p): p is string => typeof p === 'string');
  const firstPath = paths[0];
  const isFileChange = String(approval.method ?? '').includes('fileChange') || String(approval.method) === 'applyPatchApproval';
  const rawCommand = typeof details.command === 'string' ? details.command : Array.isArray(details.command) ? details.command.map(String).join(' ') : undefined;
  const command = rawCommand !== undefined ? displayCommand(rawCommand) : undefined;
  const reasonText = typeof details.reason === 'string' && details.reason.length <= 200 ? details.reason : '';
  const reason = reasonText ? ` (${isolatePlain(reasonText)})` : '';
  const suspicious = [rawCommand ?? '', ...paths, typeof details.cwd === 'string' ? details.cwd : ''].some((t) => hasHiddenChars(t) || hasRtlLetters(t));
  const body = isFileChange && firstPath ? `Codex wants to change ${paths.map((p) => isolatePlain(path.basename(p))).join(', ')}.`
    : command !== undefined ? `Codex wants to run: ${isolatePlain(command)}${reason}`
      : `Codex asks: ${isolatePlain(String(approval.summary ?? 'approve an action'))}${reason}`;
  return { message: `${suspicious ? WARNING : ''}${body}`, firstPath, isFileChange: isFileChange && firstPath !== undefined };
}

/** A diff editor's title: the file's name (revealed, isolated) and what the two sides are. */
export function diffTitle(file: string, sides: string): string {
  return `${isolatePlain(path.basename(file))} (${sides})`;
}
