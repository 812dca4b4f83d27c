/**
 * Characters in untrusted text (model output, commands, paths, titles, errors) that change
 * what a reader sees without being seen themselves: bidirectional controls that reorder
 * the text around them, zero-width and other invisible characters, and control
 * characters. Every surface where a person reads what will run or what ran (chat cards
 * and rows, code lenses, diff titles, notifications, the Tool Activity tree) uses this one
 * classification, so they all agree on what is suspicious and show it the same way: as a
 * visible marker such as `⟨U+202E⟩`, as VS Code's editor highlights them.
 *
 * Pure and dependency-free: imported by the webview bundle and the extension alike.
 */

/* eslint-disable no-misleading-character-class -- the classes below list combining and
   joining characters (U+034F, U+200D) on purpose: each is matched alone, as a code point. */

export type HiddenKind = 'bidi' | 'invisible' | 'control';

/** A piece of text: either ordinary characters, or exactly one hidden character. */
export interface TextSegment {
  text: string;
  hidden?: HiddenKind;
}

// Bidirectional formatting: embeddings and overrides (LRE RLE PDF LRO RLO), isolates
// (LRI RLI FSI PDI), the implicit marks (LRM RLM ALM).
const BIDI = '\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C';
// Zero-width and blank-looking characters: ZWSP ZWNJ ZWJ, word joiner and invisible
// operators, BOM/ZWNBSP, soft hyphen, Mongolian vowel separator, combining grapheme joiner,
// Hangul fillers, Khmer inherent vowels, line/paragraph separators, interlinear
// annotation marks, and the Unicode "tag" block (used to smuggle ASCII invisibly).
const INVISIBLE = '\\u200B-\\u200D\\u2060-\\u2064\\u206A-\\u206F\\uFEFF\\u00AD\\u180E\\u034F\\u115F\\u1160\\u3164\\uFFA0\\u17B4\\u17B5\\u2028\\u2029\\uFFF9-\\uFFFB\\u{E0000}-\\u{E007F}';
// C0 controls except tab and line feed (a lone carriage return can overwrite a line on a
// terminal; \r\n is an ordinary line end and is handled in the pattern), DEL, C1 controls.
const CONTROL = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';

const HIDDEN_SOURCE = `[${BIDI}${INVISIBLE}${CONTROL}]|\\r(?!\\n)`;
const HIDDEN_TEST = new RegExp(HIDDEN_SOURCE, 'u');
const BIDI_TEST = new RegExp(`[${BIDI}]`, 'u');
const INVISIBLE_TEST = new RegExp(`[${INVISIBLE}]`, 'u');
/** Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, ... and their presentation forms). */
const RTL_TEST = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/** Whether `text` holds any character this module hides-by-revealing. */
export function hasHiddenChars(text: string): boolean {
  return HIDDEN_TEST.test(text);
}

/** Whether `text` holds letters of a right-to-left script (they reorder neutral characters near them). */
export function hasRtlLetters(text: string): boolean {
  return RTL_TEST.test(text);
}

/** The kind of one character (a whole code point), or null for an ordinary one. */
export function hiddenKind(ch: string): HiddenKind | null {
  if (ch === '\r') return 'control';
  if (!HIDDEN_TEST.test(ch)) return null;
  if (BIDI_TEST.test(ch)) return 'bidi';
  if (INVISIBLE_TEST.test(ch)) return 'invisible';
  return 'control';
}

/** `U+202E` for one code point. */
export function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The visible stand-in for a hidden character: `⟨U+202E⟩`. */
export function hiddenMarker(ch: string): string {
  return `⟨${codePointLabel(ch)}⟩`;
}

/** Splits `text` into runs of ordinary text and single hidden characters, in logical order. */
export function segmentHidden(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  const re = new RegExp(HIDDEN_SOURCE, 'gu');
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], hidden: hiddenKind(m[0])! });
    last = m.index + m[0].length;
  }
  if (last < text.length || out.length === 0) out.push({ text: text.slice(last) });
  return out;
}

/** `text` with every hidden character replaced by its marker (for plain-text surfaces). */
export function revealHidden(text: string): string {
  if (!hasHiddenChars(text)) return text;
  return text.replace(new RegExp(HIDDEN_SOURCE, 'gu'), hiddenMarker);
}

/** Counts by kind, for a warning ("2 bidirectional control characters, 1 invisible character"). */
export function hiddenSummary(text: string): { bidi: number; invisible: number; control: number; rtl: boolean } {
  const counts = { bidi: 0, invisible: 0, control: 0, rtl: hasRtlLetters(text) };
  if (!hasHiddenChars(text)) return counts;
  for (const s of segmentHidden(text)) if (s.hidden) counts[s.hidden]++;
  return counts;
}

/**
 * A one-sentence warning for a command or path a person is asked to approve, or null when
 * there is nothing to warn about. Right-to-left letters are mentioned too: even without
 * control characters they reorder the punctuation and spaces next to them.
 */
export function hiddenWarning(text: string): string | null {
  const s = hiddenSummary(text);
  const parts: string[] = [];
  if (s.bidi) parts.push(`${s.bidi} bidirectional control character${s.bidi === 1 ? '' : 's'}`);
  if (s.invisible) parts.push(`${s.invisible} invisible character${s.invisible === 1 ? '' : 's'}`);
  if (s.control) parts.push(`${s.control} control character${s.control === 1 ? '' : 's'}`);
  if (parts.length) return `Contains ${joinWords(parts)} (shown as ⟨U+…⟩): what runs may differ from how it reads.`;
  if (s.rtl) return 'Contains right-to-left letters: shown in the order the characters run.';
  return null;
}

/**
 * For surfaces that only take plain text (notifications, tree labels, diff titles): hidden
 * characters revealed, and the result wrapped in FSI…PDI so right-to-left letters inside
 * cannot reorder the text around it (only when it has such letters: ordinary text is left
 * as it is). The isolates are ours; any in `text` itself are shown as markers.
 */
export function isolatePlain(text: string): string {
  const shown = revealHidden(text);
  return hasRtlLetters(shown) ? `\u2068${shown}\u2069` : shown;
}

function joinWords(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
