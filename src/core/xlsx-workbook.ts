// An Excel workbook (.xlsx) as the importer reads it, in `tagbase import` and in the console
// alike: its sheets' names, and a sheet's rows as they are unzipped and parsed, a piece at a
// time, so that a sheet of a million rows is read without being held (only its shared strings
// are). A sheet can be read as often as needed. Where the bytes come from and how they are
// inflated is the caller's (`ZipArchive`).
import { SheetCsvSurvey, sheetRowTexts } from './sheet-csv-stream.js';
import type { SheetAsCsv } from './spreadsheet.js';
import { SharedStringsReader, SheetRowReader, WorkbookError, parseDateStyles, parseWorkbookInfo, parseZeroPaddedStyles, parseWorkbookParts, type SheetContext, type SheetRange, type SheetRow } from './xlsx-sheet.js';
import { XmlScanner } from './xml-scanner.js';
import { ZipArchive, type ByteSource, type Inflate } from './zip-archive.js';

/** An old binary Excel file (.xls), which is not read. */
export class XlsWorkbook extends Error {
  constructor() {
    super('an old binary Excel workbook (.xls)');
    this.name = 'XlsWorkbook';
  }
}

/** A formula cell saved without its result: its sheet row (1-based) and column (0-based). */
export interface SheetCellPlace {
  row: number;
  column: number;
}

export interface Workbook {
  /** The sheets' names, in the workbook's order. */
  sheets: string[];
  /**
   * The rows of the sheet at `position` (0-based) that hold a cell, a batch at a time; told of
   * formula cells saved without their result (as a program such as openpyxl writes them: they
   * read as empty), and of its merged cells (which come after the rows).
   */
  rows(position: number, onUnsavedFormula?: (place: SheetCellPlace) => void, onMergedCell?: (range: SheetRange) => void): AsyncGenerator<SheetRow[]>;
}

/** An old Excel file starts with the compound-file signature. */
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Opens a workbook: its directory, sheets, shared strings and styles. Whatever is wrong with the file is thrown. */
export async function openWorkbook(source: ByteSource, inflate: Inflate): Promise<Workbook> {
  const start = await source.read(0, 8);
  if (COMPOUND_FILE.every((byte, index) => start[index] === byte)) throw new XlsWorkbook();
  if (source.size === 0) throw new WorkbookError('the file is empty');
  const zip = await ZipArchive.open(source, inflate);
  const workbookXml = await zip.wholeText('xl/workbook.xml');
  const relationshipsXml = await zip.wholeText('xl/_rels/workbook.xml.rels');
  if (workbookXml === undefined) throw new WorkbookError('"xl/workbook.xml" file not found inside the `.xlsx` file');
  if (relationshipsXml === undefined) throw new WorkbookError('"xl/_rels/workbook.xml.rels" file not found inside the `.xlsx` file');
  const info = parseWorkbookInfo(workbookXml);
  const parts = parseWorkbookParts(relationshipsXml);
  const stringsPart = parts.sharedStrings ?? 'xl/sharedStrings.xml';
  const strings = new SharedStringsReader();
  if (zip.has(stringsPart)) {
    const scanner = new XmlScanner(strings);
    for await (const text of zip.text(stringsPart)) scanner.write(text);
    scanner.end();
  }
  const stylesXml = await zip.wholeText(parts.styles ?? 'xl/styles.xml');
  const context: SheetContext = {
    strings: strings.strings,
    dateStyles: stylesXml === undefined ? undefined : parseDateStyles(stylesXml),
    zeroPaddedStyles: stylesXml === undefined ? undefined : parseZeroPaddedStyles(stylesXml),
    date1904: info.date1904,
  };
  return {
    sheets: info.sheets.map((sheet) => sheet.name),
    async *rows(position, onUnsavedFormula, onMergedCell) {
      const sheet = info.sheets[position];
      // A sheet that is not a worksheet (a chart sheet) has no rows.
      const part = sheet && parts.sheets.get(sheet.relationId);
      if (part === undefined) return;
      const batch: SheetRow[] = [];
      const scanner = new XmlScanner(new SheetRowReader(context, (row) => batch.push(row), onUnsavedFormula, onMergedCell));
      for await (const text of zip.text(part)) {
        scanner.write(text);
        if (batch.length > 0) yield batch.splice(0);
      }
      scanner.end();
      if (batch.length > 0) yield batch.splice(0);
    },
  };
}

function csvLineCount(line: string): number {
  let count = 1;
  for (let at = line.indexOf('\n'); at >= 0; at = line.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * A sheet as the CSV text `tagbase import` reads from it (`SheetCsvSurvey`), whole, with the
 * sheet row of every line and the formula cells saved without their result: for the console,
 * which shows and sends the text in pieces. The sheet is read twice as it is unzipped, its rows
 * never held, only the text written from them.
 */
export async function sheetAsCsv(workbook: Workbook, position: number): Promise<SheetAsCsv & { formulas: SheetCellPlace[] }> {
  const survey = new SheetCsvSurvey();
  const formulas: SheetCellPlace[] = [];
  for await (const rows of workbook.rows(position, (place) => formulas.push(place), (range) => survey.observeMerged(range))) for (const row of rows) survey.observe(row.index, sheetRowTexts(row.cells));
  const plan = survey.plan();
  const base = { rows: plan.rows, titles: plan.titles, headingOf: plan.headingOf, formulas, ...(plan.secondHeaderRow ? { secondHeaderRow: plan.secondHeaderRow } : {}) };
  if (plan.headerIndex < 0) return { ...base, text: '', rowOfLine: (line) => line };
  // The sheet row of each CSV line (1-based; 0 unused): a cell holding line breaks spans several.
  const rowOfLine: number[] = [0];
  const note = (line: string, row: number) => {
    for (let count = csvLineCount(line); count > 0; count--) rowOfLine.push(row);
  };
  const pieces: string[] = [`${plan.headerLine}\n`];
  note(plan.headerLine, plan.headerIndex + 1);
  for await (const rows of workbook.rows(position)) {
    for (const row of rows) {
      const line = plan.lineOf(row.index, sheetRowTexts(row.cells));
      if (line === undefined) continue;
      note(line, row.index + 1);
      pieces.push(`${line}\n`);
    }
  }
  return { ...base, text: pieces.join(''), rowOfLine: (line) => rowOfLine[line] ?? line };
}
