import { h, uid } from './dom';
import type { ItemModel } from './model';
import { untrustedText } from './untrusted';

/** The part of a row the transcript needs (items.ts implements it per item kind). */
export interface GuardedRow {
  readonly el: HTMLElement;
  update(item: ItemModel): boolean | void;
}

/**
 * One item can never break the transcript: a row whose creation or repaint throws (the
 * markdown path is guarded, but any bug or unforeseen input counts) is shown as its text,
 * escaped, in the same <article>, and the rows after it, and the approval cards, render
 * as usual. It stays in that form; a later repaint does not throw again every frame.
 */
export function guardRow(item: ItemModel, create: () => GuardedRow): GuardedRow {
  let inner: GuardedRow | null = null;
  try {
    inner = create();
  } catch (error) {
    report(item, error);
  }
  const el = inner?.el ?? h('article', { class: 'row row-fallback', 'data-item-id': item.id, tabindex: -1 });
  let failed = inner === null;
  return {
    el,
    update(it) {
      if (!failed) {
        try {
          return inner!.update(it);
        } catch (error) {
          report(it, error);
          failed = true;
        }
      }
      showPlain(el, it);
      return true;
    },
  };
}

function showPlain(el: HTMLElement, item: ItemModel): void {
  const headingId = el.getAttribute('aria-labelledby') ?? uid('row-h');
  el.setAttribute('aria-labelledby', headingId);
  el.classList.add('row-fallback');
  el.replaceChildren(
    h('h2', { id: headingId, class: 'row-title visually-hidden' }, 'Message shown as plain text'),
    h('div', { class: 'row-body row-plain', dir: 'auto' }, untrustedText(item.text.length > 256 * 1024 ? `${item.text.slice(0, 256 * 1024)}…` : item.text)));
}

function report(item: ItemModel, error: unknown): void {
  console.warn(`codex webview: item ${item.id} is shown as plain text (rendering failed)`, error);
}
