import { hiddenWarning } from '../protocol/untrusted-text';
import { h, icon } from './dom';
import { untrustedText } from './untrusted';

/**
 * What an approval card shows of the command (or paths) it asks about. The card is the
 * user's only defence against a prompt-injected model, so:
 *  - the command is laid out verbatim: left to right in stored order, every hidden
 *    character as a visible marker, so what is displayed is what runs;
 *  - a command longer than the box shows is never silently cut: the box says how many more
 *    lines there are, and the card cannot be accepted until the user has shown them all;
 *  - a command or path with hidden characters or right-to-left letters carries a warning.
 */

/** A command up to this size is shown whole at once. */
const SHOW_LINES = 12;
const SHOW_CHARS = 1200;

export interface CommandBox {
  el: HTMLElement;
  /** False while part of the command is folded away: accepting must wait. */
  readonly complete: boolean;
  /** Called once the user has revealed the whole command. */
  onComplete(listener: () => void): void;
}

/** `hover`: the text shown on hover (the whole invocation when `command` was unwrapped from its shell). */
export function commandBox(command: string, hover?: string): CommandBox {
  const lines = command.split('\n');
  const fits = lines.length <= SHOW_LINES && command.length <= SHOW_CHARS;
  const text = h('span', { class: 'approval-command-text' });
  const pre = h('pre', { class: 'approval-command', tabindex: 0, 'aria-label': 'Command' }, h('span', { class: 'prompt', 'aria-hidden': 'true' }, '$ '), text);
  if (hover) pre.title = hover;
  const el = h('div', { class: 'approval-command-box' }, pre);
  let complete = fits;
  const listeners: Array<() => void> = [];
  const show = (shown: string) => text.replaceChildren(untrustedText(shown, 'verbatim'));
  if (fits) {
    show(command);
  } else {
    // Cut at whole lines, and within SHOW_CHARS: the hidden part is counted, never implied.
    let shown = lines.slice(0, SHOW_LINES).join('\n');
    if (shown.length > SHOW_CHARS) shown = shown.slice(0, SHOW_CHARS);
    const hiddenLines = lines.length - shown.split('\n').length;
    const hiddenChars = command.length - shown.length;
    show(shown);
    const what = hiddenLines > 0 ? `${hiddenLines} more line${hiddenLines === 1 ? '' : 's'}` : `${hiddenChars} more characters`;
    const reveal = h('button', { type: 'button', class: 'link approval-reveal' }, lines.length > 1 ? `Show all ${lines.length} lines` : 'Show the whole command');
    const note = h('p', { class: 'approval-folded', role: 'note' }, icon('warning'), h('span', {}, `${what} not shown. Show the whole command before accepting it.`), reveal);
    el.append(note);
    pre.classList.add('folded');
    reveal.addEventListener('click', () => {
      show(command);
      pre.classList.remove('folded');
      note.replaceWith(h('p', { class: 'approval-folded revealed' }, `Whole command shown: ${lines.length} lines, ${command.length} characters.`));
      complete = true;
      for (const l of listeners) l();
      pre.focus();
    });
  }
  return {
    el,
    get complete() { return complete; },
    onComplete: (listener) => { listeners.push(listener); },
  };
}

/** Warnings for a command and paths about to be approved (empty when nothing is suspicious). */
export function approvalWarnings(command: string | null, paths: readonly string[], cwd: string | null): HTMLElement | null {
  const found: string[] = [];
  if (command) {
    const w = hiddenWarning(command);
    if (w) found.push(`Command: ${w}`);
  }
  for (const p of paths) {
    const w = hiddenWarning(p);
    if (w) {
      found.push(`Path: ${w}`);
      break;
    }
  }
  if (cwd) {
    const w = hiddenWarning(cwd);
    if (w) found.push(`Working directory: ${w}`);
  }
  if (!found.length) return null;
  return h('div', { class: 'approval-warning', role: 'alert' }, icon('warning'), h('div', {}, ...found.map((f) => h('p', {}, f))));
}
