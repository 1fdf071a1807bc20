// Reads an import file row by row, CSV (with a header), JSON Lines or an Excel workbook,
// keeping the line number of each row (for a workbook, its row in the sheet) so that rejected
// rows can be reported precisely.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { TagbaseError } from '../../core/errors.js';
import type { Locale } from '../../core/locale.js';
import { secondHeaderRowText } from '../../core/spreadsheet.js';
import { SheetCsvSurvey, sheetRowTexts, type SheetCsvPlan } from '../../core/sheet-csv-stream.js';
import { TEXT_ENCODINGS, type TextEncodingName } from '../../core/text-encoding.js';
import { parseCsvChunks, parseRows, type ImportFormat, type ParseOptions, type RawRow } from '../../engine/imports.js';
import { cliMessages } from '../messages.js';
import { XlsWorkbook, openWorkbook, type Workbook } from '../../core/xlsx-workbook.js';
import type { ByteSource } from '../../core/zip-archive.js';
import { bufferSource, fileSource, inflateRaw } from './xlsx-zip.js';

export type { RawRow } from '../../engine/imports.js';

/** What `tagbase import` reads: the importer's text formats, and Excel workbooks. */
export type ImportFileFormat = ImportFormat | 'xlsx';

/** The file name that stands for standard input: `curl … | tagbase import events - -f jsonl`. */
export const STANDARD_INPUT = '-';

export function formatOf(path: string, explicit?: string, locale?: Locale): ImportFileFormat {
  if (explicit === 'csv' || explicit === 'jsonl' || explicit === 'xlsx') return explicit;
  if (explicit !== undefined) throw new Error(cliMessages(locale)('invalid.format', { format: explicit }));
  if (path === STANDARD_INPUT) throw new Error(cliMessages(locale)('invalid.stdinFormat'));
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  // Tab-separated text (.tsv, .txt as spreadsheets save "text") is CSV with another delimiter, told from its header.
  if (/\.(csv|tsv|txt)$/i.test(path)) return 'csv';
  if (/\.xlsx$/i.test(path)) return 'xlsx';
  if (/\.xls$/i.test(path)) throw new Error(cliMessages(locale)('invalid.xls', { path }));
  throw new Error(cliMessages(locale)('invalid.formatUnknown', { path }));
}

/**
 * The renamings `--column` gives (`手机号码=phone`; `备注=` leaves the column out), as the API's
 * `columns` takes them. Split at the last `=`: the importer's columns hold none.
 */
export function columnsOf(mappings: readonly string[], format: ImportFileFormat, locale?: Locale): Record<string, string> {
  if (mappings.length > 0 && format === 'jsonl') throw new Error(cliMessages(locale)('invalid.columnJsonl'));
  const columns: Record<string, string> = {};
  for (const mapping of mappings) {
    const at = mapping.lastIndexOf('=');
    const column = mapping.slice(0, at).trim();
    if (at < 0 || column === '') throw new Error(cliMessages(locale)('invalid.column', { mapping }));
    columns[column] = mapping.slice(at + 1).trim();
  }
  return columns;
}

export function encodingOf(explicit: string | undefined, locale?: Locale): TextEncodingName | 'auto' {
  const named = explicit?.trim().toLowerCase();
  if (named === undefined || named === 'auto') return 'auto';
  if (named === 'gbk') return 'gb18030';
  if (named === 'utf8') return 'utf-8';
  const known = TEXT_ENCODINGS.find((encoding) => encoding === named);
  if (known) return known;
  throw new Error(cliMessages(locale)('invalid.encoding', { encoding: explicit ?? '' }));
}

export interface SheetRead {
  name: string;
  position: number;
  count: number;
  titles: { row: number; text: string }[];
}

export interface ReadOptions extends ParseOptions {
  /** The sheet of a workbook to read, by name; the first when not given. */
  sheet?: string | undefined;
  /** Told which sheet of a workbook is read (and the title rows above its header, left out), before its first row. */
  onSheet?: ((sheet: SheetRead) => void) | undefined;
  locale?: Locale | undefined;
}

/**
 * Rows of a file; `onBytes` reports how far the reading got, for the progress bar. The file
 * opens on the first read: a 'data' listener makes the stream flow, and rows read before
 * the parser is attached would be lost.
 */
export async function* readRows(path: string, format: ImportFileFormat, onBytes?: (bytes: number) => void, options: ReadOptions = {}): AsyncGenerator<RawRow> {
  if (path === STANDARD_INPUT) {
    yield* readStandardInput(process.stdin, format, onBytes, options);
    return;
  }
  if (format === 'xlsx') {
    yield* readSheetRows(await fileSource(path), path, onBytes, options);
    return;
  }
  if (format === 'jsonl' && (await startsWithArray(path))) throw new Error(cliMessages(options.locale)('invalid.jsonArray', { path }));
  const stream = createReadStream(path);
  if (onBytes) stream.on('data', () => onBytes(stream.bytesRead));
  yield* parseRows(stream, format, options);
}

/**
 * Rows piped in: text streams through as a file's does (a day of events need not fit in
 * memory); a workbook, a zip whose directory is at its end, is collected first (as it was
 * compressed: its sheet is still read a row at a time). JSON Lines that turn out to be one
 * array are refused at their first bytes, as a file is.
 */
export async function* readStandardInput(input: NodeJS.ReadableStream, format: ImportFileFormat, onBytes: ((bytes: number) => void) | undefined, options: ReadOptions = {}): AsyncGenerator<RawRow> {
  const say = cliMessages(options.locale);
  const name = say('import.standardInput');
  let bytes = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    let checked = format !== 'jsonl';
    for await (const chunk of input) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (!checked) {
        const start = buffer.toString('utf8').replace(/^\uFEFF/, '').trimStart();
        if (start.startsWith('[')) throw new Error(say('invalid.jsonArrayPiped'));
        checked = start !== '';
      }
      bytes += buffer.byteLength;
      onBytes?.(bytes);
      yield buffer;
    }
  }
  if (format === 'xlsx') {
    const chunks: Buffer[] = [];
    for await (const chunk of counted()) chunks.push(chunk);
    yield* readSheetRows(bufferSource(Buffer.concat(chunks)), name, undefined, options);
    return;
  }
  yield* parseRows(Readable.from(counted()), format, options);
}

/**
 * Whether a JSON file is one array rather than JSON Lines: read line by line, a pretty-printed
 * array would have its lines refused one by one and the odd one-line object imported.
 */
async function startsWithArray(path: string): Promise<boolean> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('[');
  } finally {
    await file.close();
  }
}

/**
 * A workbook's sheet, through the CSV reader as `sheetToCsv` writes it out, each row numbered as
 * the sheet numbers it. The sheet is read twice as it is unzipped, never held: once for what
 * its CSV text needs from the whole sheet (`SheetCsvSurvey`), and once for its rows.
 */
async function* readSheetRows(source: ByteSource, path: string, onBytes: ((bytes: number) => void) | undefined, options: ReadOptions): AsyncGenerator<RawRow> {
  const say = cliMessages(options.locale);
  // Whatever the reading stumbled on (a damaged zip, a part missing), the file is what is wrong.
  const unreadable = (error: unknown) =>
    error instanceof XlsWorkbook ? new Error(say('invalid.xls', { path })) : new Error(say('invalid.notXlsx', { path, detail: error instanceof Error ? error.message : String(error) }));
  try {
    let workbook: Workbook;
    try {
      workbook = await openWorkbook(source, inflateRaw);
    } catch (error) {
      throw unreadable(error);
    }
    const position = options.sheet === undefined ? 0 : workbook.sheets.indexOf(options.sheet);
    const name = workbook.sheets[position];
    if (name === undefined) throw new Error(say('invalid.sheet', { sheet: options.sheet ?? '', sheets: workbook.sheets }));
    const survey = new SheetCsvSurvey();
    const formulas: { row: number; column: number }[] = [];
    try {
      for await (const rows of workbook.rows(position, (place) => formulas.push(place), (range) => survey.observeMerged(range))) for (const row of rows) survey.observe(row.index, sheetRowTexts(row.cells));
    } catch (error) {
      throw unreadable(error);
    }
    const plan = survey.plan();
    // A second heading row would be read as a customer, its headings as fields named 联系方式 and D.
    if (plan.secondHeaderRow) throw new TagbaseError('VALIDATION_FAILED', { detail: secondHeaderRowText(plan.secondHeaderRow) });
    options.onSheet?.({ name, position: position + 1, count: workbook.sheets.length, titles: plan.titles });
    // Formula cells without a saved result read as empty: their rows are refused, naming the columns.
    const unsaved = new Map<number, string[]>();
    for (const place of formulas) unsaved.set(place.row, [...(unsaved.get(place.row) ?? []), plan.headingOf(place.column)]);
    const lines = new SheetLines();
    // The bar follows the rows read, as a share of the file: the rows are counted before the first.
    let read = 0;
    for await (const row of parseCsvChunks(sheetCsv(workbook, position, plan, lines, unreadable), { onHeader: options.onHeader })) {
      read++;
      onBytes?.(Math.round((source.size * read) / Math.max(plan.rows, 1)));
      const line = lines.rowOf(row.line);
      const columns = unsaved.get(line);
      if (columns && row.record) yield { line, problem: { reason: 'formula_without_result', params: { columns } }, cells: row.record };
      else yield { ...row, line } as RawRow;
    }
    onBytes?.(source.size);
  } finally {
    await source.close();
  }
}

/**
 * The sheet row of each CSV line written and not yet read back (a cell holding line breaks
 * spans several lines); a line the CSV reader has passed is forgotten.
 */
class SheetLines {
  private readonly rows = new Map<number, number>();
  private written = 0;
  private forgotten = 1;

  write(text: string, row: number): void {
    for (let count = text.split('\n').length; count > 0; count--) this.rows.set(++this.written, row);
  }

  /** The sheet row (1-based) of a CSV line; the line itself past the end. */
  rowOf(line: number): number {
    const row = this.rows.get(line) ?? line;
    for (; this.forgotten < line; this.forgotten++) this.rows.delete(this.forgotten);
    return row;
  }
}

/** The sheet's CSV text (as `sheetToCsv` writes it) in pieces of whole lines, the sheet row of each line noted in `lines`. */
async function* sheetCsv(workbook: Workbook, position: number, plan: SheetCsvPlan, lines: SheetLines, unreadable: (error: unknown) => Error): AsyncGenerator<string> {
  if (plan.headerIndex < 0) return;
  let piece = `${plan.headerLine}\n`;
  lines.write(plan.headerLine, plan.headerIndex + 1);
  try {
    for await (const rows of workbook.rows(position)) {
      for (const row of rows) {
        const line = plan.lineOf(row.index, sheetRowTexts(row.cells));
        if (line === undefined) continue;
        lines.write(line, row.index + 1);
        piece += `${line}\n`;
      }
      if (piece.length >= 64 * 1024) {
        yield piece;
        piece = '';
      }
    }
  } catch (error) {
    throw unreadable(error);
  }
  if (piece !== '') yield piece;
}
