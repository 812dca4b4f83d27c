import type { OptionDef } from './args';
import { EXTRA_COMMANDS, EXTRA_OPTIONS, type ExtraCommand } from './extras';
import { MANIFEST, type CommandSpec, type FlagSpec } from './manifest';

/** The command tree: derived commands (one per operation) and the extras, by their words. */

export type Entry =
  | { kind: 'op'; command: string; spec: CommandSpec; options: OptionDef[] }
  | { kind: 'extra'; command: string; spec: ExtraCommand; options: OptionDef[] };

export interface TreeNode {
  name: string;
  words: string[];
  children: Map<string, TreeNode>;
  entry?: Entry;
}

const FILE_KINDS = new Set(['string', 'json', 'any', 'list', 'text-or-json']);

export function placeholder(flag: FlagSpec): string | undefined {
  switch (flag.kind) {
    case 'boolean': return undefined;
    case 'integer':
    case 'number': return 'n';
    case 'enum': return flag.enum!.join('|').length <= 24 ? flag.enum!.join('|') : 'value';
    case 'json': return 'json';
    case 'any':
    case 'text-or-json': return 'value';
    case 'list': return flag.csv ? 'a,b' : 'value';
    default: return /(^|-)id$/.test(flag.name) ? 'id' : /dir|path|cwd/.test(flag.name) ? 'path' : 'text';
  }
}

export function flagOption(flag: FlagSpec): OptionDef {
  const value = placeholder(flag);
  return {
    name: flag.name,
    ...(value ? { value } : {}),
    ...(flag.kind === 'list' ? { repeat: true } : {}),
    ...(FILE_KINDS.has(flag.kind) ? { fileVariant: true } : {}),
    ...(flag.nullable ? { clearable: true } : {}),
    ...(flag.enum ? { enum: flag.enum } : {}),
    ...(flag.description ? { help: flag.description } : {}),
  };
}

export function opOptions(spec: CommandSpec): OptionDef[] {
  const options = spec.flags.map(flagOption);
  if (spec.body && !spec.flags.some((f) => f.name === 'body')) {
    options.push({ name: 'body', value: 'json', fileVariant: true, help: 'The whole request body: JSON, @file, or - for stdin; flags override its fields' });
  }
  // Extras add options, or refine a derived one (e.g. a repeatable --thread-id).
  for (const o of EXTRA_OPTIONS[spec.command] ?? []) {
    const i = options.findIndex((x) => x.name === o.name);
    if (i >= 0) options[i] = { ...options[i]!, ...o };
    else options.push(o);
  }
  return options;
}

let cached: TreeNode | undefined;

export function commandTree(): TreeNode {
  if (cached) return cached;
  const root: TreeNode = { name: '', words: [], children: new Map() };
  const add = (entry: Entry) => {
    let node = root;
    for (const word of entry.command.split(' ')) {
      let child = node.children.get(word);
      if (!child) {
        child = { name: word, words: [...node.words, word], children: new Map() };
        node.children.set(word, child);
      }
      node = child;
    }
    node.entry = entry;
  };
  for (const spec of MANIFEST.commands) add({ kind: 'op', command: spec.command, spec, options: opOptions(spec) });
  for (const spec of EXTRA_COMMANDS) add({ kind: 'extra', command: spec.command, spec, options: spec.options });
  cached = root;
  return root;
}

export function nodeAt(words: readonly string[]): TreeNode | undefined {
  let node: TreeNode | undefined = commandTree();
  for (const w of words) node = node?.children.get(w);
  return node;
}

/** Every command entry, depth first. */
export function allEntries(node: TreeNode = commandTree()): Entry[] {
  const out: Entry[] = node.entry ? [node.entry] : [];
  for (const child of node.children.values()) out.push(...allEntries(child));
  return out;
}
