import { h, icon } from './dom';
import type { FrameScheduler } from './frame';
import { HeightIndex } from './height-index';
import { createRow, estimateHeight, type RowContext, type RowView } from './items';
import { classifyHref, type MarkdownRenderer } from './markdown';
import type { ItemModel } from './model';
import { originalText } from './untrusted';

/** What the list asks of its owner when the user acts on a row. */
export interface TranscriptActions {
  openFile(path: string): void;
  openItemDiff(item: ItemModel, path: string): void;
  /** The checkpoint of the item's turn. */
  checkpoint(item: ItemModel, action: 'undoTurn' | 'restoreToHere' | 'reviewChanges'): void;
  code(action: 'copy' | 'insert', code: string, button: HTMLElement): void;
  /** Escape in the transcript: back to the composer. */
  leave(): void;
}

interface MountedRow {
  view: RowView;
  version: number;
  /** Last translateY written, so unchanged rows are not touched. */
  top: number;
}

/** Pixels rendered above and below the viewport, so fast scrolling rarely shows a gap. */
const OVERSCAN_PX = 600;
/** Within this distance of the end the list counts as "at the bottom" and follows new output. */
const STICK_PX = 24;

/**
 * The transcript as a virtualized feed: only rows within the viewport (plus overscan) are
 * in the DOM, positioned absolutely from a Fenwick tree of heights. Heights start as
 * estimates and are replaced by measurements when a row is mounted; the scroll position
 * is anchored to a row so measurements above the viewport never make content jump.
 * It follows new output only while the user is at the bottom. Repaints are coalesced to
 * one per frame, and only rows whose item version changed are touched.
 */
export class TranscriptView {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly jump: HTMLButtonElement;
  private readonly heights = new HeightIndex();
  private readonly rows = new Map<number, MountedRow>();
  private readonly elIndex = new WeakMap<Element, number>();
  private readonly dirty = new Set<number>();
  private readonly remeasure = new Set<number>();
  private readonly ctx: RowContext;
  private readonly rowObserver: ResizeObserver;
  private stick = true;
  private anchor = { index: 0, offset: 0 };
  /** Row that holds focus: kept mounted while scrolled away, so focus is never lost. */
  private pinned: number | null = null;
  /** Row that is the feed's tab stop (roving tabindex); defaults to the newest. */
  private tabStop: number | null = null;
  private width = 0;
  private setSize = -1;
  private ownScrollTop = -1;
  private unseen = false;
  private readonly paintTask = (): void => this.paint();

  constructor(private readonly items: readonly ItemModel[], md: MarkdownRenderer, private readonly frames: FrameScheduler, private readonly actions: TranscriptActions) {
    this.ctx = { md, expanded: new Set(), awaiting: new Set() };
    this.list = h('div', { class: 'rows', role: 'feed', 'aria-label': 'Conversation', 'aria-busy': 'false' });
    this.empty = h('div', { class: 'empty-state' },
      icon('comment-discussion', 'empty-icon'),
      h('p', { class: 'empty-title' }, 'Ask Codex to build, fix or explain something'),
      h('p', { class: 'empty-hint' }, 'Enter sends, Shift+Enter adds a line. Approvals show up above the message box.'));
    this.jump = h('button', { type: 'button', class: 'jump-latest', hidden: true, 'aria-label': 'Jump to the latest message', title: 'Jump to the latest message' }, icon('arrow-down'), h('span', {}, 'Latest'));
    this.el = h('div', { class: 'transcript', tabindex: -1 }, this.empty, this.list);
    this.rowObserver = new ResizeObserver((entries) => this.onRowsResized(entries));
    new ResizeObserver(() => this.onViewportResized()).observe(this.el);
    this.el.addEventListener('scroll', () => this.onScroll(), { passive: true });
    // Scrolling up must win over following the stream at once, not one scroll event later.
    this.el.addEventListener('wheel', (e) => {
      if (e.deltaY >= 0 || !this.stick) return;
      this.stick = false;
      this.captureAnchor(this.el.scrollTop);
    }, { passive: true });
    this.list.addEventListener('click', (e) => this.onClick(e));
    this.list.addEventListener('keydown', (e) => this.onKeydown(e));
    this.list.addEventListener('focusin', (e) => this.onFocusIn(e));
    this.list.addEventListener('focusout', (e) => this.onFocusOut(e));
    this.jump.addEventListener('click', () => this.scrollToBottom());
    // The codicon font arriving changes row heights: measure the mounted rows again.
    document.fonts?.addEventListener?.('loadingdone', () => this.remeasureMounted());
  }

  /** The floating "jump to latest" button; the owner places it over the list. */
  get jumpButton(): HTMLButtonElement {
    return this.jump;
  }

  get atBottom(): boolean {
    return this.stick;
  }

  /** The store was replaced: re-estimate everything, keep the reading position when the same rows are back. */
  reset(sameSession: boolean): void {
    const anchorId = !this.stick && sameSession ? this.items[this.anchor.index]?.id ?? null : null;
    const anchorOffset = this.anchor.offset;
    for (const [, row] of this.rows) this.rowObserver.unobserve(row.view.el);
    this.rows.clear();
    this.list.replaceChildren();
    this.dirty.clear();
    this.remeasure.clear();
    if (!sameSession) this.ctx.expanded.clear();
    this.pinned = null;
    this.tabStop = null;
    const n = this.items.length;
    const width = this.el.clientWidth || 400;
    const estimates = new Float64Array(n);
    for (let i = 0; i < n; i++) estimates[i] = this.estimate(i, width);
    this.heights.reset(estimates);
    const anchorIndex = anchorId === null ? -1 : this.items.findIndex((it) => it.id === anchorId);
    if (anchorIndex >= 0) {
      this.stick = false;
      this.anchor = { index: anchorIndex, offset: anchorOffset };
    } else {
      this.stick = true;
    }
    this.unseen = false;
    // First paint: only what is on screen, so a long transcript shows at once; the
    // overscan (rows just outside the viewport) follows in the next frame.
    this.paint(0);
    this.frames.schedule(this.paintTask);
  }

  appended(from: number): void {
    for (let i = from; i < this.items.length; i++) {
      if (i < this.heights.length) continue;
      this.heights.push(this.estimate(i, this.width || this.el.clientWidth || 400));
    }
    if (!this.stick) this.unseen = true;
    this.frames.schedule(this.paintTask);
  }

  changed(indexes: Iterable<number>): void {
    for (const i of indexes) this.dirty.add(i);
    this.frames.schedule(this.paintTask);
  }

  /** Repaint the mounted rows of these items even though the items did not change. */
  refresh(ids: ReadonlySet<string>): void {
    for (const [i, row] of this.rows) {
      const item = this.items[i];
      if (item && ids.has(item.id)) {
        row.view.update(item);
        this.remeasure.add(i);
      }
    }
    this.frames.schedule(this.paintTask);
  }

  /** Item ids that wait for an approval: their rows say so. */
  setAwaiting(ids: ReadonlySet<string>): void {
    const changed = new Set([...ids, ...this.ctx.awaiting].filter((id) => ids.has(id) !== this.ctx.awaiting.has(id)));
    this.ctx.awaiting = new Set(ids);
    if (changed.size) this.refresh(changed);
  }

  setBusy(busy: boolean): void {
    this.list.setAttribute('aria-busy', String(busy));
  }

  scrollToBottom(): void {
    this.stick = true;
    this.unseen = false;
    this.paint();
  }

  /**
   * Stay at the bottom through a layout change outside the list (an approval card above
   * the composer appearing or leaving): the viewport resizes after this, and the clamped
   * scroll it causes must not read as the user scrolling away.
   */
  keepFollowing(): void {
    this.stick = true;
    this.unseen = false;
    this.ownScrollTop = -1;
    this.frames.schedule(this.paintTask);
  }

  /** Moves focus to a row (mounting it first when it is outside the window). */
  focusIndex(index: number): void {
    const n = this.items.length;
    if (n === 0) return;
    const i = Math.max(0, Math.min(n - 1, index));
    const vh = this.el.clientHeight;
    const top = this.heights.offset(i);
    const height = this.heights.get(i);
    const scrollTop = this.el.scrollTop;
    if (top < scrollTop || height > vh) {
      this.stick = false;
      this.anchor = { index: i, offset: 0 };
    } else if (top + height > scrollTop + vh) {
      this.stick = i === n - 1;
      this.anchor = { index: i, offset: height - vh };
    }
    this.pinned = i;
    this.tabStop = i;
    this.paint();
    this.rows.get(i)?.view.el.focus({ preventScroll: true });
  }

  /** Focuses the newest row (entry point from the composer). */
  focusLatest(): void {
    this.focusIndex(this.items.length - 1);
  }

  private estimate(i: number, width: number): number {
    const item = this.items[i]!;
    return estimateHeight(item, width, this.ctx.expanded.has(item.id));
  }

  private remeasureMounted(): void {
    for (const i of this.rows.keys()) this.remeasure.add(i);
    this.frames.schedule(this.paintTask);
  }

  /** The scroll offset the current mode asks for. */
  private targetScrollTop(viewport: number): number {
    const max = Math.max(0, this.heights.total() - viewport);
    if (this.stick) return max;
    return Math.max(0, Math.min(max, this.heights.offset(this.anchor.index) + this.anchor.offset));
  }

  private paint(overscan = OVERSCAN_PX): void {
    const n = this.items.length;
    this.empty.hidden = n > 0;
    // A new width re-measures what is mounted; rows measured at the old width keep that
    // height as their estimate until they are mounted again (the anchor absorbs the error).
    const width = this.el.clientWidth;
    if (width !== this.width && width > 0) {
      this.width = width;
      for (const i of this.rows.keys()) this.remeasure.add(i);
    }
    // Rows whose item changed: repaint the mounted ones, re-estimate the others.
    const deferred: number[] = [];
    for (const i of this.dirty) {
      const item = this.items[i];
      if (!item) continue;
      const row = this.rows.get(i);
      if (row) {
        if (row.version !== item.version) {
          if (row.view.update(item) === false) deferred.push(i); // paced: stays stale, asks again next frame
          else row.version = item.version;
          this.remeasure.add(i);
        }
      } else if (i < this.heights.length) {
        this.heights.set(i, this.estimate(i, this.width));
      }
    }
    this.dirty.clear();
    if (deferred.length) {
      for (const i of deferred) this.dirty.add(i);
      this.frames.schedule(this.paintTask);
    }

    const viewport = this.el.clientHeight;
    for (let pass = 0; pass < 4; pass++) {
      const top = this.targetScrollTop(viewport);
      const first = n ? this.heights.indexAt(Math.max(0, top - overscan)) : 0;
      const last = n ? this.heights.indexAt(top + viewport + overscan) : -1;
      for (const [i, row] of this.rows) {
        if ((i < first || i > last || i >= n) && i !== this.pinned) {
          this.rowObserver.unobserve(row.view.el);
          row.view.el.remove();
          this.rows.delete(i);
        }
      }
      const mounted: number[] = [];
      for (let i = first; i <= last; i++) {
        if (this.rows.has(i)) continue;
        this.mount(i);
        mounted.push(i);
      }
      // Read every new or changed height in one layout pass.
      let changed = false;
      for (const i of [...mounted, ...this.remeasure]) {
        const row = this.rows.get(i);
        if (!row) continue;
        if (this.heights.set(i, row.view.el.offsetHeight)) changed = true;
      }
      this.remeasure.clear();
      if (!changed) break; // heights are as assumed: the range computed above stands
    }
    this.layout();
  }

  /** Writes positions, the list height and the scroll offset from the current heights. */
  private layout(): void {
    const n = this.items.length;
    const total = this.heights.total();
    this.list.style.height = `${total}px`;
    const sizeChanged = this.setSize !== n;
    this.setSize = n;
    const tabStop = this.tabStop !== null && this.rows.has(this.tabStop) ? this.tabStop : this.firstVisibleMounted();
    for (const [i, row] of this.rows) {
      const top = this.heights.offset(i);
      if (row.top !== top) {
        row.top = top;
        row.view.el.style.transform = `translateY(${top}px)`;
      }
      if (sizeChanged) row.view.el.setAttribute('aria-setsize', String(n));
      row.view.el.tabIndex = i === tabStop ? 0 : -1;
    }
    const target = this.targetScrollTop(this.el.clientHeight);
    if (Math.abs(this.el.scrollTop - target) >= 1) {
      this.el.scrollTop = target;
      this.ownScrollTop = this.el.scrollTop;
    }
    const distance = total - (this.el.scrollTop + this.el.clientHeight);
    this.jump.hidden = this.stick || distance < STICK_PX * 2;
    this.jump.classList.toggle('unseen', this.unseen);
  }

  private firstVisibleMounted(): number | null {
    if (this.items.length === 0) return null;
    if (this.stick) return this.rows.has(this.items.length - 1) ? this.items.length - 1 : null;
    const i = this.heights.indexAt(this.el.scrollTop);
    return this.rows.has(i) ? i : null;
  }

  private mount(i: number): void {
    const item = this.items[i]!;
    const view = createRow(item, this.ctx);
    view.update(item);
    const el = view.el;
    el.dataset.index = String(i);
    el.setAttribute('aria-posinset', String(i + 1));
    el.setAttribute('aria-setsize', String(this.items.length));
    const top = this.heights.offset(i);
    el.style.transform = `translateY(${top}px)`;
    this.list.appendChild(el);
    this.elIndex.set(el, i);
    this.rows.set(i, { view, version: item.version, top });
    this.rowObserver.observe(el);
  }

  private onRowsResized(entries: ResizeObserverEntry[]): void {
    let changed = false;
    for (const entry of entries) {
      const i = this.elIndex.get(entry.target);
      if (i === undefined || !this.rows.has(i)) continue;
      const height = (entry.target as HTMLElement).offsetHeight;
      if (this.heights.set(i, height)) changed = true;
    }
    // Positions now, before this frame paints; mounting more rows waits for the next frame.
    if (changed) {
      this.layout();
      this.frames.schedule(this.paintTask);
    }
  }

  private onViewportResized(): void {
    if (this.stick) {
      const target = this.targetScrollTop(this.el.clientHeight);
      if (Math.abs(this.el.scrollTop - target) >= 1) {
        this.el.scrollTop = target;
        this.ownScrollTop = this.el.scrollTop;
      }
    }
    this.frames.schedule(this.paintTask);
  }

  private onScroll(): void {
    const scrollTop = this.el.scrollTop;
    if (Math.abs(scrollTop - this.ownScrollTop) < 1) return; // our own write
    this.ownScrollTop = -1;
    const max = this.el.scrollHeight - this.el.clientHeight;
    this.stick = max - scrollTop <= STICK_PX;
    if (this.stick) this.unseen = false;
    this.captureAnchor(scrollTop);
    this.frames.schedule(this.paintTask);
  }

  /** Remembers which row is at the top of the viewport, and how far into it. */
  private captureAnchor(scrollTop: number): void {
    const index = this.heights.indexAt(scrollTop);
    this.anchor = { index, offset: scrollTop - this.heights.offset(index) };
  }

  private rowIndexOf(node: Element | null): number | null {
    const row = node?.closest('article[data-index]');
    if (!row || !this.list.contains(row)) return null;
    const i = this.elIndex.get(row);
    return i === undefined ? null : i;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as Element;
    const link = target.closest('a[href]');
    if (link && this.list.contains(link)) {
      const destination = classifyHref(link.getAttribute('href') ?? '');
      if (!destination) {
        event.preventDefault();
      } else if (destination.kind === 'file') {
        // Workspace paths go to the editor; stop VS Code's own link handler from trying them as URLs.
        event.preventDefault();
        event.stopPropagation();
        this.actions.openFile(destination.path);
      }
      return; // http(s) and mailto: VS Code opens them outside the webview
    }
    const codeButton = target.closest<HTMLElement>('[data-code-action]');
    if (codeButton) {
      const pre = codeButton.closest('.code-block')?.querySelector('pre');
      const code = pre ? originalText(pre) : '';
      this.actions.code(codeButton.dataset.codeAction === 'insert' ? 'insert' : 'copy', code, codeButton);
      return;
    }
    const actionEl = target.closest<HTMLElement>('[data-action]');
    const index = this.rowIndexOf(actionEl);
    if (!actionEl || index === null) return;
    const item = this.items[index]!;
    switch (actionEl.dataset.action) {
      case 'toggle-head':
        // A click on the card header toggles too, unless the user is selecting text.
        if (target.closest('button') || (window.getSelection()?.toString() ?? '') !== '') return;
        this.toggle(index);
        return;
      case 'toggle':
        this.toggle(index);
        return;
      case 'open-file':
        this.actions.openFile(actionEl.dataset.path ?? '');
        return;
      case 'open-item-diff':
        this.actions.openItemDiff(item, actionEl.dataset.path ?? '');
        return;
      case 'checkpoint': {
        const action = actionEl.dataset.checkpoint;
        if (action === 'undoTurn' || action === 'restoreToHere' || action === 'reviewChanges') this.actions.checkpoint(item, action);
        return;
      }
      default:
        return;
    }
  }

  private toggle(index: number): void {
    const item = this.items[index]!;
    if (this.ctx.expanded.has(item.id)) this.ctx.expanded.delete(item.id);
    else this.ctx.expanded.add(item.id);
    // Keep the toggled row where it is on screen: the content below it moves, not the row.
    const scrollTop = this.el.scrollTop;
    this.stick = false;
    this.anchor = { index, offset: scrollTop - this.heights.offset(index) };
    const row = this.rows.get(index);
    if (row) {
      row.view.update(item);
      this.remeasure.add(index);
    }
    this.paint();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.actions.leave();
      return;
    }
    const target = event.target as HTMLElement;
    if (target.tagName !== 'ARTICLE') return; // keys inside a row belong to its controls
    const index = this.rowIndexOf(target);
    if (index === null) return;
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: this.items.length - 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.focusIndex(next);
  }

  private onFocusIn(event: FocusEvent): void {
    const index = this.rowIndexOf(event.target as Element);
    if (index === null) return;
    this.pinned = index;
    if ((event.target as Element).tagName === 'ARTICLE') this.tabStop = index;
  }

  private onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Element | null;
    if (next && this.list.contains(next)) return;
    this.pinned = null;
  }
}
