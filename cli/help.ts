import type { OptionDef } from './args';
import { ENVIRONMENT, GLOBAL_FLAGS } from './compat';
import { GROUP_SUMMARIES } from './extras';
import type { FlagSpec } from './manifest';
import type { Painter } from './output';
import { allEntries, type Entry, type TreeNode } from './tree';

/** Help text, generated from the same tree as the commands and the completion scripts. */

const EXIT_CODES = '0 ok, 1 error, 2 usage, 3 not found, 4 conflict, 5 auth';

function wrap(text: string, width: number, indent: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - indent) {
      lines.push(line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n' + ' '.repeat(indent));
}

function optionLines(options: readonly { left: string; help: string }[], paint: Painter, width: number): string {
  const col = Math.min(34, Math.max(...options.map((o) => o.left.length)) + 2);
  return options.map((o) => {
    if (!o.help.trim()) return `  ${paint('cyan', o.left)}`;
    const pad = o.left.length + 2 > col ? `\n${' '.repeat(col + 2)}` : ' '.repeat(col - o.left.length);
    return `  ${paint('cyan', o.left)}${pad}${wrap(o.help, width, col + 2)}`;
  }).join('\n') + '\n';
}

export function globalFlagsText(paint: Painter, width: number): string {
  return optionLines(GLOBAL_FLAGS.map((g) => ({ left: `--${g.flag}${'value' in g ? ` <${g.value}>` : ''}`, help: g.help })), paint, width);
}

export function mainHelp(root: TreeNode, paint: Painter, version: string, width = 100): string {
  const groups = [...root.children.values()].map((child) => {
    const sub = [...child.children.keys()];
    const summary = GROUP_SUMMARIES[child.name] ?? child.entry?.spec.summary ?? sub.join(', ');
    return { left: child.name, help: summary };
  }).sort((a, b) => (a.left < b.left ? -1 : a.left > b.left ? 1 : 0)); // not localeCompare: ICU start-up costs 20+ ms
  const count = allEntries(root).length;
  return `${paint('bold', 'codex-manager')} ${version}: the Codex Manager bridge and its clients, in a terminal

${paint('bold', 'Usage')}
  codex-manager <command> [flags]          e.g. codex-manager sessions send --session-id S --text "hi" --wait
  codex-manager <command> --help           flags of a command (${count} commands)

${paint('bold', 'Commands')}
${optionLines(groups, paint, width)}
${paint('bold', 'Global flags')}
${globalFlagsText(paint, width)}
${paint('bold', 'Connection')}
  With no flags, the CLI uses the running bridge found by discovery and its token file.
  Otherwise, per setting: flags, then environment, then the profile (--profile, else the
  current one in $XDG_CONFIG_HOME/codex-manager/cli/config.json).
${ENVIRONMENT.map(([env, flag]) => `  ${paint('cyan', env.padEnd(28))} ${flag}`).join('\n')}

${paint('bold', 'Output')}
  Tables and key/value views for people (colours off with NO_COLOR or when piped); --json
  for the envelope {ok, command, request, response}; --jsonl for streams.
  Exit codes: ${EXIT_CODES}.
`;
}

export function groupHelp(node: TreeNode, paint: Painter, width = 100): string {
  const rows = allEntries(node).map((e) => ({ left: e.command, help: e.spec.summary }));
  const title = GROUP_SUMMARIES[node.words[0]!];
  return `${title ? `${title}\n\n` : ''}${paint('bold', 'Usage')}
  codex-manager ${node.words.join(' ')} <command> [flags]

${paint('bold', 'Commands')}
${optionLines(rows, paint, width)}
Run \`codex-manager <command> --help\` for its flags.
`;
}

function flagHelp(flag: FlagSpec | undefined, option: OptionDef): string {
  const parts: string[] = [];
  if (option.help) parts.push(option.help.replace(/\.$/, ''));
  if (option.enum && option.value !== option.enum.join('|')) parts.push(`one of: ${option.enum.join(', ')}`);
  if (flag) {
    if (flag.required) parts.push('(required)');
    if (flag.when) parts.push(`(with --${flag.when.split('=')[0]!.replace(/([A-Z])/g, '-$1').toLowerCase()} ${flag.when.split('=')[1]!.split(',').join('|')})`);
    if (flag.kind === 'json') parts.push('JSON or @file');
    if (flag.kind === 'list') parts.push(flag.csv ? 'comma-separated, repeatable, or a JSON array' : 'repeatable, or a JSON array');
    if (flag.kind === 'any') parts.push('JSON, or text');
    if (flag.nullable) parts.push(`--clear-${flag.name} sends null`);
    if (flag.in === 'query' || flag.in === 'path') parts.push(`[${flag.in}]`);
    if (flag.shadowsGlobal) parts.push(`(here the ${flag.field} field; the global --${flag.name} goes before the command words)`);
  }
  return parts.join(' ');
}

export function commandHelp(entry: Entry, paint: Painter, width = 100): string {
  const flags = entry.kind === 'op' ? new Map(entry.spec.flags.map((f) => [f.name, f])) : new Map<string, FlagSpec>();
  const options = entry.options.filter((o) => !o.hidden);
  const required = entry.kind === 'op' ? entry.spec.flags.filter((f) => f.required && !f.when) : [];
  const usageFlags = required.map((f) => {
    const value = entry.options.find((o) => o.name === f.name)?.value;
    return `--${f.name}${value ? ` <${value}>` : ''}`;
  });
  const positional = entry.kind === 'extra' && entry.spec.positional ? ` ${entry.spec.positional}` : '';
  let text = `${entry.spec.summary}\n`;
  if (entry.spec.description) text += `\n${wrap(entry.spec.description.replace(/`/g, ''), width, 0)}\n`;
  text += `\n${paint('bold', 'Usage')}\n  codex-manager ${entry.command}${positional}${usageFlags.length ? ` ${usageFlags.join(' ')}` : ''}${options.length > required.length ? ' [flags]' : ''}\n`;
  if (options.length) {
    text += `\n${paint('bold', 'Flags')}\n`;
    text += optionLines(options.map((o) => ({ left: `--${o.name}${o.value ? ` <${o.value}>` : ''}`, help: flagHelp(flags.get(o.name), o) })), paint, width);
    if (options.some((o) => o.fileVariant)) text += `  ${paint('dim', 'Text flags also take --<flag>-file PATH (- for stdin).')}\n`;
  }
  if (entry.kind === 'op') {
    const { spec } = entry;
    text += `\n${paint('bold', 'API')}\n  ${spec.method} ${spec.path}   (operation ${spec.id}${spec.idempotent ? ', idempotent' : ''})\n`;
    const outcomes = spec.statuses.filter((s) => s >= 300);
    if (outcomes.length) text += `  Declared statuses: ${spec.statuses.join(', ')}.${spec.expect.length ? ` Counted as success (exit 0): ${spec.expect.join(', ')}.` : ''}\n`;
  }
  if (entry.kind === 'extra' && entry.spec.examples?.length) {
    text += `\n${paint('bold', 'Examples')}\n${entry.spec.examples.map((e) => `  ${e}`).join('\n')}\n`;
  }
  text += `\nGlobal flags: see \`codex-manager --help\`. Exit codes: ${EXIT_CODES}.\n`;
  return text;
}
