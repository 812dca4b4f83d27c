import assert from 'node:assert/strict';
import { redactSecrets } from '../../server/appserver/redact';

describe('redactSecrets (runtime stderr in the Output channel, issue 13 flaw 8)', () => {
  it('removes keys, tokens and secret-looking values', () => {
    const cases: [string, RegExp][] = [
      ['error: invalid key sk-proj-AbCdEf0123456789xyz', /invalid key \[redacted\]$/],
      ['Authorization: Bearer abcdefghijklmnop.qrs', /Authorization: \[redacted\]|Bearer \[redacted\]/],
      ['OPENAI_API_KEY=supersecretvalue123 codex', /OPENAI_API_KEY=\[redacted\] codex/],
      ['{"access_token": "tok_123456789"}', /"access_token": "\[redacted\]"/],
      ['id token eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl here', /id token \[redacted\] here/],
    ];
    for (const [line, expected] of cases) {
      const out = redactSecrets(line);
      assert.match(out, expected, out);
      assert.doesNotMatch(out, /sk-proj-AbCd|abcdefghijklmnop|supersecretvalue|tok_123456789|c2lnbmF0dXJl/);
    }
  });

  it('leaves ordinary diagnostics alone', () => {
    for (const line of ['2026-12-03T15:00:00Z WARN codex_core: stream disconnected, retrying in 2s', 'error: model not found: gpt-x', 'tokens used: 1200']) {
      assert.equal(redactSecrets(line), line);
    }
  });
});
