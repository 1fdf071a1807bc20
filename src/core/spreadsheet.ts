// Spreadsheets (.xlsx) as the importer reads them: a sheet's cells written out as CSV text, so
// that a workbook goes through the same columns, checks and reports as a CSV file does, and
// each CSV line traced back to the sheet row it came from (the row number the operator sees).
// Reading the workbook is `xlsx-workbook.ts`'s, which writes a sheet's text from its rows read
// twice (`sheet-csv-stream.ts`) as `sheetToCsv` writes it from a sheet held whole.
import { isImporterColumn } from './import-columns.js';
import { localized, type LocalizedText } from './locale.js';

/** A sheet as CSV text, with the sheet row of every CSV line (1 is the header's line). */
export interface SheetAsCsv {
  text: string;
  /** Data rows written (the header and empty rows not counted). */
  rows: number;
  /** The sheet row (1-based, as the spreadsheet numbers it) of a CSV line; the line itself past the end. */
  rowOfLine(line: number): number;
  /** Title rows above the header (one cell each, such as 客户列表 or 导出时间：…), left out, with their sheet rows. */
  titles: { row: number; text: string }[];
  /** The heading of a sheet column (0-based) as the CSV text heads it: its own, or its letter. */
  headingOf(column: number): string;
  /** A second heading row below the header (`secondHeaderRow`), with its sheet row: the sheet is not imported. */
  secondHeaderRow?: SecondHeaderRow & { row: number };
}

/**
 * How a number cell's stored text is written: integers digit for digit (a phone number stays
 * 13800138000), anything else at the 15 significant digits a spreadsheet shows (0.3, not
 * 0.30000000000000004; 1e+20 written out). For a reader's `parseNumber`.
 */
export function sheetNumberText(stored: string): string {
  if (/^-?\d+$/.test(stored)) return stored;
  const value = Number(stored);
  if (!Number.isFinite(value)) return stored;
  // One formatter for all: \`toLocaleString\` makes one per call, which was most of the time a sheet of decimals took to read.
  plainNumbers ??= new Intl.NumberFormat('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  return plainNumbers.format(Number(value.toPrecision(15)));
}

let plainNumbers: Intl.NumberFormat | undefined;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A cell as text. A date cell holds the wall-clock time the sheet shows, as if it were UTC (a
 * spreadsheet knows no zone): written without a zone, for the importer to read in the
 * workspace's, and as a bare date at midnight.
 */
export function sheetCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const [hours, minutes, seconds, millis] = [value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds(), value.getUTCMilliseconds()];
    if (hours === 0 && minutes === 0 && seconds === 0 && millis === 0) return date;
    return `${date} ${pad(hours)}:${pad(minutes)}:${pad(seconds)}${millis > 0 ? `.${pad(millis, 3)}` : ''}`;
  }
  if (typeof value === 'number') return sheetNumberText(String(value));
  // A line break typed in a cell is \n; one from elsewhere may be \r\n, which CSV readers count differently.
  return String(value).replace(/\r\n?/g, '\n');
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `A`, `B` … `Z`, `AA` …: how the spreadsheet names the column at `index` (0-based). */
export function sheetColumnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** How many cells of a row hold something. */
export function filledCells(row: readonly string[]): number {
  return row.filter((cell) => cell.trim() !== '').length;
}

/** Rows looked at for a header below one-cell title rows. */
export const MAX_TITLE_ROWS = 30;

/** How many cells of a row name one of the importer's columns (`isImporterColumn`). */
function importerColumnCount(row: readonly string[]): number {
  return row.filter(isImporterColumn).length;
}

/**
 * Whether `row`, the first of a file with more than one cell, is a title of several cells
 * (`客户名单 2026-11 | 导出人：张三`) above the header `next`: it names none of the importer's
 * columns, and `next` names two, or only such columns.
 */
function isTitleAbove(row: readonly string[], next: readonly string[] | undefined): boolean {
  if (!next || importerColumnCount(row) > 0) return false;
  const known = importerColumnCount(next);
  return known >= 2 || (known >= 1 && known === filledCells(next));
}

/**
 * Where the header is among a file's first rows: the first row with more than one cell, when
 * one comes within MAX_TITLE_ROWS rows (the rows above it, one cell each, are titles such as
 * 会员报表 or 导出时间：…), or the row below it when that row is clearly the header and it is
 * clearly a title (`isTitleAbove`); otherwise the first row with any cell (a file of one
 * column). -1 when no row has a cell.
 */
export function headerRowIndex(rows: readonly (readonly string[])[]): number {
  const wide = rows.slice(0, MAX_TITLE_ROWS + 1).findIndex((row) => filledCells(row) > 1);
  if (wide < 0) return rows.findIndex((row) => filledCells(row) > 0);
  return isTitleAbove(rows[wide] ?? [], rows[wide + 1]) ? wide + 1 : wide;
}

/** Columns (0-based, `from` ≤ `to`) that a merged cell of the header row spans. */
export interface MergedColumns {
  from: number;
  to: number;
}

/** A second heading row under the header: its headings, and the heading above the first of them (联系方式 over 手机 and 邮箱). */
export interface SecondHeaderRow {
  headings: string[];
  above: string | undefined;
}

/**
 * Whether `next`, the row right below the header, is a second row of headings (a merged
 * 联系方式 over 手机 and 邮箱 below it) rather than a first customer: the importer reads one
 * heading row, and would take this one for a customer and its cells' columns for fields named
 * 联系方式 and `D`. Told conservatively, so that a header with an empty cell or a first row with
 * blanks is not taken for one: every cell of `next` is a heading the importer knows (手机, 邮箱,
 * Mobile …), or lies under a cell of the header merged across columns (`merged`, of a workbook),
 * and at least one stands in a column the header leaves blank.
 */
export function secondHeaderRow(header: readonly string[], next: readonly string[] | undefined, merged: readonly MergedColumns[] = []): SecondHeaderRow | undefined {
  if (!next) return undefined;
  const cells = next.flatMap((cell, column) => (cell.trim() === '' ? [] : [{ column, text: cell.trim() }]));
  if (cells.length === 0) return undefined;
  const blank = (column: number) => (header[column] ?? '').trim() === '';
  if (!cells.some((cell) => blank(cell.column))) return undefined;
  const underMerged = (column: number) => merged.some((range) => range.to > range.from && column >= range.from && column <= range.to);
  if (!cells.every((cell) => isImporterColumn(cell.text)) && !cells.every((cell) => underMerged(cell.column))) return undefined;
  const [first] = cells;
  let above: string | undefined;
  for (let column = first?.column ?? 0; column >= 0 && above === undefined; column--) if (!blank(column)) above = (header[column] ?? '').trim();
  return { headings: cells.map((cell) => cell.text), above };
}

/** Why a file with a second heading row (`secondHeaderRow`) is refused, and what to do. */
export function secondHeaderRowText({ headings, above }: SecondHeaderRow): LocalizedText {
  const en = headings.map((heading) => `"${heading}"`).join(', ');
  const zh = headings.map((heading) => `"${heading}"`).join('');
  return localized(
    `the header takes two rows (${above === undefined ? `the row below it holds ${en}` : `as a merged cell "${above}" with ${en} below it`}): keep one heading row and import again`,
    `表头占了两行（${above === undefined ? `表头下面一行还有${zh}` : `如合并单元格"${above}"下面还有${zh}`}）：请只保留一行表头再导入`,
  );
}

/** Whether rows read so far are enough for `headerRowIndex` to settle: the first row with more than one cell and the row after it. */
export function headerRowSettles(rows: readonly (readonly string[])[]): boolean {
  const wide = rows.findIndex((row) => filledCells(row) > 1);
  return (wide >= 0 && rows.length > wide + 1) || rows.length > MAX_TITLE_ROWS + 1;
}

/** What separates a CSV file's cells: a comma, or as some spreadsheets save "CSV" and text files, a semicolon or a tab. */
export type CsvDelimiter = ',' | ';' | '\t';

/** Characters of a file's start that its delimiter is told from. */
export const CSV_DELIMITER_SAMPLE = 64 * 1024;

/**
 * The delimiter of a CSV file, from its start: the first line with a comma, semicolon or tab
 * outside quotes (above it, one-cell titles such as 会员报表 have none) decides. A comma there
 * makes it a comma file as ever; a line with none is split on the semicolons or tabs it has
 * most of (a spreadsheet set to German or French saves `编号;姓名`, a tab-separated export
 * `编号→姓名`).
 */
export function csvDelimiterOf(sample: string): CsvDelimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of sample) {
    if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (char === ',' || char === ';' || char === '\t') counts[char]++;
    else if ((char === '\n' || char === '\r') && counts[','] + counts[';'] + counts['\t'] > 0) break;
  }
  if (counts[','] > 0) return ',';
  if (counts[';'] === 0 && counts['\t'] === 0) return ',';
  return counts['\t'] >= counts[';'] ? '\t' : ';';
}

/**
 * Whether a spreadsheet would run a text cell as a formula: one starting with =, +, @, a tab or a
 * carriage return, or with - unless it is a plain negative number (`-2+3+cmd|…` runs; `-12.5`
 * is kept as it is). An export writes such a cell with a leading apostrophe.
 */
export function runsAsFormula(text: string): boolean {
  return /^[=+@\t\r]/.test(text) || /^-(?!\d+(\.\d+)?$)/.test(text);
}

/**
 * A cell as it was before an export defused it (`'=1+1` → `=1+1`, `'-杭州` → `-杭州`), so that
 * an exported file imports again unchanged; an apostrophe before anything else is kept.
 */
export function withoutFormulaGuard(cell: string): string {
  return cell.startsWith("'") && runsAsFormula(cell.slice(1)) ? cell.slice(1) : cell;
}

/** A title row as reported: its place and its cells (one, most often), a space between. */
export function titleOf(row: readonly string[], rowNumber: number): { row: number; text: string } {
  return { row: rowNumber, text: row.map((cell) => cell.trim()).filter(Boolean).join(' ') };
}

/**
 * The sheet's rows as CSV. The header is where `headerRowIndex` finds it (one-cell title rows
 * above it, as reports exported to Excel carry them, are left out); empty rows are left out. A column with no heading is left out when
 * it is empty too, and otherwise named by its letter (`D`), so that its cells are not lost
 * without a word.
 */
export function sheetToCsv(sheet: readonly (readonly unknown[])[]): SheetAsCsv {
  const texts = sheet.map((row) => row.map(sheetCellText));
  const headerIndex = headerRowIndex(texts);
  if (headerIndex < 0) return { text: '', rows: 0, rowOfLine: (line) => line, titles: [], headingOf: sheetColumnName };
  const titles = texts.slice(0, headerIndex).flatMap((row, index) => (filledCells(row) > 0 ? [titleOf(row, index + 1)] : []));
  const header = texts[headerIndex] ?? [];
  // In loops rather than spread into arguments: a sheet holds up to 1,048,576 rows, more than a call takes.
  const filled = header.map((heading) => heading.trim() !== '');
  for (let index = headerIndex + 1; index < texts.length; index++) {
    for (const [column, cell] of (texts[index] ?? []).entries()) if (filled[column] !== true && cell.trim() !== '') filled[column] = true;
  }
  const columns: number[] = [];
  for (let column = 0; column < filled.length; column++) if (filled[column] === true) columns.push(column);
  const headingOf = (column: number) => (header[column] ?? '').trim() || sheetColumnName(column);
  const lines: string[] = [columns.map((column) => csvCell(headingOf(column))).join(',')];
  // The sheet row of each CSV line: a cell holding line breaks spans several.
  const rowOfLine: number[] = [0, headerIndex + 1, ...new Array<number>(lines[0]?.split('\n').length ?? 1).fill(headerIndex + 1).slice(1)];
  let rows = 0;
  for (let index = headerIndex + 1; index < texts.length; index++) {
    const row = texts[index] ?? [];
    if (columns.every((column) => (row[column] ?? '').trim() === '')) continue;
    const line = columns.map((column) => csvCell(row[column] ?? '')).join(',');
    lines.push(line);
    rows++;
    for (let k = line.split('\n').length; k > 0; k--) rowOfLine.push(index + 1);
  }
  return { text: `${lines.join('\n')}\n`, rows, rowOfLine: (line) => rowOfLine[line] ?? line, titles, headingOf };
}
