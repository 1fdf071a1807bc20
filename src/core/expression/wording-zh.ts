// How diagnostics read in Chinese. Names from the catalog are set in 「」; what the operator
// should type (operators, quoted values, rewrites) keeps its ASCII quotes, so it can be copied.
import type { AttributeDescription, DiagnosticWording, LiteralDescription, TokenDescription } from './diagnostic.js';
import { printString } from './printer.js';
import { CORNER_QUOTES, CURLY_QUOTES, EXPECTATION_DESCRIPTIONS, INVISIBLE_NAMES, segmentChainText } from './wording-en.js';

const EXPECTATIONS: Readonly<Record<string, string>> = {
  'a name': '名称',
  'a string': '字符串',
  'a number': '数字',
  'end of input': '表达式结尾',
};

/** `"="、"in" 或 字符串`. */
export function describeExpectedZh(expected: readonly string[]): string {
  const items = expected.map((item) => EXPECTATIONS[item] ?? (EXPECTATION_DESCRIPTIONS.has(item) ? item : `"${item}"`));
  if (items.length <= 1) return items[0] ?? '其他内容';
  return `${items.slice(0, -1).join('、')} 或 ${items[items.length - 1] ?? ''}`;
}

function token(description: TokenDescription): string {
  switch (description.kind) {
    case 'end':
      return '表达式结尾';
    case 'string':
      return `字符串 ${description.text}`;
    case 'number':
      return `数字 ${description.text}`;
    case 'keyword':
      return `关键字 "${description.text}"`;
    case 'name':
      return `名称 ${description.text}`;
    case 'symbol':
      return `符号 "${description.text}"`;
    default: {
      const unreachable: never = description;
      return unreachable;
    }
  }
}

const TYPE_LABELS: Record<AttributeDescription['type'], string> = {
  string: '文本',
  number: '数字',
  boolean: 'true 或 false',
  date: '日期',
  timestamp: '时间戳',
  enum: '固定选项',
};

const SOURCES = { field: '字段', metric: '指标' } as const;

function attribute(description: AttributeDescription): string {
  return `${SOURCES[description.source]}「${description.key}」（${TYPE_LABELS[description.type]}）`;
}

function literal(description: LiteralDescription): string {
  switch (description.kind) {
    case 'string':
      return `文本 ${description.text}`;
    case 'number':
      return `数字 ${description.text}`;
    case 'boolean':
      return `布尔值 ${description.text}`;
    case 'date':
      return `日期 ${description.text}`;
    case 'ago':
      return `相对日期 ${description.text}`;
    default: {
      const unreachable: never = description.kind;
      return unreachable;
    }
  }
}

/** A space before text that starts in ASCII, as Chinese sets Latin text apart. */
function spaced(text: string): string {
  return /^[\x20-\x7e]/.test(text) ? ` ${text}` : text;
}

const UNKNOWN_WHAT = { tag: '标签', segment: '人群', subject: '标签、字段或指标' } as const;
const QUOTE_NAMES: Readonly<Record<string, string>> = { '"': '双引号', "'": '单引号', '`': '反引号' };
const UNITS: Readonly<Record<string, string>> = { day: '天', week: '周', month: '个月', year: '年' };

export const DIAGNOSTICS_ZH: DiagnosticWording = {
  full_width_character: ({ char, ascii }) => {
    // A quote set in quotes reads as a row of quotes, so quotes are named in words.
    const quote = QUOTE_NAMES[ascii];
    if (quote === undefined) return `不能使用全角字符“${char}”，请改用半角的 "${ascii}"。`;
    const written = CORNER_QUOTES.includes(char) ? '直角引号' : CURLY_QUOTES.includes(char) ? '中文引号' : `全角${quote}`;
    return `不能使用${written} ${char}，请改用半角${quote} ${ascii}。`;
  },
  unexpected_bang: () => '这里不能单独使用 "!"：“不等于”请写 "!="，取反请写 not。',
  unexpected_minus: () => '这里不能单独使用 "-"：负号只能写在数字前面，"--" 表示注释。',
  operator_slip: ({ written, operator }) => (operator === 'and' || operator === 'or' ? `不能用 "${written}" 连接条件，请改用 "${operator}"。` : `不能用 "${written}" 作比较，请改用 "${operator}"。`),
  list_bracket: ({ char }) => `无法识别的字符 "${char}"：列表用圆括号括起来，例如 city in ("广州", "深圳")。`,
  invisible_character: ({ code }) => {
    const name = INVISIBLE_NAMES[code];
    return `无法识别的不可见字符 ${code}${name === undefined ? '' : `（${name.zh}）`}，常随粘贴的文字带入：请删除它。`;
  },
  unexpected_character: ({ char }) => `无法识别的字符 "${char}"。名称中含有它时请用反引号括起来，值请用双引号括起来。`,
  number_too_large: ({ text }) => `数字 ${text} 太大了。`,
  unterminated: ({ what, quote }) => `${what === 'name' ? '带反引号的名称' : '字符串'}没有结束：需要在同一行内用 ${quote} 闭合。`,
  empty_quoted_name: () => '带反引号的名称不能为空。',
  unknown_escape: ({ text }) => `无法识别的转义 "${text}"：可用的转义有 \\\\、\\"、\\'、\\\`、\\n、\\r、\\t、\\0、\\uXXXX 和 \\u{X…}。`,
  empty_expression: () => '表达式为空：请写一个条件，例如 rfm = "重要价值客户"。',
  unbalanced_parenthesis: () => '括号不配对：这个 ")" 前面没有对应的 "("。',
  chinese_operator: ({ word, operator }) => `不能用“${word}”作比较，请改用 "${operator}"。`,
  chinese_connective: ({ word, keyword }) => `不能用“${word}”连接条件，请改用 "${keyword}"。`,
  chinese_unit: ({ word, suggestion }) => `不能用“${word}”表示时间，请写成 ${suggestion}。`,
  chinese_call: ({ word, call }) => (call === 'segment' ? `不能写“${word}(…)”；属于已保存人群请写成 segment("标识或名称")。` : `不能写“${word}(…)”；有某个标签的任一值请写成 tagged("标识或名称")。`),
  unexpected_token: ({ expected, token: found }) => `这里应为${spaced(describeExpectedZh(expected))}，实际是${token(found)}。`,
  condition_starts_with_name: () => '条件要以名称开头，后面是运算符和值，例如 city = "广州"。',
  argument_not_quoted: ({ suggestion }) => `参数是带引号的文本：请写成 ${suggestion}。`,
  keyword_as_name: ({ keyword, suggestion }) => `这里应为名称，实际是关键字 "${keyword}"。如要把它当作名称，请加反引号：${suggestion}。`,
  not_exists: () => '请写 "missing"，而不是 "not exists"。',
  expected_operator: ({ subject, token: found }) => `「${subject}」后面应为运算符，实际是${token(found)}。`,
  value_not_quoted: ({ token: found, suggestion }) => `这里应为一个值，实际是${token(found)}。文本值要加引号：请写成 ${suggestion}。`,
  date_not_quoted: ({ text, suggestion }) => `这里应为一个值，实际是没加引号的 ${text}。日期要加引号：请写成 ${suggestion}。`,
  expected_ago: ({ amount, unit }) => `「${amount} ${UNITS[unit] ?? unit}」后面应为 "ago"：相对日期从现在往前算，例如 90 days ago。`,
  too_deep: ({ max }) => `表达式中括号和 "not" 的嵌套超过了 ${max} 层。`,
  too_deep_through_segments: ({ max, depth, segments }) =>
    `把读取的人群在读取处展开后，表达式中括号、"not" 和 segment("…") 的嵌套超过了 ${max} 层：经由 ${segmentChainText(segments, (count) => `…另有 ${count} 个…`)} 共 ${depth} 层。`,
  unknown_name: ({ what, name, suggestion }) => {
    const word = UNKNOWN_WHAT[what];
    return `未知的${word}「${name}」：没有标识或名称为它的${word}。${suggestion === undefined ? '' : `您是不是要找「${suggestion}」？`}`;
  },
  archived_tag: ({ tag }) => `标签「${tag}」已归档：请在标签库中恢复它，或从表达式中去掉它。`,
  empty_name: ({ what }) => (what === 'segment' ? 'segment("") 没有写人群：请在引号中写上人群的标识或名称，例如 segment("活跃买家")。' : 'tagged("") 没有写标签：请在引号中写上标签的标识或名称，例如 tagged("rfm")。'),
  unknown_tag_value: ({ tag, value, suggestion }) => `标签「${tag}」没有值 ${value}。${suggestion === undefined ? '' : `您是不是要写 ${printString(suggestion)}？`}`,
  tag_value_not_text: ({ tag, literal: found }) => `标签「${tag}」要与标签值比较，标签值是带引号的文本，而不是${literal(found)}。`,
  unknown_option: ({ source, key, option, options, suggestion }) => {
    const hint = suggestion === undefined ? `可选的有 ${options.map((item) => printString(item)).join('、')}。` : `您是不是要写 ${printString(suggestion)}？`;
    return `${SOURCES[source]}「${key}」没有选项 ${printString(option)}。${hint}`;
  },
  value_type_mismatch: ({ attribute: subject, literal: found }) => `${attribute(subject)}不能与${literal(found)} 比较。`,
  invalid_date: ({ text, attribute: subject, time }) =>
    `${text} 不是有效的日期：${attribute(subject)}需要${time ? '形如 "2026-01-31" 的日期，或形如 "2026-01-31T08:00:00+08:00" 的时间' : '真实存在的日期，写成 "2026-01-31" 这样'}。`,
  invalid_duration: ({ text, max }) => `"${text}" 不是有效的时长：请用整数，总计在 0 到 ${max} 天之间。`,
  temporal_operator: ({ operator, attribute: subject }) => `"${operator}" 用于比较日期和时间戳，而${attribute(subject)}不是。`,
  ordering_operator: ({ operator, attribute: subject }) => `"${operator}" 用于比较数字、日期和时间戳；${attribute(subject)}没有大小之分。`,
  between_unordered: ({ attribute: subject }) => `"between" 用于数字、日期、时间戳和有序标签，而${attribute(subject)}不是。`,
  has_on_attribute: ({ quantifier, attribute: subject }) => `"has ${quantifier}" 用于多值标签；${attribute(subject)}只有一个值。请改用 "in" 或 "not in"。`,
  within_not_temporal: ({ attribute: subject }) => `"within" 用于日期和时间戳，而${attribute(subject)}不是。`,
  relative_equality: ({ attribute: subject, text }) => `${attribute(subject)}不可能恰好等于 ${text}；请改用 "before"、"after"、"between" 或 "within"。`,
  tag_temporal_operator: ({ operator, tag }) => `"${operator}" 用于比较日期和时间戳，而标签「${tag}」的取值是标签值。`,
  tag_needs_has: ({ tag }) => `标签「${tag}」每位客户可以有多个值；请用 "has any"、"has all" 或 "has none" 判断。`,
  tag_not_ordered: ({ operator, tag }) => `"${operator}" 需要有序标签，而标签「${tag}」的值没有先后顺序。`,
  tag_single_has: ({ tag, quantifier }) => `标签「${tag}」每位客户只有一个值；"has ${quantifier}" 用于多值标签。请改用 "in" 或 "not in"。`,
  tag_within: ({ tag }) => `"within" 用于日期和时间戳，而标签「${tag}」的取值是标签值。`,
  bare_not_boolean: ({ attribute: subject, example }) => `${attribute(subject)}不是真假值，不能单独作为条件：请与值比较，例如 ${example}，或用 "exists" 判断是否有值。`,
  bare_tag: ({ tag, example }) => `标签「${tag}」的取值是标签值，不能单独作为条件：请与值比较，例如 ${example}，或用 "exists" 判断是否有值。`,
};
