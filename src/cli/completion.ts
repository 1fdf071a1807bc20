// `tagbase completion bash|zsh`: a script that completes the command's subcommands, options and
// the few arguments whose words are fixed (import kinds, models, templates), written from the
// program's own command tree, so it never lists a command or option the program lacks.
// Completing needs no store and starts no Node: the script holds every word it offers.
// The module is light (main.ts reads COMPLETION_SHELLS at every start); the models and templates
// are loaded only when a script is written.
import type { Command } from 'commander';

export const COMPLETION_SHELLS = ['bash', 'zsh'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** What can follow a command: its subcommands and options, and which options take a value. */
export interface CompletionNode {
  /** The command's path below `tagbase` (`segment count`); `''` for `tagbase` itself. */
  path: string;
  subcommands: string[];
  options: string[];
  /** Options followed by a value of their own (`-w demo`): after one, no command word is offered. */
  valueOptions: string[];
  /** Words for the command's positional arguments, one list per argument, where they are fixed. */
  argumentWords: string[][];
}

/** The words of positional arguments that can only be one of a few, by command path. */
async function fixedArgumentWords(): Promise<Readonly<Record<string, string[][]>>> {
  const [{ MODEL_KINDS }, { listTemplates }] = await Promise.all([import('../core/models/catalog.js'), import('../core/templates/index.js')]);
  const models = MODEL_KINDS.map((kind) => kind.key);
  const templates = listTemplates().map((template) => template.key);
  return {
    import: [['customers', 'events', 'assignments']],
    'model enable': [models],
    'model refresh': [models],
    'model disable': [models],
    'template show': [templates],
    'template apply': [templates],
    completion: [[...COMPLETION_SHELLS]],
  };
}

/** Every command of the program, the program first, each with what may follow it. */
export async function completionNodes(program: Command): Promise<CompletionNode[]> {
  const fixed = await fixedArgumentWords();
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string[]): void => {
    const key = path.join(' ');
    const options: string[] = [];
    const valueOptions: string[] = [];
    for (const option of command.options) {
      if (option.hidden) continue;
      const flags = [option.short, option.long].filter((flag): flag is string => flag !== undefined);
      options.push(...flags);
      if (option.required || option.optional) valueOptions.push(...flags);
    }
    options.push('--help');
    const subcommands = command.commands.filter((sub) => !(sub as Command & { _hidden?: boolean })._hidden);
    nodes.push({
      path: key,
      subcommands: subcommands.flatMap((sub) => [sub.name(), ...sub.aliases()]),
      options,
      valueOptions,
      argumentWords: fixed[key] ?? [],
    });
    for (const sub of subcommands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  // `tagbase help COMMAND`: commander answers it without declaring it among the commands.
  const root = nodes[0];
  if (root !== undefined && !root.subcommands.includes('help')) {
    nodes.push({ path: 'help', subcommands: [], options: [], valueOptions: [], argumentWords: [[...root.subcommands]] });
    root.subcommands.push('help');
  }
  return nodes;
}

/** Single-quoted for the shell: every word here is plain, but a quote would end the string. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The bash script. It walks the words typed so far: a word naming a subcommand of the command
 * reached moves to it, an option taking a value skips that value, anything else is an argument
 * (counted, for arguments whose words are fixed). Then it offers the subcommands and options of
 * the command reached, or an argument's words, or, after an option taking a value or where
 * nothing fits, what bash offers by default (file names).
 */
export async function bashCompletionScript(program: Command): Promise<string> {
  const nodes = await completionNodes(program);
  const arm = (path: string, body: string) => `    ${quoted(path)}) ${body} ;;`;
  const words = nodes.map((node) => arm(node.path, `words=${quoted([...node.subcommands, ...node.options].join(' '))}`));
  const children = nodes.filter((node) => node.subcommands.length > 0).map((node) => arm(node.path, `children=${quoted(` ${node.subcommands.join(' ')} `)}`));
  const valued = nodes.filter((node) => node.valueOptions.length > 0).map((node) => arm(node.path, `valued=${quoted(` ${node.valueOptions.join(' ')} `)}`));
  const argumentArms = nodes.flatMap((node) => node.argumentWords.map((list, index) => arm(`${node.path}#${index}`, `words=${quoted(list.join(' '))}`)));
  return `# tagbase completion for bash. Load it in this shell:  source <(tagbase completion bash)
# or for every shell: tagbase completion bash > ~/.local/share/bash-completion/completions/tagbase
_tagbase_children() {
  children=''
  case "$1" in
${children.join('\n')}
  esac
}
_tagbase_valued() {
  valued=''
  case "$1" in
${valued.join('\n')}
  esac
}
_tagbase_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path='' word children valued words arguments=0 skip=0 i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$word" in
      --*=*) continue ;;
      -*)
        _tagbase_valued "$path"
        [[ "$valued" == *" $word "* ]] && skip=1
        continue ;;
    esac
    _tagbase_children "$path"
    if ((arguments == 0)) && [[ "$children" == *" $word "* ]]; then
      path="\${path:+$path }$word"
    else
      arguments=$((arguments + 1))
    fi
  done
  COMPREPLY=()
  ((skip)) && return 0
  words=''
  if [[ "$cur" != -* ]] && ((arguments > 0)); then
    case "$path#$((arguments))" in
${argumentArms.map((line) => `  ${line}`).join('\n')}
    esac
  elif [[ "$cur" != -* ]]; then
    case "$path#0" in
${argumentArms.filter((line) => line.includes("#0'")).map((line) => `  ${line}`).join('\n')}
    esac
    _tagbase_children "$path"
    if [[ -n "$children" ]]; then words="$words $children"; fi
  else
    case "$path" in
${words.map((line) => `  ${line}`).join('\n')}
    esac
  fi
  [[ -z "$words" ]] && return 0
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _tagbase_complete tagbase
`;
}

/** zsh reads the bash script through its bash completion layer. */
export async function zshCompletionScript(program: Command): Promise<string> {
  return `# tagbase completion for zsh. Load it in this shell:  source <(tagbase completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${(await bashCompletionScript(program)).split('\n').filter((line) => !line.startsWith('# ')).join('\n')}`;
}
