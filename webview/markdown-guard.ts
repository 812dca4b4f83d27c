/**
 * Bounds on what reaches the markdown parser, checked in linear time before parsing. The
 * parser (marked) recurses once per nesting level (10,000 nested `>` or list markers or
 * emphasis delimiters overflow the stack) and its inline pass is quadratic in the number
 * of emphasis delimiters and tags in one paragraph (64 KB of `<b>__x</b>` takes seconds).
 * Model output is untrusted, so:
 *  - container nesting per line is capped (the markers past the cap become literal text);
 *  - runs of one emphasis character longer than a word are escaped;
 *  - a paragraph with more inline markup than a person writes is shown as plain text;
 *  - text past a size limit is not rendered at all (the row says how much is left out).
 * Everything here is pure string work: unit-testable, no DOM.
 */

/** Nested containers (block quotes, list items) one line may open. */
export const MAX_NESTING = 16;
/** Emphasis markers (`*`, `_`, `~`) in one run; longer runs are literal. */
const MAX_DELIMITER_RUN = 8;
const LONG_RUN = new RegExp(`([*_~])\\1{${MAX_DELIMITER_RUN}}`);
const LONG_RUNS = new RegExp(`([*_~])\\1{${MAX_DELIMITER_RUN},}`, 'g');
/** Leading indentation outside code blocks (deeper lists are flattened to this). */
const MAX_INDENT = 64;
/** Inline markup (tags, emphasis runs, code spans, brackets) in one paragraph or list item before it is shown as plain text. */
export const MAX_INLINE_MARKUP = 600;
/** One block (between blank lines) longer than this is shown as plain text unless it is a code block. */
export const MAX_BLOCK_CHARS = 64 * 1024;
/** Blocks one message renders as markdown; past this the rest is one plain-text block (bounded DOM and parse time). */
export const MAX_MARKDOWN_BLOCKS = 200;
/** Markdown (outside code blocks) one message renders; past this the rest is plain text. */
export const MAX_MARKDOWN_CHARS = 96 * 1024;
/**
 * A message is rendered up to this many characters. Large because code blocks (one text
 * node, no wrapping) stay cheap at any size; prose is bounded by the budgets above and
 * plain text by MAX_PLAIN_LINES / MAX_PLAIN_CHARS.
 */
export const MAX_RENDER_CHARS = 1024 * 1024;
/** Characters one plain-text block shows (wrapped text is the costliest to lay out). */
export const MAX_PLAIN_CHARS = 64 * 1024;
/** Lines one plain-text block shows (layout cost grows with lines; a note says how many more there are). */
export const MAX_PLAIN_LINES = 500;

export interface Block {
  text: string;
  /** A fenced code block (cheap to parse at any size). */
  fence: boolean;
  /** Too much inline markup, or too long: render as plain text. */
  plain: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Splits markdown into top-level blocks at blank lines outside code fences (the same rule
 * as the streaming BoundaryScanner), each already guarded and classified.
 */
export function guardBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let pos = 0;
  let fence: string | null = null;
  let blankBefore = false;
  let lines: string[] = [];
  let outside: string[] = [];
  let hasFence = false;
  const flush = () => {
    if (!lines.length) return;
    const raw = lines.join('');
    const prose = outside.join('');
    const plain = !hasFence ? raw.length > MAX_BLOCK_CHARS || inlineMarkup(raw) > MAX_INLINE_MARKUP
      : prose.length > MAX_BLOCK_CHARS || inlineMarkup(prose) > MAX_INLINE_MARKUP;
    blocks.push({ text: raw, fence: hasFence, plain });
    lines = [];
    outside = [];
    hasFence = false;
  };
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    end = end === -1 ? text.length : end + 1;
    const line = text.slice(pos, end);
    const body = line.replace(/\r?\n$/, '');
    const marker = FENCE.exec(body)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && body.trim() === marker) fence = null;
      lines.push(line);
      blankBefore = false;
    } else if (body.trim() === '') {
      lines.push(line);
      blankBefore = true;
    } else {
      if (blankBefore && !/^[ \t]/.test(body)) flush();
      if (marker) {
        fence = marker;
        hasFence = true;
        lines.push(line);
      } else {
        const guarded = guardLine(line);
        lines.push(guarded);
        outside.push(guarded);
      }
      blankBefore = false;
    }
    pos = end;
  }
  flush();
  return blocks;
}

/**
 * Blocks within one message's rendering budget (MAX_MARKDOWN_BLOCKS blocks and
 * MAX_MARKDOWN_CHARS of non-code markdown); everything after is merged into one plain block.
 */
export function withinBudget(blocks: Block[]): Block[] {
  let chars = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (!b.fence && !b.plain) chars += b.text.length;
    if (i >= MAX_MARKDOWN_BLOCKS || chars > MAX_MARKDOWN_CHARS) {
      const rest = blocks.slice(i).map((x) => x.text).join('');
      return [...blocks.slice(0, i), { text: rest, fence: false, plain: true }];
    }
  }
  return blocks;
}

/**
 * The largest count of inline markup tokens in one paragraph or list item of `block`:
 * what the inline parser's cost grows with (quadratically).
 */
export function inlineMarkup(block: string): number {
  let worst = 0;
  let count = 0;
  let lineStart = true;
  for (let i = 0; i < block.length; i++) {
    const c = block.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      // A new list item, heading, quote or table row starts a new inline context.
      let j = i;
      while (j < block.length && (block[j] === ' ' || block[j] === '\t')) j++;
      const ch = block[j];
      if (ch === '>' || ch === '#' || ch === '|' || ((ch === '-' || ch === '*' || ch === '+') && /[ \t]/.test(block[j + 1] ?? '')) || /^\d{1,9}[.)][ \t]/.test(block.slice(j, j + 12))) {
        worst = Math.max(worst, count);
        count = 0;
      }
    }
    if (c === 10) {
      lineStart = true;
      continue;
    }
    // < * _ ~ ` [ : each can open an inline construct the parser then searches a closer for.
    if (c === 60 || c === 91 || c === 96) count++;
    else if (c === 42 || c === 95 || c === 126) {
      if (block.charCodeAt(i - 1) !== c) count++;
    }
  }
  return Math.max(worst, count);
}

/**
 * One line outside code fences: leading indentation capped, container markers past
 * MAX_NESTING made literal, long runs of one emphasis character escaped.
 */
export function guardLine(line: string): string {
  let out = line;
  const indent = /^[ \t]*/.exec(out)![0];
  if (indent.length > MAX_INDENT) out = out.slice(indent.length - MAX_INDENT);
  out = capNesting(out);
  if (LONG_RUN.test(out)) out = out.replace(LONG_RUNS, (run) => run.replace(/[*_~]/g, '\\$&'));
  return out;
}

function capNesting(line: string): string {
  let pos = 0;
  let depth = 0;
  for (;;) {
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
    const ch = line[pos];
    let len = 0;
    if (ch === '>') len = 1;
    else if ((ch === '-' || ch === '*' || ch === '+') && (line[pos + 1] === ' ' || line[pos + 1] === '\t')) len = 1;
    else {
      const m = /^\d{1,9}[.)](?=[ \t])/.exec(line.slice(pos, pos + 11));
      if (m) len = m[0].length;
    }
    if (!len) return line;
    depth++;
    if (depth > MAX_NESTING) {
      // Escape the marker (before the `.` of `12.`): from here on the line is text.
      const at = /\d/.test(ch ?? '') ? pos + len - 1 : pos;
      return `${line.slice(0, at)}\\${line.slice(at)}`;
    }
    pos += len;
  }
}

/** `text` cut to MAX_RENDER_CHARS at a line end when one is near, and how many characters were left out. */
export function renderLimit(text: string): { text: string; omitted: number } {
  if (text.length <= MAX_RENDER_CHARS) return { text, omitted: 0 };
  const nl = text.lastIndexOf('\n', MAX_RENDER_CHARS - 1);
  const cut = nl > MAX_RENDER_CHARS - 4096 ? nl + 1 : MAX_RENDER_CHARS;
  return { text: text.slice(0, cut), omitted: text.length - cut };
}

/** `text` cut after MAX_PLAIN_LINES lines or MAX_PLAIN_CHARS characters, and how much was left out. */
export function plainLimit(text: string): { text: string; omittedLines: number; omittedChars: number } {
  let cut = Math.min(text.length, MAX_PLAIN_CHARS);
  let at = -1;
  for (let n = 0; n < MAX_PLAIN_LINES; n++) {
    at = text.indexOf('\n', at + 1);
    if (at === -1 || at >= cut) break;
  }
  if (at !== -1 && at < cut) cut = at;
  const rest = text.slice(cut);
  if (!rest.trim()) return { text, omittedLines: 0, omittedChars: 0 };
  return { text: text.slice(0, cut), omittedLines: rest.replace(/^\n|\n$/g, '').split('\n').length, omittedChars: rest.length };
}
