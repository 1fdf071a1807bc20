// Excel workbooks, read in the tab: each sheet becomes the CSV text the rest of the import page
// works with (`sheetToCsv`, shared with `tagbase import`), so that columns, preview, pieces and
// reports are those of a CSV file, with each reported line traced back to its sheet row. The
// reader is loaded only when a workbook is dropped.
import { formulasWithoutResult, sheetParts } from '../../../../../src/core/sheet-formulas';
import { sheetNumberText, sheetToCsv, type SheetAsCsv } from '../../../../../src/core/spreadsheet';

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

export async function readWorkbook(bytes: Uint8Array): Promise<ReadWorkbook> {
  if (isCompoundFile(bytes)) return { problem: 'xls' };
  const { default: read } = await import('read-excel-file/universal');
  try {
    const sheets = await read(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { parseNumber: sheetNumberText });
    const unsaved = await unsavedFormulas(bytes);
    return {
      sheets: sheets.map((sheet, index) => {
        const csv = sheetToCsv(sheet.data as unknown[][]);
        return { name: sheet.sheet, ...csv, formulas: (unsaved[index] ?? []).map((place) => ({ row: place.row, column: csv.headingOf(place.column) })) };
      }),
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'XLS_FILE_NOT_SUPPORTED') return { problem: 'xls' };
    return { problem: 'not-xlsx', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** Each sheet's formula cells without a saved result, in the workbook's order (see `formulasWithoutResult`), as `tagbase import` finds them. */
async function unsavedFormulas(bytes: Uint8Array): Promise<ReturnType<typeof formulasWithoutResult>[]> {
  const { unzipSync, strFromU8 } = await import('fflate');
  const files = unzipSync(bytes, { filter: (file) => file.name === 'xl/workbook.xml' || file.name === 'xl/_rels/workbook.xml.rels' || file.name.startsWith('xl/worksheets/') });
  const text = (name: string) => {
    const found = files[name];
    return found ? strFromU8(found) : '';
  };
  return sheetParts(text('xl/workbook.xml'), text('xl/_rels/workbook.xml.rels')).map((part) => formulasWithoutResult(text(part)));
}
