import { GLOBAL_FLAGS } from './compat';
import { commandTree, type TreeNode } from './tree';

/**
 * Shell completion for bash, zsh and fish, generated from the command tree: command
 * words, each command's flags, and the values of enum flags. The scripts are static
 * (no node start per TAB); regenerate them after upgrading.
 */

interface Row {
  path: string;
  children: string[];
  flags: string[];
  valued: string[];
  enums: [string, string[]][];
}

function rows(node: TreeNode = commandTree(), out: Row[] = []): Row[] {
  const options = node.entry?.options.filter((o) => !o.hidden) ?? [];
  out.push({
    path: node.words.join(' '),
    children: [...node.children.keys()],
    flags: options.flatMap((o) => [`--${o.name}`, ...(o.clearable ? [`--clear-${o.name}`] : [])]),
    valued: options.filter((o) => o.value).map((o) => `--${o.name}`),
    enums: options.filter((o) => o.enum?.length).map((o) => [`--${o.name}`, [...o.enum!]]),
  });
  for (const child of node.children.values()) rows(child, out);
  return out;
}

const GLOBAL = GLOBAL_FLAGS.map((g) => `--${g.flag}`).join(' ');
const GLOBAL_VALUED = GLOBAL_FLAGS.filter((g) => 'value' in g).map((g) => `--${g.flag}`).join(' ');

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function shTables(prefix: string): string {
  const all = rows();
  const fn = (name: string, pick: (r: Row) => string[]) =>
    `${prefix}_${name}() {\n  case "$1" in\n${all.filter((r) => pick(r).length).map((r) => `    ${q(r.path)}) echo ${q(pick(r).join(' '))} ;;`).join('\n')}\n  esac\n}\n`;
  const enums = all.flatMap((r) => r.enums.map(([flag, values]) => `    ${q(`${r.path}|${flag}`)}) echo ${q(values.join(' '))} ;;`));
  return fn('children', (r) => r.children) + fn('flags', (r) => r.flags) + fn('valued', (r) => r.valued)
    + `${prefix}_enum() {\n  case "$1|$2" in\n${enums.join('\n')}\n  esac\n}\n`
    + `${prefix}_gflags=${q(GLOBAL)}\n${prefix}_gvalued=${q(GLOBAL_VALUED)}\n`;
}

/** Walks the words before the cursor: the command path, skipping flags and their values. */
const SH_WALK = (first: string, last: string, word: string) => `  local cmpath="" i w skip=0
  for ((i=${first}; i<${last}; i++)); do
    w="${word}"
    if ((skip)); then skip=0; continue; fi
    if [[ "$w" == -* ]]; then
      [[ "$w" != *=* && " $(__codex_manager_valued "$cmpath") $__codex_manager_gvalued " == *" $w "* ]] && skip=1
      continue
    fi
    [[ " $(__codex_manager_children "$cmpath") " == *" $w "* ]] && cmpath="\${cmpath:+$cmpath }$w"
  done`;

export function bashScript(): string {
  return `# codex-manager completion for bash. Load it with: source <(codex-manager completion bash)
${shTables('__codex_manager')}
_codex_manager() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
${SH_WALK('1', 'COMP_CWORD', '${COMP_WORDS[i]}')}
  if [[ "$prev" == --* && " $(__codex_manager_valued "$cmpath") $__codex_manager_gvalued " == *" $prev "* ]]; then
    local values; values="$(__codex_manager_enum "$cmpath" "$prev")"
    if [[ -n "$values" ]]; then COMPREPLY=($(compgen -W "$values" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
    return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(__codex_manager_flags "$cmpath") $__codex_manager_gflags" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(__codex_manager_children "$cmpath")" -- "$cur"))
  fi
}
complete -F _codex_manager codex-manager cmgr
`;
}

export function zshScript(): string {
  return `#compdef codex-manager cmgr
# codex-manager completion for zsh: save as _codex-manager in a directory of $fpath
# (e.g. codex-manager completion zsh > "\${fpath[1]}/_codex-manager"), or source it.
${shTables('__codex_manager')}
_codex_manager() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
${SH_WALK('2', 'CURRENT', '${words[i]}')}
  local -a cands
  if [[ "$prev" == --* && " $(__codex_manager_valued "$cmpath") $__codex_manager_gvalued " == *" $prev "* ]]; then
    local values; values="$(__codex_manager_enum "$cmpath" "$prev")"
    if [[ -n "$values" ]]; then cands=(\${=values}); compadd -a cands; else _files; fi
    return
  fi
  if [[ "$cur" == -* ]]; then
    cands=(\${=$(__codex_manager_flags "$cmpath")} \${=__codex_manager_gflags})
  else
    cands=(\${=$(__codex_manager_children "$cmpath")})
  fi
  compadd -a cands
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then _codex_manager "$@"; else compdef _codex_manager codex-manager cmgr; fi
`;
}

export function fishScript(): string {
  const all = rows();
  const fn = (name: string, pick: (r: Row) => string[]) =>
    `function __codex_manager_${name}\n    switch $argv[1]\n${all.filter((r) => pick(r).length).map((r) => `        case ${q(r.path)}\n            printf '%s\\n' ${pick(r).map(q).join(' ')}`).join('\n')}\n    end\nend\n`;
  const enums = all.flatMap((r) => r.enums.map(([flag, values]) => `        case ${q(`${r.path}|${flag}`)}\n            printf '%s\\n' ${values.map(q).join(' ')}`));
  return `# codex-manager completion for fish: codex-manager completion fish > ~/.config/fish/completions/codex-manager.fish
${fn('children', (r) => r.children)}${fn('flags', (r) => r.flags)}${fn('valued', (r) => r.valued)}function __codex_manager_enum
    switch "$argv[1]|$argv[2]"
${enums.join('\n')}
    end
end
set -g __codex_manager_gflags ${GLOBAL}
set -g __codex_manager_gvalued ${GLOBAL_VALUED}
function __codex_manager_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmpath ''
    set -l skip 0
    if test (count $tokens) -gt 1
        for w in $tokens[2..-1]
            if test $skip -eq 1
                set skip 0
                continue
            end
            if string match -q -- '-*' $w
                if not string match -q -- '*=*' $w; and contains -- $w (__codex_manager_valued "$cmpath") $__codex_manager_gvalued
                    set skip 1
                end
                continue
            end
            if contains -- $w (__codex_manager_children "$cmpath")
                set cmpath (string trim -- "$cmpath $w")
            end
        end
    end
    set -l prev $tokens[-1]
    if string match -q -- '--*' $prev; and contains -- $prev (__codex_manager_valued "$cmpath") $__codex_manager_gvalued
        set -l values (__codex_manager_enum "$cmpath" $prev)
        if test (count $values) -gt 0
            printf '%s\\n' $values
        else
            __fish_complete_path $cur
        end
        return
    end
    if string match -q -- '-*' $cur
        printf '%s\\n' (__codex_manager_flags "$cmpath") $__codex_manager_gflags
    else
        __codex_manager_children "$cmpath"
    end
end
complete -c codex-manager -f -a '(__codex_manager_complete)'
complete -c cmgr -f -a '(__codex_manager_complete)'
`;
}

export function completionScript(shell: string): string | undefined {
  if (shell === 'bash') return bashScript();
  if (shell === 'zsh') return zshScript();
  if (shell === 'fish') return fishScript();
  return undefined;
}
