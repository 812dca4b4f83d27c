/**
 * Secrets out of a line of runtime output before it is shown to a person (the editor's
 * Output channel): API keys, bearer tokens, JWTs, and the values of `key=`/`token:`-like
 * assignments. Deliberately broad; a false positive costs a few redacted characters.
 */
const PATTERNS: [RegExp, string][] = [
  // OpenAI-style keys (sk-..., sk-proj-...), GitHub tokens, AWS access keys.
  [/\b(sk-[A-Za-z0-9_-]{8,}|gh[pousr]_[A-Za-z0-9]{16,}|AKIA[0-9A-Z]{16})\b/g, '[redacted]'],
  // JSON Web Tokens (ChatGPT sign-in access and id tokens).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted]'],
  // Authorization headers.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // name=value / "name": "value" where the name says secret.
  [/((?:api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|token|secret|password|passwd|authorization|cookie)"?\s*[:=]\s*"?)([^\s",}&]+)/gi, '$1[redacted]'],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
