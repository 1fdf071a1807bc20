// An Excel workbook (.xlsx) as `tagbase import` reads it: its sheets' names, and a sheet's rows
// as they are unzipped and parsed, a piece at a time, so that a sheet of a million rows is read
// without being held (only its shared strings are). A sheet can be read as often as needed.
import { SharedStringsReader, SheetRowReader, WorkbookError, parseDateStyles, parseWorkbookInfo, parseWorkbookParts, type SheetContext, type SheetRow } from '../../core/xlsx-sheet.js';
import { XmlScanner } from '../../core/xml-scanner.js';
import { ZipArchive, type ByteSource } from './xlsx-zip.js';

/** An old binary Excel file (.xls), which is not read. */
export class XlsWorkbook extends Error {
  constructor() {
    super('an old binary Excel workbook (.xls)');
    this.name = 'XlsWorkbook';
  }
}

export interface Workbook {
  /** The sheets' names, in the workbook's order. */
  sheets: string[];
  /** The rows of the sheet at `position` (0-based) that hold a cell, a batch at a time; told of formula cells saved without their result. */
  rows(position: number, onUnsavedFormula?: (place: { row: number; column: number }) => void): AsyncGenerator<SheetRow[]>;
}

/** An old Excel file starts with the compound-file signature. */
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Opens a workbook: its directory, sheets, shared strings and styles. Whatever is wrong with the file is thrown. */
export async function openWorkbook(source: ByteSource): Promise<Workbook> {
  const start = await source.read(0, 8);
  if (COMPOUND_FILE.every((byte, index) => start[index] === byte)) throw new XlsWorkbook();
  if (source.size === 0) throw new WorkbookError('the file is empty');
  const zip = await ZipArchive.open(source);
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
  const context: SheetContext = { strings: strings.strings, dateStyles: stylesXml === undefined ? undefined : parseDateStyles(stylesXml), date1904: info.date1904 };
  return {
    sheets: info.sheets.map((sheet) => sheet.name),
    async *rows(position, onUnsavedFormula) {
      const sheet = info.sheets[position];
      // A sheet that is not a worksheet (a chart sheet) has no rows.
      const part = sheet && parts.sheets.get(sheet.relationId);
      if (part === undefined) return;
      const batch: SheetRow[] = [];
      const scanner = new XmlScanner(new SheetRowReader(context, (row) => batch.push(row), onUnsavedFormula));
      for await (const text of zip.text(part)) {
        scanner.write(text);
        if (batch.length > 0) yield batch.splice(0);
      }
      scanner.end();
      if (batch.length > 0) yield batch.splice(0);
    },
  };
}
