// How diagnostics read in English. These sentences are the messages the product has always
// given, so scripts and tests that read them see the same text.
import type { AttributeDescription, DiagnosticWording, LiteralDescription, TokenDescription } from './diagnostic.js';
import { printString } from './printer.js';

/** `segment("a") → segment("b") → …`, shortened in the middle past eight. */
export function segmentChainText(segments: readonly string[], more: (count: number) => string): string {
  const calls = segments.map((key) => `segment(${printString(key)})`);
  const shown = calls.length <= 8 ? calls : [...calls.slice(0, 4), more(calls.length - 6), ...calls.slice(-2)];
  return shown.join(' → ');
}

/** What the invisible characters most often pasted into an expression are called. */
export const INVISIBLE_NAMES: Readonly<Record<string, { en: string; zh: string }>> = {
  'U+200B': { en: 'zero-width space', zh: '零宽空格' },
  'U+200C': { en: 'zero-width non-joiner', zh: '零宽不连字' },
  'U+200D': { en: 'zero-width joiner', zh: '零宽连字' },
  'U+2060': { en: 'word joiner', zh: '零宽不换行' },
  'U+FEFF': { en: 'byte order mark', zh: '字节顺序标记' },
  'U+00A0': { en: 'no-break space', zh: '不换行空格' },
  'U+00AD': { en: 'soft hyphen', zh: '软连字符' },
  'U+200E': { en: 'left-to-right mark', zh: '从左到右标记' },
  'U+200F': { en: 'right-to-left mark', zh: '从右到左标记' },
};

/** Expectations that are descriptions rather than literal text, so they are not quoted. */
export const EXPECTATION_DESCRIPTIONS = new Set(['a name', 'a string', 'a number', 'end of input', 'N days ago', 'date("…")', 'tagged("…")', 'segment("…")']);

/** `"=", "in" or a string`. */
export function describeExpectedEn(expected: readonly string[]): string {
  const items = expected.map((item) => (EXPECTATION_DESCRIPTIONS.has(item) ? item : `"${item}"`));
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

function token(description: TokenDescription): string {
  switch (description.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `the string ${description.text}`;
    case 'number':
      return `the number ${description.text}`;
    case 'keyword':
      return `the keyword "${description.text}"`;
    case 'name':
      return `the name ${description.text}`;
    case 'symbol':
      return `"${description.text}"`;
    default: {
      const unreachable: never = description;
      return unreachable;
    }
  }
}

const TYPE_LABELS: Record<AttributeDescription['type'], string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  date: 'a date',
  timestamp: 'a timestamp',
  enum: 'one of a fixed list of options',
};

function attribute(description: AttributeDescription): string {
  return `${description.source} "${description.key}" (${TYPE_LABELS[description.type]})`;
}

function literal(description: LiteralDescription): string {
  switch (description.kind) {
    case 'string':
      return `the text ${description.text}`;
    case 'number':
      return `the number ${description.text}`;
    case 'boolean':
      return description.text;
    case 'date':
      return `the date ${description.text}`;
    case 'ago':
      return `the relative date ${description.text}`;
    default: {
      const unreachable: never = description.kind;
      return unreachable;
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const UNKNOWN_WHAT = { tag: 'tag', segment: 'segment', subject: 'tag, field or metric' } as const;
const QUOTE_NAMES: Readonly<Record<string, string>> = { '"': 'double quote', "'": 'single quote', '`': 'backtick' };
export const CURLY_QUOTES = '“”‘’';
export const CORNER_QUOTES = '「」『』';

export const DIAGNOSTICS_EN: DiagnosticWording = {
  full_width_character: ({ char, ascii }) => {
    // A quote set in quotes reads as a row of quotes, so quotes are named in words.
    const quote = QUOTE_NAMES[ascii];
    if (quote === undefined) return `Full-width "${char}" is not part of the language; type the ASCII "${ascii}" instead.`;
    if (CORNER_QUOTES.includes(char)) return `Corner quote ${char} is not part of the language; type the ASCII ${quote} ${ascii} instead.`;
    return `${CURLY_QUOTES.includes(char) ? 'Curly' : 'Full-width'} ${quote} ${char} is not part of the language; type the ASCII ${quote} ${ascii} instead.`;
  },
  unexpected_bang: () => 'Unexpected "!": write "!=" for "not equal", or the word "not".',
  unexpected_minus: () => 'Unexpected "-": a minus sign starts a negative number, and "--" starts a comment.',
  operator_slip: ({ written, operator }) =>
    operator === 'and' || operator === 'or' ? `"${written}" is not part of the language; join conditions with "${operator}".` : `"${written}" is not part of the language; compare with "${operator}".`,
  list_bracket: ({ char }) => `Unexpected character "${char}": lists are written in parentheses, as in city in ("广州", "深圳").`,
  invisible_character: ({ code }) => {
    const name = INVISIBLE_NAMES[code];
    return `Unexpected invisible character ${code}${name === undefined ? '' : ` (${name.en})`}, often pasted with text: delete it.`;
  },
  unexpected_character: ({ char }) => `Unexpected character "${char}". Quote names that contain it with backticks, or values with double quotes.`,
  number_too_large: ({ text }) => `The number ${text} is too large.`,
  unterminated: ({ what, quote }) => `Unterminated ${what === 'name' ? 'quoted name' : 'string'}: it needs a closing ${quote} on the same line.`,
  empty_quoted_name: () => 'A quoted name cannot be empty.',
  unknown_escape: ({ text }) => `Unknown escape "${text}": use \\\\, \\", \\', \\\`, \\n, \\r, \\t, \\0, \\uXXXX or \\u{X…}.`,
  empty_expression: () => 'The expression is empty: write a condition such as rfm = "重要价值客户".',
  unbalanced_parenthesis: () => 'Unbalanced ")": no "(" opens it.',
  chinese_operator: ({ word, operator }) => `"${word}" is not part of the language; compare with "${operator}".`,
  chinese_connective: ({ word, keyword }) => `"${word}" is not part of the language; join conditions with "${keyword}".`,
  chinese_unit: ({ word, suggestion }) => `"${word}" is not part of the language; write ${suggestion}.`,
  chinese_call: ({ word, call }) =>
    call === 'segment' ? `"${word}(…)" is not part of the language; membership of a saved segment is segment("key or name").` : `"${word}(…)" is not part of the language; holding any value of a tag is tagged("key or name").`,
  unexpected_token: ({ expected, token: found }) => `Expected ${describeExpectedEn(expected)} but found ${token(found)}.`,
  condition_starts_with_name: () => 'A condition starts with a name, then an operator and a value, e.g. city = "广州".',
  argument_not_quoted: ({ suggestion }) => `The argument is quoted text: write ${suggestion}.`,
  keyword_as_name: ({ keyword, suggestion }) => `Expected a name but found the keyword "${keyword}". To use it as a name, quote it: ${suggestion}.`,
  not_exists: () => 'Write "missing" rather than "not exists".',
  expected_operator: ({ subject, token: found }) => `Expected an operator after "${subject}" but found ${token(found)}.`,
  value_not_quoted: ({ token: found, suggestion }) => `Expected a value but found ${token(found)}. Text values are quoted: write ${suggestion}.`,
  date_not_quoted: ({ text, suggestion }) => `Expected a value but found ${text} without quotes. Dates are quoted: write ${suggestion}.`,
  expected_ago: ({ amount, unit }) => `Expected "ago" after "${amount} ${unit}${amount === 1 ? '' : 's'}": relative dates count back from now, e.g. 90 days ago.`,
  too_deep: ({ max }) => `The expression nests deeper than ${max} levels of parentheses and "not".`,
  too_deep_through_segments: ({ max, depth, segments }) =>
    `The expression nests deeper than ${max} levels of parentheses, "not" and segment("…") with the saved segments it reads written out where it reads them: ${depth} levels through ${segmentChainText(segments, (count) => `… ${count} more …`)}.`,
  unknown_name: ({ what, name, suggestion }) => {
    const word = UNKNOWN_WHAT[what];
    return `Unknown ${word} "${name}": no ${word} has that key or name.${suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`}`;
  },
  archived_tag: ({ tag }) => `Tag "${tag}" is archived: restore it in the tag library, or take it out of the expression.`,
  empty_name: ({ what }) => (what === 'segment' ? 'segment("") names no segment: write its key or name between the quotes, as in segment("active_buyers").' : 'tagged("") names no tag: write its key or name between the quotes, as in tagged("rfm").'),
  unknown_tag_value: ({ tag, value, suggestion }) => `Tag "${tag}" has no value ${value}.${suggestion === undefined ? '' : ` Did you mean ${printString(suggestion)}?`}`,
  tag_value_not_text: ({ tag, literal: found }) => `Tag "${tag}" is compared with tag values, which are quoted text, not ${literal(found)}.`,
  unknown_option: ({ source, key, option, options, suggestion }) => {
    const hint = suggestion === undefined ? ` Its options are ${options.map((item) => printString(item)).join(', ')}.` : ` Did you mean ${printString(suggestion)}?`;
    return `${capitalize(source)} "${key}" has no option ${printString(option)}.${hint}`;
  },
  value_type_mismatch: ({ attribute: subject, literal: found }) => `${capitalize(attribute(subject))} cannot be compared with ${literal(found)}.`,
  invalid_date: ({ text, attribute: subject, time }) =>
    `${text} is not a valid date: ${attribute(subject)} needs ${time ? 'a date like "2026-01-31" or a time like "2026-01-31T08:00:00+08:00"' : 'a real date written like "2026-01-31"'}.`,
  invalid_duration: ({ text, max }) => `"${text}" is not a valid duration: use a whole number from 0 up to ${max} days in total.`,
  temporal_operator: ({ operator, attribute: subject }) => `"${operator}" compares dates and timestamps; ${attribute(subject)} is not one.`,
  ordering_operator: ({ operator, attribute: subject }) => `"${operator}" compares numbers, dates and timestamps; ${attribute(subject)} has no order.`,
  between_unordered: ({ attribute: subject }) => `"between" works on numbers, dates, timestamps and ordered tags; ${attribute(subject)} is not one.`,
  has_on_attribute: ({ quantifier, attribute: subject }) => `"has ${quantifier}" is for multi-valued tags; ${attribute(subject)} holds one value. Use "in" or "not in".`,
  within_not_temporal: ({ attribute: subject }) => `"within" works on dates and timestamps; ${attribute(subject)} is not one.`,
  relative_equality: ({ attribute: subject, text }) => `${capitalize(attribute(subject))} cannot equal ${text} exactly; use "before", "after", "between" or "within".`,
  tag_temporal_operator: ({ operator, tag }) => `"${operator}" compares dates and timestamps; tag "${tag}" holds tag values.`,
  tag_needs_has: ({ tag }) => `Tag "${tag}" holds several values per customer; test it with "has any", "has all" or "has none".`,
  tag_not_ordered: ({ operator, tag }) => `"${operator}" needs an ordered tag; the values of tag "${tag}" have no order.`,
  tag_single_has: ({ tag, quantifier }) => `Tag "${tag}" holds one value per customer; "has ${quantifier}" is for multi-valued tags. Use "in" or "not in".`,
  tag_within: ({ tag }) => `"within" works on dates and timestamps; tag "${tag}" holds tag values.`,
  bare_not_boolean: ({ attribute: subject, example }) =>
    `${capitalize(attribute(subject))} is not true or false, so it is no condition alone: compare it, as ${example}, or test it with "exists".`,
  bare_tag: ({ tag, example }) => `Tag "${tag}" holds tag values, so it is no condition alone: compare it, as ${example}, or test it with "exists".`,
};
