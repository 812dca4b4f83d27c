import assert from 'node:assert/strict';
import { Marked } from 'marked';
import { guardBlocks, guardLine, inlineMarkup, MAX_INLINE_MARKUP, MAX_NESTING, MAX_RENDER_CHARS, renderLimit } from '../../webview/markdown-guard';

// The guard in front of the chat's markdown parser (pure string work): what it lets
// through parses without overflowing the stack, and in bounded time.
describe('markdown guard (webview)', () => {
  const marked = new Marked({ gfm: true, async: false });
  const parseGuarded = (text: string) => guardBlocks(text).map((b) => (b.plain ? b.text : marked.parse(b.text) as string)).join('');

  it('caps nesting per line: 10,000 block quotes or list markers parse', () => {
    for (const text of ['>'.repeat(10_000) + ' x', '> '.repeat(10_000) + 'x', '- '.repeat(10_000) + 'x', '1. '.repeat(10_000) + 'x', '* '.repeat(10_000) + 'x']) {
      assert.throws(() => marked.parse(text), /call stack/, 'unguarded, the parser overflows (the reason for the guard)');
      const html = parseGuarded(text);
      assert.ok(html.length > 0);
    }
    assert.equal(guardLine('> > x'), '> > x', 'ordinary nesting is untouched');
    const capped = guardLine('>'.repeat(MAX_NESTING + 3) + ' x');
    assert.equal(capped, `${'>'.repeat(MAX_NESTING)}\\>>> x`);
    assert.equal(guardLine(`${'1. '.repeat(MAX_NESTING)}2. x`), `${'1. '.repeat(MAX_NESTING)}2\\. x`);
  });

  it('escapes long runs of one emphasis character: 10,000 nested emphasis markers parse', () => {
    const text = '*'.repeat(10_000) + 'x' + '*'.repeat(10_000);
    assert.throws(() => marked.parse(text), /call stack/);
    assert.ok(parseGuarded(text).includes('x'));
    assert.equal(guardLine('**bold** and __x__'), '**bold** and __x__');
  });

  it('sends a paragraph with more inline markup than a person writes to plain text, counting per paragraph and list item', () => {
    const hostile = '<b>__x</b>'.repeat(6554); // 64 KB: seconds in the parser
    assert.ok(inlineMarkup(hostile) > MAX_INLINE_MARKUP);
    assert.deepEqual(guardBlocks(hostile).map((b) => b.plain), [true]);
    const list = Array.from({ length: 400 }, (_, i) => `- item \`${i}\` is **fine**`).join('\n');
    assert.ok(inlineMarkup(list) < 20, 'each list item is its own inline context');
    assert.deepEqual(guardBlocks(list).map((b) => b.plain), [false]);
  });

  it('splits at blank lines outside code fences and keeps code blocks whole, whatever their size', () => {
    const code = '```ts\n' + 'const a = `<b>__x</b>`;\n'.repeat(3000) + '```\n';
    const blocks = guardBlocks(`intro\n\n${code}\nafter\n`);
    assert.equal(blocks.length, 3);
    assert.equal(blocks[1]!.fence, true);
    assert.equal(blocks[1]!.plain, false);
    assert.equal(blocks.map((b) => b.text).join(''), `intro\n\n${code}\nafter\n`, 'guarded text of ordinary input is the input');
  });

  it('limits what is rendered of one message, at a line end when one is near', () => {
    const text = 'line\n'.repeat(MAX_RENDER_CHARS / 4);
    const limited = renderLimit(text);
    assert.ok(limited.text.length <= MAX_RENDER_CHARS && limited.text.endsWith('\n'));
    assert.equal(limited.text.length + limited.omitted, text.length);
    assert.deepEqual(renderLimit('short'), { text: 'short', omitted: 0 });
  });
});

describe('markdown guard: plain-text limits', () => {
  it('cuts plain text at MAX_PLAIN_LINES lines or MAX_PLAIN_CHARS characters, and counts the rest', async () => {
    const { plainLimit, MAX_PLAIN_LINES, MAX_PLAIN_CHARS } = await import('../../webview/markdown-guard');
    assert.deepEqual(plainLimit('a\nb'), { text: 'a\nb', omittedLines: 0, omittedChars: 0 });
    const lines = plainLimit('x\n'.repeat(MAX_PLAIN_LINES + 10));
    assert.equal(lines.text.split('\n').length, MAX_PLAIN_LINES);
    assert.equal(lines.omittedLines, 10);
    const long = plainLimit('y'.repeat(MAX_PLAIN_CHARS + 5));
    assert.equal(long.text.length, MAX_PLAIN_CHARS);
    assert.equal(long.omittedChars, 5);
  });
});
