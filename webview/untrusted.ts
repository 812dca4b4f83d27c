import { hasHiddenChars, hiddenMarker, segmentHidden, type HiddenKind } from '../protocol/untrusted-text';
import { h } from './dom';

/**
 * Untrusted text (model output, commands, paths, titles, errors) as DOM. Each string is
 * isolated, so right-to-left letters or controls in it cannot reorder the text around it,
 * and every hidden character (protocol/untrusted-text.ts) is shown as a styled marker
 * `⟨U+202E⟩` in its place, the way VS Code's editor highlights them.
 */

/** Past this many markers in one string, the rest are plain text markers (still visible, not styled): bounded DOM. */
const MAX_MARKER_NODES = 256;

const KIND_WORD: Record<HiddenKind, string> = {
  bidi: 'bidirectional control character', invisible: 'invisible character', control: 'control character',
};

/**
 * How a string is laid out: `auto` takes its direction from its own first strong letter
 * (prose, titles, errors); `verbatim` shows every character left to right in the order it
 * is stored (commands and paths: what is displayed is exactly what runs).
 */
export type TextMode = 'auto' | 'verbatim';

/** An isolated element holding `text`, hidden characters revealed. */
export function untrustedText(text: string, mode: TextMode = 'auto', className = ''): HTMLElement {
  const el = h('bdi', { class: `untrusted${mode === 'verbatim' ? ' verbatim' : ''}${className ? ` ${className}` : ''}`, dir: mode === 'verbatim' ? 'ltr' : 'auto' });
  setUntrustedText(el, text);
  return el;
}

/** Replaces the content of `el` with `text`, hidden characters revealed (`el` should be isolated: see untrustedText). */
export function setUntrustedText(el: HTMLElement, text: string): void {
  if (!hasHiddenChars(text)) {
    el.textContent = text;
    return;
  }
  el.replaceChildren(...revealedNodes(text));
}

/** Text and marker nodes for `text`, in logical order. */
export function revealedNodes(text: string): Node[] {
  const nodes: Node[] = [];
  let markers = 0;
  let plain = '';
  for (const s of segmentHidden(text)) {
    if (!s.hidden) {
      plain += s.text;
      continue;
    }
    if (markers >= MAX_MARKER_NODES) {
      plain += hiddenMarker(s.text);
      continue;
    }
    if (plain) nodes.push(document.createTextNode(plain));
    plain = '';
    nodes.push(markerNode(s.text, s.hidden));
    markers++;
  }
  if (plain) nodes.push(document.createTextNode(plain));
  return nodes;
}

function markerNode(ch: string, kind: HiddenKind): HTMLElement {
  const label = hiddenMarker(ch);
  // data-cp keeps the real character, so copying code copies what the model wrote (see originalText).
  return h('span', { class: `hidden-char hidden-${kind}`, title: `${KIND_WORD[kind]} ${label.slice(1, -1)}`, 'data-cp': ch.codePointAt(0) }, label);
}

/** The text of `el` as it was before markers replaced hidden characters. */
export function originalText(el: Element): string {
  if (!el.querySelector('.hidden-char')) return el.textContent ?? '';
  const copy = el.cloneNode(true) as Element;
  for (const m of Array.from(copy.querySelectorAll<HTMLElement>('.hidden-char[data-cp]'))) m.replaceWith(String.fromCodePoint(Number(m.dataset.cp)));
  return copy.textContent ?? '';
}

/**
 * Reveals hidden characters in DOM that is already sanitized (rendered markdown): each text
 * node holding any is replaced by text and marker nodes. Runs on trusted DOM only.
 */
export function revealInTree(root: Node): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const hits: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (hasHiddenChars(n.nodeValue ?? '')) hits.push(n as Text);
  for (const node of hits) node.replaceWith(...revealedNodes(node.nodeValue ?? ''));
}
