// Imports rows of customers, events or assignments through the engine in batches, from a
// file (`tagbase import`) or from text posted to the API. Each good row lands whole, each bad
// row comes back with its line number and the problem, and nothing half-lands. Batches commit as
// they go; importing again is safe (customers upsert, events dedupe by id, assignments already
// in place are unchanged).
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { TagbaseError, isTagbaseError, itemMessage, type ErrorCode, type ItemError } from '../core/errors.js';
import { explainJsonSyntaxError } from '../core/json-syntax.js';
import { localized, type Locale, type LocalizedText } from '../core/locale.js';
import { COMPUTED_FIELD_NAMES, isDateRefusal, isComputedField } from '../core/customer.js';
import { agreeing } from '../core/message-template.js';
import { findTagValue, isPastLatestExpiry, isTagVisibleTo, type TagDefinition, type TagValue } from '../core/tag.js';
import { nearestName } from '../core/names.js';
import { TARGETS, customFieldOf, fieldHeadings, fieldsNamedBy, isExportedOnlyColumn, missingRequiredColumns, recognisedColumns, sameColumnAs, type FieldHeadings } from '../core/import-columns.js';
import { CSV_DELIMITER_SAMPLE, csvDelimiterOf, filledCells, headerRowIndex, headerRowSettles, secondHeaderRow, secondHeaderRowText, titleOf, withoutFormulaGuard, type CsvDelimiter } from '../core/spreadsheet.js';
import { ENCODING_SNIFF_BYTES, TEXT_ENCODING_LABELS, detectTextEncoding, type TextEncodingName } from '../core/text-encoding.js';
import { ISO_TIME_MESSAGE, TIME_AHEAD_MESSAGE, parseTimestamp } from '../core/time.js';
import type { WorkspaceContext } from './context.js';
import { resolveCustomerIds, upsertCustomers } from './customers.js';
import { listCustomFields } from './fields.js';
import { csvProblemText, rowProblemText, type RowProblem } from './import-reasons.js';
import { duplicateKeyProblem, mapAssignmentRecord, mapCustomerRecord, mapEventRecord, scientificNotationCells, type AssignmentRow, type ImportKind, type ImportZone } from './import-rows.js';
import { ingestEvents } from './ingest.js';
import { listMetrics, workspaceUtcOffset } from './metrics.js';
import { loadTags } from './library.js';
import { assignTag } from './tagging.js';
import { NUL, unstorableTextPath } from '../core/storable-text.js';
import { isBareNumber, mayHoldZeroLedIds, zeroPaddedIds } from './zero-padded-ids.js';

export type { ImportKind } from './import-rows.js';
export type ImportFormat = 'csv' | 'jsonl';

/**
 * One row: either a record of column → value, or why the row could not be read. A record under
 * the importer's names carries the file's header for each (`fileColumns`: `phone` → `手机`), so
 * that a problem with a cell names the column as the file heads it.
 */
export type RawRow =
  | {
      line: number;
      record: Record<string, unknown>;
      fileColumns?: ReadonlyMap<string, string>;
      /** The row as the file has it, under its own columns, where `record` renames them. */
      cells?: Record<string, unknown>;
      /** A JSON line as written: a report shows a rejected line so (one nested too deep for JSON.stringify included). */
      text?: string;
      problem?: undefined;
    }
  | {
      line: number;
      problem: RowProblem;
      record?: undefined;
      cells?: Record<string, unknown>;
      /** Of a CSV row of more cells than the header, those beyond it, in order, as written. */
      cellsBeyondHeader?: string[];
      /** Of a CSV row with cells in columns without a heading, those cells by their place in the row (from 1). */
      cellsWithoutHeading?: Record<number, string>;
      /** A JSON line that could not be read, as written: a report shows it to be put right. */
      text?: string;
    };

export interface Rejection {
  line: number;
  code: string;
  /** Worded in the reader's language by `wordRejections`. */
  problem: RowProblem;
  /** The row's cells as the file has them, under its own columns (keys), for a report to show what was refused; none for a row that could not be read. */
  cells?: Record<string, unknown>;
  /** Of a CSV row of more cells than the header, those beyond it, in order (`RawRow.cellsBeyondHeader`). */
  cellsBeyondHeader?: string[];
  /** Of a CSV row with cells in columns without a heading, those cells by their place in the row (`RawRow.cellsWithoutHeading`). */
  cellsWithoutHeading?: Record<number, string>;
  /** A JSON line as written (one that could not be read, or a rejected one). */
  text?: string;
}

/** A rejection as the reader sees it. */
export interface WordedRejection {
  line: number;
  code: string;
  reason: string;
}

export interface ImportResult {
  rows: number;
  accepted: number;
  rejected: number;
  /** Sorted by line. */
  rejections: Rejection[];
  /** Times the file wrote without a zone, read in the workspace's, in rows that landed. */
  zonelessTimes: number;
  /**
   * Of a customers import: identifier cells (or values of one) masked as an export for a role
   * that masks them writes them (`138****5678`, `z***@example.com`), left alone as if empty (the
   * customer's stored identifiers unchanged), in rows that landed.
   */
  maskedIdentifiers: number;
  /** Of an events import: rows that landed whose event was there already (the same id), not stored again. */
  duplicates?: number;
  /** The workspace's zone, minutes east of UTC. */
  utcOffsetMinutes: number;
  /**
   * Of a customers import: customers new to the workspace, customers that were there and whose
   * stored fields or identities the file changed, and customers that were there and already held
   * everything the file gave them (a customer on several rows counted once per batch of rows).
   */
  customers?: { created: number; updated: number; unchanged: number };
  /**
   * Of a customers import: ids on more than one row that landed, each with those rows' lines in
   * order. The later row's values stand, as they would imported one after the other; a file
   * rarely means that, so the importer says so.
   */
  repeatedIds?: RepeatedId[];
  /** Of a customers or events import: customers created under ids a stored customer has with leading zeros, a warning. */
  lostLeadingZeros?: LostLeadingZeros[];
}

export interface RepeatedId {
  id: string;
  lines: number[];
}

/**
 * A customer id of rows that landed, new to the workspace (a customer created for it), where a
 * customer is stored under the same digits after leading zeros (`12` and `00012`): a file
 * re-saved by Excel drops them. The first such row's line.
 */
export interface LostLeadingZeros {
  id: string;
  stored: string;
  line: number;
}

interface PendingRow {
  line: number;
  input: unknown;
  fileColumns?: ReadonlyMap<string, string> | undefined;
  /** As the file has it (`RawRow.cells`). */
  cells?: Record<string, unknown> | undefined;
  /** A JSON line as written (`RawRow.text`). */
  text?: string | undefined;
}

/** What the rows written so far came to, beyond accepted and rejected. */
interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  /** By line, a customer id new to the workspace that a stored id is with leading zeros (`LostLeadingZeros`). */
  padded: Map<number, { id: string; stored: string }>;
}

type BatchWriter = (rows: PendingRow[], counts: WriteCounts) => Promise<Rejection[]>;

/** Per line, the times read without a zone and the masked identifiers left alone in mapping it. */
type RowNotes = Map<number, { zonelessTimes: number; maskedIdentifiers: number }>;

/** A row mapped (`map`), with what the mapping counted of it noted by its line. */
function noted<T>(zone: ImportZone, notes: RowNotes, line: number, map: () => T): T {
  const zonelessTimes = zone.zonelessTimes;
  const maskedIdentifiers = zone.maskedIdentifiers;
  const value = map();
  notes.set(line, { zonelessTimes: zone.zonelessTimes - zonelessTimes, maskedIdentifiers: zone.maskedIdentifiers - maskedIdentifiers });
  return value;
}

export function assertImportKind(kind: string): ImportKind {
  if (kind === 'customers' || kind === 'events' || kind === 'assignments') return kind;
  throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`import what? say customers, events or assignments; got "${kind}"`, `要导入什么？请指定 customers、events 或 assignments；收到的是「${kind}」`) });
}

/**
 * Refuses a file whose header has no column for what every row needs (`id` of customers,
 * `customer_id`, `type` and `occurred_at` of events …): each row would be refused for it, one by one.
 */
export function assertRequiredColumns(kind: ImportKind, importerColumns: readonly string[], fileColumns: readonly string[]): void {
  const missing = missingRequiredColumns(kind, importerColumns);
  if (missing.length === 0) return;
  const shown = fileColumns.length > 0 ? fileColumns : ['—'];
  throw new TagbaseError('VALIDATION_FAILED', {
    detail: localized(
      `the file has no column for ${missing.join(', ')}, which every row needs (its columns: ${shown.join(', ')}); add it, or rename the column that holds it to that name`,
      `文件中没有对应 ${missing.join('、')} 的列，而每一行都需要（文件的列：${shown.join('、')}）；请加上这一列，或把存放它的那一列改成这个列名`,
    ),
  });
}

/**
 * Refuses a file with a column no row could be imported with: a customer column that is no
 * built-in field, identity or declared custom field, an assignment column beyond the four, or an
 * event column that could not be read as a property (the file has `properties.X` beside `X`).
 * Each row would be refused for it, one by one. `settled` is where each of the file's columns
 * goes (the importer's column, or '' for none), `fields` the workspace's custom fields.
 */
export function assertKnownColumns(kind: ImportKind, settled: ReadonlyMap<string, string>, fields: FieldHeadings = fieldHeadings([])): void {
  const importerColumns = [...settled.values()].filter(Boolean);
  const unknown = importerColumns.filter((column) =>
    kind === 'customers' ? undeclaredCustomField(column, fields.keys) : !TARGETS[kind].includes(column) && !(kind === 'events' && column.startsWith('properties.')),
  );
  if (unknown.length === 0) return;
  const listed = `${agreeing(unknown.length, 'a column', 'columns')} ${unknown.join(', ')}`;
  const them = agreeing(unknown.length, 'it', 'them');
  if (kind === 'events') {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `the file has ${listed} that an event does not have, beside a properties column of the same name; rename or leave ${them} out`,
        `文件中的列 ${unknown.join('、')} 不是事件的列，且已有同名的 properties 列；请改名或去掉这些列`,
      ),
    });
  }
  if (kind === 'assignments') {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `the file has ${listed} that an assignment does not have (its columns are ${TARGETS.assignments.join(', ')}); leave ${them} out`,
        `文件中的列 ${unknown.join('、')} 不是打标记录的列（可用的列为 ${TARGETS.assignments.join('、')}）；请去掉这些列`,
      ),
    });
  }
  // A column headed with a declared field's name that is not read as the field: say why, not "declare it".
  const named = unknown.flatMap((column) => {
    const heading = customFieldOf(column) ?? column;
    const keys = fieldsNamedBy(heading, fields);
    return keys.length === 0 ? [] : [namedColumnText(column, heading, keys, settled)];
  });
  if (named.length > 0) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`the file has ${named.map((text) => text.en).join('; ')}`, `文件中的${named.map((text) => text['zh-CN']).join('；')}`) });
  // How to leave them out, by the file's own headings: what `tagbase import -c` and the API's `columns` take.
  const leaveOut = (columnsLeft: readonly string[]) => {
    const headings = [...settled].filter(([, to]) => columnsLeft.includes(to)).map(([from]) => from);
    return {
      option: headings.map((heading) => `-c ${/[\s'"\\$`]/.test(heading) ? `'${heading.replaceAll("'", "'\\''")}'` : heading}=`).join(' '),
      columns: `"columns": {${headings.map((heading) => `${JSON.stringify(heading)}: ""`).join(', ')}}`,
    };
  };
  // A field tagbase computes (random_bucket, or its name 随机分组号) sent to a custom field or mapped by hand (an export's own
  // column of it is left out before this): declaring it is refused too, so only leaving it out helps.
  const computed = unknown.filter((column) => {
    const heading = customFieldOf(column) ?? column;
    return isComputedField(heading) || Object.values(COMPUTED_FIELD_NAMES).includes(heading);
  });
  if (computed.length > 0) {
    const { option, columns } = leaveOut(computed);
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `the file has ${agreeing(computed.length, 'a column', 'columns')} ${computed.join(', ')} that tagbase computes for every customer and no import writes: leave ${agreeing(computed.length, 'it', 'them')} out (tagbase import … ${option}, or ${columns} over the API)`,
        `文件中的列 ${computed.join('、')} 由系统为每位客户计算，不能导入：请不导入这些列（tagbase import … ${option}，或接口的 ${columns}）`,
      ),
    });
  }
  const { option, columns } = leaveOut(unknown);
  const declare = localized(
    `declare ${agreeing(unknown.length, 'it', 'each')} as a custom field first (tagbase field add, or POST /api/v1/fields), or leave ${agreeing(unknown.length, 'the column', 'the columns')} out (tagbase import … ${option}, or ${columns} over the API)`,
    `请先把${agreeing(unknown.length, '它', '它们')}声明为自定义字段（tagbase field add 或 POST /api/v1/fields），或不导入${agreeing(unknown.length, '这一列', '这些列')}（tagbase import … ${option}，或接口的 ${columns}）`,
  );
  // A column mapped to a name (`-c a=nosuch`, `"columns": {"a": "nosuch"}`) is the file's own, and the name what it was sent to.
  const mapped = unknown.map((column) => ({ column, from: [...settled].filter(([heading, to]) => to === column && heading !== column).map(([heading]) => heading) }));
  const [only] = mapped;
  if (only !== undefined && mapped.length === 1 && only.from.length > 0) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(
        `the file's ${agreeing(only.from.length, 'column', 'columns')} ${only.from.join(', ')} ${agreeing(only.from.length, 'is', 'are')} mapped to ${only.column}, which is no customer field: ${declare.en}`,
        `文件中的列 ${only.from.join('、')} 对应到 ${only.column}，而 ${only.column} 不是客户字段：${declare['zh-CN']}`,
      ),
    });
  }
  if (mapped.some((entry) => entry.from.length > 0)) {
    const en = mapped.map((entry) => (entry.from.length > 0 ? `${entry.from.join(', ')} (mapped to ${entry.column})` : entry.column));
    const zh = mapped.map((entry) => (entry.from.length > 0 ? `${entry.from.join('、')}（对应到 ${entry.column}）` : entry.column));
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(`the file's columns ${en.join(', ')} go to no customer field: ${declare.en}`, `文件中的列 ${zh.join('、')} 不对应任何客户字段：${declare['zh-CN']}`),
    });
  }
  throw new TagbaseError('VALIDATION_FAILED', {
    detail: localized(`the file has ${listed} that ${agreeing(unknown.length, 'is', 'are')} no customer field: ${declare.en}`, `文件中的列 ${unknown.join('、')} 不是客户字段：${declare['zh-CN']}`),
  });
}

/**
 * Why a customers column headed with the name of custom fields (`keys`) is not read as one: the
 * name is several fields', another column of the file is that field already, or it was sent to
 * the name (by `columns`, or as `custom.NAME`) rather than the key; with the mapping that
 * settles it. `column` is the importer's, `heading` the name in it; the file's column is named.
 */
function namedColumnText(column: string, heading: string, keys: readonly string[], settled: ReadonlyMap<string, string>): LocalizedText {
  const [key = ''] = keys;
  const file = [...settled].find(([, target]) => target === column)?.[0] ?? column;
  if (keys.length > 1) {
    const quoted = keys.map((each) => `"${each}"`);
    return localized(
      `a column ${file}, the name of the custom fields ${quoted.join(' and ')}, so which one it is cannot be told: say which with columns {"${file}": "custom.${key}"}, or leave it out`,
      `列 ${file} 是自定义字段${keys.map((each) => `「${each}」`).join('和')}共用的名称，无法判断是哪一个：请用 columns {"${file}": "custom.${key}"} 指明，或不导入此列`,
    );
  }
  const holder = [...settled].find(([other, target]) => other !== file && target !== '' && sameColumnAs('customers', target) === `custom.${key}`)?.[0];
  if (holder !== undefined) {
    return localized(
      `a column ${file}, the name of the custom field "${key}", which the column ${holder} is read as already: leave one of them out (columns {"${file}": ""})`,
      `列 ${file} 是自定义字段「${key}」的名称，而列 ${holder} 已作为该字段读取：请去掉其中一列（columns {"${file}": ""}）`,
    );
  }
  // Not read as the field though no other column is: sent to the name, where a field is named by its key.
  const sent = file === column ? '' : ` mapped to ${column}`;
  return localized(
    `a column ${file}${sent}, the name "${heading}" of the custom field "${key}": a custom field's column is named by its key; map it with columns {"${file}": "custom.${key}"}`,
    `列 ${file} ${file === column ? '' : `被对应到 ${column}，`}用的是自定义字段「${key}」的名称「${heading}」：自定义字段的列须用字段的键；请用 columns {"${file}": "custom.${key}"}`,
  );
}

/** The columns of a customers file an export wrote and an import leaves out (`isExportedOnlyColumn`), unless mapped by hand, read as a field, or declared as a custom field. */
function exportedOnlyColumns(settled: ReadonlyMap<string, string>, columns: Record<string, string>, customFields: ReadonlySet<string>, metricNames: ReadonlySet<string>): string[] {
  return [...settled].filter(([column, target]) => !(column in columns) && target === column && undeclaredCustomField(column, customFields) && isExportedOnlyColumn(column, metricNames)).map(([column]) => column);
}

/** Whether a customer column would be read as a custom field that the workspace has not declared. */
function undeclaredCustomField(column: string, customFields: ReadonlySet<string>): boolean {
  const field = customFieldOf(column);
  return field !== undefined && !customFields.has(field);
}

/**
 * Refuses a mapping of a column the file's header does not have (a typo, `手机号码` for `手机号`):
 * left unheard, the column it meant would be read under its own name, or refused for another reason.
 */
function assertMappedColumnsExist(fileColumns: readonly string[], columns: Record<string, string>): void {
  const missing = Object.keys(columns).filter((column) => !fileColumns.includes(column));
  if (missing.length === 0) return;
  const shown = fileColumns.length > 0 ? fileColumns : ['—'];
  throw new TagbaseError('VALIDATION_FAILED', {
    detail: localized(
      `the file has no column ${missing.map((column) => `"${column}"`).join(', ')} to rename (its columns: ${shown.join(', ')})`,
      `文件中没有要改名的列${missing.map((column) => `「${column}」`).join('')}（文件的列：${shown.join('、')}）`,
    ),
  });
}

/**
 * Where each of a file's columns goes: its own name, the importer's under `columns` or as
 * recognised (of customers, a custom field of `fields` by its name too), or nowhere ('').
 */
function targetsOf(kind: ImportKind, fileColumns: readonly string[], columns: Record<string, string>, fields?: FieldHeadings): Map<string, string> {
  const unmapped = fileColumns.filter((column) => !(column in columns));
  // Under their own names too: `姓名` may not become `name` if the mapping already sends a column there.
  const recognised = recognisedColumns(kind, [...unmapped, ...Object.values(columns).filter(Boolean)], fields);
  const targets = new Map<string, string>();
  const from = new Map<string, string>();
  for (const column of fileColumns) {
    const target = column in columns ? (columns[column] ?? '') : (recognised.get(column) ?? column);
    targets.set(column, target);
    if (!target) continue;
    // A column renamed onto one the file already has would quietly overwrite it (`joined` and `custom.joined` are one).
    const earlier = from.get(sameColumnAs(kind, target));
    if (earlier !== undefined) {
      throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`columns "${earlier}" and "${column}" would both be "${target}"`, `「${earlier}」和「${column}」两列都会成为「${target}」`) });
    }
    from.set(sameColumnAs(kind, target), column);
  }
  return targets;
}

/**
 * Rows with their columns under the importer's names: as `columns` maps them (the console's
 * import page; none from `tagbase import`), and a column it does not name as recognised
 * (`手机` as `phone`), each such reading noted in `readAs`. For CSV this is settled once on the
 * header, so that a row whose `phone` is empty reads `手机` as every other row does, and a file
 * without a column every row needs is refused before any row; JSON Lines have no header, and
 * each line is read by its keys.
 */
export async function* withImporterColumns(
  context: WorkspaceContext,
  kind: ImportKind,
  rows: AsyncIterable<RawRow>,
  columns: Record<string, string>,
  readAs: Map<string, string>,
  header: () => string[] | undefined,
  /** Told the columns of a customers export left out (its tags, random bucket and metrics). */
  leftOut?: Set<string>,
): AsyncGenerator<RawRow> {
  let settled: Map<string, string> | undefined;
  // Importer's column → the file's header, once the header is settled.
  let headings: Map<string, string> | undefined;
  // Of customers, the workspace's custom fields, read by key or name: once, before the first row.
  let fields: FieldHeadings | undefined;
  const settle = async (fileColumns: string[]) => {
    assertMappedColumnsExist(fileColumns, columns);
    const targets = targetsOf(kind, fileColumns, columns, fields);
    if (kind === 'customers') {
      const metricNames = new Set((await listMetrics(context)).flatMap((metric) => [metric.key, metric.name, ...(metric.name_en === undefined ? [] : [metric.name_en])]));
      for (const column of exportedOnlyColumns(targets, columns, fields?.keys ?? new Set(), metricNames)) {
        targets.set(column, '');
        leftOut?.add(column);
      }
    }
    assertRequiredColumns(kind, [...targets.values()].filter(Boolean), fileColumns);
    assertKnownColumns(kind, targets, fields);
    return targets;
  };
  for await (const row of rows) {
    if (kind === 'customers' && !fields) fields = fieldHeadings(await listCustomFields(context));
    const fileColumns = header();
    if (fileColumns && !settled) {
      settled = await settle(fileColumns);
      headings = new Map([...settled].filter(([, target]) => target !== '').map(([column, target]) => [target, column]));
    }
    if (row.problem !== undefined) {
      yield row;
      continue;
    }
    const targets = settled ?? targetsOf(kind, Object.keys(row.record), columns, fields);
    // A JSON line has no header: a problem names the line's own key (`客户`, not `customer_id`).
    const headed = headings ?? keysOfLine([...targets].map(([column, target]) => [target, column]));
    const record: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row.record)) {
      const target = targets.get(column) ?? column;
      if (!(column in columns) && target !== column && target && !readAs.has(column)) readAs.set(column, target);
      if (target) record[target] = value;
    }
    yield { line: row.line, record, cells: row.cells ?? row.record, fileColumns: headed };
  }
  // A file of one line is read as a header without rows: when that line is a row written
  // without its header, it is refused as the same row under a header would be, not taken for
  // an empty file.
  const fileColumns = header();
  if (fileColumns && !settled) {
    if (kind === 'customers') fields = fieldHeadings(await listCustomFields(context));
    await settle(fileColumns);
  }
}

export interface ParseOptions {
  /** How the bytes of a stream are text; `auto` (the default) finds it from the first bytes. */
  encoding?: TextEncodingName | 'auto' | undefined;
  /** Told which encoding a stream is read in, before its first row. */
  onEncoding?: ((encoding: TextEncodingName) => void) | undefined;
  /** Told of the one-cell title rows above a CSV file's header (see `headerRowIndex`), left out. */
  onTitles?: ((titles: { row: number; text: string }[]) => void) | undefined;
  /** Told a CSV file's columns, as its header names them, before its first row. */
  onHeader?: ((columns: string[]) => void) | undefined;
}

/** Rows of CSV (with a header) or JSON Lines text, as a stream of bytes or a string. */
export function parseRows(input: NodeJS.ReadableStream | string, format: ImportFormat, options: ParseOptions = {}): AsyncGenerator<RawRow> {
  if (format === 'jsonl') return readJsonLines(Readable.from(typeof input === 'string' ? [input] : decodeText(input, options, format)));
  return readCsv(typeof input === 'string' ? Readable.from([keptUnstorable(input)]) : decodeText(input, options, format), options);
}

/**
 * Rows of CSV text written in pieces of whole lines (a workbook's sheet as `tagbase import`
 * writes it out, a row at a time), read as the same text given as a string would be.
 */
export function parseCsvChunks(chunks: AsyncIterable<string>, options: Pick<ParseOptions, 'onTitles' | 'onHeader'> = {}): AsyncGenerator<RawRow> {
  return readCsv(
    (async function* () {
      for await (const chunk of chunks) yield keptUnstorable(chunk);
    })(),
    options,
  );
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text given as a string (an import's `text` through the API) may hold a lone surrogate, which
 * the CSV parser's UTF-8 would turn into U+FFFD and the row would be stored with it. Written as
 * NUL instead, it keeps its row refused as unstorable text, with its line, as the same row of
 * a file is (a file's bytes cannot hold one; NUL they can).
 */
function keptUnstorable(text: string): string {
  return text.replace(LONE_SURROGATE, NUL);
}

/** Bytes that are not text in the file's encoding, from `line` on. */
export class UndecodableText extends Error {
  constructor(
    readonly line: number,
    readonly detail: LocalizedText,
  ) {
    super(detail.en);
    this.name = 'UndecodableText';
  }
}

/**
 * What a start that is text in no encoding we read is refused with, saying what the format
 * asked for needs: a spreadsheet's text for CSV, UTF-8 JSON objects a line for JSON Lines (a
 * workbook or a binary export given as JSON Lines was told to be saved as CSV).
 */
const NOT_TEXT: Readonly<Record<ImportFormat, LocalizedText>> = {
  csv: localized('the file is neither UTF-8 nor GB18030 (GBK) text; save it as UTF-8 CSV and import it again', '文件既不是 UTF-8 也不是 GB18030（GBK）编码的文本；请另存为 UTF-8 编码的 CSV 后再导入'),
  jsonl: localized(
    "the file is not UTF-8 text, so it is not JSON Lines: write it as UTF-8 text with one JSON object a line (a JSON array becomes that with `jq -c '.[]'`), or import a spreadsheet as CSV or .xlsx",
    "文件不是 UTF-8 编码的文本，因而不是 JSON Lines：请写成 UTF-8 编码、每行一个 JSON 对象的文本（JSON 数组可用 `jq -c '.[]'` 转成这样），或把电子表格按 CSV 或 .xlsx 导入",
  ),
};

/**
 * The text of a stream of bytes, in the encoding asked for or found from its first bytes
 * (`detectTextEncoding`). Bytes that are not text in that encoding end the text with
 * `UndecodableText` at their line, rather than going in as U+FFFD; a start that is text in no
 * encoding we read is refused whole, in the words of the `format` it was to be.
 */
export async function* decodeText(stream: NodeJS.ReadableStream, options: ParseOptions = {}, format: ImportFormat = 'csv'): AsyncGenerator<string> {
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let decoder: TextDecoder | undefined;
  let encoding: TextEncodingName | undefined;
  let lines = 1;
  let undecodable: UndecodableText | undefined;
  /** The chunk's text; at bytes that are not text, the whole lines before them, and `undecodable` set. */
  const decode = (chunk: Uint8Array | undefined): string => {
    if (!decoder || !encoding) throw new TagbaseError('INTERNAL', { detail: 'decoding before the encoding is known' });
    try {
      const text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
      return text;
    } catch {
      // Where in the chunk: decoded leniently, the first replacement character is the first bad byte.
      const lenient = chunk ? new TextDecoder(encoding).decode(chunk) : '';
      const bad = lenient.indexOf('\uFFFD');
      const before = bad < 0 ? '' : lenient.slice(0, lenient.lastIndexOf('\n', bad) + 1);
      const name = TEXT_ENCODING_LABELS[encoding];
      undecodable = new UndecodableText(lines + before.split('\n').length - 1, localized(`the bytes here are not ${name} text, as the rest of the file is`, `这里的字节不是 ${name} 文本（文件其余部分是）`));
      return before;
    }
  };
  const start = () => {
    const bytes = Buffer.concat(head);
    encoding = options.encoding === undefined || options.encoding === 'auto' ? detectTextEncoding(bytes.subarray(0, ENCODING_SNIFF_BYTES)) : options.encoding;
    if (!encoding) {
      throw new TagbaseError('VALIDATION_FAILED', { detail: NOT_TEXT[format] });
    }
    options.onEncoding?.(encoding);
    decoder = new TextDecoder(encoding, { fatal: true });
    return decode(bytes);
  };
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
    if (decoder) {
      yield decode(bytes);
    } else {
      head.push(bytes);
      headBytes += bytes.byteLength;
      if (headBytes >= ENCODING_SNIFF_BYTES) yield start();
    }
    if (undecodable) throw undecodable;
  }
  if (!decoder) yield start();
  if (!undecodable) yield decode(undefined);
  if (undecodable) throw undecodable;
}

/**
 * A JSON line's keys by the importer's names for them (`phone` → `phone`, `customer_id` → `客户`),
 * so that a problem names the key the line used. Keys holding objects or lists of their own
 * (`identities`, `custom`, `properties`) are left out: a problem within one names its own path
 * (`custom.鞋码`, `properties.amount`), which is already the line's.
 */
function keysOfLine(entries: Iterable<[string, string]>): ReadonlyMap<string, string> {
  return new Map([...entries].filter(([target, key]) => target !== '' && !['identities', 'custom', 'properties'].includes(key)));
}

async function* readJsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<RawRow> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      const written = line === 1 ? text.replace(/^\uFEFF/, '') : text;
      const trimmed = written.trim();
      if (trimmed === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (error) {
        yield { line, problem: { reason: 'invalid_json', params: { detail: explainJsonSyntaxError((error as Error).message) } }, text: trimmed };
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield { line, problem: { reason: 'not_an_object', params: {} }, text: trimmed };
        continue;
      }
      // Read as the line is written, so that a key's column is the line's.
      const twice = duplicateKeyProblem(written, value);
      if (twice) yield { line, problem: twice, text: trimmed };
      else yield { line, record: value as Record<string, unknown>, fileColumns: keysOfLine(Object.keys(value).map((key) => [key, key])), text: trimmed };
    }
  } catch (error) {
    if (!(error instanceof UndecodableText)) throw error;
    yield { line: error.line, problem: { reason: 'unreadable_from_here', params: { detail: error.detail } } };
  }
}

interface CsvEntry {
  record: string[];
  info: { lines: number; records: number };
}

/** A record of the CSV file and the line of the file it starts on. */
interface CsvRecord {
  record: string[];
  line: number;
}

/** Line breaks in a record's cells, and how many of them are CRLF. */
function breaksIn(record: readonly string[]): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (const cell of record) {
    breaks += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
    crlf += cell.match(/\r\n/g)?.length ?? 0;
  }
  return { breaks, crlf };
}

/**
 * Source text whose first chunks are held back until the CSV delimiter is told from them (see
 * `csvDelimiterOf`); `decided` hears it before the first chunk comes out.
 */
async function* withDelimiterTold(source: AsyncIterable<string>, decided: (delimiter: CsvDelimiter) => void): AsyncGenerator<string> {
  const iterator = source[Symbol.asyncIterator]();
  let sample = '';
  let failure: { error: unknown } | undefined;
  try {
    while (sample.length < CSV_DELIMITER_SAMPLE) {
      const next = await iterator.next();
      if (next.done) break;
      sample += next.value;
    }
  } catch (error) {
    // Bytes that are not text: the rows before them are still read, as in any other chunk.
    failure = { error };
  }
  decided(csvDelimiterOf(sample));
  if (sample !== '') yield sample;
  if (failure) throw failure.error;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
}

async function* readCsv(source: AsyncIterable<string>, { onTitles, onHeader }: Pick<ParseOptions, 'onTitles' | 'onHeader'>): AsyncGenerator<RawRow> {
  let delimiter: CsvDelimiter = ',';
  const text = withDelimiterTold(source, (told) => (delimiter = told));
  // The delimiter is known once the first chunk is out of the source, before the parser is made.
  let head: IteratorResult<string> | { error: unknown };
  try {
    head = await text.next();
  } catch (error) {
    head = { error };
  }
  const first = head;
  const stream = Readable.from(
    (async function* () {
      if ('error' in first) throw first.error;
      if (!first.done) yield first.value;
      yield* text;
    })(),
  );
  const parser = stream.pipe(parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, skip_records_with_error: true }));
  // A record the parser cannot read (a stray quote, a quote left open) ends the file there. Thrown,
  // it would destroy the parser with the records it had read before it in the same piece of text
  // (all of a small file's), never imported nor reported; heard as a skip, those still come out,
  // and the records after it (`records` counts those before) are left unread.
  let broken: { error: Error & { lines?: number; code?: string }; records: number } | undefined;
  parser.on('skip', (error: Error & { lines?: number; code?: string }) => {
    broken ??= { error, records: parser.info.records };
  });
  // pipe() does not pass the source's errors on: a file that cannot be decoded would go unheard.
  // The parser is ended rather than destroyed, so the rows it read before the error still come out.
  let unreadable: unknown;
  stream.once('error', (error: Error) => {
    unreadable = error;
    parser.end();
  });
  // The parser counts the lines a record ends on, and a CRLF inside a quoted cell as two: a row
  // is reported at the line it starts on, as an editor shows it and the console numbers it.
  let crlfInCells = 0;
  // The line the last record read ends on: a quote left open is reported on the line after it,
  // where its record starts, not at the end of the file the parser read to looking for its close.
  let lastLine = 0;
  const recordOf = (entry: CsvEntry): CsvRecord => {
    const { breaks, crlf } = breaksIn(entry.record);
    crlfInCells += crlf;
    lastLine = entry.info.lines - crlfInCells;
    return { record: entry.record, line: lastLine - breaks };
  };
  let header: string[] | undefined;
  // Rows read before the header is known: titles may stand above it.
  const held: CsvRecord[] = [];
  const takeHeader = (entry: CsvRecord) => {
    const columns = entry.record.map((column) => column.trim());
    // Columns without a heading are left out, however many: a spreadsheet saves a sheet's empty
    // columns after the last one used (`id,name,,`) as such.
    const duplicate = columns.find((column, index) => column !== '' && columns.indexOf(column) !== index);
    if (duplicate !== undefined) {
      const line = entry.line;
      throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`line ${line}: column "${duplicate}" appears twice in the header`, `第 ${line} 行：表头中的列「${duplicate}」出现了两次`) });
    }
    return columns;
  };
  /** The row, or nothing for a row of empty cells (`,,,,` as a spreadsheet saves a blank row), which is skipped as a blank line is. */
  const rowOf = (entry: CsvRecord, columns: string[]): RawRow[] => {
    const { record, line } = entry;
    if (filledCells(record) === 0) return [];
    const unheaded = columns.flatMap((column, index) => (column === '' && record[index] ? [index + 1] : []));
    // What cells it has, under the columns they would be in (those without a heading by their place), for a report to show.
    const shown = () => ({
      cells: Object.fromEntries(columns.flatMap((column, index) => (column !== '' && record[index] ? [[column, record[index]]] : []))),
      ...(unheaded.length > 0 ? { cellsWithoutHeading: Object.fromEntries(unheaded.map((position) => [position, record[position - 1] ?? ''])) } : {}),
    });
    if (record.length !== columns.length) {
      const beyond = record.slice(columns.length);
      return [{ line, problem: { reason: 'column_count', params: { expected: columns.length, got: record.length } }, ...shown(), ...(beyond.length > 0 ? { cellsBeyondHeader: beyond } : {}) }];
    }
    // A column without a heading is left out while it is empty; a value in it would be lost, as one beyond the header would.
    if (unheaded.length > 0) return [{ line, problem: { reason: 'cells_without_heading', params: { positions: unheaded } }, ...shown() }];
    const row: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      const cell = record[index];
      // An export writes `'=1+1` for a cell a spreadsheet would run; read back, it is `=1+1` again.
      if (cell !== undefined && cell !== '') row[column] = withoutFormulaGuard(cell);
    });
    return [{ line, record: row }];
  };
  /** Settles the header among the rows held, and answers the rows after it. */
  const settle = (): RawRow[] => {
    const at = Math.max(headerRowIndex(held.map((entry) => entry.record)), 0);
    const found = held[at];
    if (!found) return [];
    if (at > 0) onTitles?.(held.slice(0, at).map((entry) => titleOf(entry.record, entry.line)));
    // A second heading row would be read as a customer, its headings as fields named like the columns above them.
    const second = secondHeaderRow(found.record, held[at + 1]?.record);
    if (second) throw new TagbaseError('VALIDATION_FAILED', { detail: secondHeaderRowText(second) });
    const columns = takeHeader(found);
    header = columns;
    onHeader?.(columns);
    const rest = held.slice(at + 1).flatMap((entry) => rowOf(entry, columns));
    held.length = 0;
    return rest;
  };
  try {
    for await (const entry of parser as AsyncIterable<CsvEntry>) {
      if (broken && entry.info.records > broken.records) break;
      const record = recordOf(entry);
      if (!header) {
        held.push(record);
        if (headerRowSettles(held.map((entry) => entry.record))) yield* settle();
        continue;
      }
      yield* rowOf(record, header);
    }
    if (!header) yield* settle();
    if (unreadable !== undefined) throw unreadable;
    if (broken) throw broken.error;
  } catch (error) {
    // The rows read before the file turned unreadable still count, though no header was settled on.
    if (!header && !(error instanceof TagbaseError)) yield* settle();
    if (error instanceof UndecodableText) {
      yield { line: error.line, problem: { reason: 'unreadable_from_here', params: { detail: error.detail } } };
      return;
    }
    const csvError = error as Error & { lines?: number; code?: string };
    if (csvError.lines === undefined) throw error;
    const line = csvError.code === 'CSV_QUOTE_NOT_CLOSED' ? lastLine + 1 : csvError.lines - crlfInCells;
    yield { line, problem: { reason: 'unreadable_from_here', params: { detail: csvProblemText(csvError) } } };
  }
}

/** Runs rows through the engine, `batchSize` at a time; `onBatch` hears after each commit, and the next batch waits for it. */
export async function importRows(
  context: WorkspaceContext,
  kind: ImportKind,
  rows: AsyncIterable<RawRow> | Iterable<RawRow>,
  options: { batchSize: number; onBatch?: (progress: { rows: number; rejected: number }) => void | Promise<void> },
): Promise<ImportResult> {
  const zone: ImportZone = { utcOffsetMinutes: await workspaceUtcOffset(context), zonelessTimes: 0, maskedIdentifiers: 0 };
  const notes: RowNotes = new Map();
  const write = await writerFor(context, kind, zone, notes);
  const rejections: Rejection[] = [];
  // A row can be refused for several reasons at once: it is one rejected row.
  const rejectedLines = new Set<number>();
  let count = 0;
  let batch: PendingRow[] = [];
  const counts: WriteCounts = { created: 0, updated: 0, unchanged: 0, duplicates: 0, padded: new Map() };
  // Each customer id's first line, and the later lines of those on more than one.
  const firstLines = new Map<string, number>();
  const laterLines = new Map<string, number[]>();
  const flush = async () => {
    if (batch.length === 0) return;
    const rowsByLine = new Map(batch.map((row) => [row.line, row]));
    for (const rejection of await write(batch, counts)) {
      const { cells, text } = rowsByLine.get(rejection.line) ?? {};
      rejections.push({ ...rejection, ...(cells ? { cells } : {}), ...(text === undefined ? {} : { text }) });
      rejectedLines.add(rejection.line);
    }
    batch = [];
    await options.onBatch?.({ rows: count, rejected: rejectedLines.size });
  };
  for await (const row of rows) {
    count++;
    if (row.problem !== undefined) {
      // A JSON line giving a key twice is read, but refused as a body giving one is.
      const code = row.problem.reason === 'duplicate_key' ? 'VALIDATION_FAILED' : 'UNREADABLE_ROW';
      rejections.push({ line: row.line, code, problem: row.problem, ...(row.cells ? { cells: row.cells } : {}), ...(row.cellsBeyondHeader ? { cellsBeyondHeader: row.cellsBeyondHeader } : {}), ...(row.cellsWithoutHeading ? { cellsWithoutHeading: row.cellsWithoutHeading } : {}), ...(row.text === undefined ? {} : { text: row.text }) });
      rejectedLines.add(row.line);
      continue;
    }
    const unstorableAt = unstorableTextPath(row.record);
    if (unstorableAt !== undefined) {
      rejections.push({ line: row.line, code: 'VALIDATION_FAILED', problem: { reason: 'unstorable_text', params: { column: headerOf(unstorableAt, row.record, row.fileColumns) ?? unstorableAt } }, cells: row.cells ?? row.record, ...(row.text === undefined ? {} : { text: row.text }) });
      rejectedLines.add(row.line);
      continue;
    }
    // An id or identifier Excel wrote as 1.38001E+10 has lost its digits: no customer is meant by it.
    const scientific = scientificNotationCells(kind, row.record);
    if (scientific.length > 0) {
      for (const { column, found } of scientific) {
        rejections.push({ line: row.line, code: 'VALIDATION_FAILED', problem: { reason: 'scientific_notation', params: { column: row.fileColumns?.get(column) ?? column, found } }, cells: row.cells ?? row.record, ...(row.text === undefined ? {} : { text: row.text }) });
      }
      rejectedLines.add(row.line);
      continue;
    }
    if (kind === 'customers') noteCustomerId(row.record.id, row.line, firstLines, laterLines);
    batch.push({ line: row.line, input: row.record, fileColumns: row.fileColumns, cells: row.cells ?? row.record, text: row.text });
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  rejections.sort((a, b) => a.line - b.line);
  // Of the rows that landed only: a rejected row's times and identifiers were not taken.
  let zonelessTimes = 0;
  let maskedIdentifiers = 0;
  for (const [line, note] of notes) {
    if (rejectedLines.has(line)) continue;
    zonelessTimes += note.zonelessTimes;
    maskedIdentifiers += note.maskedIdentifiers;
  }
  // Of the rows that landed, each id once, at its first line.
  const lostLeadingZeros = new Map<string, LostLeadingZeros>();
  for (const [line, { id, stored }] of [...counts.padded].sort(([a], [b]) => a - b)) if (!rejectedLines.has(line) && !lostLeadingZeros.has(id)) lostLeadingZeros.set(id, { id, stored, line });
  return {
    rows: count,
    accepted: count - rejectedLines.size,
    rejected: rejectedLines.size,
    rejections,
    zonelessTimes,
    maskedIdentifiers,
    utcOffsetMinutes: zone.utcOffsetMinutes,
    ...(kind === 'customers' ? { customers: { created: counts.created, updated: counts.updated, unchanged: counts.unchanged }, repeatedIds: repeatedIdsOf(firstLines, laterLines, rejectedLines) } : {}),
    ...(kind === 'events' ? { duplicates: counts.duplicates } : {}),
    ...(lostLeadingZeros.size > 0 ? { lostLeadingZeros: [...lostLeadingZeros.values()] } : {}),
  };
}

function noteCustomerId(id: unknown, line: number, firstLines: Map<string, number>, laterLines: Map<string, number[]>): void {
  if (typeof id !== 'string' && typeof id !== 'number') return;
  const key = String(id);
  const later = laterLines.get(key);
  if (!firstLines.has(key)) firstLines.set(key, line);
  else if (later) later.push(line);
  else laterLines.set(key, [line]);
}

/** The ids on more than one row that landed: a rejected row overwrote nothing. */
function repeatedIdsOf(firstLines: ReadonlyMap<string, number>, laterLines: ReadonlyMap<string, number[]>, rejectedLines: ReadonlySet<number>): RepeatedId[] {
  const repeated: RepeatedId[] = [];
  for (const [id, later] of laterLines) {
    const lines = [firstLines.get(id) ?? 0, ...later].filter((line) => !rejectedLines.has(line));
    if (lines.length > 1) repeated.push({ id, lines });
  }
  return repeated.sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
}

function wordRejection(rejection: Rejection, locale: Locale): WordedRejection {
  return { line: rejection.line, code: rejection.code, reason: rowProblemText(rejection.problem, locale) };
}

/** Rejections in one language. */
export function wordRejections(rejections: readonly Rejection[], locale: Locale): WordedRejection[] {
  return rejections.map((rejection) => wordRejection(rejection, locale));
}

/** Rejections in one language, each also in every language: a console that switches language words them again without asking. */
export function wordRejectionsEverywhere(rejections: readonly Rejection[], locale: Locale): (WordedRejection & { localized: LocalizedText })[] {
  return rejections.map((rejection) => ({
    ...wordRejection(rejection, locale),
    localized: localized(rowProblemText(rejection.problem, 'en'), rowProblemText(rejection.problem, 'zh-CN')),
  }));
}

/**
 * The file's header of the column a path of the importer's is in (`phone`, `identities.1`,
 * `custom.鞋码`, `properties.渠道`), or undefined when the file has no header (JSON Lines) or no
 * such column. `input` is the row as the engine took it, whose identities say their kind.
 */
function headerOf(path: string, input: unknown, fileColumns: ReadonlyMap<string, string> | undefined): string | undefined {
  if (!fileColumns) return undefined;
  const [head = '', next] = path.split('.');
  if (head === 'identities') {
    const identities = typeof input === 'object' && input !== null ? (input as { identities?: unknown }).identities : undefined;
    const identity: unknown = Array.isArray(identities) && next !== undefined ? identities[Number(next)] : undefined;
    const kind = typeof identity === 'object' && identity !== null ? (identity as { kind?: unknown }).kind : undefined;
    return typeof kind === 'string' ? fileColumns.get(kind) : undefined;
  }
  // A custom field's column may be headed by its key alone (`鞋码` for `custom.鞋码`).
  return fileColumns.get(path) ?? fileColumns.get(head) ?? (head === 'custom' && next !== undefined ? fileColumns.get(path.slice('custom.'.length)) : undefined);
}

/** Rejections for the rows of a batch, from item errors indexed into the batch, naming a column as the file's header does. */
function rejectionsFromItems(rows: PendingRow[], items: ItemError[]): Rejection[] {
  return items.flatMap((item): Rejection[] => {
    const row = rows[item.index];
    if (!row) return [];
    const unreadable = unreadableTime(row, item);
    if (unreadable) return [{ line: row.line, code: item.code, problem: { reason: 'time_not_readable', params: { ...unreadable, column: headerOf(unreadable.column, row.input, row.fileColumns) ?? unreadable.column } } }];
    const date = unreadableDate(row, item);
    if (date) return [{ line: row.line, code: item.code, problem: { reason: 'date_not_readable', params: { ...date, column: headerOf(date.column, row.input, row.fileColumns) ?? date.column } } }];
    const ahead = timeAhead(row, item);
    if (ahead) return [{ line: row.line, code: item.code, problem: { reason: 'time_ahead', params: ahead } }];
    const message = localized(item.message, itemMessage(item, 'zh-CN'));
    const property = propertyColumnProblem(item, message, row.fileColumns);
    if (property) return [{ line: row.line, code: item.code, problem: { reason: 'item', params: property } }];
    const path = item.path === undefined ? undefined : (headerOf(item.path, row.input, row.fileColumns) ?? item.path);
    return [{ line: row.line, code: item.code, problem: { reason: 'item', params: { path, message } } }];
  });
}

/**
 * A problem with one of an event's properties, named by the file's column for it (`金额:
 * expected a number, got text`, `商品.0.sku: …` for a column of JSON) rather than as
 * `properties.amount: …`. The engine places it by `inItem` (`['properties', 'amount']`), the
 * property's name one step whatever it holds; a property the file has no column of its own for
 * (JSON in a `properties` column) is named within that column (`属性.amount`).
 */
function propertyColumnProblem(item: ItemError, message: LocalizedText, fileColumns: ReadonlyMap<string, string> | undefined): { path: string; message: LocalizedText } | undefined {
  const [head, name, ...rest] = item.inItem ?? [];
  if (item.code !== 'EVENT_PROPERTIES_INVALID' || head !== 'properties' || name === undefined || !fileColumns) return undefined;
  const own = fileColumns.get(`properties.${name}`);
  const within = own ?? fileColumns.get('properties');
  if (within === undefined) return undefined;
  return { path: [within, ...(own === undefined ? [name] : []), ...rest].join('.'), message };
}

/**
 * A time cell the importer could not read reaches the schema as written, which asks for ISO 8601;
 * a file is written by people and shops, and the importer reads more than that: say which.
 */
function unreadableTime(row: PendingRow, item: ItemError): { column: string; found: string } | undefined {
  if ((item.path !== 'occurred_at' && item.path !== 'first_seen_at') || item.message !== ISO_TIME_MESSAGE) return undefined;
  const found = typeof row.input === 'object' && row.input !== null ? (row.input as Record<string, unknown>)[item.path] : undefined;
  return typeof found === 'string' && found.trim() !== '' ? { column: item.path, found } : undefined;
}

/**
 * A time cell more than a day ahead of the server's clock, named by its column and quoted as the
 * file wrote it (`时间「2099-01-01」`), not as the UTC time the importer made of it.
 */
function timeAhead(row: PendingRow, item: ItemError): { column: string; found: string } | undefined {
  if ((item.path !== 'occurred_at' && item.path !== 'first_seen_at') || !item.message.endsWith(TIME_AHEAD_MESSAGE)) return undefined;
  const column = headerOf(item.path, row.input, row.fileColumns) ?? item.path;
  const written = row.cells?.[column];
  const converted = typeof row.input === 'object' && row.input !== null ? (row.input as Record<string, unknown>)[item.path] : undefined;
  const found = written ?? converted;
  return { column, found: typeof found === 'string' ? found : JSON.stringify(found) };
}

/**
 * A date cell the importer could not read (`birthday`, a custom date field): the schema asks for
 * `YYYY-MM-DD` without quoting the cell, and a file may hold many; quote it as written.
 */
function unreadableDate(row: PendingRow, item: ItemError): { column: string; found: string } | undefined {
  if (item.path === undefined || !(item.path === 'birthday' || item.path.startsWith('custom.'))) return undefined;
  const input = typeof row.input === 'object' && row.input !== null ? (row.input as Record<string, unknown>) : {};
  const custom = typeof input.custom === 'object' && input.custom !== null ? (input.custom as Record<string, unknown>) : {};
  const found = item.path === 'birthday' ? input.birthday : custom[item.path.slice('custom.'.length)];
  // A number where a date belongs (a JSON line's `"birthday": 45123`) is refused as no text, without the number.
  const dateRefused = isDateRefusal(item.message) || (item.path === 'birthday' && typeof found === 'number');
  if (!dateRefused || found === undefined || found === null || (typeof found === 'string' && found.trim() === '')) return undefined;
  return { column: item.path, found: typeof found === 'string' ? found : JSON.stringify(found) };
}

/**
 * Notes, by line, the rows whose customer id is digits alone, not stored, and stored with leading
 * zeros (`12` for `00012`): written, they create a customer beside the one the file most likely
 * means. Before the rows are written, while a new id is still not stored; only ids of digits are
 * looked up.
 */
async function notePaddedIds(context: WorkspaceContext, zeroLed: () => Promise<boolean>, rows: readonly { line: number; id: unknown }[], into: Map<number, { id: string; stored: string }>): Promise<void> {
  const bare = rows.flatMap((row) => (typeof row.id === 'string' && isBareNumber(row.id) ? [{ line: row.line, id: row.id }] : []));
  if (bare.length === 0 || !(await zeroLed())) return;
  const stored = await resolveCustomerIds(context, bare.map((row) => row.id));
  const padded = await zeroPaddedIds(context, bare.map((row) => row.id).filter((id) => !stored.has(id)));
  for (const row of bare) {
    const match = padded.get(row.id);
    if (match !== undefined) into.set(row.line, { id: row.id, stored: match });
  }
}

async function writerFor(context: WorkspaceContext, kind: ImportKind, zone: ImportZone, notes: RowNotes): Promise<BatchWriter> {
  // Asked once per import, at the first batch with an id of digits.
  let zeroLedAsked: Promise<boolean> | undefined;
  const zeroLed = () => (zeroLedAsked ??= mayHoldZeroLedIds(context));
  switch (kind) {
    case 'customers': {
      const fields = new Map((await listCustomFields(context)).map((field) => [field.key, field]));
      return async (rows, counts) => {
        const inputs = rows.map((row) => noted(zone, notes, row.line, () => mapCustomerRecord(row.input as Record<string, unknown>, fields, zone)));
        await notePaddedIds(context, zeroLed, rows.map((row, index) => ({ line: row.line, id: (inputs[index] as { id?: unknown } | undefined)?.id })), counts.padded);
        const result = await upsertCustomers(context, inputs, { keepGood: true, utcOffsetMinutes: zone.utcOffsetMinutes });
        counts.created += result.created;
        counts.updated += result.updated;
        counts.unchanged += result.unchanged;
        // As the engine took them: their identities say which column each came from.
        return rejectionsFromItems(rows.map((row, index) => ({ ...row, input: inputs[index] })), result.rejected);
      };
    }
    case 'events':
      return async (rows, counts) => {
        const rejected: Rejection[] = [];
        const good: PendingRow[] = [];
        for (const row of rows) {
          const mapped = noted(zone, notes, row.line, () => mapEventRecord(row.input as Record<string, unknown>, zone));
          if (mapped.problem) rejected.push({ line: row.line, code: 'VALIDATION_FAILED', problem: inFileColumn(mapped.problem, row.fileColumns) });
          else good.push({ line: row.line, input: mapped.value, fileColumns: row.fileColumns, cells: row.cells });
        }
        await notePaddedIds(context, zeroLed, good.map((row) => ({ line: row.line, id: (row.input as { customer_id?: unknown }).customer_id })), counts.padded);
        const result = await ingestEvents(context, good.map((row) => row.input), { keepGood: true, utcOffsetMinutes: zone.utcOffsetMinutes });
        counts.duplicates += result.duplicates;
        return [...rejected, ...rejectionsFromItems(good, result.rejected)];
      };
    case 'assignments': {
      // Across the whole file, not only a batch: the value each customer has been given so far.
      const singleValues: SingleValuesGiven = new Map();
      return (rows) => writeAssignments(context, rows, zone, notes, singleValues);
    }
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown import kind ${String(unreachable)}`);
    }
  }
}

/**
 * An instant `toIso` writes past the year 9999 (`+010000-01-01T05:00:00.000Z`, the end of a whole
 * 9999-12-31 west of UTC): an expiry too late, which `parseTimestamp` does not read, not a cell that is no time.
 */
function pastYear9999(text: string): number | undefined {
  return /^\+\d{6}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text) ? Date.parse(text) : undefined;
}

/** Why an assignment row cannot be applied, or the tag, value and expiry it applies. */
function checkAssignment(
  row: AssignmentRow,
  tags: readonly TagDefinition[],
  customers: ReadonlyMap<string, unknown>,
  /** Of the customers not found, those stored with leading zeros (`zeroPaddedIds`). */
  padded: ReadonlyMap<string, string>,
  now: number,
  /** The expiry's column as the file heads it. */
  expiryColumn: string,
): { code: ErrorCode; problem: RowProblem } | { tag: TagDefinition; value: TagValue; expiresAt: number | undefined } {
  if (!customers.has(row.customer_id)) return { code: 'CUSTOMER_NOT_FOUND', problem: { reason: 'customer_not_found', params: { customer: row.customer_id, ...(padded.has(row.customer_id) ? { stored: padded.get(row.customer_id) } : {}) } } };
  const tag = tags.find((t) => t.key === row.tag) ?? tags.find((t) => t.name === row.tag);
  if (!tag) return { code: 'TAG_NOT_FOUND', problem: { reason: 'tag_not_found', params: { tag: row.tag, ...tagMeant(tags, row.tag) } } };
  const value = findTagValue(tag, row.value);
  // The tag as the file names it (兴趣爱好 rather than its key, interests), as a reason names a column.
  if (!value) return { code: 'TAG_VALUE_NOT_FOUND', problem: { reason: 'tag_value_not_found', params: { tag: row.tag, value: row.value, ...valuesToName(tag, row.value) } } };
  const expiresAt = row.expires_at === undefined ? undefined : (parseTimestamp(row.expires_at) ?? pastYear9999(row.expires_at));
  if (row.expires_at !== undefined && expiresAt === undefined) return { code: 'VALIDATION_FAILED', problem: { reason: 'expires_at_not_time', params: { column: expiryColumn, found: row.expiresAtWritten ?? row.expires_at } } };
  if (expiresAt !== undefined && expiresAt <= now) return { code: 'VALIDATION_FAILED', problem: { reason: 'expires_at_not_future', params: { column: expiryColumn, found: row.expiresAtWritten ?? row.expires_at ?? '' } } };
  if (expiresAt !== undefined && isPastLatestExpiry(expiresAt)) return { code: 'VALIDATION_FAILED', problem: { reason: 'expires_at_too_late', params: { column: expiryColumn, found: row.expiresAtWritten ?? row.expires_at ?? '' } } };
  return { tag, value, expiresAt };
}

/**
 * Which tag a rejection of `written`, no tag of the workspace, says was meant: the tag one of whose
 * values it names (the value written in the tag column), or one whose name or key is a letter or
 * two away, named as the file named it (by name, or by key where it is nearer a key).
 */
function tagMeant(tags: readonly TagDefinition[], written: string): { valueOfTag?: string; nearest?: string } {
  const holding = tags.find((tag) => findTagValue(tag, written) !== undefined);
  if (holding) return { valueOfTag: holding.name };
  const nearest = nearestName(written, tags.flatMap((tag) => [tag.name, tag.key]));
  return nearest === undefined ? {} : { nearest };
}

/** How many of a tag's values a rejection names before saying how many more there are. */
const VALUES_NAMED = 20;

/**
 * What a rejection of `written`, no value of `tag`, names so that the row can be put right: the
 * tag's values, or, where the cell lists several values the tag has and the tag holds several
 * (高尔夫|钓鱼, as identity columns take several), those values, each to go on a row of its own.
 */
function valuesToName(tag: TagDefinition, written: string): { values: string[]; count: number; several?: string[] } {
  const parts = written
    .split(/[|、,，;；]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const listed = parts.map((part) => findTagValue(tag, part));
  const values = tag.values.slice(0, VALUES_NAMED).map((v) => v.name);
  if (tag.cardinality === 'multi' && parts.length > 1 && listed.every((v) => v !== undefined)) return { values, count: tag.values.length, several: parts };
  return { values, count: tag.values.length };
}

/** A problem within a cell's JSON (`properties`), naming the cell's column as the file's header does (`属性`). */
function inFileColumn(problem: RowProblem, fileColumns: ReadonlyMap<string, string> | undefined): RowProblem {
  if (problem.reason !== 'duplicate_key' || problem.params.cell === undefined) return problem;
  return { reason: 'duplicate_key', params: { ...problem.params, cell: fileColumns?.get(problem.params.cell) ?? problem.params.cell } };
}

/** A problem naming one of the importer's columns, naming it as the file's header does. */
function asFileHeads(problem: RowProblem, fileColumns: ReadonlyMap<string, string> | undefined): RowProblem {
  if (problem.reason === 'required') return { reason: 'required', params: { column: fileColumns?.get(problem.params.column) ?? problem.params.column } };
  if (problem.reason === 'expires_at_not_time') return { reason: 'expires_at_not_time', params: { ...problem.params, column: fileColumns?.get(problem.params.column) ?? problem.params.column } };
  return problem;
}

/** Per single-valued tag and customer, the value an earlier row of the file gave, and on which line. */
type SingleValuesGiven = Map<string, { value: string; written: string; line: number }>;

async function writeAssignments(context: WorkspaceContext, rows: PendingRow[], zone: ImportZone, notes: RowNotes, singleValues: SingleValuesGiven): Promise<Rejection[]> {
  const rejected: Rejection[] = [];
  const parsed: { line: number; row: AssignmentRow; expiryColumn: string }[] = [];
  for (const pending of rows) {
    const mapped = noted(zone, notes, pending.line, () => mapAssignmentRecord(pending.input as Record<string, unknown>, zone));
    if (mapped.problem) rejected.push({ line: pending.line, code: 'VALIDATION_FAILED', problem: asFileHeads(mapped.problem, pending.fileColumns) });
    else parsed.push({ line: pending.line, row: mapped.value, expiryColumn: pending.fileColumns?.get('expires_at') ?? 'expires_at' });
  }
  const tags = (await loadTags(context)).filter((tag) => isTagVisibleTo(tag, context.actor));
  const customers = await resolveCustomerIds(context, parsed.map((p) => p.row.customer_id));
  const padded = await zeroPaddedIds(context, parsed.map((p) => p.row.customer_id).filter((id) => !customers.has(id)));
  const now = context.now().getTime();
  const groups = new Map<string, { tag: string; value: string; expiresAt: number | undefined; items: { line: number; customer: string }[] }>();
  for (const { line, row, expiryColumn } of parsed) {
    const checked = checkAssignment(row, tags, customers, padded, now, expiryColumn);
    if ('problem' in checked) {
      rejected.push({ line, code: checked.code, problem: checked.problem });
      continue;
    }
    const { tag, value, expiresAt } = checked;
    // Two rows giving one customer two values of a single-valued tag: which one is meant cannot be
    // told, and applying both would leave whichever came last. The first stands, the other is refused.
    if (tag.cardinality === 'single') {
      const given = singleValues.get(`${tag.key}\u0000${row.customer_id}`);
      if (given && given.value !== value.key) {
        rejected.push({ line, code: 'VALIDATION_FAILED', problem: { reason: 'single_value_taken', params: { customer: row.customer_id, tag: row.tag, value: given.written, line: given.line } } });
        continue;
      }
      if (!given) singleValues.set(`${tag.key}\u0000${row.customer_id}`, { value: value.key, written: row.value, line });
    }
    const key = `${tag.key}\u0000${value.key}\u0000${expiresAt ?? ''}`;
    const group = groups.get(key) ?? { tag: tag.key, value: value.key, expiresAt, items: [] };
    group.items.push({ line, customer: row.customer_id });
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    try {
      await assignTag(context, { tag: group.tag, value: group.value, customers: group.items.map((item) => item.customer), expiresAt: group.expiresAt, source: 'import' });
    } catch (error) {
      if (!isTagbaseError(error)) throw error;
      const message = localized(error.message, error.messageIn('zh-CN'));
      for (const item of group.items) {
        rejected.push({ line: item.line, code: error.code, problem: { reason: 'item', params: { message } } });
        // A value that did not land is no reason to refuse another row's.
        const key = `${group.tag}\u0000${item.customer}`;
        if (singleValues.get(key)?.line === item.line) singleValues.delete(key);
      }
    }
  }
  return rejected;
}
