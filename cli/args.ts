import { GLOBAL_FLAGS } from './compat';
import { usageError } from './errors';

/**
 * Argument parsing without a framework: global flags anywhere, command words, then the
 * command's flags. Parameters are always flags (`--session-id S`), never positionals.
 * `--name=value` and `--name value`; booleans as `--name`, `--no-name`, `--name=false`
 * or codex-manager's `--name true|false`; text flags also take `--name-file PATH` (`-`
 * is stdin); nullable ones `--clear-name`.
 */

export interface OptionDef {
  name: string;
  /** Placeholder of the value; absent for boolean flags. */
  value?: string;
  repeat?: boolean;
  help?: string;
  /** Accepts `--<name>-file PATH` for its text. */
  fileVariant?: boolean;
  /** Accepts `--clear-<name>` (sends null). */
  clearable?: boolean;
  enum?: readonly string[];
  hidden?: boolean;
}

export type RawValue = { kind: 'text'; text: string } | { kind: 'file'; path: string } | { kind: 'null' } | { kind: 'bool'; value: boolean };

export interface ParsedOptions {
  values: Map<string, RawValue[]>;
  positionals: string[];
  /** Arguments after a `--` that follows the command words. */
  rest: string[];
}

export interface Globals {
  profile?: string;
  baseUrl?: string;
  apiPrefix?: string;
  timeoutMs?: string;
  bearer?: string;
  headers: string[];
  rbacToken?: string;
  role?: string;
  actor?: string;
  allowStatus?: string;
  json: boolean;
  jsonl: boolean;
  verbose: boolean;
  noColor: boolean;
  help: boolean;
  version: boolean;
}

const GLOBAL_DEFS: OptionDef[] = GLOBAL_FLAGS.map((g) => ({
  name: g.flag,
  ...('value' in g ? { value: g.value } : {}),
  ...('repeat' in g ? { repeat: true } : {}),
  help: g.help,
}));
GLOBAL_DEFS.push({ name: 'version', help: 'Print the version' });

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

function setGlobal(globals: Globals, name: string, raw: RawValue): void {
  const key = camel(name === 'no-color' ? 'noColor' : name) as keyof Globals;
  if (raw.kind === 'bool') {
    (globals as unknown as Record<string, unknown>)[key] = raw.value;
  } else if (raw.kind === 'text') {
    if (key === 'headers') globals.headers.push(raw.text);
    else (globals as unknown as Record<string, unknown>)[key] = raw.text;
  }
}

export function emptyGlobals(): Globals {
  return { headers: [], json: false, jsonl: false, verbose: false, noColor: false, help: false, version: false };
}

const BOOL_WORDS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false, on: true, off: false };

/** Edit distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    const limit = Math.max(2, Math.floor(c.length / 3));
    if (d < bestD && d <= limit) {
      best = c;
      bestD = d;
    }
  }
  if (!best) best = [...candidates].find((c) => c.startsWith(word) || (word.length > 3 && c.includes(word)));
  return best;
}

interface Lookup {
  def: OptionDef;
  global: boolean;
  /** How the token names the flag: directly, as its -file variant, as --clear-x, or as --no-x. */
  via: 'name' | 'file' | 'clear' | 'negated';
}

function lookup(name: string, defs: Map<string, OptionDef>, globalsAllowed: boolean): Lookup | undefined {
  const own = defs.get(name);
  if (own) return { def: own, global: false, via: 'name' };
  if (name.endsWith('-file')) {
    const base = defs.get(name.slice(0, -5));
    if (base?.fileVariant) return { def: base, global: false, via: 'file' };
  }
  if (name.startsWith('clear-')) {
    const base = defs.get(name.slice(6));
    if (base?.clearable) return { def: base, global: false, via: 'clear' };
  }
  if (name.startsWith('no-')) {
    const base = defs.get(name.slice(3));
    if (base && !base.value) return { def: base, global: false, via: 'negated' };
  }
  if (globalsAllowed) {
    const g = GLOBAL_DEFS.find((d) => d.name === name);
    if (g) return { def: g, global: true, via: 'name' };
  }
  return undefined;
}

/**
 * Parses the tokens after the command words against the command's options; global
 * flags are accepted anywhere (a command option of the same name wins).
 */
export function parseOptions(tokens: readonly string[], commandDefs: readonly OptionDef[], globals: Globals, where: string): ParsedOptions {
  const defs = new Map(commandDefs.map((d) => [d.name, d]));
  const values = new Map<string, RawValue[]>();
  const positionals: string[] = [];
  let rest: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') {
      rest = tokens.slice(i + 1);
      break;
    }
    if (token === '-h') {
      globals.help = true;
      continue;
    }
    if (!token.startsWith('--') || token === '-') {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    const found = lookup(name, defs, true);
    if (!found) {
      const names = [...defs.keys(), ...GLOBAL_DEFS.map((d) => d.name)];
      const guess = suggest(name, names);
      throw usageError(`unknown flag --${name} for ${where}`, guess ? `did you mean --${guess}? (see \`codex-manager ${where} --help\`)` : `see \`codex-manager ${where} --help\``);
    }
    const { def, via } = found;
    let raw: RawValue;
    if (via === 'clear') {
      if (inline !== undefined) throw usageError(`--${name} takes no value`, `write --${name} alone`);
      raw = { kind: 'null' };
    } else if (via === 'negated') {
      raw = { kind: 'bool', value: false };
    } else if (!def.value) {
      if (inline !== undefined) {
        const b = BOOL_WORDS[inline.toLowerCase()];
        if (b === undefined) throw usageError(`--${name} is true or false, not ${JSON.stringify(inline)}`, `write --${name} or --no-${name}`);
        raw = { kind: 'bool', value: b };
      } else {
        const next = tokens[i + 1];
        const b = next === undefined ? undefined : BOOL_WORDS[next.toLowerCase()];
        if (b !== undefined) i++;
        raw = { kind: 'bool', value: b ?? true };
      }
    } else {
      let text = inline;
      if (text === undefined) {
        if (i + 1 >= tokens.length) throw usageError(`--${name} needs a value (${def.value})`, `e.g. --${name} ${def.value === 'json' ? "'{...}'" : def.value.toUpperCase()}`);
        text = tokens[++i]!;
      }
      raw = via === 'file' ? { kind: 'file', path: text } : { kind: 'text', text };
    }
    if (found.global) {
      setGlobal(globals, def.name, raw);
      continue;
    }
    const list = values.get(def.name) ?? [];
    if (list.length && !def.repeat) list.length = 0;
    list.push(raw);
    values.set(def.name, list);
  }
  return { values, positionals, rest };
}

export interface Split {
  globals: Globals;
  words: string[];
  tail: string[];
}

/**
 * Global flags before the command, then the longest run of words that names a command
 * (or a group) in the tree; whatever follows is the command's.
 */
export function splitArgv(argv: readonly string[], isPath: (words: string[]) => boolean): Split {
  const globals = emptyGlobals();
  const tokens = argv[0] === '--' ? argv.slice(1) : [...argv];
  const words: string[] = [];
  let i = 0;
  for (; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith('-') && words.length === 0) {
      if (token === '-h') {
        globals.help = true;
        continue;
      }
      if (token === '-v') {
        globals.version = true;
        continue;
      }
      // A global flag before the command: parse it (and its value) on its own.
      const eq = token.indexOf('=');
      const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
      const def = GLOBAL_DEFS.find((d) => d.name === name);
      if (!def) {
        const guess = suggest(name, GLOBAL_DEFS.map((d) => d.name));
        throw usageError(`unknown global flag ${token}`, guess ? `did you mean --${guess}?` : 'see `codex-manager --help`');
      }
      const take = def.value && eq === -1 ? 2 : 1;
      parseOptions(tokens.slice(i, i + take), [], globals, 'codex-manager');
      i += take - 1;
      continue;
    }
    if (!token.startsWith('-') && isPath([...words, token])) {
      words.push(token);
      continue;
    }
    break;
  }
  return { globals, words, tail: tokens.slice(i) };
}
