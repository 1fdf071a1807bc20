// Why an import row was rejected, kept as a reason and its parameters until someone reads it:
// the API words it in the request's language, `tagbase import` in the terminal's. Rows
// rejected by the engine's own checks carry the engine's message, already in every language.
import { joinList, localized, type Locale, type LocalizedText } from '../core/locale.js';
import { agreeing } from '../core/message-template.js';
import { UNSTORABLE_TEXT } from '../core/storable-text.js';

interface RowProblemParams {
  not_an_object: Record<string, never>;
  /** `detail` is the JSON parser's explanation. */
  invalid_json: { detail: LocalizedText };
  column_count: { expected: number; got: number };
  /** Cells in columns the header leaves without a heading, by their place in the row (from 1). */
  cells_without_heading: { positions: number[] };
  /** `detail` is the CSV parser's explanation; no later row can be read. */
  unreadable_from_here: { detail: LocalizedText };
  properties_not_object: Record<string, never>;
  properties_invalid_json: Record<string, never>;
  /**
   * JSON (a JSON line, or a cell's) giving a key twice in one object: `path` is the place of the
   * value it names (`properties.amount`), within the column `cell` (as the file heads it) when a
   * cell holds the JSON; `column` and `firstColumn` where on a JSON line both writings begin, and
   * `more` how many other keys are given twice there.
   */
  duplicate_key: { cell?: string | undefined; path: string; key: string; column?: number | undefined; firstColumn?: number | undefined; more: number };
  unknown_columns: { columns: string[] };
  required: { column: string };
  /** `column` is the column (or JSON key) whose text holds it. */
  unstorable_text: { column: string };
  /** `found` is the cell as written, in `column` as the file heads the expiry. */
  expires_at_not_time: { column: string; found: string };
  /** A time column (`occurred_at`, `first_seen_at`) whose cell is no time an import reads; `found` as written. */
  time_not_readable: { column: string; found: string };
  /** `found` is the cell as written, in `column` as the file heads the expiry. */
  expires_at_not_future: { column: string; found: string };
  /** `found` is the cell as written, in `column` as the file heads the expiry. */
  expires_at_too_late: { column: string; found: string };
  /** A time column (`occurred_at`, `first_seen_at`) more than a day ahead of the server's clock; `found` as written. */
  time_ahead: { column: string; found: string };
  /** Cells of the row that hold a formula without a saved result, by their columns. */
  formula_without_result: { columns: string[] };
  /** `stored`: a customer stored under the same digits after leading zeros (00012 for 12), which a spreadsheet may have dropped. */
  customer_not_found: { customer: string; stored?: string | undefined };
  /** `nearest`: a tag named a letter or two away. `valueOfTag`: the tag of which the cell names a value. */
  tag_not_found: { tag: string; nearest?: string | undefined; valueOfTag?: string | undefined };
  /**
   * `values`: the first of the tag's values by name, of `count` in all. `several`: the values a cell
   * lists of a tag that holds several (高尔夫|钓鱼), each one the tag has, to go on rows of their own.
   */
  tag_value_not_found: { tag: string; value: string; values: string[]; count: number; several?: string[] | undefined };
  /** An earlier row of the file (at `line`) gave the customer `value` of this single-valued tag. */
  single_value_taken: { customer: string; tag: string; value: string; line: number };
  /** What the engine said of the row, at `path` when it names one. */
  item: { path?: string | undefined; message: LocalizedText };
  /** A date column (`birthday`, a custom date field) whose cell is no date an import reads; `found` as written. */
  date_not_readable: { column: string; found: string };
  /** An id or identifier cell a spreadsheet wrote in scientific notation (`1.38001E+10`), its last digits lost; `found` as written. */
  scientific_notation: { column: string; found: string };
}

export type RowProblemReason = keyof RowProblemParams;

/** Which problem, and what its words are made of: the same in every language. */
export type RowProblem = { [R in RowProblemReason]: { reason: R; params: RowProblemParams[R] } }[RowProblemReason];

type RowProblemWording = { [R in RowProblemReason]: (params: RowProblemParams[R]) => string };

const ASSIGNMENT_COLUMNS = ['customer_id', 'tag', 'value', 'expires_at'];

const ENGLISH: RowProblemWording = {
  not_an_object: () => 'a line must hold one JSON object',
  // The parser's explanation may say so itself ("not json" is not valid JSON).
  invalid_json: ({ detail }) => (/is not valid JSON/.test(detail.en) ? detail.en : `not valid JSON: ${detail.en}`),
  column_count: ({ expected, got }) => `expected ${expected} ${agreeing(expected, 'column', 'columns')}, got ${got}`,
  cells_without_heading: ({ positions }) =>
    `${agreeing(positions.length, 'column', 'columns')} ${positions.join(', ')} ${agreeing(positions.length, 'has no heading but holds a value', 'have no heading but hold values')}, which would not be imported: head the column in the header, or empty it`,
  unreadable_from_here: ({ detail }) => `the file cannot be read past this line: ${detail.en}`,
  properties_not_object: () => 'properties must be a JSON object',
  properties_invalid_json: () => 'properties is not valid JSON',
  duplicate_key: ({ cell, path, key, column, firstColumn, more }) =>
    `${cell === undefined ? path : `${cell}.${path}`}: the key ${JSON.stringify(key)} is given twice in one object${column === undefined ? '' : ` (column ${column}; first at column ${firstColumn ?? 1})`}: a JSON parser would keep only the last value${more > 0 ? ` (and ${more} more)` : ''}`,
  unknown_columns: ({ columns }) => `unknown ${agreeing(columns.length, 'column', 'columns')}: ${columns.join(', ')}; expected ${ASSIGNMENT_COLUMNS.join(', ')}`,
  required: ({ column }) => `${column} is required`,
  unstorable_text: ({ column }) => `${column}: ${UNSTORABLE_TEXT.en}`,
  expires_at_not_time: ({ column, found }) => `${column} "${found}" is not a time; write it as 2027-01-31, 2027/1/31 20:00 or 2027-01-31T12:00:00Z`,
  expires_at_not_future: ({ column, found }) => `${column} "${found}" has already passed; an expiry must be in the future`,
  expires_at_too_late: ({ column, found }) => `${column} "${found}" is past the year 9999; an expiry is at most 9999-12-31T23:59:59Z, or left empty for the tag's default`,
  time_ahead: ({ column, found }) => `${column} "${found}" is more than a day ahead of the server's clock`,
  formula_without_result: ({ columns }) =>
    `${agreeing(columns.length, 'the column', 'the columns')} ${columns.join(', ')} ${agreeing(columns.length, 'holds a formula', 'hold formulas')} without a saved result, which would import as empty: open and save the file in Excel or WPS first`,
  time_not_readable: ({ column, found }) => `${column} "${found}" is not a time; write it as 2026-06-01 20:15, 2026/6/1 20:15, 2026年6月1日 20:15 or 2026-06-01T20:15:00+08:00`,
  customer_not_found: ({ customer, stored }) =>
    stored === undefined ? `customer "${customer}" does not exist` : `customer "${customer}" does not exist; there is a customer "${stored}": Excel may have dropped the leading zeros`,
  tag_not_found: ({ tag, nearest, valueOfTag }) =>
    valueOfTag !== undefined
      ? `tag "${tag}" does not exist: "${tag}" is a value of tag "${valueOfTag}"; write "${valueOfTag}" in the tag column`
      : `tag "${tag}" does not exist${nearest === undefined ? '' : `; did you mean "${nearest}"?`}`,
  tag_value_not_found: ({ tag, value, values, count, several }) =>
    several
      ? `tag "${tag}" has no value "${value}": write one value a row (${several.length} rows: ${joinList(several.map((v) => `"${v}"`), 'en')})`
      : count === 0
        ? `tag "${tag}" has no value "${value}"; it has no values yet`
        : `tag "${tag}" has no value "${value}"; its values are ${joinList(values, 'en')}${count > values.length ? ` and ${count - values.length} more` : ''}`,
  single_value_taken: ({ customer, tag, value, line }) => `line ${line} already gives customer "${customer}" the value "${value}" of tag "${tag}", which holds one value; keep one of the two rows`,
  item: ({ path, message }) => (path ? `${path}: ${message.en}` : message.en),
  date_not_readable: ({ column, found }) => `${column} "${found}" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日`,
  scientific_notation: ({ column, found }) =>
    `${column} "${found}" was turned into scientific notation by the spreadsheet, and its last digits are lost: format the column as text in Excel or WPS and export the file again (or import the .xlsx itself)`,
};

const CHINESE: RowProblemWording = {
  not_an_object: () => '每行须是一个 JSON 对象',
  invalid_json: ({ detail }) => (detail['zh-CN'].includes('不是有效的 JSON') ? detail['zh-CN'] : `不是有效的 JSON：${detail['zh-CN']}`),
  column_count: ({ expected, got }) => `应有 ${expected} 列，实际有 ${got} 列`,
  cells_without_heading: ({ positions }) => `第 ${positions.join('、')} 列没有表头却有值，这些值不会被导入：请在表头中写上列名，或清空这些单元格`,
  unreadable_from_here: ({ detail }) => `从这一行起无法读取文件：${detail['zh-CN']}`,
  properties_not_object: () => 'properties 须是 JSON 对象',
  properties_invalid_json: () => 'properties 不是有效的 JSON',
  duplicate_key: ({ cell, path, key, column, firstColumn, more }) =>
    `${cell === undefined ? path : `${cell}.${path}`}：同一对象中键 ${JSON.stringify(key)} 出现了两次${column === undefined ? '' : `（第 ${column} 列；首次在第 ${firstColumn ?? 1} 列）`}：JSON 解析只会保留最后一个值${more > 0 ? `（另有 ${more} 处）` : ''}`,
  unknown_columns: ({ columns }) => `未知的列：${columns.join('、')}；可用的列为 ${ASSIGNMENT_COLUMNS.join('、')}`,
  required: ({ column }) => `缺少 ${column}`,
  unstorable_text: ({ column }) => `${column}：${UNSTORABLE_TEXT.zh}`,
  expires_at_not_time: ({ column, found }) => `${column}「${found}」不是时间；请写成 2027-01-31、2027/1/31 20:00 或 2027-01-31T12:00:00Z`,
  expires_at_not_future: ({ column, found }) => `${column}「${found}」已经过去；到期时间须在将来`,
  expires_at_too_late: ({ column, found }) => `${column}「${found}」晚于 9999 年；到期时间最晚为 9999-12-31T23:59:59Z，留空则按标签的默认有效期`,
  time_ahead: ({ column, found }) => `${column}「${found}」比服务器时钟超前一天以上`,
  formula_without_result: ({ columns }) => `列 ${columns.join('、')} 是没有保存计算结果的公式，导入会成为空值：请先用 Excel 或 WPS 打开并保存文件`,
  time_not_readable: ({ column, found }) => `${column}「${found}」不是时间；请写成 2026-06-01 20:15、2026/6/1 20:15、2026年6月1日 20:15 或 2026-06-01T20:15:00+08:00`,
  customer_not_found: ({ customer, stored }) => (stored === undefined ? `客户「${customer}」不存在` : `找不到客户「${customer}」；库中有「${stored}」，可能是 Excel 去掉了前导零`),
  tag_not_found: ({ tag, nearest, valueOfTag }) =>
    valueOfTag !== undefined
      ? `标签「${tag}」不存在：「${tag}」是标签「${valueOfTag}」的值，标签一列请写「${valueOfTag}」`
      : `标签「${tag}」不存在${nearest === undefined ? '' : `；您是不是要找「${nearest}」？`}`,
  tag_value_not_found: ({ tag, value, values, count, several }) =>
    several
      ? `标签「${tag}」没有值「${value}」：一行只写一个值，请把${several.map((v) => `「${v}」`).join('')}分成 ${several.length} 行`
      : count === 0
        ? `标签「${tag}」没有值「${value}」；它还没有任何值`
        : `标签「${tag}」没有值「${value}」；它的值有：${joinList(values, 'zh-CN')}${count > values.length ? ` 等 ${count} 个` : ''}`,
  single_value_taken: ({ customer, tag, value, line }) => `第 ${line} 行已给客户「${customer}」打上标签「${tag}」的值「${value}」，而这个标签只能有一个值；请只保留其中一行`,
  item: ({ path, message }) => (path ? `${path}：${message['zh-CN']}` : message['zh-CN']),
  date_not_readable: ({ column, found }) => `${column}「${found}」不是日期；请写成 1990-05-17、1990/5/17 或 1990年5月17日`,
  scientific_notation: ({ column, found }) => `${column}「${found}」被电子表格转成了科学计数法，后几位数字已经丢失：请在 Excel 或 WPS 中把这一列设置为文本格式后重新导出（或直接导入 .xlsx 文件）`,
};

const WORDING: Readonly<Record<Locale, RowProblemWording>> = { en: ENGLISH, 'zh-CN': CHINESE };

function wordWith<R extends RowProblemReason>(wording: RowProblemWording, problem: { reason: R; params: RowProblemParams[R] }): string {
  return wording[problem.reason](problem.params);
}

/** A row's problem in one language. */
export function rowProblemText(problem: RowProblem, locale: Locale): string {
  return wordWith(WORDING[locale], problem);
}

/** The CSV parser's problems in Chinese, by its error code; the parser words them in English. */
const CSV_PROBLEMS: Readonly<Record<string, (message: string) => string>> = {
  CSV_QUOTE_NOT_CLOSED: () => '引号没有闭合，文件在引号内结束',
  CSV_INVALID_CLOSING_QUOTE: (message) => `结束引号之后出现了 ${/got ("[^"]*")/.exec(message)?.[1] ?? '其他字符'}，应为逗号或换行`,
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: () => '结束引号之后还有其他字符，应为逗号或换行',
  INVALID_OPENING_QUOTE: () => '单元格中间出现了引号：含引号的单元格须整个用引号括起，其中的引号写作两个（""）',
};

/** What the CSV parser said, in every language; a problem it has no Chinese for keeps its code. */
export function csvProblemText(error: Error & { code?: string }): LocalizedText {
  const chinese = CSV_PROBLEMS[error.code ?? ''];
  return localized(error.message, chinese ? chinese(error.message) : `CSV 格式有误（${error.code ?? error.name}）`);
}
