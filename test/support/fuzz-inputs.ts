import fc from 'fast-check';
import type { z } from 'zod';
import type { OperationSpec } from '../../protocol/operation';
import type { Fixture } from './fuzz-guard';
import { HARMLESS_COMMANDS } from './fuzz-guard';
import type { RawRequest } from './raw-http';

/** Path segments that routers and decoders get wrong: dot segments, encoded slashes, broken escapes, odd bytes. */
const EDGE_SEGMENTS = [
  '..', '.', '%2e%2e', '%2E', '%2F', 'a%2Fb', '..%2F..%2Fruntime%2Frestart', '%2F..%2F..%2Fapi%2Fruntime%2Frestart',
  '%00', '%', '%zz', '%E0%A4%A', '%C0%AF', '%FF%FE', '%20', '~', '*', '%3F', '%23', 'null', 'undefined', '__proto__', 'constructor',
];
/** Query strings a parser may choke on: broken escapes, empty pairs, repeated and prototype keys. */
const EDGE_QUERIES = [
  '?', '?&&=&', '?%zz=1', '?a', '?=x', '?limit=1e309', '?limit=-0', '?limit=0x10', '?limit=%00', '?archived=maybe',
  '?__proto__=x', '?__proto__=a&__proto__=b', '?constructor=1', '?cursor=&limit=', '?scope=session&scope=default', '?key=%FF',
];
/** Bodies that are not JSON, or are JSON a careless parser mishandles. */
export const MALFORMED_BODIES = [
  '{', '{"a":', '[1,2', 'nul', '{"a":1}}', "{'a':1}", 'undefined', 'NaN', '{"a":NaN}', '\u0000', '\uFEFF{}', '""', '0', '-', '1e999', 'true',
  '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"a":"\\ud800"}', '[]', 'null',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'BREW'];

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD, as UTF-8 cannot carry them). */
export function encodeSegment(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Top-level keys an input schema names (objects, discriminated unions, wrappers). */
export function keysOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, unknown>; options?: z.ZodType[]; in?: z.ZodType; innerType?: z.ZodType } } })._zod.def;
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') return [...new Set((def.options ?? []).flatMap(keysOf))];
  if (def.type === 'pipe') return keysOf(def.in);
  if (def.innerType) return keysOf(def.innerType);
  return [];
}

const weirdText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 5000 }).map((n) => 'é'.repeat(n)) },
);

/** A value of the wrong type for almost any field. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), weirdText,
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** One path segment: weird text (encoded), an edge case (raw), a long one, or (weighted) the fixture's real id. */
function segment(name: string, fixture: Fixture): fc.Arbitrary<string> {
  const real = name === 'sessionId' ? fixture.sessionId : name === 'projectId' ? fixture.projectId : undefined;
  return fc.oneof(
    { weight: 4, arbitrary: weirdText.filter((s) => s.length > 0).map(encodeSegment) },
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_SEGMENTS) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 6000 }).map((n) => 'x'.repeat(n)) },
    { weight: real ? 4 : 0, arbitrary: fc.constant(real ?? 'x') },
  );
}

function pathWith(spec: OperationSpec, params: Record<string, string>): string {
  return spec.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? 'x');
}

/** The operation's path with each placeholder from `segmentOf` (`realFirst` favours the fixture's ids). */
function pathArb(spec: OperationSpec, fixture: Fixture, realFirst: boolean): fc.Arbitrary<string> {
  const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  if (!names.length) return fc.constant(spec.path);
  const real = (name: string) => (name === 'sessionId' ? fixture.sessionId : name === 'projectId' ? fixture.projectId : undefined);
  const record = Object.fromEntries(names.map((name) => {
    const id = real(name);
    return [name, realFirst && id ? fc.oneof({ weight: 3, arbitrary: fc.constant(id) }, { weight: 1, arbitrary: segment(name, fixture) }) : segment(name, fixture)];
  }));
  return fc.record(record).map((params) => pathWith(spec, params));
}

function queryArb(spec: OperationSpec): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...keysOf(spec.query), 'x'), fc.string({ maxLength: 8 }));
  const pairs = fc.array(fc.tuple(key, fc.oneof(weirdText, fc.constantFrom('true', 'false', '0', '-1', '201', '1.5', ''))), { minLength: 1, maxLength: 4 });
  return fc.oneof(
    { weight: 3, arbitrary: pairs.map((list) => `?${list.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&')}`) },
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_QUERIES) },
  );
}

/** executeCommand's valid inputs, kept to harmless commands, with every kind of working directory. */
const harmlessExec = fc.record({
  command: fc.tuple(fc.constantFrom(...HARMLESS_COMMANDS), fc.array(weirdText, { maxLength: 3 })).map(([cmd, args]) => [cmd, ...args]),
  cwd: fc.oneof(weirdText, fc.constantFrom('', '.', '..', '/', '/nonexistent/dir', '/etc/hostname', 'sub/dir', 'a\u0000b', '~')),
  timeoutMs: fc.integer({ min: 1, max: 5000 }),
}, { requiredKeys: ['command'] });

function bodyArb(spec: OperationSpec, contractBody: fc.Arbitrary<unknown> | undefined): fc.Arbitrary<string> {
  const keys = keysOf(spec.body);
  const options: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_BODIES) },
  ];
  if (keys.length) {
    const record = fc.record(Object.fromEntries(keys.map((k) => [k, wrongValue])), { requiredKeys: [] });
    options.push({ weight: 3, arbitrary: record.map((v) => JSON.stringify(v)) });
  }
  if (contractBody) options.push({ weight: 3, arbitrary: contractBody.map((v) => JSON.stringify(v)) });
  if (spec.id === 'executeCommand') options.push({ weight: 3, arbitrary: harmlessExec.map((v) => JSON.stringify(v)) });
  return fc.oneof(...options);
}

/**
 * Requests aimed at one operation: odd path parameters, odd queries, odd bodies (random
 * JSON, its own fields with wrong types, bodies valid under codex-manager's contract,
 * malformed JSON), and other methods on its path.
 */
export function requestsFor(spec: OperationSpec, fixture: Fixture, contractBody?: fc.Arbitrary<unknown>): fc.Arbitrary<RawRequest & { kind: string }> {
  const withBody = spec.method !== 'GET' && spec.method !== 'DELETE';
  const body = bodyArb(spec, contractBody);
  return fc.oneof(
    fc.record({ path: pathArb(spec, fixture, false), body: withBody ? body : fc.constant(undefined) })
      .map((r) => ({ kind: 'params', method: spec.method, path: r.path, ...(r.body === undefined ? {} : { body: r.body }) })),
    fc.record({ path: pathArb(spec, fixture, true), query: queryArb(spec) })
      .map((r) => ({ kind: 'query', method: spec.method, path: r.path + r.query })),
    fc.record({ path: pathArb(spec, fixture, true), body })
      .map((r) => ({ kind: 'body', method: spec.method, path: r.path, body: r.body })),
    fc.record({ path: pathArb(spec, fixture, false), method: fc.constantFrom(...METHODS), body: fc.option(body, { nil: undefined }) })
      .map((r) => ({ kind: 'method', method: r.method, path: r.path, ...(r.body === undefined || r.method === 'HEAD' ? {} : { body: r.body }) })),
  );
}
