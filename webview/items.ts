import { basename, dirname, formatDuration, h, icon, iconButton, textButton, uid } from './dom';
import type { MarkdownRenderer } from './markdown';
import type { FileChange, ItemModel, ItemStatus } from './model';
import { guardRow } from './safe-row';
import { MarkdownView } from './streaming-markdown';
import { revealHidden } from '../protocol/untrusted-text';
import { setUntrustedText, untrustedText } from './untrusted';
import { unwrapShellCommand } from '../protocol/shell-command';

/**
 * One transcript row per item kind. Rows are plain DOM built with the DOM API (model text
 * only ever becomes text nodes, except markdown, which goes through MarkdownRenderer).
 * Buttons carry `data-action`; the transcript view handles clicks for all rows at once.
 * What a user expands is kept in `expanded` (by item id), so it survives a row being
 * recycled by the virtualized list.
 */

export interface RowContext {
  md: MarkdownRenderer;
  expanded: Set<string>;
  /** Items with a pending approval (their command or file change has not run yet). */
  awaiting: ReadonlySet<string>;
}

export interface RowView {
  readonly el: HTMLElement;
  /**
   * Repaint from the item (called when its version changed). Returns false when part of
   * it was deferred to a later frame (streaming markdown pacing itself).
   */
  update(item: ItemModel): boolean | void;
}

/** ANSI colour and style sequences (ESC [ … m). */
const SGR = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

/** Shown for very long command output; the rest stays in the model. */
const OUTPUT_TAIL_CHARS = 32 * 1024;

/** A row for `item`; one that fails to render falls back to plain text (safe-row.ts). */
export function createRow(item: ItemModel, ctx: RowContext): RowView {
  return guardRow(item, () => createRowUnguarded(item, ctx));
}

function createRowUnguarded(item: ItemModel, ctx: RowContext): RowView {
  switch (item.kind) {
    case 'user':
      return userRow(item);
    case 'assistant':
    case 'plan':
      return messageRow(item, ctx);
    case 'reasoning':
      return reasoningRow(item, ctx);
    case 'command':
      return commandRow(item, ctx);
    case 'fileChange':
      return fileChangeRow(item, ctx);
    case 'tool':
      return toolRow(item, ctx);
    default:
      return noticeRow(item);
  }
}

/** The row shell: an article (feed item) labelled by its heading, which may be visually hidden. */
function shell(item: ItemModel, className: string): { el: HTMLElement; heading: HTMLHeadingElement } {
  const headingId = uid('row-h');
  const heading = h('h2', { id: headingId, class: 'row-title' });
  const el = h('article', { class: `row ${className}`, 'data-item-id': item.id, 'aria-labelledby': headingId, tabindex: -1 });
  return { el, heading };
}

function userRow(item: ItemModel): RowView {
  const { el, heading } = shell(item, 'row-user');
  heading.append('You');
  const body = h('div', { class: 'row-body user-text', dir: 'auto' });
  el.append(h('div', { class: 'row-header' }, icon('account'), heading), body);
  return { el, update: (it) => { setUntrustedText(body, it.text); } };
}

function messageRow(item: ItemModel, ctx: RowContext): RowView {
  const isPlan = item.kind === 'plan';
  const { el, heading } = shell(item, isPlan ? 'row-plan' : 'row-assistant');
  heading.append(isPlan ? 'Plan' : 'Codex');
  const busy = h('span', { class: 'row-busy' });
  let busyState = '';
  const view = new MarkdownView(ctx.md);
  el.append(h('div', { class: 'row-header' }, icon(isPlan ? 'checklist' : 'sparkle'), heading, busy), h('div', { class: 'row-body' }, view.el));
  return {
    el,
    update(it) {
      const streaming = it.status === 'inProgress';
      const done = streaming ? view.stream(it.text) : (view.setText(it.text), true);
      el.classList.toggle('streaming', streaming);
      el.setAttribute('aria-busy', String(streaming));
      // Touched only when it changes: a spinner rebuilt every frame would restart its animation.
      const state = streaming ? 'busy' : it.status === 'canceled' ? 'stopped' : '';
      if (state !== busyState) {
        busyState = state;
        busy.replaceChildren(...(state === 'busy' ? [icon('loading', 'codicon-modifier-spin')] : state === 'stopped' ? [h('span', { class: 'row-meta' }, 'stopped')] : []));
      }
      return done;
    },
  };
}

function reasoningRow(item: ItemModel, ctx: RowContext): RowView {
  const { el, heading } = shell(item, 'row-reasoning');
  const bodyId = uid('reasoning');
  const label = h('span', { class: 'disclosure-label' });
  const preview = h('bdi', { class: 'disclosure-preview untrusted', dir: 'auto' });
  const toggle = h('button', { type: 'button', class: 'disclosure', 'data-action': 'toggle', 'aria-controls': bodyId }, icon('chevron-right', 'chevron'), label, preview);
  heading.classList.add('visually-hidden');
  heading.append('Reasoning');
  const body = h('div', { class: 'row-body reasoning-body', id: bodyId });
  const view = new MarkdownView(ctx.md);
  body.append(view.el);
  el.append(heading, toggle, body);
  return {
    el,
    update(it) {
      const open = ctx.expanded.has(it.id);
      const streaming = it.status === 'inProgress';
      label.textContent = streaming ? 'Thinking…' : 'Thought';
      setUntrustedText(preview, open ? '' : firstLine(it.text));
      toggle.setAttribute('aria-expanded', String(open));
      toggle.setAttribute('aria-label', `${streaming ? 'Thinking' : 'Reasoning'}: ${open ? 'hide' : 'show'} details`);
      el.classList.toggle('open', open);
      body.hidden = !open;
      if (!open) return true;
      if (streaming) return view.stream(it.text);
      view.setText(it.text);
      return true;
    },
  };
}

function commandRow(item: ItemModel, ctx: RowContext): RowView {
  const { el, heading } = shell(item, 'row-command');
  heading.classList.add('visually-hidden');
  const outputId = uid('output');
  const status = h('span', { class: 'status-icon' });
  const line = h('code', { class: 'command-line untrusted verbatim', dir: 'ltr' });
  const meta = h('span', { class: 'row-meta' });
  const toggle = iconButton('chevron-right', 'Show output', { 'data-action': 'toggle', 'aria-controls': outputId, class: 'icon-button toggle' });
  const head = h('div', { class: 'card-head', 'data-action': 'toggle-head' }, status, h('span', { class: 'prompt', 'aria-hidden': 'true' }, '$'), line, meta, toggle);
  const output = h('pre', { class: 'output', id: outputId, tabindex: 0, dir: 'auto' });
  const card = h('div', { class: 'card' }, head, output);
  el.append(heading, card);
  return {
    el,
    update(it) {
      const open = ctx.expanded.has(it.id);
      const failed = it.status === 'failed' || (it.exitCode !== null && it.exitCode !== 0);
      const state: ItemStatus = failed && it.status === 'completed' ? 'failed' : it.status;
      heading.textContent = `Command ${statusWord(state)}: ${it.text}`;
      const awaiting = ctx.awaiting.has(it.id) && it.status === 'inProgress';
      status.replaceChildren(awaiting ? icon('shield', 'warn') : statusIcon(state));
      status.title = awaiting ? 'waiting for approval' : statusWord(state);
      setUntrustedText(line, unwrapShellCommand(it.text));
      line.title = revealHidden(it.detail ? `${it.text}\n(in ${it.detail})` : it.text);
      const parts: string[] = [];
      if (awaiting) parts.push('waiting for approval');
      // The collapsed line cannot show a multi-line command: say it has more.
      const commandLines = countLines(it.text);
      if (commandLines > 1) parts.push(`${commandLines} lines`);
      if (it.exitCode !== null) parts.push(`exit ${it.exitCode}`);
      else if (it.status === 'declined') parts.push('declined');
      else if (it.status === 'canceled') parts.push('stopped');
      if (it.durationMs !== null) parts.push(formatDuration(it.durationMs));
      meta.textContent = parts.join(' · ');
      toggle.setAttribute('aria-expanded', String(open));
      toggle.setAttribute('aria-label', open ? 'Hide output' : 'Show output');
      toggle.title = open ? 'Hide output' : 'Show output';
      el.classList.toggle('open', open);
      el.classList.toggle('failed', state === 'failed');
      output.hidden = !open;
      if (open) {
        const text = (it.output || (it.status === 'inProgress' ? 'Waiting for output…' : 'No output.')).replace(SGR, '');
        // Colour codes are presentation only: dropped, not shown as ⟨U+001B⟩[32m. Other escapes stay visible.
        setUntrustedText(output, text.length > OUTPUT_TAIL_CHARS ? `… (${Math.round((text.length - OUTPUT_TAIL_CHARS) / 1024)} KB earlier output not shown)\n${text.slice(-OUTPUT_TAIL_CHARS)}` : text);
        output.classList.toggle('empty', !it.output);
      }
    },
  };
}

function fileChangeRow(item: ItemModel, ctx: RowContext): RowView {
  const { el, heading } = shell(item, 'row-files');
  heading.classList.add('visually-hidden');
  const status = h('span', { class: 'status-icon' });
  const title = h('span', { class: 'card-title' });
  const totals = h('span', { class: 'row-meta diffstat' });
  const list = h('ul', { class: 'file-list' });
  // Once applied, the turn's checkpoint can be undone or reviewed from here.
  const checkpoint = h('span', { class: 'row-actions checkpoint-actions' },
    textButton('Undo turn', { class: 'link', 'data-action': 'checkpoint', 'data-checkpoint': 'undoTurn', title: 'Put back every file this turn changed' }, 'discard'),
    textButton('Restore to here', { class: 'link', 'data-action': 'checkpoint', 'data-checkpoint': 'restoreToHere', title: 'Put back every file as it was before this turn, undoing later turns too' }, 'history'),
    textButton('Review changes', { class: 'link', 'data-action': 'checkpoint', 'data-checkpoint': 'reviewChanges', title: 'Every change of this turn in one diff' }, 'diff-multiple'));
  el.append(heading, h('div', { class: 'card' }, h('div', { class: 'card-head' }, status, title, totals), list, checkpoint));
  return {
    el,
    update(it) {
      const n = it.changes.length;
      const awaiting = ctx.awaiting.has(it.id) && it.status === 'inProgress';
      const verb = awaiting ? 'Proposed edit of' : it.status === 'completed' ? 'Edited' : it.status === 'inProgress' ? 'Editing' : it.status === 'declined' ? 'Declined edit of' : it.status === 'canceled' ? 'Stopped editing' : 'Failed to edit';
      title.textContent = `${verb} ${n} file${n === 1 ? '' : 's'}`;
      heading.textContent = `File changes, ${statusWord(it.status)}: ${title.textContent}`;
      status.replaceChildren(awaiting ? icon('shield', 'warn') : statusIcon(it.status));
      status.title = awaiting ? 'waiting for approval' : statusWord(it.status);
      const added = it.changes.reduce((s, c) => s + c.added, 0);
      const removed = it.changes.reduce((s, c) => s + c.removed, 0);
      totals.replaceChildren(h('span', { class: 'added' }, `+${added}`), ' ', h('span', { class: 'removed' }, `−${removed}`));
      totals.setAttribute('aria-label', `${added} lines added, ${removed} removed`);
      list.replaceChildren(...it.changes.map((c) => fileEntry(c, 'item')));
      checkpoint.hidden = it.status !== 'completed';
    },
  };
}

/** One changed file: used by file-change rows and by approval cards. */
export function fileEntry(change: FileChange, source: 'item' | 'approval'): HTMLLIElement {
  const name = basename(change.path) || change.path;
  const kindIcon = change.kind === 'add' ? 'diff-added' : change.kind === 'delete' ? 'diff-removed' : 'diff-modified';
  const kindWord = change.kind === 'add' ? 'added' : change.kind === 'delete' ? 'deleted' : 'modified';
  const stats = h('span', { class: 'diffstat', 'aria-label': `${change.added} added, ${change.removed} removed` },
    h('span', { class: 'added' }, `+${change.added}`), ' ', h('span', { class: 'removed' }, `−${change.removed}`));
  return h('li', { class: `file file-${change.kind}` },
    h('span', { class: 'file-kind', title: kindWord }, icon(kindIcon)),
    h('button', { type: 'button', class: 'link file-name', 'data-action': 'open-file', 'data-path': change.path, title: `Open ${revealHidden(change.path)}`, 'aria-label': `${name}, ${kindWord}. Open file` }, untrustedText(name, 'verbatim')),
    // Right-to-left so a long directory is cut at its start; the verbatim <bdi dir=ltr> keeps the slashes in place.
    h('span', { class: 'file-dir', title: revealHidden(change.path) }, untrustedText(dirname(change.path), 'verbatim')),
    change.movePath ? h('span', { class: 'file-move' }, '→ ', untrustedText(basename(change.movePath), 'verbatim')) : null,
    stats,
    iconButton('diff', `Show diff of ${name}`, { 'data-action': source === 'item' ? 'open-item-diff' : 'open-diff', 'data-path': change.path }));
}

function toolRow(item: ItemModel, ctx: RowContext): RowView {
  const { el, heading } = shell(item, 'row-tool');
  heading.classList.add('visually-hidden');
  const detailsId = uid('tool');
  const status = h('span', { class: 'status-icon' });
  const name = h('bdi', { class: 'card-title untrusted', dir: 'auto' });
  const meta = h('span', { class: 'row-meta' });
  const toggle = iconButton('chevron-right', 'Show arguments and result', { 'data-action': 'toggle', 'aria-controls': detailsId, class: 'icon-button toggle' });
  const details = h('div', { class: 'tool-details', id: detailsId });
  el.append(heading, h('div', { class: 'card' }, h('div', { class: 'card-head', 'data-action': 'toggle-head' }, status, icon('tools'), name, meta, toggle), details));
  return {
    el,
    update(it) {
      const open = ctx.expanded.has(it.id);
      setUntrustedText(name, it.text);
      heading.textContent = `Tool call ${statusWord(it.status)}: ${it.text}`;
      status.replaceChildren(statusIcon(it.status));
      status.title = statusWord(it.status);
      meta.textContent = it.durationMs !== null ? formatDuration(it.durationMs) : '';
      toggle.setAttribute('aria-expanded', String(open));
      el.classList.toggle('open', open);
      details.hidden = !open;
      if (open) {
        details.replaceChildren(
          h('div', { class: 'tool-label' }, 'Arguments'), h('pre', { class: 'output', tabindex: 0 }, untrustedText(it.detail || '—')),
          h('div', { class: 'tool-label' }, 'Result'), h('pre', { class: 'output', tabindex: 0 }, untrustedText(it.output || (it.status === 'inProgress' ? 'Waiting…' : '—'))));
      }
    },
  };
}

function noticeRow(item: ItemModel): RowView {
  const isError = item.kind === 'error';
  const { el, heading } = shell(item, isError ? 'row-notice row-error' : 'row-notice');
  heading.classList.add('visually-hidden');
  heading.textContent = isError ? 'Error' : 'Note';
  const text = h('bdi', { class: 'notice-text untrusted', dir: 'auto' });
  el.append(heading, h('div', { class: 'notice' }, icon(isError ? 'error' : 'info'), text));
  return { el, update: (it) => { setUntrustedText(text, it.text); } };
}

export function statusIcon(status: ItemStatus): HTMLElement {
  switch (status) {
    case 'inProgress':
      return icon('loading', 'codicon-modifier-spin');
    case 'completed':
      return icon('check', 'ok');
    case 'failed':
      return icon('error', 'bad');
    case 'declined':
      return icon('circle-slash', 'bad');
    case 'canceled':
      return icon('circle-slash', 'muted');
  }
}

function statusWord(status: ItemStatus): string {
  return { inProgress: 'running', completed: 'succeeded', failed: 'failed', declined: 'declined', canceled: 'stopped' }[status];
}

function firstLine(text: string): string {
  const line = text.replace(/[*_`#>]/g, '').trim().split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/**
 * A height guess for an item not yet measured: close guesses keep the scrollbar honest
 * and the scroll position steady when real heights arrive.
 */
export function estimateHeight(item: ItemModel, width: number, expanded: boolean): number {
  const charsPerLine = Math.max(20, Math.floor((width - 48) / 7.2));
  // Wrapped lines, counted without allocating (this runs for every item of a 10k transcript).
  const lines = (text: string, max = Infinity): number => {
    let n = 0;
    let start = 0;
    while (start <= text.length && n < max) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      n += Math.max(1, Math.ceil((end - start) / charsPerLine));
      start = end + 1;
    }
    return Math.min(n, max);
  };
  switch (item.kind) {
    case 'user':
      return 58 + lines(item.text) * 19;
    case 'assistant':
    case 'plan': {
      let fences = 0;
      for (let at = item.text.indexOf('```'); at !== -1; at = item.text.indexOf('```', at + 3)) fences += 0.5;
      return 44 + lines(item.text) * 20 + fences * 46;
    }
    case 'reasoning':
      return expanded ? 40 + lines(item.text) * 19 : 30;
    case 'command':
      return 46 + (expanded ? 16 + lines(item.output, 400) * 16 : 0);
    case 'fileChange':
      return 52 + item.changes.length * 26;
    case 'tool':
      return expanded ? 160 : 46;
    default:
      return 34;
  }
}

function countLines(text: string): number {
  let n = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}
