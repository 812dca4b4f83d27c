import { h } from './dom';
import { plainBlock, type MarkdownRenderer } from './markdown';
import { inlineMarkup, MAX_INLINE_MARKUP, MAX_PLAIN_CHARS, MAX_PLAIN_LINES, renderLimit } from './markdown-guard';
import { revealedNodes } from './untrusted';

/**
 * Markdown for a message that is still growing. Re-rendering the whole message on every
 * frame costs O(length) per frame (a long answer would get slower as it streams), so the
 * text is split at a stable boundary: complete blocks before it are rendered once and
 * kept, only the tail after it is re-rendered. A tail that is an open code block (the
 * model writing a long file) is not re-parsed at all: new code is appended as text.
 * A tail that is too long or has too much inline markup to re-parse every frame (hostile
 * output: thousands of tags in one paragraph) grows as plain text the same way, until a
 * blank line ends it. A burst of many finished blocks is rendered a frame's worth at a
 * time. When the message completes it gets one full render (lists or references split
 * across blocks come out right then).
 */
export class MarkdownView {
  readonly el = h('div', { class: 'markdown' });
  private stableEl: HTMLElement | null = null;
  private tailEl: HTMLElement | null = null;
  private stableText = '';
  /** Top-level elements rendered in the stable part (the DOM a growing message re-lays out). */
  private stableBlocks = 0;
  private shown: string | null = null;
  private scanner = new BoundaryScanner();
  /** The open code block rendered in the tail, grown by appending text. */
  private openBlock: { start: number; code: HTMLElement; chunk: HTMLElement; chunkLines: number; upTo: number } | null = null;
  /** The tail shown as plain text, grown by appending. */
  private plainTail: { start: number; el: HTMLElement; upTo: number; lines: number } | null = null;
  /** The text of the last stream() call, rendered or not (it only grows while streaming). */
  private seen: string | null = null;
  /** Adaptive pacing: a tail that takes long to render is re-rendered less often. */
  private notBefore = 0;

  constructor(private readonly md: MarkdownRenderer) {}

  /** The final text: one full render (from the renderer's cache when it has it). */
  setText(text: string): void {
    if (this.shown === text && !this.stableEl) return;
    this.el.replaceChildren(this.md.render(text));
    this.stableEl = this.tailEl = null;
    this.stableText = '';
    this.openBlock = null;
    this.plainTail = null;
    this.seen = null;
    this.shown = text;
  }

  /**
   * A streaming snapshot of the text; call at most once per frame. Returns false when it
   * skipped this frame to pace itself (a huge tail costs milliseconds per render): the
   * caller asks again on a later frame.
   */
  stream(full: string): boolean {
    if (this.shown === full) return true;
    const start = performance.now();
    if (start < this.notBefore) return false;
    // Past the render limit the message stops growing on screen; the final render says how much is left out.
    const text = renderLimit(full).text;
    if (!this.stableEl || !this.tailEl || !this.seen || !text.startsWith(this.seen) || !text.startsWith(this.stableText)) {
      // display: contents on both wrappers keeps the blocks siblings for CSS margins.
      this.stableEl = h('div', { class: 'md-stable' });
      this.tailEl = h('div', { class: 'md-tail' });
      this.el.replaceChildren(this.stableEl, this.tailEl);
      this.stableText = '';
      this.stableBlocks = 0;
      this.scanner = new BoundaryScanner();
      this.openBlock = null;
      this.plainTail = null;
    }
    this.seen = text;
    if (this.stableText.length >= STREAM_RENDER_CHARS || this.stableBlocks >= STREAM_RENDER_BLOCKS) {
      // A huge message: what is on screen stays; the rest waits for the final render
      // (bounded by markdown-guard.ts), and the tail says how much has arrived.
      this.openBlock = null;
      this.plainTail = null;
      this.tailEl.replaceChildren(h('p', { class: 'md-omitted' }, `… receiving: ${Math.round(full.length / 1024)} KB so far.`));
      this.shown = full;
      return true;
    }
    const boundary = this.scanner.scan(text);
    let upTo = boundary;
    if (boundary - this.stableText.length > STABLE_PER_FRAME) {
      // Many finished blocks at once: a frame's worth now (at a block boundary), the rest later.
      const within = new BoundaryScanner().scan(text.slice(this.stableText.length, this.stableText.length + STABLE_PER_FRAME));
      if (within > 0) upTo = this.stableText.length + within;
    }
    if (upTo > this.stableText.length) {
      const rendered = this.md.render(text.slice(this.stableText.length, upTo), false);
      this.stableBlocks += rendered.childElementCount;
      this.stableEl.append(rendered);
      this.stableText = text.slice(0, upTo);
      this.openBlock = null;
      this.plainTail = null;
    }
    if (upTo < boundary) {
      this.tailEl.replaceChildren();
      this.pace(start);
      return false;
    }
    const fence = this.scanner.openFenceAt(boundary);
    if (fence) this.growCodeBlock(text, boundary, fence);
    else {
      this.openBlock = null;
      const tail = text.slice(boundary);
      if (this.plainTail?.start === boundary || tail.length > PLAIN_TAIL_CHARS || inlineMarkup(tail) > MAX_INLINE_MARKUP) this.growPlainTail(text, boundary);
      else {
        this.plainTail = null;
        this.tailEl.replaceChildren(this.md.render(tail, false));
      }
    }
    this.shown = full;
    this.pace(start);
    return true;
  }

  /** Past a few ms per render, leave at least as long again before the next one, so a growing tail never takes more than about half of the main thread from input. */
  private pace(start: number): void {
    const took = performance.now() - start;
    this.notBefore = took > PACE_ABOVE_MS ? performance.now() + took : 0;
  }

  /** The tail after `boundary` as plain text: only the new text is appended. */
  private growPlainTail(text: string, boundary: number): void {
    if (!this.plainTail || this.plainTail.start !== boundary) {
      const el = plainBlock('');
      this.tailEl!.replaceChildren(el);
      this.plainTail = { start: boundary, el, upTo: boundary, lines: 0 };
    }
    const tail = this.plainTail;
    const added = text.slice(tail.upTo);
    tail.upTo = text.length;
    // Bounded like a plain block (layout grows with lines): past the cap it waits for the final render.
    if (!added || tail.lines >= MAX_PLAIN_LINES || tail.upTo - tail.start - added.length >= MAX_PLAIN_CHARS) return;
    tail.lines += countLines(added);
    tail.el.append(...revealedNodes(added));
  }

  /** The tail is `fence.line` + code, with no closing fence yet: append the new code only. */
  private growCodeBlock(text: string, boundary: number, fence: { line: string; contentStart: number }): void {
    if (!this.openBlock || this.openBlock.start !== boundary) {
      // Render an empty block with the same info string: the same DOM (and toolbar) as the final one.
      const shell = this.md.render(`${fence.line}\n${fence.line.trim().match(/^[`~]+/)![0]}`, false);
      const code = shell.querySelector('pre code') as HTMLElement | null;
      if (!code) {
        this.tailEl!.replaceChildren(this.md.render(text.slice(boundary), false));
        return;
      }
      const chunk = h('span', { class: 'code-chunk' });
      code.replaceChildren(chunk);
      this.tailEl!.replaceChildren(shell);
      this.openBlock = { start: boundary, code, chunk, chunkLines: 0, upTo: fence.contentStart };
    }
    const block = this.openBlock;
    if (text.length <= block.upTo) return;
    // Code goes into block-level chunks of CHUNK_LINES lines, split at line ends: appending
    // re-lays out only the last chunk, not a code block of thousands of lines.
    const added = text.slice(block.upTo);
    block.upTo = text.length;
    const lastBreak = added.lastIndexOf('\n');
    if (lastBreak === -1 || block.chunkLines < CHUNK_LINES) {
      block.chunk.append(...revealedNodes(added));
      block.chunkLines += countLines(added);
      return;
    }
    block.chunk.append(...revealedNodes(added.slice(0, lastBreak + 1)));
    block.chunk = h('span', { class: 'code-chunk' }, ...revealedNodes(added.slice(lastBreak + 1)));
    block.chunkLines = 0;
    block.code.append(block.chunk);
  }
}

const FENCE = /^(?: {0,3})(`{3,}|~{3,})/;
const PACE_ABOVE_MS = 4;
/** A streaming tail longer than this is shown as plain text until its block ends. */
const PLAIN_TAIL_CHARS = 16 * 1024;
/** Finished blocks rendered per frame during a burst. */
const STABLE_PER_FRAME = 8 * 1024;
/**
 * While streaming, finished blocks are rendered up to this much text or this many blocks
 * (the DOM a growing message keeps re-laying out); a message past either waits for its
 * final, bounded render. Ordinary long answers stay far below both.
 */
const STREAM_RENDER_CHARS = 512 * 1024;
const STREAM_RENDER_BLOCKS = 1000;
const CHUNK_LINES = 80;

function countLines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * Finds stable boundaries incrementally: the offset of the start of the last top-level
 * block that follows a blank line outside any code fence, so everything before it is
 * complete markdown. Each call resumes where the last one stopped (the text only grows),
 * so a frame costs O(new text), not O(message). Lines that start indented are not
 * boundaries: they may continue a list item.
 */
export class BoundaryScanner {
  private boundary = 0;
  private pos = 0;
  private fence: string | null = null;
  private fenceStart = -1;
  private fenceContentStart = -1;
  private fenceLine = '';
  private blankBefore = false;

  scan(text: string): number {
    for (;;) {
      const end = text.indexOf('\n', this.pos);
      if (end === -1) break; // the last line may still grow: never a boundary
      const line = text.slice(this.pos, end);
      const marker = FENCE.exec(line)?.[1];
      if (this.fence) {
        if (marker && marker[0] === this.fence[0] && marker.length >= this.fence.length && line.trim() === marker) this.fence = null;
        this.blankBefore = false;
      } else if (line.trim() === '') {
        this.blankBefore = true;
      } else {
        if (this.blankBefore && !/^[ \t]/.test(line)) this.boundary = this.pos;
        if (marker) {
          this.fence = marker;
          this.fenceStart = this.pos;
          this.fenceContentStart = end + 1;
          this.fenceLine = line;
        }
        this.blankBefore = false;
      }
      this.pos = end + 1;
    }
    return this.boundary;
  }

  /** The fence still open at the end of the scanned text, when it starts exactly at `boundary` (unindented). */
  openFenceAt(boundary: number): { line: string; contentStart: number } | null {
    if (!this.fence || this.fenceStart !== boundary || !/^[`~]/.test(this.fenceLine)) return null;
    return { line: this.fenceLine, contentStart: this.fenceContentStart };
  }
}

/** One-shot form of BoundaryScanner (tests, and anyone who has the whole text). */
export function stableBoundary(text: string): number {
  return new BoundaryScanner().scan(text);
}
