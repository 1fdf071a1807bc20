// Excel workbooks, read in the tab by the reader `tagbase import` uses (`openWorkbook`), unzipped
// by the browser (`inflateRaw`): each sheet becomes the CSV text `tagbase import` reads from it
// (`sheetAsCsv`), so that columns, preview, pieces and reports are those of a CSV file, with
// each reported line traced back to its sheet row. A sheet is read a row at a time as it is
// unzipped, never held as cells: only its CSV text is kept.
import type { SheetAsCsv } from '../../../../../src/core/spreadsheet.js';
import { XlsWorkbook, openWorkbook, sheetAsCsv } from '../../../../../src/core/xlsx-workbook.js';
import { bytesSource } from '../../../../../src/core/zip-archive.js';
import { inflateRaw } from './inflateRaw.js';

export interface WorkbookSheet extends SheetAsCsv {
  name: string;
  /**
   * Formula cells saved without their result (as a program such as openpyxl writes them), by
   * sheet row and the heading of their column: they read as empty, so the sheet is not imported.
   */
  formulas: { row: number; column: string }[];
}

export type ReadWorkbook = { sheets: WorkbookSheet[]; problem?: undefined } | { problem: 'xls' | 'not-xlsx'; detail?: string };

/** A zip archive (as .xlsx files are) starts with these bytes. */
function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** An old binary Excel file (.xls) starts with the compound-file signature. */
function isCompoundFile(bytes: Uint8Array): boolean {
  return [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((byte, index) => bytes[index] === byte);
}

/** Whether a dropped file is a workbook rather than text, by its name or its first bytes. */
export function workbookKind(name: string, bytes: Uint8Array): 'xlsx' | 'xls' | undefined {
  if (isCompoundFile(bytes) || /\.xls$/i.test(name)) return 'xls';
  if (isZip(bytes) || /\.xlsx$/i.test(name)) return 'xlsx';
  return undefined;
}

/** Every sheet of a workbook as CSV text, in the workbook's order; what is wrong with the file, said as `tagbase import` says it. */
export async function readWorkbook(bytes: Uint8Array): Promise<ReadWorkbook> {
  try {
    const workbook = await openWorkbook(bytesSource(bytes), inflateRaw);
    const sheets: WorkbookSheet[] = [];
    for (const [position, name] of workbook.sheets.entries()) {
      const { formulas, ...csv } = await sheetAsCsv(workbook, position);
      sheets.push({ name, ...csv, formulas: formulas.map((place) => ({ row: place.row, column: csv.headingOf(place.column) })) });
    }
    return { sheets };
  } catch (error) {
    if (error instanceof XlsWorkbook) return { problem: 'xls' };
    return { problem: 'not-xlsx', detail: error instanceof Error ? error.message : String(error) };
  }
}
