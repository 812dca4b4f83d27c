import fs from 'node:fs';
import type { ParsedOptions, RawValue } from './args';
import { usageError } from './errors';
import type { CommandSpec, FlagSpec } from './manifest';

/**
 * Flag text → wire values, typed by the manifest, and the request parts they make:
 * path parameters, query and body (with `--body` as the base the flags override).
 */

let stdinText: string | undefined;
function readStdin(): string {
  stdinText ??= fs.readFileSync(0, 'utf8');
  return stdinText;
}

export function readSource(source: string, flag: string): string {
  if (source === '-') return readStdin();
  try {
    return fs.readFileSync(source, 'utf8');
  } catch (error) {
    throw usageError(`--${flag}: cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'give a readable file path, or - for stdin');
  }
}

/** JSON text, `@file` or `-` (stdin). */
export function parseJsonArg(text: string, flag: string): unknown {
  const source = text === '-' ? readStdin() : text.startsWith('@') ? readSource(text.slice(1), flag) : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    throw usageError(`--${flag} is not valid JSON (${(error as Error).message})`, `quote it for the shell, e.g. --${flag} '{"key":"value"}', or pass @file`);
  }
}

function textOf(raw: RawValue, flag: string): string {
  if (raw.kind === 'file') return readSource(raw.path, `${flag}-file`);
  if (raw.kind === 'text') return raw.text;
  return String(raw.kind === 'bool' ? raw.value : '');
}

export function convert(flag: FlagSpec, raws: RawValue[]): unknown {
  const last = raws[raws.length - 1]!;
  if (last.kind === 'null') return null;
  if (flag.alias) return last.kind === 'bool' && last.value ? flag.alias.value : undefined;
  switch (flag.kind) {
    case 'boolean':
      if (last.kind !== 'bool') throw usageError(`--${flag.name} is true or false`, `write --${flag.name} or --no-${flag.name}`);
      return last.value;
    case 'integer':
    case 'number': {
      const text = textOf(last, flag.name).trim();
      const n = Number(text);
      if (!text || !Number.isFinite(n) || (flag.kind === 'integer' && !Number.isInteger(n))) {
        throw usageError(`--${flag.name} expects ${flag.kind === 'integer' ? 'an integer' : 'a number'}, not ${JSON.stringify(text)}`, `e.g. --${flag.name} 10`);
      }
      return n;
    }
    case 'enum': {
      const text = textOf(last, flag.name);
      if (!flag.enum!.includes(text)) {
        const ci = flag.enum!.find((v) => v.toLowerCase() === text.toLowerCase());
        if (ci) return ci;
        throw usageError(`--${flag.name} must be one of ${flag.enum!.join(', ')}; got ${JSON.stringify(text)}`, `e.g. --${flag.name} ${flag.enum![0]}`);
      }
      return text;
    }
    case 'json': {
      const text = last.kind === 'file' ? readSource(last.path, `${flag.name}-file`) : textOf(last, flag.name);
      return parseJsonArg(text, flag.name);
    }
    case 'any': {
      const text = last.kind === 'text' && last.text.startsWith('@') ? readSource(last.text.slice(1), flag.name) : textOf(last, flag.name);
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    case 'text-or-json': {
      const text = textOf(last, flag.name);
      return /^\s*[[{]/.test(text) ? parseJsonArg(text, flag.name) : text;
    }
    case 'list': {
      const items: string[] = [];
      for (const raw of raws) {
        if (raw.kind === 'null') continue;
        const text = textOf(raw, flag.name);
        if (/^\s*\[/.test(text) || (raw.kind === 'text' && text.startsWith('@'))) {
          const v = parseJsonArg(text, flag.name);
          if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw usageError(`--${flag.name} must be a JSON array of strings`, `e.g. --${flag.name} '["a","b"]'`);
          items.push(...v);
        } else if (flag.csv) {
          items.push(...text.split(',').map((s) => s.trim()).filter(Boolean));
        } else {
          items.push(text);
        }
      }
      return items;
    }
    default:
      return textOf(last, flag.name);
  }
}

function getPath(obj: Record<string, unknown>, dotted: string): unknown {
  let cur: unknown = obj;
  for (const key of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

export interface BuiltRequest {
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  /** The path with the parameters filled in (still with the declared /api prefix). */
  path: string;
}

/** The request parts of an operation command; usage errors name every missing flag at once. */
export function buildRequest(spec: CommandSpec, parsed: ParsedOptions): BuiltRequest {
  const params: Record<string, string> = {};
  const query: Record<string, string | string[]> = {};
  let body: Record<string, unknown> | undefined;
  let openBody: unknown;

  const bodyRaw = parsed.values.get('body');
  if (bodyRaw && spec.body && !spec.flags.some((f) => f.name === 'body')) {
    const last = bodyRaw[bodyRaw.length - 1]!;
    const text = last.kind === 'file' ? readSource(last.path, 'body-file') : last.kind === 'text' ? last.text : '';
    const value = parseJsonArg(text, 'body');
    if (spec.body.open) openBody = value;
    else if (value === null || typeof value !== 'object' || Array.isArray(value)) throw usageError('--body must be a JSON object', "e.g. --body '{\"text\":\"hi\"}'");
    else body = { ...(value as Record<string, unknown>) };
  }

  for (const flag of spec.flags) {
    let raws = parsed.values.get(flag.name);
    if (flag.rest && parsed.rest.length) raws = [...(raws ?? []), ...parsed.rest.map((text) => ({ kind: 'text', text }) as RawValue)];
    if (!raws?.length) continue;
    const value = convert(flag, raws);
    if (value === undefined) continue;
    if (flag.in === 'path') params[flag.field] = String(value);
    else if (flag.in === 'query') query[flag.field] = Array.isArray(value) ? value.map(String) : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    else setPath((body ??= {}), flag.field, value);
  }

  if (parsed.rest.length && !spec.flags.some((f) => f.rest)) {
    throw usageError(`${spec.command} takes no arguments after --`, `parameters are flags; see \`codex-manager ${spec.command} --help\``);
  }
  if (parsed.positionals.length) {
    const first = parsed.positionals[0]!;
    const lonely = spec.flags.filter((f) => f.required && f.in === 'path');
    throw usageError(`unexpected argument ${JSON.stringify(first)}: parameters are flags, never positionals`,
      lonely.length ? `write --${lonely[0]!.name} ${first}` : `see \`codex-manager ${spec.command} --help\``);
  }

  if (body && spec.body?.nullDefaults) {
    for (const field of spec.body.nullDefaults) {
      const parent = field.includes('.') ? getPath(body, field.slice(0, field.lastIndexOf('.'))) : body;
      if (parent && typeof parent === 'object' && getPath(body, field) === undefined) setPath(body, field, null);
    }
  } else if (!body && spec.body?.nullDefaults?.some((f) => !f.includes('.')) && spec.body.required) {
    body = {};
    for (const field of spec.body.nullDefaults) if (!field.includes('.')) body[field] = null;
  }

  const missing: string[] = [];
  for (const flag of spec.flags) {
    if (flag.in === 'path' && params[flag.field] === undefined) missing.push(`--${flag.name}`);
    if (flag.in === 'query' && flag.required && query[flag.field] === undefined) missing.push(`--${flag.name}`);
  }
  if (spec.body && !spec.body.open) {
    const flagFor = (field: string) => spec.flags.find((f) => f.in === 'body' && f.field === field);
    let required: string[] = spec.body.requiredFields ?? [];
    if (spec.body.discriminator) {
      const d = body?.[spec.body.discriminator];
      required = typeof d === 'string' && spec.body.variants?.[d] ? spec.body.variants[d]! : [spec.body.discriminator];
    }
    if (body || spec.body.required) {
      // A parent whose fields have flags of their own is reported through them.
      const hasChildFlags = (field: string) => spec.flags.some((f) => f.in === 'body' && f.field.startsWith(`${field}.`));
      for (const field of required) {
        if (getPath(body ?? {}, field) !== undefined || hasChildFlags(field)) continue;
        const f = flagFor(field);
        missing.push(f ? `--${f.name}` : `body field ${field}`);
      }
    }
  } else if (spec.body?.open && spec.body.required && openBody === undefined) {
    missing.push('--body');
  }
  if (missing.length) {
    const unique = [...new Set(missing)];
    throw usageError(`missing ${unique.join(', ')} for ${spec.command}`, `see \`codex-manager ${spec.command} --help\``);
  }

  const path = spec.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
  return { params, query, body: spec.body?.open ? openBody : body, path };
}

/** The flag a validation issue path (`["body","decision"]`) is about. */
export function flagForIssue(spec: CommandSpec, path: readonly (string | number)[]): string | undefined {
  const [where, ...rest] = path;
  const location = where === 'params' ? 'path' : where === 'query' ? 'query' : where === 'body' ? 'body' : undefined;
  if (!location) return undefined;
  for (let n = rest.length; n > 0; n--) {
    const field = rest.slice(0, n).join('.');
    const flag = spec.flags.find((f) => f.in === location && f.field === field && !f.alias);
    if (flag) return `--${flag.name}`;
  }
  return location === 'body' ? '--body' : undefined;
}
