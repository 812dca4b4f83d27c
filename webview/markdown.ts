import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { revealHidden } from '../protocol/untrusted-text';
import { h, iconButton } from './dom';
import { guardBlocks, plainLimit, renderLimit, withinBudget, type Block } from './markdown-guard';
import { revealInTree } from './untrusted';

/**
 * Model output → sanitized DOM. Three layers, so one mistake is not enough:
 *  1. marked renders raw HTML in the markdown as escaped text (the user sees `<img …>`),
 *     links only with safe destinations, images as links (CSP blocks remote images anyway);
 *  2. DOMPurify with an allow-list of tags and attributes (no `style`, no `data-*`, no
 *     event handlers, no forms or buttons) and safe URL schemes;
 *  3. our own controls (code block toolbars) are added after sanitizing, with the DOM API,
 *     so nothing in the model's text can forge one.
 * Before parsing, markdown-guard.ts bounds nesting and inline markup and size, so no message
 * can overflow the parser's stack or make it work for seconds; a block the parser still
 * fails on is shown as escaped plain text, and the rest of the message renders. After
 * sanitizing, hidden characters (bidi controls, zero-width) are shown as markers.
 * Rendered fragments are cached by text (bounded LRU): scrolling a long transcript back
 * and forth re-uses them instead of re-parsing.
 */

const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h3', 'h4', 'h5', 'h6', 'hr', 'input', 'kbd', 'li', 'ol', 'p',
  'pre', 's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'align', 'type', 'checked', 'disabled'];
/** http(s), mailto, and scheme-less (relative or absolute file paths); nothing else. */
const SAFE_URI = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: SAFE_URI,
  FORBID_ATTR: ['style'],
  KEEP_CONTENT: true,
};

export type LinkTarget = { kind: 'external'; url: string } | { kind: 'file'; path: string };

/** Where a link in model output may lead: the web, a mail client, or a file in the workspace. */
export function classifyHref(href: string): LinkTarget | null {
  const value = href.trim();
  if (!value || value.startsWith('#')) return null;
  if (/^(?:https?:\/\/|mailto:)/i.test(value)) return { kind: 'external', url: value };
  // Network shares and other machines (\\host\share, //host/share, file://host/x) are never
  // links: on Windows merely opening one sends the user's credentials to that host. The
  // extension checks again (extension/chat/file-link-policy.ts) and opens workspace files only.
  if (/^[\\/]{2}/.test(value)) return null;
  if (/^file:/i.test(value)) {
    try {
      const url = new URL(value);
      if (url.host && url.host.toLowerCase() !== 'localhost') return null;
      return { kind: 'file', path: decodeURIComponent(url.pathname).replace(/^\/([a-z]:)/i, '$1') };
    } catch {
      return null;
    }
  }
  if (/^\/[a-z]:[\\/]/i.test(value)) return { kind: 'file', path: safeDecode(value.slice(1)) }; // see fileHref
  if (/^[a-z]:[\\/]/i.test(value)) return { kind: 'file', path: value };
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return null; // javascript:, command:, data:, vscode:, ...
  return { kind: 'file', path: safeDecode(value) };
}

/** The href we emit for a file link: scheme-less so the sanitizer's URL rule keeps it. */
function fileHref(path: string): string {
  return /^[a-z]:[\\/]/i.test(path) ? `/${path}` : path;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class MarkdownRenderer {
  private readonly marked: Marked;
  private readonly purify: DOMPurify;
  private readonly cache = new Map<string, DocumentFragment>();
  private cachedChars = 0;

  /** The cache is bounded by entries and by the text they hold (DOM size follows text size). */
  constructor(private readonly cacheSize = 300, private readonly cacheChars = 2_000_000) {
    this.purify = createDOMPurify(window);
    this.marked = new Marked({
      gfm: true,
      breaks: false,
      async: false,
      renderer: {
        html(token: Tokens.HTML | Tokens.Tag): string {
          return escapeHtml(token.text);
        },
        heading(token: Tokens.Heading): string {
          // Each message already sits under an h2: the model's headings start at h3.
          const level = Math.min(6, token.depth + 2);
          return `<h${level} class="md-h${token.depth}">${this.parser.parseInline(token.tokens)}</h${level}>\n`;
        },
        link(token: Tokens.Link): string {
          const text = this.parser.parseInline(token.tokens);
          const target = classifyHref(token.href);
          if (!target) return text;
          const href = target.kind === 'external' ? target.url : fileHref(target.path);
          const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
          return `<a href="${escapeHtml(href)}"${title}>${text}</a>`;
        },
        image(token: Tokens.Image): string {
          const label = escapeHtml(token.text || token.href);
          const target = classifyHref(token.href);
          if (!target) return label;
          const href = target.kind === 'external' ? target.url : fileHref(target.path);
          return `<a href="${escapeHtml(href)}" class="md-image-link">${label}</a>`;
        },
      },
    });
  }

  private renderGuarded(text: string): DocumentFragment {
    const limited = renderLimit(text);
    const blocks = withinBudget(guardBlocks(limited.text));
    // Runs of blocks the guard let through are parsed together (link references and loose
    // lists span blocks, and each parse and sanitize has a fixed cost); blocks it rejected
    // are plain text; a run the parser fails on is retried block by block.
    const fragment = document.createDocumentFragment();
    let run: Block[] = [];
    const flush = () => {
      if (!run.length) return;
      const parsed = this.parse(run.map((b) => b.text).join(''));
      if (parsed) fragment.append(parsed);
      else for (const block of run) fragment.append(this.renderBlock(block));
      run = [];
    };
    for (const block of blocks) {
      if (!block.plain) {
        run.push(block);
        continue;
      }
      flush();
      fragment.append(plainBlock(block.text));
    }
    flush();
    enhance(fragment);
    revealInTree(fragment);
    if (limited.omitted) fragment.append(h('p', { class: 'md-omitted' }, `… ${Math.ceil(limited.omitted / 1024)} KB more of this message is not shown.`));
    return fragment;
  }

  private renderBlock(block: Block): Node {
    if (!block.plain) {
      const parsed = this.parse(block.text);
      if (parsed) return parsed;
    }
    return plainBlock(block.text);
  }

  /** Parsed and sanitized, or null when the parser (or sanitizer) failed on this text. */
  private parse(markdown: string): DocumentFragment | null {
    try {
      const html = this.marked.parse(markdown, { async: false });
      return this.purify.sanitize(html, { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
    } catch (error) {
      console.warn('codex webview: markdown fell back to plain text', error);
      return null;
    }
  }

  /** Sanitized DOM for `text`; `cache: false` for text that changes every frame (streaming tails). */
  render(text: string, cache = true): DocumentFragment {
    if (cache) {
      const hit = this.cache.get(text);
      if (hit) {
        this.cache.delete(text);
        this.cache.set(text, hit);
        return hit.cloneNode(true) as DocumentFragment;
      }
    }
    const fragment = this.renderGuarded(text);
    if (!cache) return fragment;
    this.cache.set(text, fragment);
    this.cachedChars += text.length;
    while (this.cache.size > this.cacheSize || (this.cachedChars > this.cacheChars && this.cache.size > 1)) {
      const oldest = this.cache.keys().next().value!;
      this.cache.delete(oldest);
      this.cachedChars -= oldest.length;
    }
    return fragment.cloneNode(true) as DocumentFragment;
  }
}

/** A paragraph of escaped plain text (white space kept): for blocks the parser is not given. */
export function plainBlock(text: string): HTMLElement {
  const limited = plainLimit(text.replace(/\n+$/, ''));
  const p = h('p', { class: 'md-plain', dir: 'auto' }, limited.text);
  if (limited.omittedChars) p.append(h('span', { class: 'md-omitted' }, `\n… ${limited.omittedLines} more line${limited.omittedLines === 1 ? '' : 's'} (${Math.ceil(limited.omittedChars / 1024)} KB) not shown.`));
  return p;
}

/** Adds our controls to sanitized output. Runs on trusted DOM only (after DOMPurify). */
function enhance(fragment: DocumentFragment): void {
  for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    const lang = /(?:^|\s)language-(\S+)/.exec(code?.className ?? '')?.[1] ?? '';
    const block = h('div', { class: 'code-block' });
    const toolbar = h('div', { class: 'code-toolbar' },
      h('span', { class: 'code-lang' }, lang),
      iconButton('copy', 'Copy code', { 'data-code-action': 'copy' }),
      iconButton('insert', 'Insert code at cursor', { 'data-code-action': 'insert' }));
    pre.replaceWith(block);
    block.append(toolbar, pre);
  }
  for (const table of Array.from(fragment.querySelectorAll('table'))) {
    const wrap = h('div', { class: 'table-wrap' });
    table.replaceWith(wrap);
    wrap.append(table);
  }
  // Each block takes its direction from its own first letter (dir=auto is cheap; the CSS
  // alternative, unicode-bidi: plaintext, costs seconds of layout on a huge paragraph).
  for (const el of Array.from(fragment.querySelectorAll('p, li, h3, h4, h5, h6, td, th'))) el.setAttribute('dir', 'auto');
  for (const a of Array.from(fragment.querySelectorAll('a'))) {
    a.rel = 'noopener noreferrer';
    // The tooltip says where the link really goes, hidden characters shown.
    a.title = revealHidden(a.title || (a.getAttribute('href') ?? ''));
  }
}
