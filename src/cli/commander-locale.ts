// commander's own words (help headings, its usage errors) in the user's language. commander
// has no translations, so under Chinese its English lines are matched against the patterns in
// the message table and reworded; a line no pattern knows stays as commander wrote it.
import { Help, type Command, type Option } from 'commander';
import type { Locale } from '../core/locale.js';
import { CLI_MESSAGES, cliMessages, fillMessage, type MessageKey } from './messages.js';

/** Tried in this order: the longer suggestion must win over the shorter one it contains. */
const COMMANDER_LINES = [
  'commander.unknownOption',
  'commander.unknownCommand',
  'commander.missingArgument',
  'commander.optionMissingArgument',
  'commander.invalidOptionArgument',
  'commander.missingMandatoryOption',
  'commander.invalidArgument',
  'commander.excessArguments',
  'commander.excessArgument',
  'commander.suggestMany',
  'commander.suggestOne',
] as const satisfies readonly MessageKey[];

/** commander's note of a default that is nothing: a switch off, an empty list, empty text. */
const EMPTY_DEFAULT = / \(default: (?:false|\[\]|"")\)$/s;

const HELP_TITLES = ['help.title.usage', 'help.title.arguments', 'help.title.options', 'help.title.globalOptions', 'help.title.commands'] as const satisfies readonly MessageKey[];

/**
 * Double-width characters, which take two columns on a terminal: CJK and full-width forms, the
 * rarer characters beyond the first plane (CJK Extension B on: 𠮷, the 生僻字 of some names) and
 * emoji, as WeChat nicknames hold them (小王🐱).
 */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F680}-\u{1F6FF}\u{1F900}-\u{1F9FF}\u{1FA70}-\u{1FAFF}\u{20000}-\u{3FFFD}]/gu;

/** Characters that take no column of their own: combining marks, zero-width joiners and spaces, variation selectors. */
const ZERO_WIDTH = /\p{Mn}|\u200B|\u200C|\u200D|\u2060|\p{Variation_Selector}/gu;

/** Columns the text takes on a terminal. */
export function terminalWidth(text: string): number {
  return [...text].length + (text.match(WIDE)?.length ?? 0) - (text.match(ZERO_WIDTH)?.length ?? 0);
}

/**
 * Rows as aligned columns two spaces apart, measured in terminal columns (a Chinese character is
 * two); left-aligned unless `rightAligned` says otherwise, and a column empty in every row left out.
 */
export function terminalTable(rows: readonly (readonly string[])[], rightAligned: (column: number) => boolean = () => false): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, terminalWidth(cell))));
  return rows.map((row) =>
    row
      .flatMap((cell, column) => {
        const width = widths[column] ?? 0;
        if (width === 0) return [];
        const pad = ' '.repeat(width - terminalWidth(cell));
        return [rightAligned(column) ? pad + cell : cell + pad];
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Words the program's help and usage errors in `locale`. Called before any subcommand is added:
 * subcommands copy these settings from their parent when they are created.
 */
export function localizeCommander(program: Command, locale: Locale): Command {
  const say = cliMessages(locale);
  program.helpOption('-h, --help', say('help.help')).helpCommand('help [command]', say('help.help'));
  const base = new Help();
  // commander's own width, less its colours' escapes, counts UTF-16 units: its text is measured here instead.
  const measure = (text: string) => terminalWidth(text) - (text.length - base.displayWidth(text));
  // In either language, as English help names Chinese examples too (鞋码, 会员备注).
  // A default of nothing (a switch off, an empty list) tells nothing: "(default: false)" is left out.
  const described = (option: Option) => base.optionDescription(option).replace(EMPTY_DEFAULT, '');
  const wrapping = {
    optionDescription: described,
    // Keeps wrapped help inside the terminal when a line holds Chinese.
    displayWidth: measure,
    // commander breaks lines at spaces only, and Chinese has none: a description ran on past
    // the terminal's edge in one line, or broke only at an English word inside it.
    boxWrap: (text: string, width: number) => wrapWide(text, width, measure),
    // Every command takes options (-w, -d at least), so "[options]" in a list of commands says
    // nothing, and it took the room a description needs to wrap (`tag assign <tag> <value>
    // [customers...]`); a command's own help still shows it in its usage line.
    subcommandTerm: (command: Command) => base.subcommandTerm(command).replace(' [options]', ''),
  };
  if (locale === 'en') return program.configureHelp(wrapping);
  const titles = new Map<string, string>(HELP_TITLES.map((key) => [CLI_MESSAGES[key].en, CLI_MESSAGES[key][locale]]));
  const defaultSuffix = new RegExp(` ${patternOf(CLI_MESSAGES['help.default'].en)}$`, 's');
  // An option's or an argument's default, as commander writes it after the description, in the help's language.
  const localDefault = (text: string) => {
    const match = defaultSuffix.exec(text);
    return match?.groups ? `${text.slice(0, match.index)}${say('help.default', { value: match.groups.value ?? '' })}` : text;
  };
  return program
    .configureHelp({
      ...wrapping,
      // Every heading passes through styleTitle, the one hook that sees its words.
      styleTitle: (title) => titles.get(title) ?? title,
      // The usage line's placeholders in the help's language; an argument's own name stays, as
      // the list of arguments below names it.
      commandUsage: (command) => base.commandUsage(command).replace('[options]', say('help.usage.options')).replace('[command]', say('help.usage.command')),
      optionDescription: (option) => localDefault(described(option)),
      argumentDescription: (argument) => localDefault(base.argumentDescription(argument)),
    })
    .configureOutput({ outputError: (text, write) => write(translateCommanderError(text, locale)) });
}

/**
 * Punctuation that closes a phrase: kept on the line of the character before it, as Chinese
 * typesetting never starts a line with it.
 */
const CLOSING = '，。、；：！？）」』”’》…';
/** Brackets and marks that open one: kept on the line of what they open (`(鞋码` stays whole). */
const OPENING = '（「『“‘《([{';

const WIDE_SET = WIDE.source.slice(1, -1);
/**
 * A break may come before any wide character and between words; a mark sticks to what it opens
 * or closes, and a character no other branch takes (a lone bracket) is a chunk of its own, so
 * that every character of the text is kept.
 */
const WRAP_CHUNKS = new RegExp(`\\s*(?:[${OPENING}]*(?:${WIDE.source}|[^\\s${WIDE_SET}]*[^\\s${WIDE_SET}${OPENING}])|\\S)[${CLOSING}]*`, 'gu');

/**
 * `text` in lines at most `width` columns wide (`measure` counts them), breaking between words
 * and between Chinese characters; a word longer than the width stays whole on its own line.
 */
export function wrapWide(text: string, width: number, measure: (text: string) => number = terminalWidth): string {
  // commander's own floor (`minWidthToWrap`): narrower than that, wrapping helps nobody.
  if (width < 40) return text;
  return text
    .split(/\r\n|\n/)
    .map((line) => {
      const chunks = line.match(WRAP_CHUNKS);
      if (chunks === null) return '';
      const lines: string[] = [];
      let current = chunks[0] ?? '';
      for (const chunk of chunks.slice(1)) {
        if (measure(current + chunk) <= width) {
          current += chunk;
          continue;
        }
        lines.push(current);
        current = chunk.trimStart();
      }
      lines.push(current);
      return lines.join('\n');
    })
    .join('\n');
}

/** commander's error text, line by line, in `locale`. */
export function translateCommanderError(text: string, locale: Locale): string {
  if (locale === 'en') return text;
  return text
    .split('\n')
    .map((line) => {
      for (const key of COMMANDER_LINES) {
        const match = new RegExp(`^${patternOf(CLI_MESSAGES[key].en)}$`, 's').exec(line);
        if (match?.groups) return fillMessage(CLI_MESSAGES[key][locale], match.groups);
      }
      return line;
    })
    .join('\n');
}

/** A message text as a regular expression source, each `{{name}}` a named group. */
function patternOf(text: string): string {
  return text
    .split(/(\{\{\w+\}\})/)
    .map((part, index) => (index % 2 === 1 ? `(?<${part.slice(2, -2)}>.*?)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
}
